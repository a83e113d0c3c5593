"""``relevant`` and ``constraint`` expressions: the common XLSForm forms, read and written.

Only the forms Engage's skip logic and settings can hold are converted: a
comparison or ``selected()`` on one question joined by one connective, and
numeric, length and count bounds on the answer itself. Anything else is
reported back as not converted.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from surveys.definition import OP_EQUALS, OP_NOT, OP_ONE_OF, Condition, QuestionDefinition
from surveys.questions import CHOICE_COUNT, NUMBER_RANGE, TEXT_LENGTH, format_number, question_type

_QUESTION_REFERENCE = r"\$\{\s*([^}\s]+)\s*\}"
_LITERAL = r"""(?:'([^']*)'|"([^"]*)"|(-?\d+(?:\.\d+)?))"""
_COMPARISON = re.compile(rf"^{_QUESTION_REFERENCE}\s*(=|!=)\s*{_LITERAL}$")
_SELECTED = re.compile(rf"^selected\(\s*{_QUESTION_REFERENCE}\s*,\s*{_LITERAL}\s*\)$")
_NOT_SELECTED = re.compile(
    rf"^not\(\s*selected\(\s*{_QUESTION_REFERENCE}\s*,\s*{_LITERAL}\s*\)\s*\)$"
)
_CONNECTIVE = re.compile(r"\s+(and|or)\s+")
_BOUND = re.compile(
    r"^(\.|string-length\(\s*\.\s*\)|count-selected\(\s*\.\s*\))\s*(<=|>=|<|>)\s*(-?\d+(?:\.\d+)?)$"
)
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")
# What a bound constrains, and the constraints (``QuestionType.constraints``) it belongs to.
_SUBJECT_CONSTRAINTS = {
    ".": NUMBER_RANGE,
    "string-length": TEXT_LENGTH,
    "count-selected": CHOICE_COUNT,
}
# The settings each kind of constraint writes as bounds: (subject, operator, setting).
_BOUNDS = {
    NUMBER_RANGE: [(".", ">=", "min"), (".", "<=", "max")],
    TEXT_LENGTH: [("string-length(.)", "<=", "max_length")],
    CHOICE_COUNT: [
        ("count-selected(.)", ">=", "min_choices"),
        ("count-selected(.)", "<=", "max_choices"),
    ],
}


def split_top_level(expression: str) -> tuple[list[str], set[str]]:
    """Split an XPath expression on ``and``/``or`` outside quotes and parentheses."""
    parts: list[str] = []
    connectives: set[str] = set()
    depth, quote, start, index = 0, "", 0, 0
    while index < len(expression):
        character = expression[index]
        if quote:
            quote = "" if character == quote else quote
        elif character in "'\"":
            quote = character
        elif character == "(":
            depth += 1
        elif character == ")":
            depth -= 1
        elif depth == 0 and (match := _CONNECTIVE.match(expression, index)):
            parts.append(without_outer_parentheses(expression[start:index]))
            connectives.add(match[1])
            index = start = match.end()
            continue
        index += 1
    parts.append(without_outer_parentheses(expression[start:]))
    return parts, connectives


def without_outer_parentheses(expression: str) -> str:
    """Strip parentheses that wrap the whole expression, ``(a = b)`` -> ``a = b``."""
    expression = expression.strip()
    while expression.startswith("(") and expression.endswith(")"):
        depth = 0
        for index, character in enumerate(expression):
            depth += {"(": 1, ")": -1}.get(character, 0)
            if depth == 0 and index < len(expression) - 1:
                return expression
        expression = expression[1:-1].strip()
    return expression


def _literal(groups: Iterable[str | None]) -> str:
    """Return the value of whichever literal alternative matched."""
    return next(group for group in groups if group is not None)


