"""Label the comments of a CSV file (columns text and language): ``engage sentiment label``.

Each row is labelled by ``analysis.sentiment.label_comment``, the path stored comments
take, and written back with every column it had plus ``label`` (negative, neutral,
positive or unscored), ``polarity`` (blank when unscored) and ``method``.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from analysis.sentiment import UNSCORED, SentimentCutoffs, label_comment
from surveys.languages import is_valid_tag
from surveys.messages import N_

REQUIRED_COLUMNS = ("text", "language")
ADDED_COLUMNS = ("label", "polarity", "method")


@dataclass
class SentimentFileError(ValueError):
    """The file cannot be labelled; ``message`` (an ``N_`` string) says why."""

    message: str
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message % self.params if self.params else self.message


def label_csv(data: bytes, cutoffs: SentimentCutoffs) -> str:
    """Return the CSV text of ``data`` with each row's label, polarity and method added."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SentimentFileError(N_("The file is not UTF-8 text. Save it as CSV UTF-8.")) from None
    if "\x00" in text:
        raise SentimentFileError(N_("The file is not a CSV file."))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise SentimentFileError(
            N_("The file is not valid CSV: %(problem)s."), {"problem": str(error)}
        ) from None
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise SentimentFileError(N_("The file is empty."))
    header = [name.strip() for name in rows[0]]
    lowered = [name.lower() for name in header]
    missing = [name for name in REQUIRED_COLUMNS if name not in lowered]
    if missing:
        raise SentimentFileError(
            N_("Missing column(s): %(columns)s. The file needs text and language."),
            {"columns": ", ".join(missing)},
        )
    text_at, language_at = lowered.index("text"), lowered.index("language")
    # Earlier label, polarity or method columns are replaced, not repeated.
    kept = [i for i, name in enumerate(lowered) if name not in ADDED_COLUMNS]
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\n")
    writer.writerow([header[i] for i in kept] + list(ADDED_COLUMNS))
    for line, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise SentimentFileError(
                N_("Line %(line)s has %(found)s values; the header has %(expected)s."),
                {"line": line, "found": len(row), "expected": len(header)},
            )
        language = row[language_at].strip()
        label, sentiment = (
            label_comment(row[text_at], language, cutoffs)
            if is_valid_tag(language)
            else (UNSCORED, None)
        )
        writer.writerow(
            [row[i] for i in kept]
            + [
                label,
                "" if sentiment is None else f"{sentiment.polarity:.4f}",
                "" if sentiment is None else sentiment.method,
            ]
        )
    return output.getvalue()
