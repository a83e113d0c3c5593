"""Population benchmarks from a CSV file: validated whole, then stored in one go.

The file has the columns ``dimension,group,population`` and optionally
``area`` (blank or missing: the whole jurisdiction). Figures replace the ones
stored earlier for the same dimension and area. A select-all-that-apply
dimension may add a row with group ``total`` giving its population total,
since its groups overlap and their populations add up to more.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlmodel import Session, delete

from surveys.messages import N_
from surveys.models import PopulationBenchmark, utcnow

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
