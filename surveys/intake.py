"""On-the-ground intake: paper numbering and option codes, entry dates, quotable feedback.

The printable paper form, the broker entry screen, group sessions and the CSV
importer share these rules, so what a broker reads on paper is what they key in.
Head counts live in ``surveys.group_sessions``, CSV rows in ``surveys.csv_rows``.

Numbering: questions that take an answer are numbered 1, 2, 3 ... in survey
order, across sections; notes and section headings get no number. The number
never restarts, so "question 12" names one box on the paper whatever section it
sits in.

Option codes: an option's code is its position + 1 (the first choice is 1; a
Likert scale is 1 "strongly disagree" to 5 "strongly agree"). A rating scale is
printed as its points (0 to 10), so its codes are the points themselves: a
broker types the number the resident circled. "Prefer not to answer" is not a
choice row; its code is 9, 99 or 999, the smallest all-nines number above every
other code of the question (the survey convention Statistics Canada also uses
for refusals).

No Flask here; messages are ``N_`` strings the web layer translates.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlmodel import Session, select

from surveys.definition import OP_EQUALS, OP_NOT, PREFER_NOT_TO_ANSWER
from surveys.languages import ResolvedText, resolve_text
from surveys.logic import condition_of, values_match
from surveys.messages import N_
from surveys.models import (
    ATTRIBUTION_NAMED,
    ATTRIBUTION_NO_QUOTE,
    GroupFeedback,
    GroupSession,
)
from surveys.questions import AnswerError, question_type
from surveys.retention import REMOVED_TEXT
from surveys.store import choice_key

# --- Paper numbering and option codes ---------------------------------------------


@dataclass(frozen=True)
class OptionCode:
    """One printed option: the code a broker types and the value stored for it."""

    code: str
    name: str


@dataclass(frozen=True)
class NumberedQuestion:
    """A question as printed and keyed: its number (None for notes and sections) and codes."""

    question: Any
    number: int | None
    options: tuple[OptionCode, ...] = ()

    @property
    def name(self) -> str:
        """Return the question's name."""
        return self.question.name

    @property
    def kind(self) -> str:
        """Return the question's kind."""
        return self.question.kind

    @property
    def multiple(self) -> bool:
        """Return whether several options may be ticked."""
        return question_type(self.question.kind).multi_select

    @property
    def has_codes(self) -> bool:
        """Return whether the question is answered by ticking coded options."""
        return bool(self.options)

    def value_for(self, code: str) -> str | None:
        """Return the stored value of an option code, or None when no option has it."""
        code = code.strip()
        for option in self.options:
            if option.code == code:
                return option.name
        return None

    def code_for(self, value: str) -> str | None:
        """Return the code of a stored value (rating values match as numbers)."""
        for option in self.options:
            if values_match(value, option.name):
                return option.code
        return None


def prefer_not_code(codes: Iterable[str]) -> str:
    """Return 9, 99, 999 ...: the smallest all-nines code above every numeric code given."""
    highest = max((float(code) for code in codes if _is_number(code)), default=0.0)
    nines = 9
    while nines <= highest:
        nines = nines * 10 + 9
    return str(nines)


def _is_number(text: str) -> bool:
    """Return whether ``text`` is a plain decimal number."""
    return re.fullmatch(r"-?\d+(\.\d+)?", text) is not None


def option_codes(question: Any) -> tuple[OptionCode, ...]:
    """Return the coded options of a closed question (empty for open kinds)."""
    kind = question_type(question.kind)
    if not kind.takes_answer or not kind.is_closed:
        return ()
    names = kind.choice_names(question)
    if kind.choices_are_numbers:
        options = [OptionCode(name, name) for name in names]
    else:
        options = [OptionCode(str(index), name) for index, name in enumerate(names, start=1)]
    if kind.accepts_prefer_not(question):
        code = prefer_not_code(option.code for option in options)
        options.append(OptionCode(code, PREFER_NOT_TO_ANSWER))
    return tuple(options)


