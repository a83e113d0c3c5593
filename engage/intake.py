"""Broker data entry: printable paper forms, keyed-in entries, group sessions, CSV import.

Paper form and entry screen number questions and code options with the same
function (``surveys.intake.paper_numbering``). Entries are validated exactly as a
resident's answers are (``validate_submission``) and stored through
``record_response``. Brokers see and correct only what they entered; every
correction and review writes an ``AuditEvent`` with the old and new values.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask import session as browser_session
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup, escape
from sqlalchemy import func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from analysis.sentiment import SentimentCutoffs
from engage import db
from engage.auth import role_required
from engage.i18n import babel_locale_id, interface_language
from surveys.corrections import EntryInput, apply_correction, record_review, stored_answers
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.group_sessions import (
    FeedbackInput,
    SessionInput,
    add_session,
    check_counts,
    complete_tally,
    correct_session,
    parse_count,
)
from surveys.intake import (
    NumberedQuestion,
    codes_for_values,
    collected_at_from_date,
    condition_note,
    normalize_paper_id,
    option_label,
    paper_numbering,
    today,
    values_from_codes,
)
from surveys.languages import (
    ResolvedText,
    display_name,
    is_valid_tag,
    normalize_tag,
    resolve_text,
    text_direction,
)
from surveys.models import (
    ATTRIBUTION_NAMED,
    ATTRIBUTION_NO_QUOTE,
    ATTRIBUTIONS,
    CHANNEL_IN_PERSON,
    CHANNEL_PAPER,
    CHANNEL_PHONE,
    CHANNEL_WEB,
    CONSENT_KINDS,
    FEEDBACK_KINDS,
    RESPONSE_FLAGGED,
    RESPONSE_STATUSES,
    RESPONSE_SUBMITTED,
    RESPONSE_VERIFIED,
    ROLE_ADMIN,
    ROLE_BROKER,
    ROLE_STAFF,
    SESSION_KINDS,
    SURVEY_CLOSED,
    SURVEY_DRAFT,
    SURVEY_OPEN,
    AuditEvent,
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    Response,
    Survey,
    User,
)
from surveys.questions import AnswerError
from surveys.recording import ENTRY_CHANNELS, IMPORT_CHANNELS, Provenance, record_response
from surveys.response_import import ImportProblem, Message, RejectedImportError, import_responses
from surveys.responses import validate_submission
from surveys.store import hint_key, label_key, load_texts, survey_by_slug

bp = Blueprint("intake", __name__, url_prefix="/intake")

PAGE_SIZE = 50
NEW_FEEDBACK_ROWS = 3
MAX_FEEDBACK_ROWS = 200
MAX_PARTICIPANTS = 10_000
MAX_FEEDBACK_LENGTH = 5000

CHANNEL_NAMES = {
    CHANNEL_PAPER: _l("Paper form"),
    CHANNEL_PHONE: _l("Phone interview"),
    CHANNEL_IN_PERSON: _l("In-person interview"),
    CHANNEL_WEB: _l("Online"),
}
STATUS_NAMES = {
    RESPONSE_SUBMITTED: _l("Not reviewed"),
    RESPONSE_VERIFIED: _l("Verified"),
    RESPONSE_FLAGGED: _l("Flagged"),
}
SESSION_KIND_NAMES = {
    "elder_circle": _l("Elder circle"),
    "focus_group": _l("Focus group"),
    "community_meeting": _l("Community meeting"),
}
CONSENT_NAMES = {"oral": _l("Oral"), "written": _l("Written")}
ATTRIBUTION_NAMES = {
    ATTRIBUTION_NAMED: _l("Quotes may be used with the speaker’s name"),
    "anonymous": _l("Quotes may be used without names"),
    ATTRIBUTION_NO_QUOTE: _l("Do not quote: notes are for analysis only"),
}
FEEDBACK_KIND_NAMES = {"note": _l("Note"), "quote": _l("Quote")}
SENTIMENT_NAMES = {
    "negative": _l("negative"),
    "neutral": _l("neutral"),
    "positive": _l("positive"),
}


# --- Shared helpers -------------------------------------------------------------------


def sentiment_cutoffs() -> SentimentCutoffs:
    """Return the sentiment cut-offs this instance is configured with."""
    return SentimentCutoffs(
        negative_below=current_app.config["SENTIMENT_NEGATIVE_BELOW"],
        positive_above=current_app.config["SENTIMENT_POSITIVE_ABOVE"],
    )


def error_text(error: Any) -> str:
    """Translate an ``N_`` message carried by an error (``message`` and ``params``)."""
    return _(error.message, **error.params)


def is_staff() -> bool:
    """Return whether the signed-in user sees everyone's entries."""
    return current_user.is_authenticated and current_user.has_role(ROLE_ADMIN, ROLE_STAFF)


class SurveyTexts:
    """A survey's content resolved for one reader's language."""

    def __init__(self, survey: Survey, texts: dict, language: str) -> None:
        self.survey = survey
        self.texts = texts
        self.language = language

    def text(self, key: str) -> ResolvedText:
        """Return the text under ``key`` in the reader's language, or its fallback."""
        return resolve_text(self.texts.get(key, {}), self.language, self.survey.default_language)

    def title(self) -> ResolvedText:
        """Return the survey's title (its slug when it has none)."""
        title = self.text("title")
        return title if title.text else ResolvedText(self.survey.slug, self.language, True)

    def label(self, question: Any) -> ResolvedText:
        """Return a question's label."""
        return self.text(label_key(question.name))

    def hint(self, question: Any) -> ResolvedText:
        """Return a question's hint (empty text when it has none)."""
        return self.text(hint_key(question.name))

    def option(self, question: Any, name: str) -> ResolvedText:
        """Return an option's label."""
        return option_label(question, name, self.texts, self.language, self.survey.default_language)


def survey_texts(survey: Survey, language: str) -> SurveyTexts:
    """Load a survey's texts for ``language`` (one query)."""
    return SurveyTexts(survey, load_texts(db.get_session(), survey.id), language)


