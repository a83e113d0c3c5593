"""The group session form: head counts, tallies and notes as typed, read into a ``SessionInput``."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlmodel import select

from engage import db
from engage.intake.shared import answerable, error_text, parse_day
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.group_sessions import (
    FeedbackInput,
    SessionInput,
    check_counts,
    complete_tally,
    parse_count,
)
from surveys.intake import NumberedQuestion
from surveys.languages import is_valid_tag, normalize_tag
from surveys.models import (
    ATTRIBUTION_NAMED,
    ATTRIBUTIONS,
    CONSENT_KINDS,
    FEEDBACK_KINDS,
    SESSION_KINDS,
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    Survey,
)
from surveys.questions import AnswerError

NEW_FEEDBACK_ROWS = 3

MAX_FEEDBACK_ROWS = 200

MAX_PARTICIPANTS = 10_000

MAX_FEEDBACK_LENGTH = 5000


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
    feedback = read_feedback(survey, numbering, state)
    # A note or quote in a language was spoken in it: the session lists that language too.
    for item in feedback:
        if item.language and item.language not in languages:
            languages.append(item.language)
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


def read_feedback(survey: Survey, numbering, state: SessionState) -> list[FeedbackInput]:
    """Validate the feedback rows; blank rows are skipped (or deleted when stored).

    A row's language is any BCP 47 tag (oj, cr, iu...), not only the survey's: the
    words are kept in the language they were spoken in, and a language without a
    validated sentiment method leaves them unscored, never neutral.
    """
    errors = state.errors
    question_names = {item.name for item in answerable(numbering)}
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
        tag = row["language"].strip()
        language = normalize_tag(tag) if tag and is_valid_tag(tag) else ""
        if not tag:
            errors[key].append(_("Choose the language the words were spoken in."))
        elif not language:
            errors[key].append(
                _("“%(tag)s” is not a language code; use codes like oj, cr or ta.", tag=tag)
            )
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
