"""Accounts: login and logout pages, Flask-Login wiring, role checks, user creation.

Signing in is limited per account and per address (failures only), and an unknown email
costs the same password hash as a wrong password, so neither timing nor answers tell
whether an account exists. The session cookie carries the account's ``session_version``
(bumped by sign-out and account changes) and the session's clock, checked on every
request: idle timeout and absolute lifetime are settings. Sign-ins, failures and
sign-outs are audited. Single sign-on (``engage.accounts.sso``) ends in the same
``complete_sign_in``; an SSO-only account has no password to sign in with here.
"""

import time
from functools import wraps
from urllib.parse import unquote, urlsplit

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_limiter.errors import RateLimitExceeded
from flask_login import LoginManager, current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect
from sqlmodel import Session, select
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Length

from engage import db
from engage.limits import limiter
from surveys.audit import write_audit
from surveys.models import ROLE_ADMIN, ROLE_BROKER, ROLE_REVIEWER, ROLE_STAFF, User, utcnow

bp = Blueprint("auth", __name__, url_prefix="/auth")
login_manager = LoginManager()
csrf = CSRFProtect()

# A deliberately slow hash (scrypt) so that a stolen table resists guessing.
PASSWORD_METHOD = "scrypt"

# Kept in the session cookie at sign-in and checked on every request.
SESSION_VERSION_KEY = "account_version"
SIGNED_IN_AT_KEY = "signed_in_at"
SEEN_AT_KEY = "seen_at"
# How often the idle clock in the cookie is moved on (seconds): not on every request.
SEEN_AT_STEP = 60

# Audit actions of signing in and out (entity "user").
AUDIT_SIGN_IN = "sign_in"
AUDIT_SIGN_IN_FAILED = "sign_in_failed"
AUDIT_SIGN_IN_LIMITED = "sign_in_limited"
AUDIT_SIGN_OUT = "sign_out"


ROLE_NAMES = {
    ROLE_ADMIN: _l("administrator"),
    ROLE_STAFF: _l("staff"),
    ROLE_BROKER: _l("community broker"),
    ROLE_REVIEWER: _l("community reviewer"),
}

# Where each role starts: (endpoint, label, roles). Links whose blueprint is absent are left out.
START_LINKS = (
    ("manage.index", _l("Surveys"), (ROLE_ADMIN, ROLE_STAFF)),
    ("intake.index", _l("Data entry"), (ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)),
    ("reports.index", _l("Reports"), (ROLE_ADMIN, ROLE_STAFF)),
    ("reports.review_surveys", _l("Comments to label"), (ROLE_REVIEWER,)),
    ("accounts.index", _l("Accounts"), (ROLE_ADMIN,)),
)


class LoginUser:
    """The Flask-Login view of a ``User`` row (kept apart so ``surveys`` stays Flask-free)."""

    is_authenticated = True
    is_anonymous = False

    def __init__(self, user: User):
        self.id = user.id
        self.email = user.email
        self.name = user.name
        self.role = user.role
        self.restricted = user.restricted
        self.sso_only = user.sso_only
        self.review_languages = tuple(user.review_languages or ())
        self.is_active = user.active

    def get_id(self) -> str:
        """Return the id Flask-Login keeps in the session cookie."""
        return str(self.id)

    def has_role(self, *roles: str) -> bool:
        """Return True when the user holds one of ``roles``."""
        return self.role in roles


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])
    submit = SubmitField(_l("Sign in"))


class LogoutForm(FlaskForm):
    """A CSRF-protected button: logging out changes state, so it is a POST."""

    submit = SubmitField(_l("Sign out"))


def create_user(
    session: Session, email: str, role: str, password: str, name: str = "", languages: str = ""
) -> User:
    """Seed an account with a password, unaudited (tests); the rules: engage.accounts.rules."""
    from engage.accounts import rules  # rules hash with this module's PASSWORD_METHOD

    return rules.create_user(
        session, email, role, password, name, audited=False, languages=languages
    )


_dummy_hashes: dict[str, str] = {}


def dummy_password_hash() -> str:
    """Return a hash of no one's password, made with the current method (once per method)."""
    if PASSWORD_METHOD not in _dummy_hashes:
        _dummy_hashes[PASSWORD_METHOD] = generate_password_hash(
            "no account has this password", method=PASSWORD_METHOD
        )
    return _dummy_hashes[PASSWORD_METHOD]