def find_survey(slug: str, *, for_entry: bool = False) -> Survey:
    """Return the survey, or 404; drafts are shown to staff only and never take entries."""
    survey = survey_by_slug(db.get_session(), slug)
    if survey is None:
        abort(404)
    if survey.status == SURVEY_DRAFT and (for_entry or not is_staff()):
        abort(404)
    return survey


def answerable(numbering: Sequence[NumberedQuestion]) -> list[NumberedQuestion]:
    """Return the numbered questions (notes and sections left out)."""
    return [item for item in numbering if item.number is not None]


def user_names(user_ids: set[int | None]) -> dict[int, str]:
    """Return the display names of users by id."""
    ids = {user_id for user_id in user_ids if user_id is not None}
    if not ids:
        return {}
    users = db.get_session().exec(select(User).where(User.id.in_(ids))).all()
    return {user.id: user.name or user.email for user in users}


AUDIT_FIELD_NAMES = {
    "channel": _l("How it was collected"),
    "language": _l("Language of the form"),
    "collected_on": _l("Date collected"),
    "place": _l("Place or community"),
    "paper_id": _l("Paper form ID"),
    "status": _l("Review"),
    "review_note": _l("Review note"),
    "kind": _l("Kind of session"),
    "facilitator": _l("Facilitator"),
    "held_on": _l("Date held"),
    "languages": _l("Languages spoken"),
    "participants": _l("Participants"),
    "consent": _l("Consent"),
    "attribution": _l("Quotes"),
    "demographics": _l("Who took part"),
    "tallies": _l("Show of hands"),
    "feedback": _l("Notes and quotes"),
}


@dataclass(frozen=True)
class HistoryRow:
    """One changed value in an entity's history, ready to show."""

    at: str
    who: str
    what: str
    before: str
    after: str


def format_audit_value(value: Any) -> str:
    """Spell a stored audit value for people: lists joined, counts as "group: n"."""
    if value is None or value == [] or value == {} or value == "":
        return "—"
    if isinstance(value, dict):
        return "; ".join(
            f"{key or _('unknown')}: {format_audit_value(item)}" for key, item in value.items()
        )
    if isinstance(value, list):
        return " | ".join(format_audit_value(item) for item in value)
    return str(value)


def history(entity: str, entity_id: str, numbering: Sequence[NumberedQuestion]) -> list[HistoryRow]:
    """Return an entity's corrections and reviews, oldest first, one row per changed value."""
    events = (
        db.get_session()
        .exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(AuditEvent.at, AuditEvent.id)
        )
        .all()
    )
    names = user_names({event.user_id for event in events})
    numbers = {item.name: item.number for item in numbering}
    rows = []
    for event in events:
        at = event.at.strftime("%Y-%m-%d %H:%M")
        who = names.get(event.user_id, "")
        for key in dict.fromkeys([*event.old, *event.new]):
            if key != "answers":
                what = str(AUDIT_FIELD_NAMES.get(key, key))
                before, after = event.old.get(key), event.new.get(key)
                rows.append(
                    HistoryRow(at, who, what, format_audit_value(before), format_audit_value(after))
                )
                continue
            old_answers, new_answers = event.old.get(key, {}), event.new.get(key, {})
            for name in dict.fromkeys([*old_answers, *new_answers]):
                what = _("Question %(number)s (%(name)s)", number=numbers.get(name, "?"), name=name)
                rows.append(
                    HistoryRow(
                        at,
                        who,
                        what,
                        format_audit_value(old_answers.get(name)),
                        format_audit_value(new_answers.get(name)),
                    )
                )
    return rows


def parse_day(text: str, errors: dict[str, list[str]], key: str, *, required: bool) -> date | None:
    """Parse an ISO date typed in a form; record an error and return None if it is wrong."""
    value = text.strip()
    if not value:
        if required:
            errors[key].append(_("Enter the date."))
        return None
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        errors[key].append(_("Enter a date as year-month-day, for example 2025-06-30."))
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        errors[key].append(_("Enter a date as year-month-day, for example 2025-06-30."))
        return None
    if day > today():
        errors[key].append(_("The date cannot be in the future."))
        return None
    return day


@bp.app_template_filter("lang_attrs")
def lang_attrs(resolved: ResolvedText, language: str) -> str:
    """Return ``lang``/``dir`` attributes when a text is not in the surrounding language."""
    if not resolved.text or normalize_tag(resolved.language) == normalize_tag(language):
        return Markup("")
    return Markup(f' lang="{escape(resolved.language)}" dir="{text_direction(resolved.language)}"')


@bp.context_processor
def intake_names():
    """Give the intake templates the translated names of channels, kinds and states."""
    return {
        "channel_names": CHANNEL_NAMES,
        "status_names": STATUS_NAMES,
        "session_kind_names": SESSION_KIND_NAMES,
        "consent_names": CONSENT_NAMES,
        "attribution_names": ATTRIBUTION_NAMES,
        "feedback_kind_names": FEEDBACK_KIND_NAMES,
        "sentiment_names": SENTIMENT_NAMES,
        "language_name": display_name,
        "is_staff": is_staff(),
    }


# --- Start page and paper forms -------------------------------------------------------


@bp.get("/")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def index():
    """List the surveys a broker can key in, print or hold sessions for."""
    session = db.get_session()
    statuses = [SURVEY_OPEN, SURVEY_CLOSED] + ([SURVEY_DRAFT] if is_staff() else [])
    surveys = session.exec(
        select(Survey).where(Survey.status.in_(statuses)).order_by(Survey.created_at.desc())
    ).all()
    mine = dict(
        session.exec(
            select(Response.survey_id, func.count())
            .where(Response.entered_by_id == current_user.id)
            .group_by(Response.survey_id)
        ).all()
    )
    language = interface_language()
    rows = [
        (survey, survey_texts(survey, language).title(), mine.get(survey.id, 0))
        for survey in surveys
    ]
    return render_template("intake/index.html", rows=rows)


