"""Display names of codes (channels, sentiment, flags, tests, statuses) and report groups."""

from __future__ import annotations

import re
from collections.abc import Mapping

from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from surveys import languages
from surveys.models import (
    CHANNEL_GROUP,
    CHANNEL_IN_PERSON,
    CHANNEL_PAPER,
    CHANNEL_PHONE,
    CHANNEL_WEB,
    SURVEY_STATUSES,
)

CHANNEL_NAMES = {
    CHANNEL_WEB: _l("Online"),
    CHANNEL_PAPER: _l("Paper form"),
    CHANNEL_PHONE: _l("Phone interview"),
    CHANNEL_IN_PERSON: _l("In-person interview"),
    CHANNEL_GROUP: _l("Group session"),
}

SENTIMENT_NAMES = {
    "negative": _l("Negative"),
    "neutral": _l("Neutral"),
    "positive": _l("Positive"),
    "unscored": _l("Not scored"),
}

FLAG_NAMES = {
    "under": _l("▼ Under-represented"),
    "over": _l("▲ Over-represented"),
    "within": _l("Within the thresholds"),
    "unknown": _l("No population figure"),
    "not_asked": _l("Not asked: outside the survey's population"),
}

TEST_NAMES = {
    "chi_square": _l("Pearson's chi-square test"),
    "fisher_exact": _l("Fisher's exact test"),
    "fisher_exact_monte_carlo": _l("Fisher's exact test (Monte Carlo)"),
    "not_applicable": _l("No test"),
}

SESSION_KIND_NAMES = {
    "elder_circle": _l("Elder circle"),
    "focus_group": _l("Focus group"),
    "community_meeting": _l("Community meeting"),
}

STATUS_NAMES = dict(zip(SURVEY_STATUSES, (_l("Draft"), _l("Open"), _l("Closed")), strict=True))


def channel_name(code: str) -> str:
    """Return a channel's name in the interface language."""
    return str(CHANNEL_NAMES.get(code, code))


def language_name(tag: str) -> str:
    """Return a language's name for the reader: the one name every page uses.

    ``surveys.languages.language_name``: the survey domain's own names (Indigenous
    languages by their own names), else Babel's name in the language the page's
    interface is in (the reader's, or the one a report is forced into).
    """
    try:
        return languages.language_name(tag, reader_language())
    except ValueError:
        return tag


def language_label(tag: str) -> str:
    """Return a language's name (``language_name``) with its tag: ``French (fr)``."""
    name = language_name(tag)
    return f"{name} ({tag})" if name != tag else tag


# Languages the language pickers suggest (any tag may be typed): the interface languages
# and Ontario's Indigenous languages most often asked for.
SUGGESTED_LANGUAGES = (
    "en",
    "fr",
    "ar",
    "ur",
    "pa",
    "zh-Hans",
    "tl",
    "es",
    "pt",
    "ta",
    "oj",
    "cr",
    "iu",
)


def reader_language() -> str:
    """Return the tag of the language the interface is in (the locale in force)."""
    locale = get_locale()
    return languages.normalize_tag(str(locale)) if locale else "en"


def short_label(text: str, limit: int = 34) -> str:
    """Return a chart axis label: without a parenthesised example, and not too long."""
    text = re.sub(r"\s*\(.*\)\s*$", "", text).strip() or text
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def summary_name(row: Mapping) -> str:
    """Return a group's name for a sentence: without its parenthesised examples."""
    return short_label(group_name(row), 60)


def group_name(row: Mapping) -> str:
    """Return the name of a report row's group, prefer-not and no-answer included."""
    if row.get("kind") == "prefer_not" or row.get("group") == "prefer_not_to_answer":
        return _("Prefer not to answer")
    if row.get("kind") == "no_answer" or row.get("group") == "no_answer":
        return _("No answer")
    return row.get("label") or row.get("group") or ""
