"""Language columns: the tag of ``label::English (en)``, ``label::fr``, ``label::Español``."""

from __future__ import annotations

import re
from functools import cache

from babel import Locale, localedata

from surveys.languages import NATIVE_NAMES, base_language, display_name, normalize_tag

_TAG_SHAPE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")
_TRAILING_PARENTHESES = re.compile(r"\(([^()]*)\)\s*$")


def language_tag(text: str) -> str | None:
    """Return the BCP 47 tag for an XLSForm language ("English (en)", "fr", "Español")."""
    text = text.strip()
    in_parentheses = _TRAILING_PARENTHESES.search(text)
    if in_parentheses and _TAG_SHAPE.match(in_parentheses[1].strip()):
        return normalize_tag(in_parentheses[1])
    if _TAG_SHAPE.match(text) and base_language(text) in _english_language_names():
        return normalize_tag(text)
    by_name = _tag_for_language_name(text)
    if by_name is None and in_parentheses:
        by_name = _tag_for_language_name(text[: in_parentheses.start()])
    if by_name is not None:
        return by_name
    return normalize_tag(text) if _TAG_SHAPE.match(text) else None


def language_header(tag: str) -> str:
    """Return the XLSForm column suffix for a tag: ``English (en)``, ``Ojibwa (oj)``."""
    # ODK tools expect "Name (tag)" with the name in English.
    name = display_name(tag, in_language="en")
    return f"{name} ({tag})" if name != tag else tag


@cache
def _english_language_names() -> dict[str, str]:
    """Babel's English names of languages, keyed by its identifiers (``fr_CA``)."""
    return dict(Locale("en").languages)


@cache
def _language_names_in(locale: str) -> dict[str, str]:
    """Map lower-case language names written in ``locale`` to BCP 47 tags."""
    names: dict[str, str] = {}
    for identifier, name in Locale(locale).languages.items():
        names.setdefault(name.lower(), normalize_tag(identifier))
    return names


@cache
def _autonyms() -> dict[str, str]:
    """Map each language's name for itself ("español") to its tag; slow, built once."""
    names: dict[str, str] = {}
    for identifier in localedata.locale_identifiers():
        if "_" not in identifier:
            name = Locale.parse(identifier).languages.get(identifier)
            if name:
                names.setdefault(name.lower(), normalize_tag(identifier))
    return names


def _tag_for_language_name(name: str) -> str | None:
    """Find a tag for a language named in English, French or in the language itself."""
    key = name.strip().lower()
    if not key:
        return None
    own_names = {own.lower(): tag for tag, own in NATIVE_NAMES.items()}
    return (
        own_names.get(key)
        or _language_names_in("en").get(key)
        or _language_names_in("fr").get(key)
        or _autonyms().get(key)
    )