def find_user(session: Session, email: str) -> User | None:
    """Return the account with this email (any case, spaces around ignored), or None."""
    return session.exec(select(User).where(User.email == email.strip().lower())).first()


def authenticate(session: Session, email: str, password: str) -> User | None:
    """Return the active user with these credentials, or None.

    The password is hashed whether or not the account exists, is active or signs in only
    with single sign-on, so the answer takes as long for an unknown email as for a wrong
    password.
    """
    user = find_user(session, email)
    stored = user.password_hash if user and user.password_hash else dummy_password_hash()
    matches = check_password_hash(stored, password)
    if user and user.active and not user.sso_only and user.password_hash and matches:
        return user
    return None


def role_required(*roles: str):
    """Allow the view to users with one of ``roles``; others get 403, visitors the login page."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


@login_manager.user_loader
def load_user(user_id: str) -> LoginUser | None:
    """Load the signed-in user from the session cookie's id, if that session is still current."""
    if not user_id.isdigit():
        return None
    user = db.get_session().get(User, int(user_id))
    if user is None or not user.active or not session_is_current(user):
        return None
    return LoginUser(user)


def start_session(user: User) -> None:
    """Sign ``user`` in on this browser: their session version and this session's clock."""
    login_user(LoginUser(user))
    session.update(session_marks(user))
    session.permanent = True  # the cookie itself expires with the absolute lifetime


def session_marks(user: User) -> dict:
    """Return what a new session of ``user`` keeps: session version, sign-in and seen times."""
    now = time.time()
    return {SESSION_VERSION_KEY: user.session_version, SIGNED_IN_AT_KEY: now, SEEN_AT_KEY: now}


def session_is_current(user: User) -> bool:
    """Return whether this browser's session of ``user`` is neither ended nor timed out."""
    config = current_app.config
    now = time.time()
    signed_in_at = session.get(SIGNED_IN_AT_KEY)
    seen_at = session.get(SEEN_AT_KEY)
    if session.get(SESSION_VERSION_KEY) != user.session_version:
        return False  # signed out elsewhere, or the password, role or activity changed
    if not isinstance(signed_in_at, int | float) or not isinstance(seen_at, int | float):
        return False
    if now - signed_in_at > config["SESSION_LIFETIME_HOURS"] * 3600:
        return False
    if now - seen_at > config["SESSION_IDLE_MINUTES"] * 60:
        return False
    if now - seen_at > SEEN_AT_STEP:
        session[SEEN_AT_KEY] = now
    return True


# Characters a browser drops or reads as a slash, which turn "/\t/host" into "//host".
_UNSAFE_IN_NEXT = frozenset("\\") | {chr(code) for code in (*range(32), 127)}


def safe_next(target: str | None) -> str | None:
    """Return ``target`` only when it is a path on this site (no open redirects).

    Refused: anything not starting with one "/", scheme-relative "//host", backslashes,
    control characters (browsers drop tabs and newlines: "/\t/host" is "//host"), and
    the same tricks percent-encoded ("/%2F/host", "/%5Chost", "/%09/host").
    """
    if not target:
        return None
    decoded = target
    for _round in range(3):  # a doubly encoded "%252F" is still refused
        if not decoded.startswith("/") or decoded.startswith("//"):
            return None
        if any(char in _UNSAFE_IN_NEXT for char in decoded):
            return None
        parts = urlsplit(decoded)
        if parts.scheme or parts.netloc:
            return None
        decoded = unquote(decoded)
    return target


def failed_sign_ins_per_address() -> str:
    """Return the configured limit of failed sign-ins from one address."""
    return current_app.config["SIGN_IN_FAILURES_PER_ADDRESS"]


def failed_sign_ins_per_account() -> str:
    """Return the configured limit of failed sign-ins to one account (known or not)."""
    return current_app.config["SIGN_IN_FAILURES_PER_ACCOUNT"]


def account_key() -> str:
    """Key the per-account limit by the email typed, the same for unknown ones."""
    return "account:" + request.form.get("email", "").strip().lower()[:254]


def sign_in_failed(_response) -> bool:
    """Count only failed sign-ins against the limits."""
    return bool(g.get("sign_in_failed"))


