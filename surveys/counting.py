"""How a response counts in a report: the one definition, in Python.

Every grouped figure of a report (respondents, totals, representation, outcomes by
group, intersections, sentiment, weighting cells) is defined here and nowhere else.
Kept counts (``surveys.report_counts``: readers fold the facts submissions leave
pending, corrections move a response's part), filtered reports and rebuilds all
count through ``Tally``:

- ``facts_of`` reads one response once: its group in every dimension (the
  Washington Group status derived by
  ``surveys.demographics.disability_status_of_choices``), its closed answers, its
  comments' sentiment labels and its UTC day; these *facts* are also kept per
  response (``response_facts``), so a filtered report reads one row per response;
- ``Tally.add_many`` sums responses by their combination of groups, and
  ``Tally.rows`` expands the sums into the rows of each report statement, keyed
  ``(statement name, row key)``.

Summing before expanding makes a pass over many responses cost a few dictionary
updates per response, not one per statement row. A few responses (a fold, a
correction) and a million (a filtered report, a rebuild) go through the same steps, so
kept, filtered and rebuilt counts cannot disagree.

Conventions of the rows (see ``surveys.aggregates`` for how reports read them):

- A respondent's group in a dimension is the choice they gave; a one-question
  dimension counts each answer row, a dimension of several questions each distinct
  choice, a derived dimension its one status; no answer is the group ``None``.
- Outcome rows are ``(question id, group, choice, number)``: one per answer row, and
  for a select-all-that-apply question with favourable choices one more, under
  ``AT_LEAST_ONE_FAVOURABLE``, for a respondent who chose at least one of them.
- ``outcome_answered`` counts respondents, once per distinct group.
- Sentiment rows use the effective label (staff override, else the scored label);
  ``None`` is unscored. Only comments with text count. ``("sentiment", "labelled_by")``
  counts the labelled comments of each question and language by who labelled them:
  ``person`` (staff set ``sentiment_override``, to correct the method or, equal to its
  label, to confirm it) or ``method``.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import astuple, dataclass, field, replace
from datetime import UTC, datetime
from functools import cache, cached_property

import numpy as np
from sqlalchemy import Connection, and_, bindparam, exists, func, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql import Select
from sqlmodel import Session

from surveys.demographics import DISABILITY_DIMENSION, disability_status_of_choices
from surveys.expansion import Axis, Counts, expand
from surveys.models import Answer, Response, ResponseFacts, Survey
from surveys.report_records import DimensionInfo, Filters
from surveys.report_structure import (
    comment_names,
    dimension_infos,
    filter_conditions,
    outcome_names,
    outside_conditions,
    question_ids,
    question_infos,
)
from surveys.stored_answers import BATCH, StoredAnswer, StoredResponse, stored_responses

# Bump when what a response contributes changes, so kept counts are rebuilt.
COUNTING_VERSION = 3
# Derived dimensions: the status of the choices a respondent gave in any of their questions.
DERIVED_FROM_CHOICES = {DISABILITY_DIMENSION: disability_status_of_choices}
# The item under which a select-all-that-apply question with favourable choices counts
# a respondent who chose at least one of them (its favourable rate's numerator). Not a
# choice name: those start with a letter.
AT_LEAST_ONE_FAVOURABLE = "*favourable"
# Responses' facts counted per batch in a report's pass (bounds its memory).
COUNT_BATCH = 5000

answers = Answer.__table__
responses = Response.__table__
facts_table = ResponseFacts.__table__
# What ``Tally.add_many`` counts a response from, in its order: a response joined to its facts.
FACTS_ROW = (
    responses.c.channel,
    responses.c.language,
    responses.c.area,
    facts_table.c.profile,
    facts_table.c.answers,
    facts_table.c.day,
)

Groups = tuple[tuple[str | None, ...], ...]


@dataclass(frozen=True)
class SurveyShape:
    """What counting needs to know about a survey's questions."""

    outcome_ids: frozenset[int]
    multi_outcome_ids: frozenset[int]
    comment_ids: frozenset[int]
    dimensions: dict[str, DimensionInfo]
    dimension_question_ids: dict[str, tuple[int, ...]]
    weighting: tuple[str, ...] = ()
    # The favourable choices of each select-all-that-apply outcome question that has some.
    favourable: dict[int, frozenset[str]] = field(default_factory=dict)

    @cached_property
    def dimension_positions(self) -> dict[int, tuple[int, ...]]:
        """Return, for each dimension question, the positions of the dimensions it belongs to."""
        positions: dict[int, list[int]] = defaultdict(list)
        for position, ids in enumerate(self.dimension_question_ids.values()):
            for question in ids:
                positions[question].append(position)
        return {question: tuple(found) for question, found in positions.items()}

    @cached_property
    def counted_ids(self) -> frozenset[int]:
        """Return the questions whose answers count in some statement."""
        return (
            self.outcome_ids
            | self.comment_ids
            | {qid for ids in self.dimension_question_ids.values() for qid in ids}
        )


