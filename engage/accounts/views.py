"""Account pages: admins list, create and change accounts; everyone changes their password."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    url_for,
)
from flask_babel import format_datetime
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlmodel import select

from engage import auth, db
from engage.accounts import rules, tokens
from engage.accounts.access import sees_every_survey
from engage.accounts.forms import (
    SCOPE_NAMES,
    ActiveForm,
    ApiTokenForm,
    AssignmentsForm,
    ChangePasswordForm,
    CreateAccountForm,
    ResetForm,
    RestrictedForm,
    ReviewLanguagesForm,
    RevokeTokenForm,
    RoleForm,
    SetPasswordForm,
    SsoOnlyForm,
)
from engage.accounts.links import deliver, link_url
from engage.accounts.sso import current_settings as sso_settings
from engage.i18n import interface_language
from engage.labels import language_name
from surveys.languages import resolve_text
from surveys.models import (
    ROLE_ADMIN,
    ROLE_REVIEWER,
    ApiToken,
    Survey,
    SurveyAssignment,
    SurveyText,
    User,
    utcnow,
)

bp = Blueprint("accounts", __name__, url_prefix="/accounts")
admin_only = auth.role_required(ROLE_ADMIN)


def refuse_reviewers() -> None:
    """Answer 403 to a community reviewer: API tokens are not theirs to make."""
    if current_user.has_role(ROLE_REVIEWER):
        abort(403)


def error_text(error: rules.AccountError) -> str:
    """Translate a refused change's message for the reader, as a sentence."""
    text = _(error.message, **error.params)
    return text[:1].upper() + text[1:]


def survey_titles() -> list[tuple[int, str]]:
    """Return every survey as (id, title in the reader's language, else its slug)."""
    session = db.get_session()
    titles: dict[int, dict[str, str]] = {}
    for row in session.exec(select(SurveyText).where(SurveyText.key == "title")):
        titles.setdefault(row.survey_id, {})[row.language] = row.text
    language = interface_language()
    rows = []
    for survey in session.exec(select(Survey).order_by(Survey.slug)):
        title = resolve_text(titles.get(survey.id, {}), language, survey.default_language).text
        rows.append((survey.id, title or survey.slug))
    return rows


def password_hint() -> str:
    """Return what a new password must be, for the reader."""
    return _(
        "At least %(count)s characters. A few unrelated words make a long password that is "
        "easy to remember. Common passwords are refused.",
        count=rules.MIN_PASSWORD_LENGTH,
    )


def account_or_404(user_id: int) -> User:
    """Return the account with this id, or answer 404."""
    user = db.get_session().get(User, user_id)
    if user is None:
        abort(404)
    return user


def no_store(page: str, status: int = 200):
    """A page holding a one-time link is never cached (a shared browser must not keep it)."""
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/")
@admin_only
def index():
    """List the accounts: role, active, last sign-in and the titles of assigned surveys."""
    session = db.get_session()
    users = session.exec(select(User).order_by(User.email)).all()
    titles = dict(survey_titles())
    assigned: dict[int, list[str]] = {}
    for survey_id, user_id in session.exec(
        select(SurveyAssignment.survey_id, SurveyAssignment.user_id)
    ):
        assigned.setdefault(user_id, []).append(titles[survey_id])
    return render_template(
        "accounts/index.html",
        users=users,
        assigned={user_id: sorted(names) for user_id, names in assigned.items()},
        role_names=auth.ROLE_NAMES,
        sees_every_survey=sees_every_survey,
        format_datetime=format_datetime,
    )


@bp.route("/new", methods=["GET", "POST"])
@admin_only
def create():
    """Create an account and show (or e-mail) its one-time set-password link."""
    form = CreateAccountForm()
    if form.validate_on_submit():
        session = db.get_session()
        try:
            if form.sso_only.data:
                user = rules.create_sso_account(
                    session,
                    form.email.data,
                    form.role.data,
                    form.name.data or "",
                    actor_id=current_user.id,
                    languages=form.languages.data or "",
                )
            else:
                user, token = rules.create_account(
                    session,
                    form.email.data,
                    form.role.data,
                    form.name.data or "",
                    actor_id=current_user.id,
                    hours=current_app.config["PASSWORD_LINK_HOURS"],
                    languages=form.languages.data or "",
                )
        except rules.AccountError as error:
            session.rollback()
            field = form.languages if error.message in rules.LANGUAGE_ERRORS else form.email
            field.errors.append(error_text(error))
        else:
            if user.sso_only:
                flash(_("The account is created. The person signs in with single sign-on."))
                return redirect(url_for("accounts.account", user_id=user.id))
            return show_link(user, token, created=True)
    status = 400 if form.errors else 200
    return render_template("accounts/new.html", form=form, sso=sso_settings()), status


