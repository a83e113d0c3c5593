"""The survey sheet's rows as questions: groups become sections, each row's cells become settings.

Choices about meaning are the package's (``surveys.xlsform``); every row that
cannot be carried over is skipped or simplified with a warning naming its row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace

from surveys import numbers
from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    OP_EQUALS,
    PREFER_NOT_TO_ANSWER,
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
    Texts,
)
from surveys.logic import validate_condition
from surveys.messages import N_
from surveys.questions import (
    ANALYSE_SETTING,
    FAVOURABLE_SETTING,
    LIKERT_CHOICES,
    format_number,
    question_type,
)
from surveys.xlsform.expressions import parse_constraint, parse_number, parse_relevant
from surveys.xlsform.question_types import (
    ANALYSE_COLUMN,
    FAVOURABLE_COLUMN,
    KIND_OF_TYPE,
    METADATA_TYPES,
    NO_FAVOURABLE,
    UNSUPPORTED_TYPES,
    QuestionType,
    default_labels,
    parse_type,
)
from surveys.xlsform.reader import Row, XLSFormError, yes_no

# pyxform's defaults for a ``range`` question without parameters (Engage's start at 0).
RANGE_DEFAULT_START = 1
RANGE_DEFAULT_END = 10

OTHER_CHOICE = "other"

# Labels for rows the importer or exporter adds itself; staff can edit them afterwards.
OTHER_LABELS = {"en": "Other", "fr": "Autre"}
SPECIFY_OTHER_LABELS = {"en": "Please specify", "fr": "Veuillez préciser"}

_PARAMETER = re.compile(r"([A-Za-z_]+)\s*=\s*(\S+)")

# warn(sheet, row, construct, message), as ``Importer.warn``.
Warn = Callable[[str, int | None, str, str], None]


@dataclass
class _OpenGroup:
    """A ``begin group`` waiting for its ``end group``."""

    condition: Condition | None


class QuestionReader:
    """Read the survey sheet's rows into questions, warning through ``warn``."""

    def __init__(
        self,
        lists: Mapping[str, tuple[ChoiceDefinition, ...]],
        texts: Callable[[Row | None, str], Texts],
        languages: list[str],
        warn: Warn,
        favourable: Mapping[str, list[str]] | None = None,
    ) -> None:
        self.lists = lists
        self.texts = texts
        self.languages = languages
        self.warn = warn
        # The favourable choices marked in each choice list (``Importer.read_favourable``).
        self.favourable = favourable or {}
        # Where each imported question came from, for warnings found after the walk.
        self.row_of: dict[str, int] = {}
        self.relevant_of: dict[str, str] = {}

    def read_questions(self, survey_rows: Iterable[Row]) -> list[QuestionDefinition]:
        """Walk the survey sheet: groups become sections, repeats are skipped whole."""
        questions: list[QuestionDefinition] = []
        names: set[str] = set()
        groups: list[_OpenGroup] = []
        metadata: list[str] = []
        rows = iter(survey_rows)
        for row in rows:
            parsed = parse_type(row.get("type"))
            name = row.get("name")
            keyword = parsed.keyword
            if not keyword:
                self.warn("survey", row.number, "type", f"row without a type (skipped {name!r})")
                continue
            if keyword == "begin repeat":
                skipped = self.skip_repeat(rows)
                self.warn(
                    "survey",
                    row.number,
                    "begin repeat",
                    f"repeat groups are not supported (skipped {name!r}"
                    f" and the {skipped} rows inside it)",
                )
                continue
            if keyword == "end group":
                if groups:
                    groups.pop()
                continue
            if keyword == "end repeat":
                continue
            if keyword in METADATA_TYPES:
                metadata.append(name or keyword)
                continue
            if keyword in UNSUPPORTED_TYPES:
                self.warn(
                    "survey",
                    row.number,
                    keyword,
                    f"{UNSUPPORTED_TYPES[keyword]} are not supported (skipped {name!r})",
                )
                continue
            if not name:
                if keyword == "begin group":
                    groups.append(_OpenGroup(self.condition(row, None, groups)))
                else:
                    self.warn("survey", row.number, "name", f"'{keyword}' row without a name")
                continue
            if name in names:
                self.warn(
                    "survey",
                    row.number,
                    "duplicate name",
                    f"a question named '{name}' already exists (skipped)",
                )
                if keyword == "begin group":
                    groups.append(_OpenGroup(None))
                continue
            question = self.question(row, parsed, groups)
            if keyword == "begin group":
                if groups:
                    self.warn(
                        "survey",
                        row.number,
                        "nested group",
                        f"group '{name}' inside another group became a section of its own",
                    )
                groups.append(_OpenGroup(question.relevant if question else None))
            if question is None:
                continue
            added = [question]
            if parsed.or_other and question_type(question.kind).has_choices:
                added = self.with_specify_other(row, question, names)
            for question in added:
                questions.append(question)
                names.add(question.name)
                self.row_of[question.name] = row.number
                self.relevant_of[question.name] = (
                    row.get("relevant") if question is added[0] else ""
                )
        if metadata:
            self.warn(
                "survey",
                None,
                "metadata",
                "device metadata is not collected (skipped " + ", ".join(metadata) + ")",
            )
        return questions

    def skip_repeat(self, rows: Iterable[Row]) -> int:
        """Consume rows up to the matching ``end repeat``; return how many were skipped."""
        depth, skipped = 1, 0
        for row in rows:
            keyword = parse_type(row.get("type")).keyword
            depth += keyword in ("begin repeat", "begin group")
            depth -= keyword in ("end repeat", "end group")
            if depth == 0:
                break
            skipped += 1
        return skipped

    def question(
        self, row: Row, parsed: QuestionType, groups: list[_OpenGroup]
    ) -> QuestionDefinition | None:
        """Build the question for one supported row, or warn and return ``None``."""
        keyword = parsed.keyword
        name = row.get("name")
        appearance = row.get("appearance").lower().split()
        settings: dict = {}
        choices: tuple[ChoiceDefinition, ...] = ()
        if keyword in ("select_one", "select_multiple"):
            choices = self.lists.get(parsed.list_name, ())
            if not choices:
                self.warn(
                    "survey",
                    row.number,
                    "choice list",
                    f"choice list '{parsed.list_name}' is missing or empty (skipped {name!r})",
                )
                return None
            if parsed.list_name in self.favourable:
                settings[FAVOURABLE_SETTING] = list(self.favourable[parsed.list_name])
            if keyword == "select_multiple":
                kind = MULTIPLE_CHOICE
            elif "likert" in appearance:
                kind = self.likert_or_single_choice(row, choices)
            else:
                kind = SINGLE_CHOICE
            if row.get("choice_filter"):
                self.warn(
                    "survey",
                    row.number,
                    "choice_filter",
                    f"choice_filter '{row.get('choice_filter')}' is ignored;"
                    f" '{name}' offers every choice of '{parsed.list_name}'",
                )
        elif keyword == "begin group":
            kind = SECTION
        elif keyword in KIND_OF_TYPE:
            kind = KIND_OF_TYPE[keyword]
            if keyword == "text" and "multiline" in appearance:
                kind = LONG_TEXT
            if keyword == "integer":
                settings["integer"] = True
            if keyword == "range":
                settings.update(self.range_settings(row))
        else:
            self.warn(
                "survey",
                row.number,
                keyword,
                f"question type '{row.get('type')}' is not recognised (skipped {name!r})",
            )
            return None
        if row.get("constraint"):
            settings.update(self.constraint_settings(row, kind, keyword == "integer"))
        if row.get(FAVOURABLE_COLUMN):
            settings.update(self.favourable_points(row, kind, settings))
        if row.get(ANALYSE_COLUMN):
            settings.update(self.analyse_switch(row, kind))
        allow_prefer_not = yes_no(row.get("allow_prefer_not")) is True
        if any(choice.name == PREFER_NOT_TO_ANSWER for choice in choices):
            allow_prefer_not = True
            choices = tuple(choice for choice in choices if choice.name != PREFER_NOT_TO_ANSWER)
        return QuestionDefinition(
            name=name,
            kind=kind,
            label=self.texts(row, "label"),
            hint=self.texts(row, "hint"),
            required=question_type(kind).takes_answer and self.required(row),
            choices=choices,
            settings=settings,
            relevant=self.condition(row, name, groups),
            allow_prefer_not=allow_prefer_not,
            dimension=self.dimension(row),
        )

    def likert_or_single_choice(self, row: Row, choices: tuple[ChoiceDefinition, ...]) -> str:
        """Return Likert when the choices are Engage's fixed agreement scale."""
        names = {choice.name for choice in choices} - {PREFER_NOT_TO_ANSWER}
        if names == set(LIKERT_CHOICES):
            return LIKERT
        self.warn(
            "survey",
            row.number,
            "likert",
            f"'{row.get('name')}' has the likert appearance but not the choices "
            + ", ".join(LIKERT_CHOICES)
            + "; imported as a single choice question",
        )
        return SINGLE_CHOICE

    def required(self, row: Row) -> bool:
        """Read ``required``; a conditional expression is dropped with a warning."""
        required = yes_no(row.get("required"))
        if required is None:
            self.warn(
                "survey",
                row.number,
                "required",
                f"required '{row.get('required')}' is not a yes/no value;"
                f" '{row.get('name')}' is optional",
            )
        return bool(required)

    def condition(self, row: Row, name: str | None, groups: list[_OpenGroup]) -> Condition | None:
        """Read ``relevant``, inheriting the enclosing group's condition when it has none."""
        own = None
        expression = row.get("relevant")
        shown = f"'{name}'" if name else "the group"
        if expression:
            own = parse_relevant(expression)
            if own is None:
                self.warn(
                    "survey",
                    row.number,
                    "relevant",
                    f"relevant '{expression}' cannot be converted; {shown} will always be shown",
                )
        inherited = [group.condition for group in groups if group.condition is not None]
        if own is not None:
            if any(condition != own for condition in inherited):
                self.warn(
                    "survey",
                    row.number,
                    "relevant",
                    f"{shown} keeps its own condition; its group's condition is not combined",
                )
            return own
        if len(set(inherited)) > 1:
            self.warn(
                "survey",
                row.number,
                "relevant",
                f"{shown} takes the condition of its innermost group only",
            )
        return inherited[-1] if inherited else None

    def constraint_settings(self, row: Row, kind: str, integer: bool) -> dict:
        """Turn a ``constraint`` into settings, warning about the parts that do not map."""
        reading = parse_constraint(row.get("constraint"), kind, integer)
        for part in reading.unmapped:
            self.warn(
                "survey",
                row.number,
                "constraint",
                f"constraint '{part}' is not supported (ignored)",
            )
        for note in reading.notes:
            self.warn("survey", row.number, "constraint", note)
        return reading.settings

    def favourable_points(self, row: Row, kind: str, settings: dict) -> dict:
        """Read the survey sheet's ``favourable`` cell of a range: its points, or ``no``."""
        cell = row.get(FAVOURABLE_COLUMN)
        kind_type = question_type(kind)
        if not kind_type.is_closed or kind_type.has_choices:
            self.warn(
                "survey",
                row.number,
                FAVOURABLE_COLUMN,
                f"'favourable' is ignored for '{row.get('name')}': the survey sheet lists a"
                " range's favourable points; a choice list marks its own on the choices sheet",
            )
            return {}
        if cell.strip().lower() == NO_FAVOURABLE:
            return {FAVOURABLE_SETTING: []}
        scale = QuestionDefinition(name=row.get("name"), kind=kind, settings=settings)
        offered = kind_type.choice_names(scale)
        points = set()
        for token in cell.split():
            number = numbers.parse_number(token)
            if number is None or format_number(number) not in offered:
                raise XLSFormError(
                    N_(
                        "The file could not be imported: on the survey sheet, row %(row)s, "
                        "“favourable” must list points of the scale separated by spaces, or "
                        "be no, not “%(value)s”."
                    ),
                    {"row": row.number, "value": cell},
                )
            points.add(format_number(number))
        return {FAVOURABLE_SETTING: [point for point in offered if point in points]}

    def analyse_switch(self, row: Row, kind: str) -> dict:
        """Read the ``analyse`` cell of a free-text question: no switches its analysis off."""
        cell = row.get(ANALYSE_COLUMN)
        if not question_type(kind).analysable:
            self.warn(
                "survey",
                row.number,
                ANALYSE_COLUMN,
                f"'analyse' is ignored for '{row.get('name')}': only free text is analysed",
            )
            return {}
        switch = yes_no(cell)
        if switch is None:
            raise XLSFormError(
                N_(
                    "The file could not be imported: on the survey sheet, row %(row)s, "
                    "“analyse” must be yes, no or empty, not “%(value)s”."
                ),
                {"row": row.number, "value": cell},
            )
        return {} if switch else {ANALYSE_SETTING: False}

    def range_settings(self, row: Row) -> dict:
        """Read ``range`` parameters into min, max and step, with XLSForm's defaults."""
        settings: dict = {"min": RANGE_DEFAULT_START, "max": RANGE_DEFAULT_END}
        keys = {"start": "min", "end": "max", "step": "step"}
        for parameter, value in _PARAMETER.findall(row.get("parameters")):
            key = keys.get(parameter.lower())
            number = parse_number(value)
            if key is None or number is None:
                self.warn(
                    "survey",
                    row.number,
                    "parameters",
                    f"parameter '{parameter}={value}' is not supported (ignored)",
                )
            else:
                settings[key] = number
        return settings

    def dimension(self, row: Row) -> str | None:
        """Read ``dimension``: a key, or yes/true meaning the question's own name."""
        value = row.get("dimension")
        flag = yes_no(value)
        if flag is None:
            return value
        return row.get("name") if flag else None

    def with_specify_other(
        self, row: Row, question: QuestionDefinition, names: set[str]
    ) -> list[QuestionDefinition]:
        """Expand ``or_other`` into the ``other`` choice and a text question shown for it."""
        specify_name = f"{question.name}_other"
        if specify_name in names:
            self.warn(
                "survey",
                row.number,
                "or_other",
                f"'{specify_name}' already exists, so 'or_other' was ignored",
            )
            return [question]
        self.warn(
            "survey",
            row.number,
            "or_other",
            f"or_other became the choice '{OTHER_CHOICE}' and the text question"
            f" '{specify_name}'; check their labels",
        )
        if all(choice.name != OTHER_CHOICE for choice in question.choices):
            other = ChoiceDefinition(OTHER_CHOICE, default_labels(OTHER_LABELS, self.languages))
            question = replace(question, choices=question.choices + (other,))
        specify = QuestionDefinition(
            name=specify_name,
            kind=SHORT_TEXT,
            label=default_labels(SPECIFY_OTHER_LABELS, self.languages),
            # It names an option the list lacks, not an opinion: not analysed as a comment.
            settings={ANALYSE_SETTING: False},
            relevant=Condition(question.name, OP_EQUALS, (OTHER_CHOICE,)),
        )
        return [question, specify]

    def drop_invalid_conditions(
        self, questions: list[QuestionDefinition]
    ) -> list[QuestionDefinition]:
        """Drop conditions Engage's skip logic cannot evaluate (see ``surveys.logic``)."""
        names = {question.name for question in questions}
        kept: list[QuestionDefinition] = []
        for question in questions:
            condition = question.relevant
            if condition is not None:
                if condition.question not in names:
                    reason = f"'{condition.question}' was not imported"
                else:
                    reason = validate_condition(condition, kept)
                if reason:
                    expression = self.relevant_of.get(question.name)
                    source = f"relevant '{expression}'" if expression else "the group's relevant"
                    self.warn(
                        "survey",
                        self.row_of[question.name],
                        "relevant",
                        f"{source} was dropped ({reason.rstrip('.')});"
                        f" '{question.name}' will always be shown",
                    )
                    question = replace(question, relevant=None)
            kept.append(question)
        return kept