def survey_shape(survey: Survey, weighting: Sequence[str] = ()) -> SurveyShape:
    """Return the survey's shape; ``weighting`` names the dimensions weighting cells cross."""
    ids = question_ids(survey)
    questions = question_infos(survey)
    dimensions = dimension_infos(survey)
    outcomes = outcome_names(questions)
    return SurveyShape(
        outcome_ids=frozenset(ids[name] for name in outcomes),
        multi_outcome_ids=frozenset(ids[name] for name in outcomes if questions[name].multi_select),
        comment_ids=frozenset(ids[name] for name in comment_names(questions)),
        dimensions=dimensions,
        dimension_question_ids={
            key: tuple(ids[name] for name in dimension.questions)
            for key, dimension in dimensions.items()
        },
        weighting=tuple(key for key in weighting if key in dimensions),
        favourable={
            ids[name]: questions[name].favourable
            for name in outcomes
            if questions[name].multi_select and questions[name].favourable
        },
    )


def structure_key(shape: SurveyShape) -> str:
    """Return a digest of everything that decides which rows a response counts in."""
    described = [
        COUNTING_VERSION,
        sorted(shape.outcome_ids),
        sorted(shape.multi_outcome_ids),
        sorted(shape.comment_ids),
        [
            [key, list(shape.dimension_question_ids[key]), info.multi_select, info.derived]
            for key, info in shape.dimensions.items()
        ],
        list(shape.weighting),
    ]
    if shape.favourable:  # only then, so that other surveys keep their kept counts
        described.append([[key, sorted(names)] for key, names in sorted(shape.favourable.items())])
    return hashlib.sha256(json.dumps(described).encode()).hexdigest()


def facts_key(shape: SurveyShape) -> str:
    """Return the key of the facts this shape reads: its structure, whatever it weights by."""
    return structure_key(replace(shape, weighting=()))


def statement_names(shape: SurveyShape, intersections: bool = True) -> list[tuple]:
    """Return the names of the report's grouped statements for this shape, in report order."""
    keys = list(shape.dimensions)
    names: list[tuple] = [("respondents",)]
    names += [("totals", column) for column in ("channel", "language", "area", "day")]
    names += [("representation", key) for key in keys]
    if shape.outcome_ids:
        names.append(("distribution",))
        if shape.multi_outcome_ids:
            names.append(("answered",))
        for key in keys:
            names.append(("outcomes", key))
            if shape.multi_outcome_ids:
                names.append(("outcome_answered", key))
    if intersections:
        names += [("intersection", *pair) for pair in itertools.combinations(keys, 2)]
    if shape.comment_ids:
        names.append(("sentiment", "question"))
        names += [("sentiment", "group", key) for key in keys]
        names += [("sentiment", "channel"), ("sentiment", "language")]
        names.append(("sentiment", "labelled_by"))
    if shape.weighting:
        names.append(("weighting", "cells"))
        if shape.outcome_ids:
            names.append(("weighting", "outcomes"))
    return names


def groups_in(
    dimension: DimensionInfo, question_ids_: Sequence[int], found: Sequence[StoredAnswer]
) -> tuple[str | None, ...]:
    """Return a response's group(s) in a dimension: one entry per time it counts there."""
    rows = [answer for answer in found if answer.question_id in question_ids_]
    if dimension.derived:
        if not rows:
            return (None,)
        return (DERIVED_FROM_CHOICES[dimension.key](answer.choice for answer in rows),)
    if len(question_ids_) == 1:
        return tuple(answer.choice for answer in rows) or (None,)
    return tuple(sorted({answer.choice for answer in rows if answer.choice is not None})) or (None,)