def show_link(user: User, token: str, *, created: bool):
    """E-mail the link when SMTP is configured, else show it once on this page."""
    link = link_url(token)
    sent = deliver(current_app, user, link)
    page = render_template(
        "accounts/link.html",
        account=user,
        link=None if sent else link,
        created=created,
        mail_failed=not sent and bool(current_app.config["SMTP_HOST"]),
        hours=current_app.config["PASSWORD_LINK_HOURS"],
    )
    return no_store(page)


def render_account(user: User, status: int = 200, errors: list[str] | None = None, **forms):
    """Render an account's page with its forms (a failed one keeps its errors)."""
    session = db.get_session()
    assignments = forms.pop("assignments_form", None) or AssignmentsForm(
        surveys=sorted(rules.assigned_survey_ids(session, user.id))
    )
    assignments.surveys.choices = survey_titles()
    return render_template(
        "accounts/account.html",
        account=user,
        role_names=auth.ROLE_NAMES,
        role_form=forms.get("role_form") or RoleForm(role=user.role),
        active_form=ActiveForm(active="1" if not user.active else "0"),
        restricted_form=forms.get("restricted_form") or RestrictedForm(restricted=user.restricted),
        assignments_form=assignments,
        reset_form=ResetForm(),
        sso_only_form=forms.get("sso_only_form") or SsoOnlyForm(sso_only=user.sso_only),
        languages_form=forms.get("languages_form")
        or ReviewLanguagesForm(languages=" ".join(user.review_languages or ())),
        # By name, so an admin sees that "oj" is the Anishinaabemowin they meant.
        review_languages=[f"{language_name(tag)} ({tag})" for tag in user.review_languages or ()],
        sso=sso_settings(),
        errors=errors or [],
        sees_every_survey=sees_every_survey(user),
        format_datetime=format_datetime,
        api_tokens=[
            token for token in tokens.tokens_of(session, user.id) if tokens.is_usable(token)
        ],
        revoke_form=RevokeTokenForm(),
    ), status


@bp.get("/<int:user_id>")
@admin_only
def account(user_id: int):
    """One account: its role, whether it is active, its surveys, a password reset."""
    return render_account(account_or_404(user_id))


def apply(user: User, change, success: str, **forms):
    """Run one rule; on refusal show the account page with the reason, else go back to it."""
    session = db.get_session()
    try:
        change(session)
    except rules.AccountError as error:
        session.rollback()
        return render_account(user, 400, [error_text(error)], **forms)
    flash(success)
    return redirect(url_for("accounts.account", user_id=user.id))


@bp.post("/<int:user_id>/role")
@admin_only
def set_role(user_id: int):
    """Give the account another role."""
    user = account_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        return render_account(user, 400, role_form=form)
    return apply(
        user,
        lambda session: rules.set_role(session, user, form.role.data, actor_id=current_user.id),
        _("The role is changed. The account's sessions have ended."),
        role_form=form,
    )


@bp.post("/<int:user_id>/active")
@admin_only
def set_active(user_id: int):
    """Deactivate or reactivate the account."""
    user = account_or_404(user_id)
    form = ActiveForm()
    if not form.validate_on_submit() or form.active.data not in ("0", "1"):
        abort(400)
    active = form.active.data == "1"
    message = (
        _("The account is active again.")
        if active
        else _("The account is deactivated: it cannot sign in, and its sessions have ended.")
    )
    return apply(
        user,
        lambda session: rules.set_active(session, user, active, actor_id=current_user.id),
        message,
    )


@bp.post("/<int:user_id>/restricted")
@admin_only
def set_restricted(user_id: int):
    """Limit a staff account to its assigned surveys, or lift the limit."""
    user = account_or_404(user_id)
    form = RestrictedForm()
    if not form.validate_on_submit():
        return render_account(user, 400, restricted_form=form)
    restricted = bool(form.restricted.data)
    return apply(
        user,
        lambda session: rules.set_restricted(session, user, restricted, actor_id=current_user.id),
        _("Saved."),
    )


@bp.post("/<int:user_id>/languages")
@admin_only
def set_languages(user_id: int):
    """Set the languages a community reviewer labels comments in."""
    user = account_or_404(user_id)
    form = ReviewLanguagesForm()
    if not form.validate_on_submit():
        return render_account(user, 400, languages_form=form)
    session = db.get_session()
    try:
        rules.set_review_languages(
            session, user, form.languages.data or "", actor_id=current_user.id
        )
    except rules.AccountError as error:
        session.rollback()
        form.languages.errors.append(error_text(error))
        return render_account(user, 400, languages_form=form)
    flash(_("The languages are saved."))
    return redirect(url_for("accounts.account", user_id=user.id))


@bp.post("/<int:user_id>/sso-only")
@admin_only
def set_sso_only(user_id: int):
    """Let the account sign in only with single sign-on, or with a password again."""
    user = account_or_404(user_id)
    form = SsoOnlyForm()
    if not form.validate_on_submit():
        return render_account(user, 400, sso_only_form=form)
    sso_only = bool(form.sso_only.data)
    message = (
        _("The account signs in only with single sign-on. Its password and sessions have ended.")
        if sso_only
        else _("The account may have a password again: reset it to make a set-password link.")
    )
    if sso_only == user.sso_only:
        message = _("Saved.")
    return apply(
        user,
        lambda session: rules.set_sso_only(session, user, sso_only, actor_id=current_user.id),
        message,
        sso_only_form=form,
    )