@bp.get("/<slug>/paper/<language>")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def paper_form(slug: str, language: str):
    """Show the printable paper form of a survey in one of its languages."""
    survey = find_survey(slug)
    if not is_valid_tag(language) or normalize_tag(language) not in {
        normalize_tag(tag) for tag in survey.languages
    }:
        abort(404)
    language = normalize_tag(language)
    size = "a4" if request.args.get("size") == "a4" else "letter"
    texts = survey_texts(survey, language)
    numbering = paper_numbering(survey.questions)
    g.page_language = language
    # Instructions print in the form's language when the interface has it.
    ui_language = interface_language(language)
    with force_locale(babel_locale_id(ui_language)):
        return render_template(
            "intake/paper.html",
            survey=survey,
            t=texts,
            numbering=numbering,
            notes={item.name: condition_note(item, numbering) for item in numbering},
            by_number={item.number: item for item in numbering if item.number},
            language=language,
            ui=instruction_attrs(ui_language, language),
            size=size,
        )


def instruction_attrs(ui_language: str, language: str) -> Markup:
    """Return ``lang``/``dir`` for printed instructions not in the form's own language."""
    if normalize_tag(ui_language) == normalize_tag(language):
        return Markup("")
    return Markup(f' lang="{escape(ui_language)}" dir="{text_direction(ui_language)}"')


# --- Keyed-in entries -----------------------------------------------------------------


@dataclass
class EntryState:
    """What an entry form shows: metadata, answers as typed, codes, and errors by field."""

    meta: dict[str, str]
    raw: dict[str, list[str]]
    codes: dict[str, str]
    key: str
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def values(self, name: str) -> list[str]:
        """Return the values ticked or typed for a question."""
        return self.raw.get(name, [])

    def value(self, name: str) -> str:
        """Return the single value typed for an open question."""
        values = self.raw.get(name, [])
        return values[0] if values else ""

    def checked_codes(self, item: NumberedQuestion) -> set[str]:
        """Return the codes of the options to show ticked."""
        return {item.code_for(value) for value in self.raw.get(item.name, [])} - {None}


def new_entry_key() -> str:
    """Return a fresh idempotency key for one entry form."""
    return f"entry-{uuid.uuid4().hex}"


def batch_defaults(survey: Survey) -> dict[str, str]:
    """Return the channel, language, date and place the broker used last for this survey."""
    remembered = browser_session.get("intake_batch", {}).get(survey.slug, {})
    return {
        "channel": remembered.get("channel", CHANNEL_PAPER),
        "language": remembered.get("language", survey.default_language),
        "collected_on": remembered.get("collected_on", today().isoformat()),
        "place": remembered.get("place", ""),
        "paper_id": "",
    }


def remember_batch(survey: Survey, entry: EntryInput) -> None:
    """Keep the batch details so the next form starts with them."""
    batches = dict(browser_session.get("intake_batch", {}))
    batches[survey.slug] = {
        "channel": entry.channel,
        "language": entry.language,
        "collected_on": entry.collected_on.isoformat(),
        "place": entry.place or "",
    }
    browser_session["intake_batch"] = batches


def state_from_form(numbering: Sequence[NumberedQuestion], form: Mapping) -> EntryState:
    """Return the form as typed, so that a form with an error keeps everything."""
    meta = {
        key: form.get(key, "").strip()
        for key in ("channel", "language", "collected_on", "place", "paper_id")
    }
    raw: dict[str, list[str]] = {}
    codes: dict[str, str] = {}
    for item in answerable(numbering):
        raw[item.name] = [value for value in form.getlist(item.name) if value.strip()]
        if item.has_codes:
            codes[item.name] = form.get(f"code:{item.name}", "").strip()
    key = form.get("entry_key", "")
    if not re.fullmatch(r"entry-[0-9a-f]{32}", key):
        key = new_entry_key()
    return EntryState(meta, raw, codes, key)


def state_from_response(numbering: Sequence[NumberedQuestion], response: Response) -> EntryState:
    """Return a stored entry as the form shows it, for correction."""
    raw = stored_answers(db.get_session(), response)
    codes = {
        item.name: codes_for_values(item, raw.get(item.name, []))
        for item in answerable(numbering)
        if item.has_codes
    }
    meta = {
        "channel": response.channel,
        "language": response.language,
        "collected_on": response.collected_at.date().isoformat(),
        "place": response.place or "",
        "paper_id": response.paper_id or "",
    }
    return EntryState(meta, raw, codes, response.idempotency_key)


def read_entry(
    survey: Survey,
    numbering: Sequence[NumberedQuestion],
    state: EntryState,
    *,
    current: Response | None = None,
) -> EntryInput | None:
    """Validate an entry form; fill ``state.errors`` and return None when it has errors."""
    errors = state.errors
    meta = state.meta
    if meta["channel"] not in ENTRY_CHANNELS:
        errors["channel"].append(_("Choose how the answers were collected."))
    languages = {normalize_tag(tag): tag for tag in survey.languages}
    language = languages.get(normalize_tag(meta["language"])) if meta["language"] else None
    if language is None:
        errors["language"].append(_("Choose the language of the form."))
    collected_on = parse_day(meta["collected_on"], errors, "collected_on", required=True)
    if len(meta["place"]) > 200:
        errors["place"].append(_("Write 200 characters at most."))
    paper_id = normalize_paper_id(meta["paper_id"])
    if paper_id and len(paper_id) > 100:
        errors["paper_id"].append(_("Write 100 characters at most."))
    elif paper_id is None and meta["channel"] == CHANNEL_PAPER:
        errors["paper_id"].append(_("Enter the ID written on the paper form."))
    elif paper_id:
        earlier = paper_id_holder(survey, paper_id, exclude=current)
        if earlier is not None:
            errors["paper_id"].append(duplicate_paper_message(paper_id, earlier))

    raw = dict(state.raw)
    for item in answerable(numbering):
        typed = state.codes.get(item.name, "")
        if item.has_codes and typed:
            try:
                raw[item.name] = values_from_codes(item, typed)
            except AnswerError as error:
                errors[item.name].append(error_text(error))
    validated = validate_submission(survey.questions, raw)
    for problem in validated.errors:
        if problem.question not in errors:
            errors[problem.question].append(_(problem.message, **problem.params))
    if errors:
        # Show the ticks the codes stand for, so what is kept matches what was typed.
        state.raw = raw
        return None
    return EntryInput(
        channel=meta["channel"],
        language=language,
        collected_on=collected_on,
        place=meta["place"] or None,
        paper_id=paper_id,
        answers=validated.answers,
    )


