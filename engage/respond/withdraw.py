"""A resident withdraws their answers with the receipt code the thank-you page gave them.

``/s/<slug>/withdraw`` takes the code and a confirmation, for an open or a closed survey.
The answers then leave every report, export, count and the API at once
(``surveys.withdrawals``); the audit trail keeps that it happened, without them.

- Every refusal is one of a few translated messages, the same whether a code was never
  given, belongs to another survey or was already used: the page tells nobody which
  codes exist. Refusals answer 400 and count against ``WITHDRAW_RATE_LIMIT`` per address
  (default 10 an hour; a withdrawal that goes through does not count), so codes cannot
  be tried in bulk: 2^40 codes against ten tries an hour.
- The form is exempt from the CSRF token, like the survey's own: a forged post could only
  withdraw answers whose code its author already holds, and would then not need to
  forge anything; a resident whose browser refuses cookies can still withdraw.
"""

from __future__ import annotations

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from engage import db, report_cache
from engage.auth import csrf
from engage.limits import limiter
from engage.respond.blueprint import bp
from engage.respond.cache import resident_texts
from engage.respond.content import Shown, SurveyContent
from engage.respond.loading import published_survey
from surveys.models import Survey
from surveys.publication import results_published
from surveys.receipts import read_code, response_by_receipt
from surveys.withdrawals import BY_RECEIPT, BY_RESIDENT, Withdrawal, withdraw_response

DEFAULT_RATE_LIMIT = "10 per hour"
CODE_FIELD = "code"
CONFIRM_FIELD = "confirm"
# The survey whose withdrawal just went through, for the page the resident lands on.
DONE_KEY = "withdrawn"


def withdraw_rate_limit() -> str:
    """Return the per-address limit on refused withdrawals (``ENGAGE_WITHDRAW_RATE_LIMIT``)."""
    return current_app.config.get("WITHDRAW_RATE_LIMIT") or DEFAULT_RATE_LIMIT


def refused(response) -> bool:
    """Count only refused tries against the limit."""
    return response.status_code == 400


@bp.route("/s/<slug>/withdraw", methods=["GET", "POST"])
@limiter.limit(withdraw_rate_limit, methods=["POST"], deduct_when=refused)
def withdraw(slug: str):
    """Ask for the receipt code; with a good code and the confirmation, withdraw the answers."""
    survey, preview = published_survey(slug)
    content = SurveyContent(
        resident_texts(survey, g.page_language), g.page_language, survey.default_language
    )
    page = {
        "survey": survey,
        "title": content.get("title") or Shown(survey.slug),
        "preview": preview,
        "results_published": results_published(survey),
    }
    if request.method == "GET":
        if session.get(DONE_KEY) == slug:
            session.pop(DONE_KEY)
            return render_template("respond/withdrawn.html", **page)
        return render_template("respond/withdraw.html", errors={}, code="", **page)
    typed = request.form.get(CODE_FIELD, "")
    errors = {}
    code = read_code(typed)
    if not typed.strip():
        errors[CODE_FIELD] = _("Enter your receipt code.")
    elif code is None:
        errors[CODE_FIELD] = _(
            "A receipt code has eight letters and digits, like 7KQ2-M9XD. Check the code."
        )
    if request.form.get(CONFIRM_FIELD) != "yes":
        errors[CONFIRM_FIELD] = _("Tick the box to confirm that your answers should be removed.")
    if not errors and not preview:
        found = response_by_receipt(db.get_session(), survey.id, code)
        if found is None:
            errors[CODE_FIELD] = _(
                "No answers to this survey have this receipt code. Check each character, "
                "and that the code is for this survey: answers already withdrawn have no "
                "code any more."
            )
    if errors:
        return render_template("respond/withdraw.html", errors=errors, code=typed, **page), 400
    if not preview:
        db.write_retrying(lambda writer: remove(writer, survey, code))
        report_cache.forget_survey(db.get_session(), survey.id)
    session[DONE_KEY] = slug
    return redirect(url_for("respond.withdraw", slug=slug), 303)


def remove(writer: db.Session, survey: Survey, code: str) -> None:
    """Withdraw the response with this receipt code, in one transaction (none if gone since).

    ``survey`` is the kept, detached one (``engage.respond.cache``): only read.
    """
    found = response_by_receipt(writer, survey.id, code)
    if found is not None:
        withdraw_response(writer, survey, found, Withdrawal(BY_RESIDENT, BY_RECEIPT))
        writer.commit()


csrf.exempt(withdraw)