def utc_day(moment: datetime) -> str:
    """Return the UTC calendar day of a stored timestamp (naive ones are UTC)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date().isoformat()


@dataclass(frozen=True)
class Facts:
    """What one response brings to a report, before expanding: the one place groups are given.

    ``profile`` is its groups in every dimension (JSON), ``answers`` its counted
    closed answers ``[question, choice, number]`` and comment labels ``[question,
    label, by_person]`` (JSON), ``day`` the UTC day it was collected. Kept per response
    (``response_facts``) so that a report reads one row per response.
    """

    profile: str
    answers: str
    day: str


def facts_of(shape: SurveyShape, response: StoredResponse) -> Facts:
    """Return a response's facts from its stored answers."""
    found: list[list[StoredAnswer]] = [[] for _ in shape.dimensions]
    counted: list[list] = []
    for answer in response.answers:
        question = answer.question_id
        for position in shape.dimension_positions.get(question, ()):
            found[position].append(answer)
        if question in shape.outcome_ids:
            counted.append([question, answer.choice, answer.number])
        elif question in shape.comment_ids and answer.has_text:
            counted.append([question, answer.label, answer.by_person])
    for question, names in shape.favourable.items():
        if any(item[0] == question and item[1] in names for item in counted):
            counted.append([question, AT_LEAST_ONE_FAVOURABLE, None])
    profile = [
        list(groups_in(dimension, shape.dimension_question_ids[key], rows))
        for (key, dimension), rows in zip(shape.dimensions.items(), found, strict=True)
    ]
    return Facts(_compact(profile), _compact(counted), utc_day(response.collected_at))


def _compact(value: list) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