def paper_id_holder(
    survey: Survey, paper_id: str, exclude: Response | None = None
) -> Response | None:
    """Return the response that already has this paper form ID in the survey, if any."""
    query = select(Response).where(Response.survey_id == survey.id, Response.paper_id == paper_id)
    if exclude is not None:
        query = query.where(Response.id != exclude.id)
    return db.get_session().exec(query).first()


def duplicate_paper_message(paper_id: str, earlier: Response) -> str:
    """Say which earlier entry already has this paper form ID."""
    names = user_names({earlier.entered_by_id})
    return _(
        "Paper form %(paper_id)s was already entered as entry %(entry)s on %(date)s by "
        "%(name)s. Check the ID on the paper, or correct the earlier entry.",
        paper_id=paper_id,
        entry=earlier.public_id,
        date=earlier.submitted_at.date().isoformat(),
        name=names.get(earlier.entered_by_id) or _("an import"),
    )


def entry_error_labels(numbering: Sequence[NumberedQuestion]) -> dict[str, tuple[str, str]]:
    """Return, per error key, the id of the field to jump to and the name to show."""
    labels = {
        "channel": ("channel", _("How it was collected")),
        "language": ("language", _("Language of the form")),
        "collected_on": ("collected_on", _("Date collected")),
        "place": ("place", _("Place or community")),
        "paper_id": ("paper_id", _("Paper form ID")),
    }
    for item in answerable(numbering):
        field_id = ("code-" if item.has_codes else "q-") + item.name
        labels[item.name] = (field_id, _("Question %(number)s", number=item.number))
    return labels


def render_entry(
    survey: Survey, numbering, state: EntryState, *, response: Response | None = None, **extra
):
    """Render the entry screen (new entry or correction)."""
    texts = survey_texts(survey, interface_language())
    places = (
        db.get_session()
        .exec(
            select(Response.place)
            .where(Response.survey_id == survey.id, Response.place.is_not(None))
            .distinct()
            .limit(200)
        )
        .all()
    )
    status = 400 if state.errors else 200
    return render_template(
        "intake/entry.html",
        error_labels=entry_error_labels(numbering),
        today=today().isoformat(),
        survey=survey,
        t=texts,
        numbering=numbering,
        notes={item.name: condition_note(item, numbering) for item in numbering},
        by_number={item.number: item for item in numbering if item.number},
        state=state,
        response=response,
        places=sorted(place for place in places if place),
        channels=ENTRY_CHANNELS,
        **extra,
    ), status


