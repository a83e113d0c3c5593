"""The ``type`` cell: XLSForm's keywords, their aliases, and what Engage makes of each."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from surveys.definition import DATE, NOTE, NUMBER, RATING, SHORT_TEXT
from surveys.languages import base_language

# Engage's column of favourable choices: on the choices sheet, yes or no per choice;
# on the survey sheet (a range), its favourable points separated by spaces, or "no".
FAVOURABLE_COLUMN = "favourable"
NO_FAVOURABLE = "no"
# Engage's column of staff's analysis switch of a free-text question: yes, or no for a name
# or a postal code field; empty keeps the default (analysed).
ANALYSE_COLUMN = "analyse"

_SELECT_KEYWORDS = {
    "add select one prompt using": "select_one",
    "add select multiple prompt using": "select_multiple",
    "select all that apply from": "select_multiple",
    "select multiple from file": "select_multiple_from_file",
    "select one from file": "select_one_from_file",
    "select multiple from": "select_multiple",
    "select one from": "select_one",
    "select all that apply": "select_multiple",
    "select_one_from_file": "select_one_from_file",
    "select_multiple_from_file": "select_multiple_from_file",
    "select_one_external": "select_one_external",
    "select one external": "select_one_external",
    "select_multiple": "select_multiple",
    "select multiple": "select_multiple",
    "select_one": "select_one",
    "select one": "select_one",
    "select1": "select_one",
    "rank": "rank",
    "osm": "osm",
}
_TYPE_ALIASES = {
    "string": "text",
    "int": "integer",
    "begin_group": "begin group",
    "end_group": "end group",
    "begin_repeat": "begin repeat",
    "end_repeat": "end repeat",
    "begin looped group": "begin repeat",
    "end looped group": "end repeat",
    "begin lgroup": "begin repeat",
    "end lgroup": "end repeat",
    "imei": "deviceid",
    "photo": "image",
}
KIND_OF_TYPE = {
    "text": SHORT_TEXT,
    "integer": NUMBER,
    "decimal": NUMBER,
    "range": RATING,
    "date": DATE,
    "note": NOTE,
}
# Plural descriptions read naturally in "... are not supported".
UNSUPPORTED_TYPES = {
    "calculate": "calculated fields",
    "hidden": "hidden fields",
    "select_one_external": "external choice lists (select_one_external)",
    "select_one_from_file": "choice lists from files",
    "select_multiple_from_file": "choice lists from files",
    "osm": "OpenStreetMap questions",
    "geopoint": "map location questions",
    "geotrace": "map line questions",
    "geoshape": "map area questions",
    "image": "image uploads",
    "audio": "audio recordings",
    "video": "video recordings",
    "file": "file uploads",
    "barcode": "barcode scans",
    "acknowledge": "acknowledge questions",
    "trigger": "trigger questions",
    "rank": "ranking questions",
    "time": "time questions",
    "datetime": "date-and-time questions",
    "xml-external": "external data files",
    "csv-external": "external data files",
    "background-geopoint": "background location fields",
}
METADATA_TYPES = {
    "start",
    "end",
    "today",
    "deviceid",
    "username",
    "phonenumber",
    "simserial",
    "subscriberid",
    "email",
    "audit",
    "start-geopoint",
    "background-audio",
}


@dataclass(frozen=True)
class QuestionType:
    """A parsed ``type`` cell: canonical keyword, choice list and ``or_other``."""

    keyword: str
    list_name: str = ""
    or_other: bool = False


def parse_type(text: str) -> QuestionType:
    """Parse a ``type`` cell, accepting the spec's aliases and any letter case."""
    words = text.split()
    lowered = " ".join(words).lower()
    for prefix in sorted(_SELECT_KEYWORDS, key=len, reverse=True):
        if lowered == prefix or lowered.startswith(prefix + " "):
            rest = words[len(prefix.split()) :]
            tail = " ".join(rest[1:]).lower()
            return QuestionType(
                _SELECT_KEYWORDS[prefix],
                rest[0] if rest else "",
                tail in ("or_other", "or specify other"),
            )
    return QuestionType(_TYPE_ALIASES.get(lowered, lowered))


def default_labels(labels: dict[str, Any], languages: Iterable[str]) -> dict[str, Any]:
    """Return built-in labels for each language, English where there is no translation."""
    return {
        tag: labels.get(tag) or labels.get(base_language(tag)) or labels["en"] for tag in languages
    }