@dataclass
class Tally:
    """Responses summed by their combination of groups (*profiles*): enough for every row.

    Per profile it keeps how many responses have it and, as count matrices, their
    closed answers, the multi-select questions they answered and their comment labels;
    ``surveys.expansion`` multiplies these by the profiles' groups.
    """

    shape: SurveyShape
    provenance: Counter = field(default_factory=Counter)
    profiles: Axis = field(default_factory=Axis)
    people: np.ndarray = field(default_factory=lambda: np.zeros(0, np.int64))
    outcomes: Counts = field(default_factory=Counts)
    answered: Counts = field(default_factory=Counts)
    comments: Counts = field(default_factory=Counts)
    comment_context: Counter = field(default_factory=Counter)

    def add_all(self, found: Iterable[tuple[int, StoredResponse]]) -> list[tuple[int, Facts]]:
        """Count stored responses from their answers; return each one's id with its facts."""
        counted = [(key, facts_of(self.shape, response), response) for key, response in found]
        self.add_many(
            [
                (response.channel, response.language, response.area, *astuple(facts))
                for _key, facts, response in counted
            ]
        )
        return [(key, facts) for key, facts, _response in counted]

    def add_stored(self, found: Iterable[tuple[int, StoredResponse]]) -> None:
        """Count any number of stored responses, a batch at a time (their facts not kept)."""
        found = iter(found)
        while self.add_all(itertools.islice(found, BATCH)):
            pass

    def add_many(self, found: Sequence[tuple[str, str, str | None, str, str, str]]) -> None:
        """Count responses from their facts: ``(channel, language, area, profile, answers, day)``.

        The one place facts are counted, for a correction's one response or a filtered
        report's thousands alike: the answers of a batch are parsed in one ``json.loads`` and
        their entries placed with array operations, so a response costs a few
        microseconds rather than a loop of its own.
        """
        if not found:
            return
        channels, languages, areas, profiles, answers, days = zip(*found, strict=True)
        self.provenance.update(zip(channels, languages, areas, days, strict=True))
        rows = np.fromiter(self.profiles.columns_of(profiles), np.int64, len(profiles))
        people = np.bincount(rows)
        if len(people) > len(self.people):
            self.people = np.concatenate(
                [self.people, np.zeros(len(people) - len(self.people), np.int64)]
            )
        self.people[: len(people)] += people
        pieces = [text[2:-2].split("],[") if len(text) > 2 else () for text in answers]
        sizes = np.fromiter(map(len, pieces), np.int64, len(pieces))
        if not sizes.sum():
            return
        codes = self._codes(pieces)
        if codes is None:  # an item the split cut (a "],[" inside a name): parse each whole
            pieces = [[_compact(item)[1:-1] for item in json.loads(text)] for text in answers]
            sizes = np.fromiter(map(len, pieces), np.int64, len(pieces))
            codes = self._codes(pieces)
        owner = np.repeat(np.arange(len(pieces)), sizes)
        owner_rows = rows[owner]
        outcome = codes >= 0
        self.outcomes.add(owner_rows[outcome], codes[outcome])
        comment = ~outcome
        if comment.any():
            cells = -codes[comment] - 1
            self.comments.add(owner_rows[comment], cells)
            context = Counter(zip(owner[comment].tolist(), cells.tolist(), strict=True))
            keys = self.comments.columns.keys
            for (response, cell), count in context.items():
                question, label, by_person = keys[cell]
                key = (question, channels[response], languages[response], label, by_person)
                self.comment_context[key] += count
        multi = self._multi_questions(codes)
        if multi is not None and (multi >= 0).any():
            chosen = multi >= 0
            pairs = np.unique(np.stack([owner[chosen], multi[chosen]]), axis=1)
            self.answered.add(rows[pairs[0]], pairs[1])

    def _codes(self, pieces: Sequence[Sequence[str]]) -> np.ndarray | None:
        """Return each answer item's column (outcomes from 0 up, comments from -1 down).

        Both are three long: a comment is an item of a comment question.

        Items come as their JSON text without brackets (``6,"agree",null``), grouped by
        response; each distinct one is parsed once, and the rest are dictionary lookups
        made in C (a filtered report meets a million items). None when a piece is not a
        whole item.
        """
        outcomes, comments = self.outcomes.columns, self.comments.columns
        comment_ids = self.shape.comment_ids
        known: dict[str, int] = {}
        for piece in dict.fromkeys(itertools.chain.from_iterable(pieces)):
            try:
                key = tuple(json.loads(f"[{piece}]"))
            except ValueError:
                return None
            known[piece] = -comments.of(key) - 1 if key[0] in comment_ids else outcomes.of(key)
        items = itertools.chain.from_iterable(pieces)
        return np.fromiter(map(known.__getitem__, items), np.int64)

    def _multi_questions(self, codes: np.ndarray) -> np.ndarray | None:
        """Return, per item, the ``answered`` column of its multi-select question, else -1."""
        multi = self.shape.multi_outcome_ids
        if not multi:
            return None
        keys = self.outcomes.columns.keys
        asked = self.answered.columns
        column = np.array(
            [asked.of(key[0]) if key[0] in multi else -1 for key in keys] or [-1], np.int64
        )
        result = np.full(len(codes), -1, np.int64)
        outcome = codes >= 0
        result[outcome] = column[codes[outcome]]
        return result

    def rows(self) -> Counter:
        """Return every statement row with its count, keyed ``(statement name, row key)``."""
        return expand(self)


