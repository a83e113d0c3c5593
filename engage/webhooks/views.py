"""A survey's webhooks page (staff): add one (its secret shown once), enable or disable,
delete, and the delivery log with a button to send a delivery again."""

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
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlmodel import select
from wtforms import SelectChoice, SelectMultipleField, SubmitField, URLField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from engage import db
from engage.accounts.tokens import as_utc
from engage.auth import role_required
from engage.loading import survey_or_404
from engage.webhooks import rules
from surveys.models import (
    ROLE_ADMIN,
    ROLE_STAFF,
    WEBHOOK_EVENTS,
    Survey,
    Webhook,
    WebhookDelivery,
)

bp = Blueprint("webhooks", __name__, url_prefix="/webhooks")
LOG_LENGTH = 50

EVENT_NAMES = {
    "response.created": _l("a response is stored"),
    "response.updated": _l("a response is corrected, verified or flagged"),
    "response.withdrawn": _l("a response is withdrawn"),
}


class WebhookForm(FlaskForm):
    """A new webhook: the receiver's address and the events it wants."""

    url = URLField(_l("Address"), validators=[DataRequired(), Length(max=rules.MAX_URL_LENGTH)])
    events = SelectMultipleField(
        _l("Events"),
        choices=[SelectChoice(name, EVENT_NAMES[name]) for name in WEBHOOK_EVENTS],
        default=list(WEBHOOK_EVENTS),
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        validators=[DataRequired(_l("Choose at least one event."))],
        validate_choice=True,
    )
    submit = SubmitField(_l("Add the webhook"))


class ButtonForm(FlaskForm):
    """A CSRF-protected button."""


@bp.before_request
@role_required(ROLE_ADMIN, ROLE_STAFF)
def require_staff() -> None:
    """Webhooks are for staff and administrators only."""


def webhook_of(survey: Survey, hook_id: int) -> Webhook:
    """Return the survey's webhook with this id, or answer 404."""
    hook = db.get_session().get(Webhook, hook_id)
    if hook is None or hook.survey_id != survey.id:
        abort(404)
    return hook


def render_page(survey: Survey, form: WebhookForm | None = None, status: int = 200):
    """The survey's webhooks, each with its latest deliveries."""
    session = db.get_session()
    hooks = rules.webhooks_of(session, survey.id)
    logs = {
        hook.id: session.exec(
            select(WebhookDelivery)
            .where(WebhookDelivery.webhook_id == hook.id)
            .order_by(WebhookDelivery.id.desc())
            .limit(LOG_LENGTH)
        ).all()
        for hook in hooks
    }
    return render_template(
        "webhooks/index.html",
        survey=survey,
        hooks=hooks,
        logs=logs,
        form=form or WebhookForm(),
        button=ButtonForm(),
        event_names=EVENT_NAMES,
        as_utc=as_utc,
        format_datetime=format_datetime,
    ), status


@bp.get("/<slug>/")
def index(slug: str):
    """A survey's webhooks and their delivery logs."""
    return render_page(survey_or_404(slug))


@bp.post("/<slug>/")
def add(slug: str):
    """Register a webhook and show its signing secret once."""
    survey = survey_or_404(slug)
    form = WebhookForm()
    if not form.validate_on_submit():
        return render_page(survey, form, 400)
    session = db.get_session()
    try:
        hook = rules.add_webhook(
            session, survey, form.url.data, form.events.data, actor_id=current_user.id
        )
    except rules.AccountError as error:
        session.rollback()
        form.url.errors.append(_(error.message, **error.params))
        return render_page(survey, form, 400)
    page = render_template("webhooks/created.html", survey=survey, hook=hook)
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<slug>/<int:hook_id>/active")
def set_active(slug: str, hook_id: int):
    """Enable a disabled webhook, or disable an active one."""
    survey = survey_or_404(slug)
    hook = webhook_of(survey, hook_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    rules.set_active(db.get_session(), hook, not hook.active, actor_id=current_user.id)
    flash(_("The webhook is enabled.") if hook.active else _("The webhook is disabled."))
    return redirect(url_for("webhooks.index", slug=slug))


@bp.post("/<slug>/<int:hook_id>/delete")
def delete(slug: str, hook_id: int):
    """Delete a webhook and its delivery log."""
    survey = survey_or_404(slug)
    hook = webhook_of(survey, hook_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    rules.delete_webhook(db.get_session(), hook, actor_id=current_user.id)
    flash(_("The webhook is deleted."))
    return redirect(url_for("webhooks.index", slug=slug))


@bp.post("/<slug>/deliveries/<int:delivery_id>/redeliver")
def redeliver(slug: str, delivery_id: int):
    """Send a delivery again now."""
    survey = survey_or_404(slug)
    session = db.get_session()
    item = session.get(WebhookDelivery, delivery_id)
    if item is None:
        abort(404)
    webhook_of(survey, item.webhook_id)
    if not ButtonForm().validate_on_submit():
        abort(400)
    rules.redeliver(session, item, actor_id=current_user.id)
    from engage.webhooks.queue import enqueue

    enqueue(current_app._get_current_object(), [item.id])
    flash(_("The delivery is queued again."))
    return redirect(url_for("webhooks.index", slug=slug))