@bp.route("/<slug>/enter", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def new_entry(slug: str):
    """Key in one paper form or interview; "save and next form" opens a blank one."""
    survey = find_survey(slug, for_entry=True)
    numbering = paper_numbering(survey.questions)
    session = db.get_session()
    mine = session.exec(
        select(func.count())
        .select_from(Response)
        .where(Response.survey_id == survey.id, Response.entered_by_id == current_user.id)
    ).one()
    if request.method == "GET":
        state = EntryState(batch_defaults(survey), {}, {}, new_entry_key())
        return render_entry(survey, numbering, state, entered_count=mine)
    state = state_from_form(numbering, request.form)
    already = session.exec(
        select(Response).where(
            Response.survey_id == survey.id, Response.idempotency_key == state.key
        )
    ).first()
    if already is not None:
        flash(_("That form was already saved."))
        return redirect(url_for("intake.new_entry", slug=slug))
    entry = read_entry(survey, numbering, state)
    if entry is None:
        return render_entry(survey, numbering, state, entered_count=mine)
    try:
        response, _created = record_response(
            session,
            survey,
            entry.answers,
            Provenance(
                channel=entry.channel,
                language=entry.language,
                idempotency_key=state.key,
                entered_by_id=current_user.id,
                collected_at=collected_at_from_date(entry.collected_on),
                paper_id=entry.paper_id,
                place=entry.place,
            ),
            cutoffs=sentiment_cutoffs(),
        )
    except IntegrityError:
        # Someone saved the same paper form ID a moment ago: show it as a duplicate.
        session.rollback()
        state.errors.clear()
        if read_entry(survey, numbering, state) is None:
            return render_entry(survey, numbering, state, entered_count=mine)
        raise
    remember_batch(survey, entry)
    if entry.paper_id:
        flash(_("Saved paper form %(paper_id)s.", paper_id=entry.paper_id))
    else:
        flash(_("Saved entry %(entry)s.", entry=response.public_id))
    if request.form.get("action") == "save_view":
        return redirect(url_for("intake.entry", slug=slug, public_id=response.public_id))
    return redirect(url_for("intake.new_entry", slug=slug))


def visible_entries(survey: Survey):
    """Return the query of entries the signed-in user may see (brokers: their own)."""
    query = select(Response).where(Response.survey_id == survey.id, Response.channel != CHANNEL_WEB)
    if not is_staff():
        query = query.where(Response.entered_by_id == current_user.id)
    return query


def find_entry(survey: Survey, public_id: str) -> Response:
    """Return an entry the signed-in user may see, or 404 (another broker's entry too)."""
    response = (
        db.get_session()
        .exec(visible_entries(survey).where(Response.public_id == public_id))
        .first()
    )
    if response is None:
        abort(404)
    return response


@bp.get("/<slug>/entries")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def entries(slug: str):
    """List entries: a broker's own, or everyone's for staff, newest first."""
    survey = find_survey(slug)
    status = request.args.get("status", "")
    query = visible_entries(survey)
    if status in RESPONSE_STATUSES:
        query = query.where(Response.status == status)
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    session = db.get_session()
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    rows = session.exec(
        query.order_by(Response.submitted_at.desc(), Response.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    return render_template(
        "intake/entries.html",
        survey=survey,
        title=survey_texts(survey, interface_language()).title(),
        rows=rows,
        names=user_names({row.entered_by_id for row in rows}),
        status=status,
        statuses=RESPONSE_STATUSES,
        page=page,
        pages=max((total + PAGE_SIZE - 1) // PAGE_SIZE, 1),
        total=total,
    )


@bp.route("/<slug>/entries/<public_id>", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def entry(slug: str, public_id: str):
    """Show one entry for correction; saving keeps the old and new values in the audit trail."""
    survey = find_survey(slug)
    response = find_entry(survey, public_id)
    numbering = paper_numbering(survey.questions)
    extra = {
        "trail": history("response", response.public_id, numbering),
        "entered_by": user_names({response.entered_by_id}).get(response.entered_by_id, ""),
        "reviewed_by": user_names({response.reviewed_by_id}).get(response.reviewed_by_id, ""),
        "review_errors": {},
    }
    if request.method == "GET":
        return render_entry(
            survey, numbering, state_from_response(numbering, response), response=response, **extra
        )
    state = state_from_form(numbering, request.form)
    state.key = response.idempotency_key
    entry_input = read_entry(survey, numbering, state, current=response)
    if entry_input is None:
        return render_entry(survey, numbering, state, response=response, **extra)
    session = db.get_session()
    old, new = apply_correction(
        session,
        survey,
        response,
        entry_input,
        user_id=current_user.id,
        by_staff=is_staff(),
        cutoffs=sentiment_cutoffs(),
    )
    if not new and not old:
        flash(_("Nothing was changed."))
        return redirect(url_for("intake.entry", slug=slug, public_id=public_id))
    try:
        session.commit()
    except IntegrityError:
        session.rollback()
        abort(409)
    flash(_("The correction is saved. The earlier values are kept in the history below."))
    return redirect(url_for("intake.entry", slug=slug, public_id=public_id))


@bp.post("/<slug>/entries/<public_id>/review")
@role_required(ROLE_ADMIN, ROLE_STAFF)
def review_entry(slug: str, public_id: str):
    """Mark an entry verified, or flag it with a reason (staff only)."""
    survey = find_survey(slug)
    response = find_entry(survey, public_id)
    decision = request.form.get("decision", "")
    note = request.form.get("review_note", "").strip()
    review_errors: dict[str, str] = {}
    if decision not in (RESPONSE_VERIFIED, RESPONSE_FLAGGED):
        review_errors["decision"] = _("Choose verified or flagged.")
    elif decision == RESPONSE_FLAGGED and not note:
        review_errors["review_note"] = _("Say why the entry is flagged.")
    if len(note) > 2000:
        review_errors["review_note"] = _("Write 2000 characters at most.")
    if review_errors:
        numbering = paper_numbering(survey.questions)
        return render_entry(
            survey,
            numbering,
            state_from_response(numbering, response),
            response=response,
            trail=history("response", response.public_id, numbering),
            entered_by=user_names({response.entered_by_id}).get(response.entered_by_id, ""),
            reviewed_by=user_names({response.reviewed_by_id}).get(response.reviewed_by_id, ""),
            review_errors=review_errors,
            review_values={"decision": decision, "review_note": note},
        )[0], 400
    session = db.get_session()
    record_review(session, survey, response, decision, note, user_id=current_user.id)
    session.commit()
    flash(
        _(
            "Entry %(entry)s is now %(status)s.",
            entry=response.public_id,
            status=STATUS_NAMES[decision],
        )
    )
    return redirect(url_for("intake.entry", slug=slug, public_id=public_id))


# --- Group sessions -------------------------------------------------------------------


def dimension_items(numbering: Sequence[NumberedQuestion]) -> list[NumberedQuestion]:
    """Return the closed equity-dimension questions (aggregate demographics)."""
    return [item for item in answerable(numbering) if item.has_codes and item.question.dimension]


def tally_items(numbering: Sequence[NumberedQuestion]) -> list[NumberedQuestion]:
    """Return the closed questions a session can answer by a show of hands."""
    return [
        item for item in answerable(numbering) if item.has_codes and not item.question.dimension
    ]


def group_options(item: NumberedQuestion):
    """Return a question's options for head counts ("prefer not" is "unknown" or "did not say")."""
    return [option for option in item.options if option.name != PREFER_NOT_TO_ANSWER]


@dataclass
class SessionState:
    """What the group session form shows, as typed, with errors by field."""

    values: dict[str, str]
    languages: list[str]
    counts: dict[str, str]
    feedback: list[dict[str, str]]
    errors: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


SESSION_FIELDS = (
    "kind",
    "facilitator",
    "held_on",
    "place",
    "participants",
    "consent",
    "attribution",
    "other_languages",
)
FEEDBACK_FIELDS = ("id", "kind", "text", "question", "theme", "language", "speaker")


def blank_feedback(language: str) -> dict[str, str]:
    """Return an empty feedback row."""
    return {
        "id": "",
        "kind": "note",
        "text": "",
        "question": "",
        "theme": "",
        "language": language,
        "speaker": "",
    }


def session_state_from_form(form: Mapping, survey: Survey) -> SessionState:
    """Return the session form as typed."""
    values = {key: form.get(key, "").strip() for key in SESSION_FIELDS}
    counts = {
        key: value.strip() for key, value in form.items() if key.startswith(("demo:", "tally:"))
    }
    try:
        rows = min(max(int(form.get("feedback_rows", NEW_FEEDBACK_ROWS)), 0), MAX_FEEDBACK_ROWS)
    except ValueError:
        rows = NEW_FEEDBACK_ROWS
    feedback = [
        {name: form.get(f"fb:{index}:{name}", "") for name in FEEDBACK_FIELDS}
        for index in range(rows)
    ]
    return SessionState(values, form.getlist("languages"), counts, feedback)


def session_state_from_row(group: GroupSession, survey: Survey, numbering) -> SessionState:
    """Return a stored session as its form shows it, for correction."""
    session = db.get_session()
    values = {
        "kind": group.kind,
        "facilitator": group.facilitator,
        "held_on": group.held_on.isoformat(),
        "place": group.place,
        "participants": str(group.participants),
        "consent": group.consent,
        "attribution": group.attribution,
    }
    known = {normalize_tag(tag) for tag in survey.languages}
    languages = [tag for tag in group.languages if normalize_tag(tag) in known]
    values["other_languages"] = " ".join(
        tag for tag in group.languages if normalize_tag(tag) not in known
    )
    items = {item.question.id: item for item in answerable(numbering)}
    counts: dict[str, str] = {}
    for prefix, model in (("demo", GroupDemographic), ("tally", GroupTally)):
        for row in session.exec(select(model).where(model.session_id == group.id)):
            item = items.get(row.question_id)
            if item is None:
                continue
            code = item.code_for(row.choice) if row.choice is not None else None
            suffix = code if row.choice is not None else ("unknown" if prefix == "demo" else "none")
            if suffix:
                counts[f"{prefix}:{item.name}:{suffix}"] = str(row.count)
    names = {item.question.id: item.name for item in answerable(numbering)}
    feedback = [
        {
            "id": str(row.id),
            "kind": row.kind,
            "text": row.text,
            "question": names.get(row.question_id, ""),
            "theme": row.theme or "",
            "language": row.language,
            "speaker": row.speaker or "",
        }
        for row in session.exec(
            select(GroupFeedback)
            .where(GroupFeedback.session_id == group.id)
            .order_by(GroupFeedback.id)
        )
    ]
    feedback += [blank_feedback(survey.default_language) for _ in range(2)]
    return SessionState(values, languages, counts, feedback)


def read_counts(
    state: SessionState,
    items: Sequence[NumberedQuestion],
    prefix: str,
    blank_suffix: str,
    participants: int | None,
) -> dict[str, dict[str | None, int]]:
    """Read the head counts of one block (demographics or tallies), checking them."""
    result: dict[str, dict[str | None, int]] = {}
    for item in items:
        counts: dict[str | None, int] = {}
        error_key = f"{prefix}:{item.name}"
        keys = [(option.code, option.name) for option in group_options(item)]
        keys.append((blank_suffix, None))
        for code, name in keys:
            try:
                count = parse_count(state.counts.get(f"{prefix}:{item.name}:{code}", ""))
            except AnswerError as error:
                state.errors[error_key].append(error_text(error))
                break
            if count is not None:
                counts[name] = count
        else:
            if not counts or participants is None:
                continue
            try:
                if prefix == "tally":
                    result[item.name] = complete_tally(participants, counts, item.multiple)
                else:
                    check_counts(participants, counts, item.multiple)
                    result[item.name] = counts
            except AnswerError as error:
                state.errors[error_key].append(error_text(error))
    return result


def read_session(survey: Survey, numbering, state: SessionState) -> SessionInput | None:
    """Validate the group session form; fill ``state.errors`` and return None on errors."""
    values, errors = state.values, state.errors
    if values["kind"] not in SESSION_KINDS:
        errors["kind"].append(_("Choose the kind of session."))
    if not values["facilitator"]:
        errors["facilitator"].append(_("Enter who facilitated the session."))
    elif len(values["facilitator"]) > 200:
        errors["facilitator"].append(_("Write 200 characters at most."))
    held_on = parse_day(values["held_on"], errors, "held_on", required=True)
    if not values["place"]:
        errors["place"].append(_("Enter where the session was held."))
    elif len(values["place"]) > 200:
        errors["place"].append(_("Write 200 characters at most."))
    survey_languages = {normalize_tag(tag): tag for tag in survey.languages}
    languages = [
        survey_languages[normalize_tag(tag)]
        for tag in state.languages
        if normalize_tag(tag) in survey_languages
    ]
    for tag in re.split(r"[\s,;]+", values["other_languages"]):
        if not tag:
            continue
        if not is_valid_tag(tag):
            errors["other_languages"].append(
                _("“%(tag)s” is not a language code; use codes like oj, cr or ta.", tag=tag)
            )
        elif normalize_tag(tag) not in {normalize_tag(t) for t in languages}:
            languages.append(normalize_tag(tag))
    if not languages and not errors["other_languages"]:
        errors["languages"].append(_("Choose at least one language spoken."))
    participants = None
    try:
        participants = parse_count(values["participants"])
    except AnswerError:
        participants = None
    if participants is None or participants < 1:
        errors["participants"].append(_("Enter how many people took part (1 or more)."))
        participants = None
    elif participants > MAX_PARTICIPANTS:
        errors["participants"].append(_("Enter %(max)s people at most.", max=MAX_PARTICIPANTS))
        participants = None
    if values["consent"] not in CONSENT_KINDS:
        errors["consent"].append(_("Choose how participants gave consent."))
    if values["attribution"] not in ATTRIBUTIONS:
        errors["attribution"].append(_("Choose how quotes may be used."))
    demographics = read_counts(state, dimension_items(numbering), "demo", "unknown", participants)
    tallies = read_counts(state, tally_items(numbering), "tally", "none", participants)
    feedback = read_feedback(survey, numbering, state, languages)
    if errors:
        return None
    return SessionInput(
        kind=values["kind"],
        facilitator=values["facilitator"],
        held_on=held_on,
        place=values["place"],
        languages=languages,
        participants=participants,
        consent=values["consent"],
        attribution=values["attribution"],
        demographics=demographics,
        tallies=tallies,
        feedback=feedback,
    )


def read_feedback(
    survey: Survey, numbering, state: SessionState, languages: list[str]
) -> list[FeedbackInput]:
    """Validate the feedback rows; blank rows are skipped (or deleted when stored)."""
    errors = state.errors
    question_names = {item.name for item in answerable(numbering)}
    allowed_languages = {normalize_tag(tag) for tag in [*survey.languages, *languages]}
    rows = []
    for index, row in enumerate(state.feedback):
        key = f"fb:{index}"
        text = row["text"].replace("\r\n", "\n").strip()
        if not text:
            if row["theme"].strip() or row["speaker"].strip() or row["question"]:
                errors[key].append(_("Write the note or quote, or clear this row."))
            rows.append(FeedbackInput(id=row["id"], delete=True))
            continue
        if len(text) > MAX_FEEDBACK_LENGTH:
            errors[key].append(
                _(
                    "Write %(max)s characters at most (you wrote %(count)s).",
                    max=MAX_FEEDBACK_LENGTH,
                    count=len(text),
                )
            )
        if row["kind"] not in FEEDBACK_KINDS:
            errors[key].append(_("Choose note or quote."))
        if row["question"] and row["question"] not in question_names:
            errors[key].append(_("Choose a question of this survey."))
        language = (
            normalize_tag(row["language"])
            if row["language"] and is_valid_tag(row["language"])
            else ""
        )
        if language not in allowed_languages:
            errors[key].append(_("Choose the language the words were spoken in."))
        speaker = row["speaker"].strip()
        if speaker and state.values["attribution"] != ATTRIBUTION_NAMED:
            errors[key].append(
                _("Leave the name out: participants did not agree to be quoted by name.")
            )
        if len(speaker) > 200 or len(row["theme"].strip()) > 200:
            errors[key].append(_("Write 200 characters at most."))
        rows.append(
            FeedbackInput(
                id=row["id"],
                kind=row["kind"],
                text=text,
                question=row["question"] or None,
                theme=row["theme"].strip() or None,
                language=language,
                speaker=speaker or None,
            )
        )
    return rows


def visible_sessions(survey: Survey):
    """Return the query of group sessions the signed-in user may see."""
    query = select(GroupSession).where(GroupSession.survey_id == survey.id)
    if not is_staff():
        query = query.where(GroupSession.entered_by_id == current_user.id)
    return query


def find_session(survey: Survey, public_id: str) -> GroupSession:
    """Return a session the signed-in user may see, or 404."""
    group = (
        db.get_session()
        .exec(visible_sessions(survey).where(GroupSession.public_id == public_id))
        .first()
    )
    if group is None:
        abort(404)
    return group


def session_error_labels(numbering, feedback_rows: int) -> dict[str, tuple[str, str]]:
    """Return, per error key of the session form, the field to jump to and its name."""
    labels = {
        "kind": ("kind", _("Kind of session")),
        "facilitator": ("facilitator", _("Facilitator")),
        "held_on": ("held_on", _("Date held")),
        "place": ("place", _("Place or community")),
        "languages": ("lang-0", _("Languages spoken")),
        "other_languages": ("other_languages", _("Other languages")),
        "participants": ("participants", _("Number of participants")),
        "consent": (f"consent-{CONSENT_KINDS[0]}", _("Consent")),
        "attribution": (f"attribution-{ATTRIBUTIONS[0]}", _("Quotes")),
    }
    for prefix, items in (("demo", dimension_items(numbering)), ("tally", tally_items(numbering))):
        for item in items:
            labels[f"{prefix}:{item.name}"] = (
                f"{prefix}-{item.name}-0",
                _("Question %(number)s", number=item.number),
            )
    for index in range(feedback_rows):
        labels[f"fb:{index}"] = (
            f"fb-{index}-text",
            _("Note or quote %(number)s", number=index + 1),
        )
    return labels


def render_session_form(
    survey: Survey, numbering, state: SessionState, group: GroupSession | None = None
):
    """Render the group session form."""
    return render_template(
        "intake/session_form.html",
        error_labels=session_error_labels(numbering, len(state.feedback)),
        today=today().isoformat(),
        survey=survey,
        t=survey_texts(survey, interface_language()),
        numbering=numbering,
        dimensions=dimension_items(numbering),
        tallies=tally_items(numbering),
        group_options=group_options,
        questions=answerable(numbering),
        state=state,
        group=group,
        session_kinds=SESSION_KINDS,
        consent_kinds=CONSENT_KINDS,
        attributions=ATTRIBUTIONS,
        feedback_kinds=FEEDBACK_KINDS,
    ), 400 if state.errors else 200


@bp.get("/<slug>/sessions")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def sessions(slug: str):
    """List group sessions: a broker's own, or every session for staff."""
    survey = find_survey(slug)
    rows = (
        db.get_session()
        .exec(
            visible_sessions(survey).order_by(GroupSession.held_on.desc(), GroupSession.id.desc())
        )
        .all()
    )
    return render_template(
        "intake/sessions.html",
        survey=survey,
        title=survey_texts(survey, interface_language()).title(),
        rows=rows,
    )


@bp.route("/<slug>/sessions/new", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def new_session(slug: str):
    """Record an elder circle, focus group or community meeting."""
    survey = find_survey(slug, for_entry=True)
    numbering = paper_numbering(survey.questions)
    if request.method == "GET":
        state = SessionState(
            {key: "" for key in SESSION_FIELDS}
            | {"facilitator": current_user.name or "", "held_on": today().isoformat()},
            [survey.default_language],
            {},
            [blank_feedback(survey.default_language) for _ in range(NEW_FEEDBACK_ROWS)],
        )
        return render_session_form(survey, numbering, state)
    state = session_state_from_form(request.form, survey)
    if request.form.get("action") == "more_rows":
        state.feedback += [
            blank_feedback(survey.default_language) for _ in range(NEW_FEEDBACK_ROWS)
        ]
        return render_session_form(survey, numbering, state)
    data = read_session(survey, numbering, state)
    if data is None:
        return render_session_form(survey, numbering, state)
    session = db.get_session()
    group = add_session(
        session, survey, data, entered_by_id=current_user.id, cutoffs=sentiment_cutoffs()
    )
    session.commit()
    flash(_("The session is saved."))
    return redirect(url_for("intake.session_detail", slug=slug, public_id=group.public_id))


@bp.route("/<slug>/sessions/<public_id>/edit", methods=["GET", "POST"])
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def edit_session(slug: str, public_id: str):
    """Correct a group session; the old and new values go to the audit trail."""
    survey = find_survey(slug)
    group = find_session(survey, public_id)
    numbering = paper_numbering(survey.questions)
    if request.method == "GET":
        return render_session_form(
            survey, numbering, session_state_from_row(group, survey, numbering), group
        )
    state = session_state_from_form(request.form, survey)
    if request.form.get("action") == "more_rows":
        state.feedback += [
            blank_feedback(survey.default_language) for _ in range(NEW_FEEDBACK_ROWS)
        ]
        return render_session_form(survey, numbering, state, group)
    data = read_session(survey, numbering, state)
    if data is None:
        return render_session_form(survey, numbering, state, group)
    stored_ids = {
        str(row.id)
        for row in db.get_session().exec(
            select(GroupFeedback).where(GroupFeedback.session_id == group.id)
        )
    }
    if any(item.id and item.id not in stored_ids for item in data.feedback):
        abort(400)
    session = db.get_session()
    old, new = correct_session(
        session, survey, group, data, user_id=current_user.id, cutoffs=sentiment_cutoffs()
    )
    if not old and not new:
        session.rollback()
        flash(_("Nothing was changed."))
    else:
        session.commit()
        flash(_("The correction is saved. The earlier values are kept in the history below."))
    return redirect(url_for("intake.session_detail", slug=slug, public_id=public_id))


@bp.get("/<slug>/sessions/<public_id>")
@role_required(ROLE_ADMIN, ROLE_STAFF, ROLE_BROKER)
def session_detail(slug: str, public_id: str):
    """Show a group session: counts, tallies and feedback as recorded."""
    survey = find_survey(slug)
    group = find_session(survey, public_id)
    numbering = paper_numbering(survey.questions)
    session = db.get_session()
    items = {item.question.id: item for item in answerable(numbering)}

    def blocks(model) -> list[tuple[NumberedQuestion, dict]]:
        found: dict[int, dict] = defaultdict(dict)
        for row in session.exec(select(model).where(model.session_id == group.id)):
            found[row.question_id][row.choice] = row.count
        return [
            (items[qid], counts)
            for qid, counts in sorted(
                found.items(), key=lambda kv: items[kv[0]].number if kv[0] in items else 0
            )
            if qid in items
        ]

    feedback = session.exec(
        select(GroupFeedback).where(GroupFeedback.session_id == group.id).order_by(GroupFeedback.id)
    ).all()
    return render_template(
        "intake/session.html",
        survey=survey,
        t=survey_texts(survey, interface_language()),
        group=group,
        demographics=blocks(GroupDemographic),
        tallies=blocks(GroupTally),
        group_options=group_options,
        feedback=feedback,
        items=items,
        entered_by=user_names({group.entered_by_id}).get(group.entered_by_id, ""),
        trail=history("group_session", group.public_id, numbering),
    )


# --- CSV import -----------------------------------------------------------------------


def message_text(message: Message) -> str:
    """Translate a message of the importer, and the messages among its values."""
    params = {
        name: message_text(value) if isinstance(value, Message) else value
        for name, value in message.params.items()
    }
    return message.prefix + _(message.text, **params)


def problem_text(problem: ImportProblem) -> str:
    """Translate an import problem, naming its line when it is a row's."""
    if problem.line is None:
        return message_text(problem.message)
    return _("line %(line)s: %(problem)s", line=problem.line, problem=message_text(problem.message))


@click.command("import-responses")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--channel",
    type=click.Choice(IMPORT_CHANNELS),
    default=CHANNEL_PAPER,
    show_default=True,
    help="Channel of rows without a _channel value.",
)
@click.option(
    "--entered-by",
    "entered_by",
    default=None,
    help="Email of the account the rows are entered for (brokers then see them).",
)
@with_appcontext
def import_responses_command(slug: str, file: Path, channel: str, entered_by: str | None) -> None:
    """Import responses from a KoboToolbox or ODK CSV export: all rows, or none."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{file} is not UTF-8 text; export or save it as UTF-8 CSV."
        ) from None
    with Session(db.engine(), expire_on_commit=False) as session:
        survey = survey_by_slug(session, slug)
        if survey is None:
            raise click.ClickException(f"there is no survey {slug!r}")
        entered_by_id = None
        if entered_by:
            user = session.exec(
                select(User).where(User.email == entered_by.strip().lower())
            ).first()
            if user is None:
                raise click.ClickException(f"there is no account {entered_by!r}")
            entered_by_id = user.id
        try:
            result = import_responses(
                session,
                survey,
                text,
                channel=channel,
                entered_by_id=entered_by_id,
                cutoffs=sentiment_cutoffs(),
            )
        except RejectedImportError as rejected:
            # The command line has no request to pick a language from.
            with force_locale(babel_locale_id(current_app.config["DEFAULT_LANGUAGE"])):
                for problem in rejected.problems:
                    click.echo(problem_text(problem), err=True)
            raise click.ClickException(
                f"{file.name} was not imported: {len(rejected.problems)} problem(s). "
                "Nothing was stored."
            ) from None
    if result.ignored_columns:
        click.echo(
            "Ignored columns (not questions of this survey): " + ", ".join(result.ignored_columns)
        )
    click.echo(
        f"Imported {result.imported} responses into {slug}; "
        f"{result.already_imported} were already imported."
    )


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (import_responses_command,)
