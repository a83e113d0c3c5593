"""BCP 47 language tags for survey content, including languages Babel has no data for.

Survey content can be written in any language (Anishinaabemowin, Cree, Inuktitut as
much as French), so nothing here may assume Babel knows the tag: every function
falls back to the tag's own subtags and to small tables of our own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from babel import Locale, UnknownLocaleError

# Languages the built-in texts (Likert labels, the demographic bank) are written in:
# English and French, then the most common home languages of Ontario's residents.
BUILT_IN_LANGUAGES = ("en", "fr", "ar", "ur", "pa", "zh-Hans", "tl", "es", "pt", "ta")

_TAG_PATTERN = re.compile(
    r"""
    (?:[a-z]{2,3}(?:-[a-z]{3}){0,3}|[a-z]{5,8})  # language, optional extended language
    (?:-[a-z]{4})?                               # script
    (?:-(?:[a-z]{2}|[0-9]{3}))?                  # region
    (?:-(?:[a-z0-9]{5,8}|[0-9][a-z0-9]{3}))*     # variants
    (?:-[a-wyz0-9](?:-[a-z0-9]{2,8})+)*          # extensions
    (?:-x(?:-[a-z0-9]{1,8})+)?                   # private use
    """,
    re.VERBOSE | re.IGNORECASE,
)

# Scripts written right to left (ISO 15924 codes).
RTL_SCRIPTS = frozenset({"Arab", "Hebr", "Thaa", "Syrc", "Nkoo", "Adlm", "Rohg", "Mand", "Samr"})
# Languages whose usual script is right to left, for tags Babel does not know.
RTL_LANGUAGES = frozenset({"ar", "ur", "fa", "he", "ps", "sd", "ug", "yi", "ckb", "dv", "ks"})

# Tags a process has worked out (pages ask the same few thousands of times a second);
# the functions cached are pure, and the bound keeps tags typed in a query string from
# growing the caches without end.
TAG_CACHE_SIZE = 1024

# Names in the language itself, checked before Babel. Babel lacks Anishinaabemowin
# and Cree; it knows Inuktitut but older releases did not. Babel reads "tl" as
# Filipino (Philippines), while residents and Statistics Canada say Tagalog.
NATIVE_NAMES = {
    "oj": "Anishinaabemowin",
    "oj-Cans": "ᐊᓂᔑᓈᐯᒧᐎᓐ (Anishinaabemowin)",
    "cr": "ᓀᐦᐃᔭᐍᐏᐣ (Nēhiyawēwin)",
    "iu": "ᐃᓄᒃᑎᑐᑦ",
    "tl": "Tagalog",
}


@lru_cache(maxsize=TAG_CACHE_SIZE)
def normalize_tag(tag: str) -> str:
    """Return ``tag`` in BCP 47's conventional case with hyphens (``fr_ca`` -> ``fr-CA``)."""
    subtags = tag.strip().replace("_", "-").split("-")
    normalized = [subtags[0].lower()]
    after_singleton = False
    for subtag in subtags[1:]:
        # Subtags after an extension or private-use singleton keep lower case.
        if after_singleton or len(subtag) == 1:
            after_singleton = True
            normalized.append(subtag.lower())
        elif len(subtag) == 2 and subtag.isalpha():
            normalized.append(subtag.upper())
        elif len(subtag) == 4 and subtag.isalpha():
            normalized.append(subtag.title())
        else:
            normalized.append(subtag.lower())
    return "-".join(normalized)


def is_valid_tag(tag: str) -> bool:
    """Return whether ``tag`` (after ``normalize_tag``) is well-formed BCP 47 syntax."""
    return bool(tag.strip()) and _TAG_PATTERN.fullmatch(normalize_tag(tag)) is not None


@dataclass(frozen=True)
class TagParts:
    """The subtags of a language tag that matter for display and direction."""

    language: str
    script: str | None
    region: str | None


@lru_cache(maxsize=TAG_CACHE_SIZE)
def split_tag(tag: str) -> TagParts:
    """Return the language, script and region subtags of ``tag``."""
    subtags = normalize_tag(tag).split("-")
    script = region = None
    for subtag in subtags[1:]:
        if len(subtag) == 1:
            break  # extensions and private use follow
        if len(subtag) == 4 and subtag.isalpha() and script is None and region is None:
            script = subtag
        elif (len(subtag) == 2 and subtag.isalpha()) or (len(subtag) == 3 and subtag.isdigit()):
            region = region or subtag
    return TagParts(subtags[0], script, region)


def base_language(tag: str) -> str:
    """Return the primary language subtag (``fr-CA`` -> ``fr``)."""
    return split_tag(tag).language


