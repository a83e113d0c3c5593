"""Population benchmarks from a CSV file or staff corrections: validated whole, stored in one go.

The file has the columns ``dimension,group,population`` and optionally
``area`` (blank or missing: the whole jurisdiction). Figures replace the ones
stored earlier for the same dimension and area. A select-all-that-apply
dimension may add a row with group ``total`` giving its population total,
since its groups overlap and their populations add up to more.

Benchmarks are shared by every survey (a Census table describes the area, not a
survey); each survey picks the area whose figures describe its population
(``Survey.settings["benchmark_area"]``). The command line (``engage benchmarks
import``) and the staff pages read files with ``parse_benchmarks`` and store
them with ``import_benchmarks``; corrections go through ``correct_benchmarks``.
Every change writes an audit event with the old and new figures.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, delete, select

from surveys.audit import write_audit
from surveys.messages import N_
from surveys.models import PopulationBenchmark, utcnow

# The group of a select-all-that-apply dimension's population total (see above).
TOTAL = "total"
AUDIT_ENTITY = "population_benchmarks"
REQUIRED_COLUMNS = ("dimension", "group", "population")
OPTIONAL_COLUMNS = ("area",)
MAX_NAME_LENGTH = 100
_WHOLE_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class BenchmarkRow:
    """One population figure."""

    dimension: str
    group: str
    area: str
    population: int
    line: int


@dataclass(frozen=True)
class BenchmarkError:
    """A problem with the file; ``line`` 1 is the header, 0 the whole file."""

    line: int
    message: str  # an N_ string
    params: dict = field(default_factory=dict)


class BenchmarkFileError(ValueError):
    """The file cannot be imported; ``errors`` says why, line by line."""

    def __init__(self, errors: Sequence[BenchmarkError]) -> None:
        self.errors = tuple(errors)
        super().__init__(f"{len(self.errors)} problem(s) in the benchmark file")


def parse_benchmarks(data: bytes) -> list[BenchmarkRow]:
    """Read and check a whole benchmark file; raise BenchmarkFileError listing every problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BenchmarkFileError(
            [BenchmarkError(0, N_("The file is not UTF-8 text. Save it as CSV UTF-8."))]
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        raise BenchmarkFileError([BenchmarkError(0, N_("The file is empty."))])
    columns = [name.strip().lower() for name in header]
    errors: list[BenchmarkError] = []
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        errors.append(
            BenchmarkError(
                1, N_("Missing column(s): %(columns)s."), {"columns": ", ".join(missing)}
            )
        )
    unknown = [name for name in columns if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        errors.append(
            BenchmarkError(
                1,
                N_("Unknown column(s): %(columns)s. Use dimension, group, population and area."),
                {"columns": ", ".join(unknown)},
            )
        )
    if errors:
        raise BenchmarkFileError(errors)
    rows: list[BenchmarkRow] = []
    seen: dict[tuple[str, str, str], int] = {}
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) != len(columns):
            errors.append(
                BenchmarkError(
                    line,
                    N_("Expected %(expected)s values, found %(found)s."),
                    {"expected": len(columns), "found": len(values)},
                )
            )
            continue
        record = {name: value.strip() for name, value in zip(columns, values, strict=True)}
        row_errors = _check_row(record, line)
        if row_errors:
            errors.extend(row_errors)
            continue
        row = BenchmarkRow(
            dimension=record["dimension"],
            group=record["group"],
            area=record.get("area", ""),
            population=int(record["population"]),
            line=line,
        )
        key = (row.dimension, row.group, row.area)
        if key in seen:
            errors.append(
                BenchmarkError(
                    line,
                    N_("This group is already given on line %(line)s."),
                    {"line": seen[key]},
                )
            )
            continue
        seen[key] = line
        rows.append(row)
    if not rows and not errors:
        errors.append(BenchmarkError(0, N_("The file has no figures, only a header.")))
    by_table: dict[tuple[str, str], dict[str, BenchmarkRow]] = {}
    for row in rows:
        by_table.setdefault((row.dimension, row.area), {})[row.group] = row
    for table in by_table.values():
        total = table.get(TOTAL)
        problem = total and _total_error({group: row.population for group, row in table.items()})
        if problem:
            errors.append(BenchmarkError(total.line, problem.message, problem.params))
    if errors:
        raise BenchmarkFileError(errors)
    return rows


def _check_row(record: dict[str, str], line: int) -> list[BenchmarkError]:
    """Return the problems of one row."""
    errors = []
    for name in ("dimension", "group"):
        if not record[name]:
            errors.append(BenchmarkError(line, N_("The %(column)s is empty."), {"column": name}))
    for name in ("dimension", "group", "area"):
        if len(record.get(name, "")) > MAX_NAME_LENGTH:
            errors.append(
                BenchmarkError(
                    line,
                    N_("The %(column)s is longer than %(max)s characters."),
                    {"column": name, "max": MAX_NAME_LENGTH},
                )
            )
    if not _WHOLE_NUMBER.fullmatch(record["population"]):
        errors.append(
            BenchmarkError(
                line,
                N_("The population “%(value)s” is not a whole number of people (0 or more)."),
                {"value": record["population"]},
            )
        )
    return errors


def _total_error(figures: Mapping[str, int]) -> BenchmarkError | None:
    """Return the problem of a ``total`` smaller than one of its groups, if there is one."""
    total = figures.get(TOTAL)
    if total is None:
        return None
    for group, population in figures.items():
        if group != TOTAL and population > total:
            return BenchmarkError(
                0,
                N_(
                    "The total (%(total)s) is smaller than the population of “%(group)s” "
                    "(%(population)s)."
                ),
                {"total": total, "group": group, "population": population},
            )
    return None


def check_figures(
    dimension: str, area: str, values: Mapping[str, str], groups: Collection[str]
) -> tuple[dict[str, int], dict[str, BenchmarkError]]:
    """Read one table's figures as typed (blank: no figure), with the file's rules.

    Returns the figures and the problems keyed by group (``""``: the whole table);
    ``groups`` are the groups the table may have.
    """
    figures: dict[str, int] = {}
    problems: dict[str, BenchmarkError] = {}
    for group, value in values.items():
        value = value.strip()
        if group not in groups:
            problems[group] = BenchmarkError(
                0, N_("“%(group)s” is not a group of this dimension."), {"group": group}
            )
            continue
        if not value:
            continue
        record = {"dimension": dimension, "group": group, "area": area, "population": value}
        row_errors = _check_row(record, 0)
        if row_errors:
            problems[group] = row_errors[0]
        else:
            figures[group] = int(value)
    if not problems:
        total = _total_error(figures)
        if total:
            problems[TOTAL] = total
    return figures, problems


def stored_figures(session: Session, area: str | None = None) -> dict[tuple[str, str], dict]:
    """Return the stored figures ``{(dimension, area): {group: population}}`` (of one area)."""
    statement = select(PopulationBenchmark).order_by(
        PopulationBenchmark.dimension, PopulationBenchmark.area, PopulationBenchmark.id
    )
    if area is not None:
        statement = statement.where(PopulationBenchmark.area == area)
    found: dict[tuple[str, str], dict] = {}
    for row in session.exec(statement):
        found.setdefault((row.dimension, row.area), {})[row.group] = row.population
    return found


def benchmark_sources(session: Session, area: str) -> dict[str, tuple[str | None, object]]:
    """Return each dimension's source and import time in ``area`` (the latest row's)."""
    found: dict[str, tuple[str | None, object]] = {}
    statement = (
        select(PopulationBenchmark)
        .where(PopulationBenchmark.area == area)
        .order_by(PopulationBenchmark.imported_at)
    )
    for row in session.exec(statement):
        found[row.dimension] = (row.source, row.imported_at)
    return found


def benchmark_areas(session: Session) -> list[str]:
    """Return the areas that have figures, the whole jurisdiction (``""``) first."""
    areas = session.exec(select(PopulationBenchmark.area).distinct()).all()
    return sorted(set(areas), key=lambda area: (area != "", area))


def import_benchmarks(
    session: Session, rows: Sequence[BenchmarkRow], source: str | None, user_id: int | None
) -> int:
    """Store a parsed file in place of the figures it covers, with one audit event; not committed.

    Returns how many earlier figures were removed.
    """
    tables = list(dict.fromkeys((row.dimension, row.area) for row in rows))
    before = stored_figures(session)
    removed = replace_benchmarks(session, rows, source)
    after: dict[tuple[str, str], dict] = {}
    for row in rows:
        after.setdefault((row.dimension, row.area), {})[row.group] = row.population
    write_audit(
        session,
        user_id,
        "benchmarks.import",
        AUDIT_ENTITY,
        "import",
        None,
        {"tables": [_table(key, before.get(key, {})) for key in tables]},
        {"tables": [_table(key, after[key]) for key in tables]},
        reason=source,
    )
    return removed


def correct_benchmarks(
    session: Session, dimension: str, area: str, figures: Mapping[str, int], user_id: int | None
) -> bool:
    """Replace one table's figures by checked ones (``check_figures``), audited; not committed.

    Returns False, writing nothing, when the figures are the stored ones. Figures
    keep the table's source; the audit trail says who corrected them.
    """
    before = stored_figures(session, area).get((dimension, area), {})
    if dict(figures) == before:
        return False
    sources = [
        source
        for (source,) in session.execute(
            select(PopulationBenchmark.source).where(
                PopulationBenchmark.dimension == dimension, PopulationBenchmark.area == area
            )
        )
        if source
    ]
    rows = [
        BenchmarkRow(dimension, group, area, population, 0) for group, population in figures.items()
    ]
    if rows:
        replace_benchmarks(session, rows, sources[0] if sources else None)
    else:
        session.exec(
            delete(PopulationBenchmark).where(
                PopulationBenchmark.dimension == dimension, PopulationBenchmark.area == area
            )
        )
        session.flush()
    write_audit(
        session,
        user_id,
        "benchmarks.correct",
        AUDIT_ENTITY,
        dimension[:50],
        None,
        _table((dimension, area), before),
        _table((dimension, area), dict(figures)),
    )
    return True


def _table(key: tuple[str, str], figures: Mapping[str, int]) -> dict:
    """Return one table's figures as the audit trail stores them."""
    return {"dimension": key[0], "area": key[1], "figures": dict(figures)}


def replace_benchmarks(
    session: Session, rows: Sequence[BenchmarkRow], source: str | None = None
) -> int:
    """Replace the stored figures of every (dimension, area) in ``rows``; not committed.

    Returns how many earlier figures were removed.
    """
    removed = 0
    for dimension, area in dict.fromkeys((row.dimension, row.area) for row in rows):
        result = session.exec(
            delete(PopulationBenchmark).where(
                PopulationBenchmark.dimension == dimension, PopulationBenchmark.area == area
            )
        )
        removed += result.rowcount or 0
    now = utcnow()
    session.add_all(
        PopulationBenchmark(
            dimension=row.dimension,
            group=row.group,
            area=row.area,
            population=row.population,
            source=source,
            imported_at=now,
        )
        for row in rows
    )
    session.flush()
    return removed