def parse_relevant(expression: str) -> Condition | None:
    """Map the common XLSForm ``relevant`` forms to a ``Condition``; ``None`` if it cannot."""
    parts, connectives = split_top_level(without_outer_parentheses(expression))
    atoms = []
    for part in parts:
        if match := _COMPARISON.match(part):
            atoms.append((match[1], match[2] == "=", _literal(match.groups()[2:])))
        elif match := _SELECTED.match(part):
            atoms.append((match[1], True, _literal(match.groups()[1:])))
        elif match := _NOT_SELECTED.match(part):
            atoms.append((match[1], False, _literal(match.groups()[1:])))
        else:
            return None
    questions = {question for question, _, _ in atoms}
    positive = {is_positive for _, is_positive, _ in atoms}
    if len(questions) != 1 or len(positive) != 1 or len(connectives) > 1:
        return None
    values = tuple(dict.fromkeys(value for _, _, value in atoms))
    if positive == {True} and connectives <= {"or"}:
        return Condition(questions.pop(), OP_EQUALS if len(values) == 1 else OP_ONE_OF, values)
    if positive == {False} and connectives <= {"and"}:
        return Condition(questions.pop(), OP_NOT, values)
    return None


def _xpath_literal(value: str) -> str:
    """Quote a value for XPath, using double quotes when it holds an apostrophe."""
    return f'"{value}"' if "'" in value else f"'{value}'"


def relevant_expression(condition: Condition, kinds: dict[str, str]) -> str:
    """Write a condition the way XLSForm authors do, ``selected()`` for multiple choice."""
    reference = f"${{{condition.question}}}"
    kind = kinds.get(condition.question)
    multiple = kind is not None and question_type(kind).multi_select
    literals = [_xpath_literal(value) for value in condition.values]
    if condition.op == OP_NOT:
        if multiple:
            return " and ".join(f"not(selected({reference}, {lit}))" for lit in literals)
        return " and ".join(f"{reference} != {lit}" for lit in literals)
    if multiple:
        return " or ".join(f"selected({reference}, {lit})" for lit in literals)
    return " or ".join(f"{reference} = {lit}" for lit in literals)


def parse_number(text: str) -> int | float | None:
    """Parse ``5`` as int and ``2.5`` as float; anything else is ``None``."""
    if not _NUMBER.match(text.strip()):
        return None
    return float(text) if "." in text else int(text)


@dataclass(frozen=True)
class ConstraintReading:
    """Settings read from a ``constraint``, and the parts that did not map."""

    settings: dict = field(default_factory=dict)
    unmapped: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def parse_constraint(expression: str, kind: str, integer: bool = False) -> ConstraintReading:
    """Map ``. >= N``, ``string-length(.) <= N`` and ``count-selected(.)`` bounds to settings."""
    parts, connectives = split_top_level(without_outer_parentheses(expression))
    if "or" in connectives:
        return ConstraintReading(unmapped=(expression,))
    settings: dict = {}
    unmapped: list[str] = []
    notes: list[str] = []
    for part in parts:
        match = _BOUND.match(part)
        subject = match[1].split("(")[0] if match else ""
        target = _SUBJECT_CONSTRAINTS.get(subject)
        if target is None or target != question_type(kind).constraints:
            unmapped.append(part)
            continue
        operator, bound = match[2], parse_number(match[3])
        whole_numbers = subject != "." or integer
        if operator in ("<", ">") and whole_numbers and float(bound).is_integer():
            bound = int(bound) + (1 if operator == ">" else -1)
        elif operator in ("<", ">"):
            notes.append(f"'{part}' was imported as '{part.replace(operator, operator + '=')}'")
        lower = operator.startswith(">")
        key = {
            ".": "min" if lower else "max",
            "string-length": None if lower else "max_length",
            "count-selected": "min_choices" if lower else "max_choices",
        }[subject]
        if key is None:
            unmapped.append(part)
        else:
            settings[key] = bound
    return ConstraintReading(settings, tuple(unmapped), tuple(notes))


def constraint_expression(question: QuestionDefinition) -> str:
    """Write the settings XLSForm expresses as a ``constraint``."""
    bounds = _BOUNDS.get(question_type(question.kind).constraints, [])
    return " and ".join(
        f"{subject} {operator} {format_number(question.settings[key])}"
        for subject, operator, key in bounds
        if question.settings.get(key) is not None
    )