@lru_cache(maxsize=TAG_CACHE_SIZE)
def _babel_locale(tag: str) -> Locale | None:
    """Return Babel's locale for ``tag``, or None when Babel has no data for it."""
    try:
        return Locale.parse(normalize_tag(tag), sep="-")
    except (UnknownLocaleError, ValueError):
        return None


@lru_cache(maxsize=TAG_CACHE_SIZE)
def text_direction(tag: str) -> str:
    """Return ``"rtl"`` or ``"ltr"``: the direction text in ``tag`` is written in."""
    parts = split_tag(tag)
    locale = _babel_locale(tag)
    # Babel silently drops scripts it has no data for (ur-Latn parses as ur), so an
    # explicit script only defers to Babel when Babel kept it.
    if locale is not None and (parts.script is None or locale.script == parts.script):
        return "rtl" if locale.character_order == "right-to-left" else "ltr"
    if parts.script is not None:
        return "rtl" if parts.script in RTL_SCRIPTS else "ltr"
    return "rtl" if parts.language in RTL_LANGUAGES else "ltr"


@lru_cache(maxsize=TAG_CACHE_SIZE)
def display_name(tag: str, in_language: str | None = None) -> str:
    """Return the name of ``tag``'s language, by default in that language itself.

    Names come from ``NATIVE_NAMES`` (for the language itself), then Babel, then
    ``NATIVE_NAMES`` again for other display languages, and finally the tag itself.
    """
    tag = normalize_tag(tag)
    parts = split_tag(tag)
    if in_language is None:
        own_name = NATIVE_NAMES.get(tag) or NATIVE_NAMES.get(parts.language)
        if own_name:
            return own_name
    naming_locale = _babel_locale(in_language or tag)
    tag_locale = _babel_locale(tag)
    if naming_locale is not None:
        # Deprecated codes (iw for he) are named under the code Babel maps them to.
        name = naming_locale.languages.get(parts.language) or (
            tag_locale and naming_locale.languages.get(tag_locale.language)
        )
        if name:
            details = [
                naming_locale.scripts.get(parts.script) if parts.script else None,
                naming_locale.territories.get(parts.region) if parts.region else None,
            ]
            details = [detail for detail in details if detail]
            return f"{name} ({', '.join(details)})" if details else name
    return NATIVE_NAMES.get(tag) or NATIVE_NAMES.get(parts.language) or tag


@lru_cache(maxsize=TAG_CACHE_SIZE)
def language_name(tag: str, reader_language: str) -> str:
    """Return the name every page shows a reader of ``reader_language`` for ``tag``'s language.

    The survey domain's names come first (``NATIVE_NAMES``: Indigenous languages by
    their own names, Tagalog as residents say it), whatever the reader's language;
    then Babel's name in the reader's language; then the tag. Language pickers are
    the exception: they name each language in itself (``display_name(tag)``), so
    that a reader finds theirs.
    """
    tag = normalize_tag(tag)
    own_name = NATIVE_NAMES.get(tag) or NATIVE_NAMES.get(split_tag(tag).language)
    return own_name or display_name(tag, reader_language)


@dataclass(frozen=True)
class ResolvedText:
    """A text chosen for a reader: ``translated`` is False when it is not in their language."""

    text: str
    language: str
    translated: bool


def resolve_text(texts: dict[str, str], language: str, default_language: str) -> ResolvedText:
    """Pick the text to show a reader of ``language``; never blank if any text exists.

    Order: the exact tag, the base language (``fr-CA`` reads ``fr``), another
    regional form of the same language (``fr`` reads ``fr-CA``), the survey's
    default language, then any text. Empty or blank strings count as missing.
    """
    present = {normalize_tag(tag): text for tag, text in texts.items() if text and text.strip()}
    wanted = normalize_tag(language)
    base = base_language(wanted)
    if wanted in present:
        return ResolvedText(present[wanted], wanted, True)
    if base in present:
        return ResolvedText(present[base], base, True)
    for tag, text in present.items():
        if base_language(tag) == base:
            return ResolvedText(text, tag, True)
    default = normalize_tag(default_language)
    if default in present:
        return ResolvedText(present[default], default, False)
    for tag, text in present.items():
        return ResolvedText(text, tag, False)
    return ResolvedText("", default, False)


def completeness(texts_by_key: dict[str, dict[str, str]], language: str) -> tuple[int, int]:
    """Return (translated, total) over the texts that exist in some language.

    A text nobody wrote in any language (an empty hint, say) is not counted, so a
    survey can reach 100% in every language.
    """
    wanted = normalize_tag(language)
    total = translated = 0
    for texts in texts_by_key.values():
        present = {normalize_tag(tag) for tag, text in texts.items() if text and text.strip()}
        if present:
            total += 1
            translated += wanted in present
    return translated, total