def paper_numbering(questions: Iterable[Any]) -> list[NumberedQuestion]:
    """Number the questions that take an answer, in survey order, with their option codes.

    Every item of ``questions`` comes back, in order; notes and sections have
    ``number`` None. The paper form and the entry screen both call this.
    """
    numbered = []
    number = 0
    for question in questions:
        if not question_type(question.kind).takes_answer:
            numbered.append(NumberedQuestion(question, None))
            continue
        number += 1
        numbered.append(NumberedQuestion(question, number, option_codes(question)))
    return numbered


def values_from_codes(item: NumberedQuestion, typed: str) -> list[str]:
    """Return the stored values for codes typed by a broker ("2", or "1 3" for several).

    Codes may be separated by spaces or commas. Raises ``AnswerError`` for a code
    the question does not have, naming the codes it does.
    """
    codes = [code for code in re.split(r"[\s,;]+", typed.strip()) if code]
    values = []
    for code in codes:
        value = item.value_for(code)
        if value is None:
            raise AnswerError(
                N_("“%(code)s” is not a code of this question. Its codes are %(codes)s."),
                {"code": code, "codes": ", ".join(option.code for option in item.options)},
            )
        values.append(value)
    return values


def codes_for_values(item: NumberedQuestion, values: Sequence[str]) -> str:
    """Return the codes of stored values, space separated (what the code box shows)."""
    codes = [item.code_for(value) for value in values]
    return " ".join(code for code in codes if code)


def option_label(
    question: Any,
    option_name: str,
    texts: Mapping[str, Mapping[str, str]],
    language: str,
    default_language: str,
) -> ResolvedText:
    """Return an option's label in ``language``: the survey's own text, else a built-in label.

    Likert points and "Prefer not to answer" have built-in labels in the
    languages of ``LIKERT_LABELS``; a rating point is labelled by its number.
    """
    own = resolve_text(
        dict(texts.get(choice_key(question.name, option_name), {})), language, default_language
    )
    if own.translated:
        return own
    kind = question_type(question.kind)
    if kind.choices_are_numbers and option_name != PREFER_NOT_TO_ANSWER:
        return ResolvedText(option_name, language, True)
    built_in = kind.built_in_choice_labels(option_name)
    if built_in:
        fallback = resolve_text(built_in, language, default_language)
        if fallback.translated or not own.text:
            return fallback
    return own if own.text else ResolvedText(option_name, language, False)


@dataclass(frozen=True)
class ConditionNote:
    """ "Answer only if question ``number`` was ``options``" (``skip`` for the "not" operator)."""

    number: int
    options: tuple[OptionCode, ...]
    skip: bool


def condition_note(
    item: NumberedQuestion, numbering: Sequence[NumberedQuestion]
) -> ConditionNote | None:
    """Return the printed skip instruction for a question with skip logic, if any."""
    condition = condition_of(item.question)
    if condition is None:
        return None
    source = next((other for other in numbering if other.name == condition.question), None)
    if source is None or source.number is None:
        return None
    wanted = condition.values[:1] if condition.op == OP_EQUALS else condition.values
    options = []
    for value in wanted:
        code = source.code_for(value)
        options.append(OptionCode(code or value, value if code else ""))
    return ConditionNote(source.number, tuple(options), skip=condition.op == OP_NOT)


# --- Entry metadata ------------------------------------------------------------------


def normalize_paper_id(text: str | None) -> str | None:
    """Return a paper form ID as stored: spaces removed, letters in capitals; None if blank.

    ``a 012`` and ``A-012`` stay different, but ``a012`` and ``A012`` are the same
    form, so a duplicate is caught however it was typed.
    """
    compact = re.sub(r"\s+", "", text or "").upper()
    return compact or None


def today() -> date:
    """Return today's date in UTC (never behind the date in Ontario): nothing is collected later."""
    return datetime.now(UTC).date()


def collected_at_from_date(day: date) -> datetime:
    """Return the stored time of a form collected on ``day``: noon UTC.

    Only the day is known; noon keeps it the same calendar day in every Canadian
    time zone.
    """
    return datetime.combine(day, time(12, 0), tzinfo=UTC)


def parse_collected_at(text: str) -> datetime:
    """Parse a collection date or date-time (ISO 8601, as Kobo and ODK export it).

    A date alone means noon UTC that day; a time without a zone is taken as UTC.
    Raises ``AnswerError`` when the text is not such a date.
    """
    value = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            return collected_at_from_date(date.fromisoformat(value))
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}.*", value):
            moment = datetime.fromisoformat(value)
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    except ValueError:
        pass
    raise AnswerError(
        N_("“%(value)s” is not a date; write it as year-month-day, for example 2025-06-30."),
        {"value": value},
    )


