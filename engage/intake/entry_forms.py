"""The entry form: what it shows as typed or stored, and reading it into an ``EntryInput``."""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import session as browser_session
from flask_babel import gettext as _
from flask_login import current_user
from sqlmodel import select

from engage import db
from engage.intake.shared import answerable, error_text, parse_day, user_names
from surveys.corrections import EntryInput, stored_answers
from surveys.intake import (
    NumberedQuestion,
    codes_for_values,
    normalize_paper_id,
    today,
    values_from_codes,
)
from surveys.languages import is_valid_tag, normalize_tag
from surveys.models import (
    CHANNEL_IN_PERSON,
    CHANNEL_PAPER,
    CHANNEL_PHONE,
    ROLE_ADMIN,
    ROLE_STAFF,
    Response,
    Survey,
)
from surveys.questions import AnswerError
from surveys.recording import ENTRY_CHANNELS
from surveys.responses import validate_submission

# Interviews: the person may have answered in a language the survey's forms are not in.
SPOKEN_CHANNELS = (CHANNEL_PHONE, CHANNEL_IN_PERSON)


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
        "spoken_language": remembered.get("spoken_language", ""),
        "collected_on": remembered.get("collected_on", today().isoformat()),
        "place": remembered.get("place", ""),
        "paper_id": "",
    }


def remember_batch(survey: Survey, entry: EntryInput) -> None:
    """Keep the batch details so the next form starts with them."""
    batches = dict(browser_session.get("intake_batch", {}))
    form_language, spoken = split_language(survey, entry.language)
    batches[survey.slug] = {
        "channel": entry.channel,
        "language": form_language,
        "spoken_language": spoken,
        "collected_on": entry.collected_on.isoformat(),
        "place": entry.place or "",
    }
    browser_session["intake_batch"] = batches


def state_from_form(numbering: Sequence[NumberedQuestion], form: Mapping) -> EntryState:
    """Return the form as typed, so that a form with an error keeps everything."""
    meta = {
        key: form.get(key, "").strip()
        for key in ("channel", "language", "spoken_language", "collected_on", "place", "paper_id")
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
    survey = db.get_session().get(Survey, response.survey_id)
    form_language, spoken = split_language(survey, response.language)
    meta = {
        "channel": response.channel,
        "language": form_language,
        "spoken_language": spoken,
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
    spoken = meta.get("spoken_language", "")
    if spoken and meta["channel"] not in SPOKEN_CHANNELS:
        errors["spoken_language"].append(
            _("Only an interview has a language spoken: a paper form is in its printed language.")
        )
    elif spoken and not is_valid_tag(spoken):
        errors["spoken_language"].append(
            _("“%(tag)s” is not a language code; use codes like oj, cr or ta.", tag=spoken)
        )
    elif spoken:
        language = languages.get(normalize_tag(spoken), normalize_tag(spoken))
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


def split_language(survey: Survey, language: str) -> tuple[str, str]:
    """Return a response's language as the form shows it: (form language, language spoken).

    A language the survey has is the form's; another one was spoken in an interview.
    """
    languages = {normalize_tag(tag): tag for tag in survey.languages}
    if normalize_tag(language) in languages:
        return languages[normalize_tag(language)], ""
    return survey.default_language, language


def paper_id_holder(
    survey: Survey, paper_id: str, exclude: Response | None = None
) -> Response | None:
    """Return the response that already has this paper form ID in the survey, if any."""
    query = select(Response).where(Response.survey_id == survey.id, Response.paper_id == paper_id)
    if exclude is not None:
        query = query.where(Response.id != exclude.id)
    return db.get_session().exec(query).first()


def duplicate_paper_message(paper_id: str, earlier: Response) -> str:
    """Say which earlier entry already has this paper form ID.

    Only staff, or the broker who made the earlier entry, are told which entry and who
    made it: another broker learns no one's name or email from a paper ID.
    """
    if (
        not current_user.has_role(ROLE_ADMIN, ROLE_STAFF)
        and earlier.entered_by_id != current_user.id
    ):
        return _(
            "Paper form %(paper_id)s was already entered by someone else. Check the ID on "
            "the paper, or ask staff to look at the earlier entry.",
            paper_id=paper_id,
        )
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
        "spoken_language": ("spoken_language", _("Language spoken")),
        "collected_on": ("collected_on", _("Date collected")),
        "place": ("place", _("Place or community")),
        "paper_id": ("paper_id", _("Paper form ID")),
    }
    for item in answerable(numbering):
        field_id = ("code-" if item.has_codes else "q-") + item.name
        labels[item.name] = (field_id, _("Question %(number)s", number=item.number))
    return labels