def audit_sign_in(
    action: str, user: User | None, email: str = "", details: dict | None = None
) -> None:
    """Record a sign-in, failure or sign-out with the address it came from; commits.

    The event's user is who acted: the account for a sign-in or sign-out, no one for a
    failure (the account tried, when it exists, is the event's entity; else the email).
    ``details`` adds to the recorded values (single sign-on: its method and a failure's
    reason).
    """
    session_ = db.get_session()
    new = {"address": request.remote_addr or "", **(details or {})}
    if user is None:
        new["email"] = email.strip().lower()[:254]
    actor = user.id if user and action in (AUDIT_SIGN_IN, AUDIT_SIGN_OUT) else None
    entity_id = str(user.id) if user else ""
    write_audit(session_, actor, action, "user", entity_id, None, {}, new)
    session_.commit()


def complete_sign_in(user: User, details: dict | None = None) -> None:
    """Sign ``user`` in on this browser, note when, and audit it (password or SSO); commits."""
    start_session(user)
    user.last_sign_in_at = utcnow()
    db.get_session().add(user)
    audit_sign_in(AUDIT_SIGN_IN, user, details=details)


def failed_sign_in_message() -> str:
    """Return the one answer to a failed password sign-in, whatever the reason.

    With single sign-on configured it also points to the button: an SSO-only account's
    password sign-in fails like any other, so the answer does not tell which accounts exist.
    """
    from engage.accounts.sso import sso_button_text  # sso builds on this module

    message = _("The email or password is not right.")
    button = sso_button_text()
    if button:
        message += " " + _(
            "If your account signs in through your organisation, use the “%(button)s” button.",
            button=button,
        )
    return message


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(failed_sign_ins_per_address, methods=["POST"], deduct_when=sign_in_failed)
@limiter.limit(
    failed_sign_ins_per_account, key_func=account_key, methods=["POST"], deduct_when=sign_in_failed
)
def login():
    """Show the sign-in form and sign the user in."""
    form = LoginForm()
    if form.validate_on_submit():
        session_ = db.get_session()
        user = authenticate(session_, form.email.data, form.password.data)
        if user:
            complete_sign_in(user)
            return redirect(safe_next(request.args.get("next")) or url_for("auth.home"))
        g.sign_in_failed = True
        tried = find_user(session_, form.email.data)
        details = {"reason": "sso_only"} if tried and tried.sso_only else None
        audit_sign_in(AUDIT_SIGN_IN_FAILED, tried, form.email.data, details)
        form.password.errors.append(failed_sign_in_message())
    return render_template("auth/login.html", form=form)


@bp.errorhandler(RateLimitExceeded)
def too_many_failed_sign_ins(_error):
    """Refuse to check more passwords for a while; the same answer for every email."""
    email = request.form.get("email", "")
    audit_sign_in(AUDIT_SIGN_IN_LIMITED, find_user(db.get_session(), email), email)
    form = LoginForm()
    form.password.errors = [too_many_failures_message()]
    return render_template("auth/login.html", form=form), 429


def too_many_failures_message() -> str:
    """Return the answer to a sign-in past the limits (password or single sign-on)."""
    return _(
        "Too many failed sign-ins for this account or from this connection. "
        "Please wait a few minutes and try again."
    )


@bp.post("/logout")
def logout():
    """Sign the user out and end every other session of the account."""
    form = LogoutForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            session_ = db.get_session()
            user = session_.get(User, current_user.id)
            user.session_version += 1
            session_.add(user)
            audit_sign_in(AUDIT_SIGN_OUT, user)
        logout_user()
        flash(_("You are signed out."))
    return redirect(url_for("auth.login"))


@bp.get("/")
@login_required
def home():
    """Send a signed-in user to the page their role starts on."""
    links = [
        (label, url_for(endpoint))
        for endpoint, label, roles in START_LINKS
        if endpoint in current_app.view_functions and current_user.has_role(*roles)
    ]
    return render_template("auth/home.html", start_links=links, role_names=ROLE_NAMES)


def init_app(app: Flask) -> None:
    """Protect every form against CSRF and wire Flask-Login."""
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")

    @app.context_processor
    def logout_form():
        return {"logout_form": LogoutForm() if current_user.is_authenticated else None}