# --- Group feedback in reports ---------------------------------------------------------


@dataclass(frozen=True)
class QuotableFeedback:
    """A note or quote that may appear in reports; ``speaker`` only where attribution allows.

    ``sentiment_label`` is the label reports use (staff's override, else the
    scored one); ``scored_label`` and ``override`` (with who and when) are kept
    apart so staff can see and correct it.
    """

    id: int
    session_public_id: str
    session_kind: str
    held_on: date
    kind: str
    text: str
    language: str
    question_id: int | None
    theme: str | None
    speaker: str | None
    sentiment_label: str | None
    scored_label: str | None = None
    override: str | None = None
    override_by_id: int | None = None
    override_at: datetime | None = None


def effective_sentiment(feedback: GroupFeedback) -> str | None:
    """Return the sentiment label staff set, else the one scored."""
    return feedback.sentiment_override or feedback.sentiment_label


def quotable_feedback_rows(survey_id: int):
    """Return the statement of a survey's (feedback, session) rows that may be quoted.

    The consent rule of ``quotable_feedback``, for callers that add their own conditions
    (the review queue: the notes no person has labelled, in chosen languages).
    """
    return (
        select(GroupFeedback, GroupSession)
        .join(GroupSession, GroupFeedback.session_id == GroupSession.id)
        .where(GroupSession.survey_id == survey_id)
        .where(GroupSession.attribution != ATTRIBUTION_NO_QUOTE)
        .where(GroupFeedback.text != REMOVED_TEXT)
    )


def quotable_feedback(session: Session, survey_id: int) -> list[QuotableFeedback]:
    """Return the group feedback of a survey that reports, exports and the API may show.

    Consent rule: feedback from a session whose attribution is ``no_quote`` never
    appears (its text is left out here, so no caller can show it by mistake); a
    speaker's name is kept only for sessions whose attribution is ``attributed``.
    Every report, export and API answer that shows group feedback text must get it
    from this function. Counting feedback, sentiment included, is allowed for all
    sessions: see ``feedback_sentiment_counts``.
    """
    rows = session.exec(
        quotable_feedback_rows(survey_id).order_by(
            GroupSession.held_on, GroupSession.id, GroupFeedback.id
        )
    ).all()
    return [
        QuotableFeedback(
            id=feedback.id,
            session_public_id=group.public_id,
            session_kind=group.kind,
            held_on=group.held_on,
            kind=feedback.kind,
            text=feedback.text,
            language=feedback.language,
            question_id=feedback.question_id,
            theme=feedback.theme,
            speaker=feedback.speaker if group.attribution == ATTRIBUTION_NAMED else None,
            sentiment_label=effective_sentiment(feedback),
            scored_label=feedback.sentiment_label,
            override=feedback.sentiment_override,
            override_by_id=feedback.override_by_id,
            override_at=feedback.override_at,
        )
        for feedback, group in rows
    ]


def correctable_feedback(
    session: Session, survey_id: int, feedback_id: int
) -> GroupFeedback | None:
    """Return feedback ``feedback_id`` for staff to correct its label, if it may be shown.

    The same consent rule as ``quotable_feedback``: feedback of another survey or
    of a ``no_quote`` session gives None, exactly as feedback that does not
    exist, so a correction can neither change nor reveal it.
    """
    row = session.exec(
        quotable_feedback_rows(survey_id).where(GroupFeedback.id == feedback_id)
    ).first()
    return row[0] if row is not None else None


def feedback_sentiment_counts(session: Session, survey_id: int) -> dict[str | None, int]:
    """Count the group feedback of a survey by sentiment label, every session included.

    ``None`` counts feedback that has no score (a language without a lexicon).
    Text is never returned, so sessions marked not to be quoted count too.
    """
    rows = session.exec(
        select(GroupFeedback)
        .join(GroupSession, GroupFeedback.session_id == GroupSession.id)
        .where(GroupSession.survey_id == survey_id)
    ).all()
    return dict(Counter(effective_sentiment(row) for row in rows))
