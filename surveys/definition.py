"""Plain, database-free description of a survey.

The XLSForm importer produces a ``SurveyDefinition``, the demographic bank is a
list of ``QuestionDefinition``, and ``surveys.store`` turns a definition into
rows (and rows back into a definition for export). Question types and skip
logic work on anything shaped like ``QuestionDefinition`` (the SQLModel
``Question`` row has the same attribute names).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Question kinds, in the order the builder offers them.
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
LIKERT = "likert"
RATING = "rating"
SHORT_TEXT = "short_text"
LONG_TEXT = "long_text"
NUMBER = "number"
DATE = "date"
NOTE = "note"
SECTION = "section"
KINDS = (
    SINGLE_CHOICE,
    MULTIPLE_CHOICE,
    LIKERT,
    RATING,
    SHORT_TEXT,
    LONG_TEXT,
    NUMBER,
    DATE,
    NOTE,
    SECTION,
)

# The reserved choice name that records "Prefer not to answer".
PREFER_NOT_TO_ANSWER = "prefer_not_to_answer"

# Skip-logic operators: show a question only when an earlier answer matches.
OP_EQUALS = "equals"
OP_ONE_OF = "one_of"
OP_NOT = "not"
OPERATORS = (OP_EQUALS, OP_ONE_OF, OP_NOT)

# Texts are dicts of BCP 47 language tag -> text, e.g. {"en": "Age", "fr": "Âge"}.
Texts = dict[str, str]


@dataclass(frozen=True)
class Condition:
    """Show the owning question only when ``question``'s answer matches ``values``."""

    question: str
    op: str
    values: tuple[str, ...]

    def to_dict(self) -> dict:
        """Return the JSON shape stored in ``Question.relevant``."""
        return {"question": self.question, "op": self.op, "values": list(self.values)}

    @classmethod
    def from_dict(cls, data: dict | None) -> Condition | None:
        """Build a condition from its stored JSON shape (``None`` stays ``None``)."""
        if not data:
            return None
        return cls(data["question"], data["op"], tuple(str(v) for v in data["values"]))


@dataclass(frozen=True)
class ChoiceDefinition:
    """One option of a closed question; ``name`` is the stored value."""

    name: str
    label: Texts = field(default_factory=dict)


@dataclass(frozen=True)
class QuestionDefinition:
    """One question (or note/section heading) of a survey."""

    name: str
    kind: str
    label: Texts = field(default_factory=dict)
    hint: Texts = field(default_factory=dict)
    required: bool = False
    choices: tuple[ChoiceDefinition, ...] = ()
    # Type-specific constraints: min, max, max_length, min_choices, max_choices.
    settings: dict = field(default_factory=dict)
    relevant: Condition | None = None
    allow_prefer_not: bool = False
    # Equity dimension key (e.g. "race", "age_band"); None when not a dimension.
    dimension: str | None = None


@dataclass(frozen=True)
class SurveyDefinition:
    """A whole survey: languages, titles and ordered questions."""

    slug: str
    default_language: str
    languages: tuple[str, ...]
    title: Texts = field(default_factory=dict)
    description: Texts = field(default_factory=dict)
    questions: tuple[QuestionDefinition, ...] = ()
