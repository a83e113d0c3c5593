"""Skip logic: which questions a respondent sees, given their earlier answers.

The server and the page (a JavaScript mirror of this module) must agree exactly, so
the rules are spelled out here.

Answers map a question name to the list of values submitted for it, as strings:
choice names, or numbers as typed. Before comparing, each value is trimmed and
blank values are dropped; a question with no values left is *unanswered*.

A question's condition (``relevant``; a ``Condition`` or its dict form) names an
earlier question, an operator and a list of values:

- no condition: the question is shown.
- ``equals``: shown when any submitted value matches ``values[0]``.
- ``one_of``: shown when any submitted value matches any of ``values``.
- ``not``: shown when no submitted value matches any of ``values``. An unanswered
  question matches nothing, so ``not`` *shows* its question when the earlier one
  was skipped, while ``equals`` and ``one_of`` hide theirs. (Asking an optional
  follow-up too often is harmless; silently skipping it loses answers.)
- an unknown operator shows the question, for the same reason.

Two values match when the trimmed strings are equal, or when both are numbers
and equal as numbers. A value is a number when, after replacing one comma with a
point, it matches ``^[+-]?(\\d+(\\.\\d*)?|\\.\\d+)$`` (so ``7``, ``7.0`` and ``7,0``
match each other). Prefer-not answers are the string ``prefer_not_to_answer``
and match only that string.

Questions are evaluated in survey order. A hidden question counts as unanswered
for every later condition, even if a value was submitted for it (the respondent
may have answered it before changing an earlier answer); this is how chains
resolve. A condition on a later question, or on a question not in the survey,
sees it unanswered.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, TypeVar

from surveys.definition import (
    OP_EQUALS,
    OP_NOT,
    OP_ONE_OF,
    OPERATORS,
    PREFER_NOT_TO_ANSWER,
    Condition,
)
from surveys.messages import N_
from surveys.questions import question_type

_NUMBER_PATTERN = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)")

QuestionT = TypeVar("QuestionT")


def condition_of(question: Any) -> Condition | None:
    """Return the question's condition whether stored as a ``Condition`` or a dict."""
    relevant = question.relevant
    if relevant is None or isinstance(relevant, Condition):
        return relevant
    return Condition.from_dict(relevant)


def _as_number(value: str) -> float | None:
    """Return ``value`` as a number under the module's rule, else None."""
    candidate = value.replace(",", ".", 1)
    return float(candidate) if _NUMBER_PATTERN.fullmatch(candidate) else None


def values_match(submitted: str, expected: str) -> bool:
    """Return whether a submitted value matches a condition value."""
    submitted, expected = submitted.strip(), expected.strip()
    if submitted == expected:
        return True
    submitted_number, expected_number = _as_number(submitted), _as_number(expected)
    return submitted_number is not None and submitted_number == expected_number


def is_relevant(question: Any, answers: Mapping[str, Sequence[str]]) -> bool:
    """Return whether ``question`` is shown, given answers to visible earlier questions."""
    condition = condition_of(question)
    if condition is None:
        return True
    selected = [value for value in answers.get(condition.question, ()) if value.strip()]
    expected = condition.values[:1] if condition.op == OP_EQUALS else condition.values

    def any_match() -> bool:
        return any(values_match(value, wanted) for value in selected for wanted in expected)

    if condition.op in (OP_EQUALS, OP_ONE_OF):
        return any_match()
    if condition.op == OP_NOT:
        return not any_match()
    return True


def visible_questions(
    questions: Iterable[QuestionT], answers: Mapping[str, Sequence[str]]
) -> list[QuestionT]:
    """Return the questions shown, in order; hidden questions' answers are ignored."""
    visible = []
    seen_answers: dict[str, Sequence[str]] = {}
    for question in questions:
        if is_relevant(question, seen_answers):
            visible.append(question)
            if question.name in answers:
                seen_answers[question.name] = answers[question.name]
    return visible


def drop_hidden_answers(
    questions: Iterable[Any], answers: Mapping[str, Sequence[str]]
) -> dict[str, list[str]]:
    """Return only the answers to visible questions: a hidden answer is never stored."""
    shown = {question.name for question in visible_questions(questions, answers)}
    return {name: list(values) for name, values in answers.items() if name in shown}


def validate_condition(
    condition: Condition | dict | None, earlier_questions: Iterable[Any]
) -> str | None:
    """Return why ``condition`` cannot work (an ``N_`` message), or None when it can.

    The condition must name a question that comes earlier and has fixed answers
    (a closed kind) or a number, and compare it with values that question can have.
    """
    if isinstance(condition, dict):
        condition = Condition.from_dict(condition)
    if condition is None:
        return None
    if condition.op not in OPERATORS:
        return N_("Choose how the earlier answer should be compared.")
    if not condition.values:
        return N_("Choose the answer that shows this question.")
    if condition.op in (OP_EQUALS, OP_NOT) and len(condition.values) > 1:
        return N_("Choose a single answer, or use “is one of” for several.")
    earlier = {question.name: question for question in earlier_questions}
    source = earlier.get(condition.question)
    if source is None:
        return N_("Skip logic can only depend on a question that comes before this one.")
    source_type = question_type(source.kind)
    if source_type.typed_number:
        if any(_as_number(value.strip()) is None for value in condition.values):
            return N_("Compare a number question with numbers.")
        return None
    if not source_type.is_closed:
        return N_("Skip logic can only depend on a choice, scale or number question.")
    allowed = set(source_type.choice_names(source))
    if source_type.accepts_prefer_not(source):
        allowed.add(PREFER_NOT_TO_ANSWER)
    if not all(any(values_match(value, name) for name in allowed) for value in condition.values):
        return N_("Choose answers that the earlier question offers.")
    return None
