"""Save and continue later: a resume code and link for a multi-page survey, no account needed.

"Save and continue later" on any page of a multi-page survey stores what the page posted
(answers so far, contact details, the page, the language and the form token) as an
encrypted draft (``surveys.drafts``) and shows a resume code and link. The link, or the
code typed on ``/s/<slug>/resume``, brings back the same page with the same answers, in
any browser. The draft keeps the walk's form token, so sending from two devices still
stores one response; sending deletes the draft, and ``engage drafts purge`` (or
``engage purge``) removes those past ``DRAFT_DAYS``.
"""

from __future__ import annotations

import click
from flask import current_app, g, make_response, render_template, request, session, url_for
from flask.cli import with_appcontext
from flask_babel import gettext as _

from engage import db
from engage.respond.blueprint import bp
from engage.respond.cache import resident_texts
from engage.respond.content import Shown, SurveyContent
from engage.respond.loading import survey_for_resident
from engage.respond.receipt import receipt_secret
from engage.respond.visit import SurveyVisit
from surveys import drafts
from surveys.models import Survey

# The session remembers the draft tokens resumed in this browser, by survey.
RESUMED_KEY = "resumed_tokens"


def no_store(page):
    """Return the page never kept by the browser: it shows a resume code or saved answers."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    return response


def survey_title(survey: Survey) -> Shown:
    """Return the survey's title in the page's language."""
    language = g.page_language
    content = SurveyContent(resident_texts(survey, language), language, survey.default_language)
    return content.get("title") or Shown(survey.slug)


def save_for_later(visit: SurveyVisit):
    """Store the walk as a draft and show its resume code and link."""
    payload = {
        "raw": visit.raw,
        "contact": visit.contact,
        "token": visit.token,
        "page": visit.page_index,
        "language": visit.language,
    }
    code = drafts.read_code(visit.resume_code) if visit.resume_code else None
    code = drafts.save_draft(
        db.get_session(),
        visit.survey.id,
        payload,
        receipt_secret(),
        current_app.config["DRAFT_DAYS"],
        code=code,
    )
    link = url_for("respond.resume_link", slug=visit.survey.slug, code=code, _external=True)
    page = render_template(
        "respond/saved.html",
        survey=visit.survey,
        title=survey_title(visit.survey),
        code=drafts.formatted(code),
        link=link,
        days=current_app.config["DRAFT_DAYS"],
    )
    return no_store(page)


def resumed_token_is_valid(slug: str, token: str) -> bool:
    """Return whether ``token`` came from a draft resumed in this browser."""
    return bool(token) and session.get(RESUMED_KEY, {}).get(slug) == token


def forget_draft(visit: SurveyVisit) -> None:
    """Delete the walk's draft once its answers are sent."""
    code = drafts.read_code(visit.resume_code) if visit.resume_code else None
    if code:
        drafts.delete_draft(db.get_session(), visit.survey.id, code, receipt_secret())


def resume_visit(survey: Survey, preview: bool, code: str):
    """Show the saved page with its answers, or None when the code opens no draft."""
    payload = drafts.load_draft(db.get_session(), survey.id, code, receipt_secret())
    if payload is None:
        return None
    resumed = dict(session.get(RESUMED_KEY, {}))
    resumed[survey.slug] = payload["token"]
    session[RESUMED_KEY] = resumed
    visit = SurveyVisit(
        survey,
        g.page_language,
        preview=preview,
        raw={name: list(values) for name, values in payload["raw"].items()},
        contact=dict(payload["contact"]),
        token=payload["token"],
        page_index=int(payload["page"]),
        resume_code=code,
    )
    return no_store(visit.render())


def render_resume(survey: Survey, typed: str = "", error: str | None = None, status: int = 200):
    """Render the page that asks for a resume code."""
    page = render_template(
        "respond/resume.html",
        survey=survey,
        title=survey_title(survey),
        code=typed,
        error=error,
    )
    return no_store(page), status


@bp.route("/s/<slug>/resume", methods=["GET", "POST"])
def resume(slug: str):
    """Ask for the resume code, and bring back the saved answers."""
    survey, preview = survey_for_resident(slug)
    if request.method == "GET":
        return render_resume(survey)
    typed = request.form.get("code", "").strip()[:40]
    code = drafts.read_code(typed)
    if code is None:
        error = _("Enter the resume code of twelve letters and digits, like 7KQ2-M9XD-4HTP.")
        return render_resume(survey, typed, error, 400)
    page = resume_visit(survey, preview, code)
    if page is None:
        error = _(
            "No saved answers match this code. Check it, or note that saved answers are "
            "deleted after %(days)s days.",
            days=current_app.config["DRAFT_DAYS"],
        )
        return render_resume(survey, typed, error, 404)
    return page


@bp.get("/s/<slug>/resume/<code>")
def resume_link(slug: str, code: str):
    """Bring back the saved answers from the resume link."""
    survey, preview = survey_for_resident(slug)
    read = drafts.read_code(code)
    page = resume_visit(survey, preview, read) if read else None
    if page is None:
        error = _(
            "No saved answers match this code. Check it, or note that saved answers are "
            "deleted after %(days)s days.",
            days=current_app.config["DRAFT_DAYS"],
        )
        return render_resume(survey, code[:40], error, 404)
    return page


@click.group("drafts")
def drafts_group() -> None:
    """Answers residents saved to finish later."""


@drafts_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Remove the saved answers older than DRAFT_DAYS."""
    with db.Session(db.engine()) as session_:
        removed = drafts.purge_expired(session_)
        session_.commit()
    click.echo(f"Removed {removed} expired drafts.")


commands: tuple = (drafts_group,)
