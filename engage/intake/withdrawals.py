"""A broker records a withdrawal a resident asked for in person or by phone.

The resident gives their receipt code (any response of the survey: the code is their
authority), or the ID of the paper form they filled in (brokers: only forms they keyed
in themselves, as they see only those; staff: any). The answers then leave every report,
export and count at once, and the audit trail records who recorded the withdrawal and
how it was asked for, without the answers (``surveys.withdrawals``). Refused tries count
against the same per-address limit as residents' (``engage.respond.withdraw``).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, RadioField, SelectChoice, StringField

from engage import db, report_cache
from engage.auth import role_required
from engage.i18n import interface_language
from engage.intake.blueprint import bp
from engage.intake.shared import find_survey, is_staff, survey_texts
from engage.limits import limiter
from engage.respond.withdraw import refused, withdraw_rate_limit
from surveys.models import (
    CHANNEL_IN_PERSON,
    CHANNEL_PHONE,
    ROLE_ADMIN,
    ROLE_BROKER,
    ROLE_STAFF,
    Response,
    Survey,
)
from surveys.receipts import read_code, response_by_receipt
from surveys.withdrawals import (
    BY_PAPER_ID,
    BY_RECEIPT,
    Withdrawal,
    response_by_paper_id,
    withdraw_response,
)


class WithdrawalForm(FlaskForm):
    """How the resident asked, and how their response is found."""

    asked = RadioField(
        _l("The resident asked"),
        choices=[
            SelectChoice(CHANNEL_IN_PERSON, _l("In person")),
            SelectChoice(CHANNEL_PHONE, _l("By phone")),
        ],
        validate_choice=False,
    )
    identified_by = RadioField(
        _l("Find the answers by"),
        choices=[
            SelectChoice(BY_RECEIPT, _l("Receipt code")),
            SelectChoice(BY_PAPER_ID, _l("Paper form ID")),
        ],
        validate_choice=False,
    )
    code = StringField(_l("Receipt code"))
    paper_id = StringField(_l("Paper form ID"))
    confirm = BooleanField(_l("The resident wants these answers deleted."))


def find_response(survey: Survey, form: WithdrawalForm) -> Response | None:
    """Return the response the form names, adding an error to the form when there is none."""
    session = db.get_session()
    if form.identified_by.data == BY_RECEIPT:
        code = read_code(form.code.data or "")
        if code is None:
            form.code.errors.append(
                _("A receipt code has eight letters and digits, like 7KQ2-M9XD. Check the code.")
            )
            return None
        found = response_by_receipt(session, survey.id, code)
        if found is None:
            form.code.errors.append(_("No answers to this survey have this receipt code."))
        return found
    paper_id = (form.paper_id.data or "").strip()
    if not paper_id:
        form.paper_id.errors.append(_("Enter the paper form ID."))
        return None
    found = response_by_paper_id(session, survey.id, paper_id)
    if found is None or not (is_staff() or found.entered_by_id == current_user.id):
        form.paper_id.errors.append(
            _("No paper form of this survey that you entered has this ID.")
            if not is_staff()
            else _("No paper form of this survey has this ID.")
        )
        return None
    return found


@bp.route("/<slug>/withdraw", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
@limiter.limit(withdraw_rate_limit, methods=["POST"], deduct_when=refused)
def withdraw(slug: str):
    """Record a withdrawal asked for in person or by phone."""
    survey = find_survey(slug)
    form = WithdrawalForm(prefix="withdraw")
    if form.validate_on_submit():
        if form.asked.data not in (CHANNEL_IN_PERSON, CHANNEL_PHONE):
            form.asked.errors.append(_("Say how the resident asked."))
        if form.identified_by.data not in (BY_RECEIPT, BY_PAPER_ID):
            form.identified_by.errors.append(_("Choose how to find the answers."))
        if not form.confirm.data:
            form.confirm.errors.append(_("Confirm that the resident wants the answers deleted."))
        found = None
        if not any(field.errors for field in form):
            found = find_response(survey, form)
        if found is not None:
            session = db.get_session()
            withdrawal = Withdrawal(form.asked.data, form.identified_by.data, current_user.id)
            withdraw_response(session, survey, found, withdrawal)
            session.commit()
            report_cache.forget_survey(session, survey.id)
            flash(
                _(
                    "The answers were withdrawn: they are deleted from every report, export "
                    "and count. The audit trail records the withdrawal, without the answers."
                )
            )
            return redirect(url_for("intake.withdraw", slug=slug))
    return render_template(
        "intake/withdraw.html",
        survey=survey,
        title=survey_texts(survey, interface_language()).title(),
        form=form,
        errors={field.id: field.errors for field in form if field.errors},
        labels={field.id: (field.id, field.label.text) for field in form},
    ), (400 if form.is_submitted() else 200)