def count(
    session: Session,
    survey: Survey,
    shape: SurveyShape,
    filters: Filters = Filters(),
    *,
    use_facts: bool = True,
    outside: bool = False,
    covered: int | None = None,
) -> Counter:
    """Count the survey's responses that ``filters`` covers: ``{(name, key): count}``.

    With ``outside``, the responses it leaves out. One row per response: its kept
    facts, or, where they are missing or were worked out for another shape of the
    survey (or ``use_facts`` is false), its answers. ``covered``, when the caller has
    counted the responses already, saves counting them again.
    """
    connection = session.connection()
    tally = Tally(shape)
    where = (outside_conditions if outside else filter_conditions)(survey.id, filters)
    kept = and_(
        facts_table.c.response_id == responses.c.id,
        facts_table.c.structure == (facts_key(shape) if use_facts else ""),
    )
    statement = select(*FACTS_ROW).select_from(responses.join(facts_table, kept)).where(*where)
    with without_cycle_collection():
        # On the statement, not the connection: Connection.execution_options changes the
        # connection itself, and later writes would run as server-side cursors.
        result = connection.execute(statement.execution_options(yield_per=COUNT_BATCH))
        for batch in result.partitions():
            tally.add_many(batch)
    # Responses without facts for this shape (rare: written around the app, or before a
    # change of shape) are counted from their answers; looked for only when some are.
    if covered is None:
        statement = select(func.count()).select_from(responses).where(*where)
        covered = connection.execute(statement).scalar_one()
    if covered != tally.people.sum():
        missing = connection.execute(
            select(responses.c.id).where(*where, ~exists().where(kept))
        ).scalars()
        # Reading answers makes reference cycles: counted with the collector running.
        tally.add_stored(stored_responses(connection, survey.id, shape, response_ids=list(missing)))
    with without_cycle_collection():
        return tally.rows()


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """Pause Python's cycle collector during a counting pass, and resume it after.

    A pass over kept facts allocates hundreds of thousands of rows and strings
    that live until their batch is counted; each allocation burst triggers
    collections that scan the whole heap (the app, SQLAlchemy's metadata), which
    measured as half the time of a filtered report. That pass and the expansion
    make no reference cycles, so nothing waits longer to be freed than the pass.
    Reading stored answers does make cycles: it runs with the collector on.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def keep_facts(
    connection: Connection,
    shape: SurveyShape,
    found: Iterable[tuple[int, Facts]],
    *,
    replace: bool = True,
    pending_survey: int | None = None,
) -> None:
    """Store responses' facts; with ``replace=False`` only where none for this shape exist.

    ``replace=False`` is for a rebuild's snapshot, which must not overwrite the facts a
    correction wrote after the snapshot was taken. ``pending_survey`` marks new facts
    as not yet in that survey's kept counts (``surveys.kept_store``); replacing facts
    keeps the mark they had.
    """
    structure = facts_key(shape)
    values = [
        {
            "response_id": response_id,
            "structure": structure,
            "profile": facts.profile,
            "answers": facts.answers,
            "day": facts.day,
            "pending_survey_id": pending_survey,
        }
        for response_id, facts in found
    ]
    if not values:
        return
    connection.execute(_keep_facts_statement(connection.dialect.name, replace), values)


@cache
def _keep_facts_statement(dialect: str, replace: bool):
    """Return the upsert ``keep_facts`` runs, built once per dialect and ``replace``."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(facts_table)
    excluded = statement.excluded
    return statement.on_conflict_do_update(
        index_elements=[facts_table.c.response_id],
        set_={
            "structure": excluded.structure,
            "profile": excluded.profile,
            "answers": excluded.answers,
            "day": excluded.day,
        },
        where=None if replace else facts_table.c.structure != excluded.structure,
    )


def rows_by_statement(counted: Counter, names: Iterable[tuple]) -> dict[tuple, list[tuple]]:
    """Return counted rows as ``{statement name: [(*key, count), ...]}`` for ``names``."""
    rows: dict[tuple, list[tuple]] = {tuple(name): [] for name in names}
    for (name, key), value in counted.items():
        if value and name in rows:
            rows[name].append((*key, value))
    return rows


def group_members(session: Session, survey: Survey, key: str, group: str) -> Select:
    """Return a statement giving the ids of the responses in one group of a dimension.

    A respondent is in a group when ``groups_in`` puts them there, so whoever
    filters by a group (the comment explorer) sees the people the report counts.
    A derived dimension is derived here, in Python, by the same rule.
    """
    shape = survey_shape(survey)
    dimension = shape.dimensions[key]
    ids = shape.dimension_question_ids[key]
    if not dimension.derived:
        return select(answers.c.response_id).where(
            answers.c.question_id.in_(ids), answers.c.choice == group
        )
    chosen: dict[int, list[StoredAnswer]] = defaultdict(list)
    for response_id, question, choice in session.connection().execute(
        select(answers.c.response_id, answers.c.question_id, answers.c.choice).where(
            answers.c.question_id.in_(ids)
        )
    ):
        chosen[response_id].append(StoredAnswer(question, choice, None, False, None))
    members = [
        response_id
        for response_id, found in chosen.items()
        if group in groups_in(dimension, ids, found)
    ]
    # Written into the statement: a large group would exceed SQLite's bound-parameter limit.
    listed = bindparam("members", members, expanding=True, literal_execute=True)
    return select(responses.c.id).where(responses.c.id.in_(listed))
