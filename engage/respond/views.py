"""The resident pages: open surveys, a survey page by page, thanks; the rate limit's answer."""

from __future__ import annotations

import logging

from flask import current_app, g, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.accounts.links import site_url
from engage.auth import csrf
from engage.errors import render_error, retry_after
from engage.i18n import interface_language, requested_language
from engage.limits import limiter
from engage.respond import drafts
from engage.respond.blueprint import bp
from engage.respond.cache import resident_texts
from engage.respond.content import Shown, SurveyContent
from engage.respond.forms import (
    ACTION_BACK,
    ACTION_FIELD,
    ACTION_NEXT,
    ACTION_SAVE,
    ACTION_SEND,
    CONTACT_FIELDS,
    HONEYPOT_FIELD,
)
from engage.respond.loading import survey_for_resident
from engage.respond.question_views import error_text
from engage.respond.receipt import forget_receipt, receipt_secret, remember_receipt, shown_receipt
from engage.respond.results import results_published
from engage.respond.tokens import form_token_is_valid, new_form_token
from engage.respond.visit import SurveyVisit, posted_visit
from surveys.models import CHANNEL_WEB, SURVEY_OPEN, Survey
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission
from surveys.store import load_titles

log = logging.getLogger(__name__)


def is_not_sending() -> bool:
    """Only "Send" counts against the submission rate limit."""
    return request.form.get(ACTION_FIELD) != ACTION_SEND


def submission_rate_limit() -> str:
    """Return the configured per-address submission limit."""
    return current_app.config["SUBMISSION_RATE_LIMIT"]


@bp.get("/")
def home():
    """List the open surveys, titled in the chosen language."""
    session_ = db.get_session()
    surveys = session_.exec(
        select(Survey).where(Survey.status == SURVEY_OPEN).order_by(Survey.id)
    ).all()
    titles = load_titles(session_, [survey.id for survey in surveys])
    language = requested_language()
    listed = []
    for survey in surveys:
        content = SurveyContent(
            {"title": titles.get(survey.id, {})},
            language,
            survey.default_language,
            page_language=interface_language(language),
        )
        listed.append((survey, content.get("title") or Shown(survey.slug)))
    return render_template("respond/home.html", surveys=listed)


@bp.route("/s/<slug>", methods=["GET", "POST"])
@limiter.limit(submission_rate_limit, methods=["POST"], exempt_when=is_not_sending)
def survey(slug: str):
    """Show a survey page; on "Send", validate every answer and store one response."""
    if request.method == "GET":
        survey, preview = survey_for_resident(slug)
        forget_receipt(slug)
        visit = SurveyVisit(
            survey,
            g.page_language,
            preview=preview,
            raw={},
            contact={},
            token=new_form_token(slug),
            page_index=0,
        )
        return visit.render()

    visit = posted_visit(slug)
    # Judged before a missing token is replaced: a fresh one would pass its own check.
    token_is_valid = form_token_is_valid(visit.token, slug) or drafts.resumed_token_is_valid(
        slug, visit.token
    )
    if not visit.token:
        visit.token = new_form_token(slug)
    action = request.form.get(ACTION_FIELD, ACTION_NEXT)
    if action == ACTION_SAVE and len(visit.pages) > 1 and not visit.preview:
        return drafts.save_for_later(visit)
    if action == ACTION_BACK:
        visit.page_index = visit.previous_page()
        return visit.render()
    if action not in (ACTION_NEXT, ACTION_SEND):
        return visit.render()  # a language switch: same page, same answers
    if action == ACTION_SEND and request.form.get(HONEYPOT_FIELD):
        log.info("Honeypot filled on survey %s; nothing stored.", slug)
        return redirect(url_for("respond.thanks", slug=slug), 303)

    validated = validate_submission(visit.questions, visit.raw)
    errors = {error.question: error_text(error) for error in validated.errors}
    next_page = visit.next_page()
    if next_page is None and visit.ask_contact:
        errors.update(visit.contact_errors())  # the contact fields are on the last page
    on_page = visit.page_names() | set(CONTACT_FIELDS)
    page_errors = {name: message for name, message in errors.items() if name in on_page}
    if page_errors:
        return visit.render(page_errors)
    if next_page is not None:
        visit.page_index = next_page
        return visit.render()
    if action != ACTION_SEND:
        return visit.render()  # "Next" on what turned out to be the last page: show "Send"
    if errors:
        # Only a hand-made post gets here (conditions look back, never forward): show
        # the first page that needs correcting.
        visit.page_index = next(
            i for i, page in enumerate(visit.pages) if {q.name for q in page} & errors.keys()
        )
        on_page = visit.page_names()
        return visit.render({name: errors[name] for name in errors if name in on_page})
    if not token_is_valid:
        visit.token = new_form_token(slug)
        return visit.render(
            problem=_(
                "Your answers are not sent yet: this page was open for a long time or "
                "cookies are blocked. Check your answers and send them again."
            )
        )
    if visit.preview:
        return redirect(url_for("respond.thanks", slug=slug, preview=1), 303)
    config = current_app.config
    try:
        response, _created = db.write_retrying(
            lambda session: record_response(
                session,
                visit.survey,
                validated.answers,
                Provenance(
                    channel=CHANNEL_WEB, language=visit.language, idempotency_key=visit.token
                ),
                cutoffs=SentimentCutoffs.from_config(config),
                contact=visit.contact_text() if visit.ask_contact else None,
                notify_results=visit.ask_contact and visit.wants_notice,
                receipt_secret=receipt_secret(),
            )
        )
    except db.DatabaseBusyError:
        log.warning("Database busy through every attempt; survey %s answered 503.", slug)
        response = visit.render(
            problem=_(
                "Many answers are arriving at this moment, so yours are not sent yet. "
                "Please wait a few seconds, then send them again. Nothing is lost."
            ),
            status=503,
        )
        response.headers.update(retry_after())
        return response
    remember_receipt(slug, response)
    drafts.forget_draft(visit)
    return redirect(url_for("respond.thanks", slug=slug), 303)


csrf.exempt(survey)


@bp.errorhandler(RateLimitExceeded)
def too_many_submissions(_error):
    """Show the survey page again with the answers kept, asking the resident to wait."""
    if request.endpoint == "respond.withdraw":
        return render_error(
            429,
            _(
                "There were many tries with receipt codes from your connection. Please wait "
                "an hour and try again, or ask the survey's contact to withdraw your answers."
            ),
        )
    if request.endpoint != "respond.survey":
        return render_error(429)
    visit = posted_visit(request.view_args["slug"])
    return visit.render(
        problem=_(
            "We received many answers from your connection in a short time, so yours are "
            "not sent yet. Please wait a minute, then send them again. Nothing is lost."
        ),
        status=429,
    )


@bp.get("/s/<slug>/thanks")
def thanks(slug: str):
    """Thank the resident, show their receipt code and say what happens next."""
    survey, preview = survey_for_resident(slug)
    content = SurveyContent(
        resident_texts(survey, g.page_language), g.page_language, survey.default_language
    )
    receipt = None if preview else shown_receipt(slug)
    response = make_response(
        render_template(
            "respond/thanks.html",
            survey=survey,
            title=content.get("title") or Shown(survey.slug),
            thanks=content.get("thanks"),
            preview=preview,
            receipt=receipt,
            results_published=results_published(survey),
            results_url=site_url("respond.results", slug=slug),
        )
    )
    if receipt:
        # A receipt code withdraws the response: on a shared computer, the next person's
        # Back button must not bring it back from the browser's cache.
        response.headers["Cache-Control"] = "no-store"
    return response