@bp.post("/<int:user_id>/surveys")
@admin_only
def set_surveys(user_id: int):
    """Assign exactly the chosen surveys to the account."""
    user = account_or_404(user_id)
    form = AssignmentsForm()
    form.surveys.choices = survey_titles()
    if not form.validate_on_submit():
        return render_account(user, 400, assignments_form=form)
    chosen = set(form.surveys.data or [])
    return apply(
        user,
        lambda session: rules.set_assignments(session, user, chosen, actor_id=current_user.id),
        _("The assigned surveys are saved."),
        assignments_form=form,
    )


@bp.post("/<int:user_id>/reset-password")
@admin_only
def reset_password(user_id: int):
    """Clear the password, end the account's sessions and make a one-time link."""
    user = account_or_404(user_id)
    if not ResetForm().validate_on_submit():
        abort(400)
    session = db.get_session()
    try:
        token = rules.reset_password(
            session, user, actor_id=current_user.id, hours=current_app.config["PASSWORD_LINK_HOURS"]
        )
    except rules.AccountError as error:
        session.rollback()
        return render_account(user, 400, [error_text(error)])
    return show_link(user, token, created=False)


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password; this browser stays signed in, others are signed out."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        session = db.get_session()
        user = session.get(User, current_user.id)
        try:
            rules.change_password(session, user, form.current.data, form.password.data)
        except rules.AccountError as error:
            session.rollback()
            field = form.current if error.message == rules.WRONG_PASSWORD else form.password
            field.errors.append(error_text(error))
        else:
            auth.start_session(user)
            flash(_("Your password is changed. Your other sessions have ended."))
            return redirect(url_for("auth.home"))
    status = 400 if form.errors else 200
    return render_template(
        "accounts/password.html", form=form, password_hint=password_hint()
    ), status


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Choose a password through a one-time link, then sign in with it."""
    session = db.get_session()
    user = rules.user_for_token(session, token)
    if user is None:
        page = render_template("accounts/link_expired.html")
        return no_store(page, 404)
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            rules.set_password_with_token(session, token, form.password.data)
        except rules.AccountError as error:
            session.rollback()
            form.password.errors.append(error_text(error))
        else:
            flash(_("Your password is set. Sign in with it."))
            return redirect(url_for("auth.login"))
    status = 400 if form.errors else 200
    return no_store(
        render_template(
            "accounts/set_password.html", form=form, account=user, password_hint=password_hint()
        ),
        status,
    )


def render_api_tokens(form: ApiTokenForm | None = None, status: int = 200):
    """Render one's API tokens and the form that makes one."""
    return render_template(
        "accounts/api_tokens.html",
        tokens=tokens.tokens_of(db.get_session(), current_user.id),
        form=form or ApiTokenForm(),
        revoke_form=RevokeTokenForm(),
        scope_names=SCOPE_NAMES,
        is_usable=tokens.is_usable,
        as_utc=tokens.as_utc,
        now=utcnow(),
        format_datetime=format_datetime,
    ), status


@bp.get("/api-tokens")
@login_required
def api_tokens():
    """One's API tokens: name, scopes, last use, expiry; make or revoke one."""
    refuse_reviewers()
    return render_api_tokens()


@bp.post("/api-tokens")
@login_required
def create_api_token():
    """Make an API token and show it once (the page is never cached)."""
    refuse_reviewers()
    form = ApiTokenForm()
    if not form.validate_on_submit():
        return render_api_tokens(form, 400)
    session = db.get_session()
    user = session.get(User, current_user.id)
    try:
        token, secret = tokens.create_token(
            session,
            user,
            form.scopes.data,
            actor_id=current_user.id,
            name=form.name.data,
            days=form.days.data,
        )
    except rules.AccountError as error:
        session.rollback()
        form.name.errors.append(error_text(error))
        return render_api_tokens(form, 400)
    page = render_template(
        "accounts/api_token_created.html",
        token=token,
        secret=secret,
        scope_names=SCOPE_NAMES,
        format_datetime=format_datetime,
    )
    return no_store(page)


@bp.post("/api-tokens/<int:token_id>/revoke")
@login_required
def revoke_api_token(token_id: int):
    """Stop one's own token at once (an admin may stop anyone's)."""
    session = db.get_session()
    token = session.get(ApiToken, token_id)
    if token is None or (token.user_id != current_user.id and current_user.role != ROLE_ADMIN):
        abort(404)
    if not RevokeTokenForm().validate_on_submit():
        abort(400)
    tokens.revoke_token(session, token, actor_id=current_user.id)
    flash(_("The token is revoked: it no longer works."))
    if token.user_id != current_user.id:
        return redirect(url_for("accounts.account", user_id=token.user_id))
    return redirect(url_for("accounts.api_tokens"))
