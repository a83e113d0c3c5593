"""The survey's language for this resident and its texts in it, marked when in another language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import request, session
from flask_babel import gettext as _
from markupsafe import Markup

from engage.i18n import requested_language
from surveys.languages import (
    ResolvedText,
    base_language,
    display_name,
    normalize_tag,
    resolve_text,
    text_direction,
)
from surveys.models import Survey


def offered_languages(survey: Survey) -> list[str]:
    """Return the survey's languages, default first when it is missing from the list."""
    languages = [normalize_tag(tag) for tag in survey.languages or ()]
    default = normalize_tag(survey.default_language)
    return languages if default in languages else [default, *languages]


def closest_language(wanted: str, offered: list[str], default: str) -> str:
    """Return the offered tag closest to ``wanted``: exact, base language, regional form."""
    wanted = normalize_tag(wanted)
    base = base_language(wanted)
    for candidate in (wanted, base):
        if candidate in offered:
            return candidate
    for tag in offered:
        if base_language(tag) == base:
            return tag
    return normalize_tag(default)


def survey_language(survey: Survey) -> str:
    """Return the language to show ``survey`` in: asked for, remembered, else the browser's.

    Survey languages may have no interface catalog (Inuktitut, Cree), so the browser's
    preferences are matched against the survey's own languages here.
    """
    offered = offered_languages(survey)
    asked = requested_language()
    if "lang" not in session:
        browser = request.accept_languages.best_match(offered)
        if browser:
            asked = browser
    return closest_language(asked, offered, survey.default_language)


@dataclass(frozen=True)
class Shown:
    """Survey content as shown, with the ``lang``/``dir`` it needs when not in the page's."""

    text: str
    attrs: Markup = field(default_factory=Markup)

    @property
    def paragraphs(self) -> list[str]:
        """Return the text split at blank lines."""
        return [part.strip() for part in re.split(r"\n\s*\n", self.text) if part.strip()]


class SurveyContent:
    """A survey's texts in one language, falling back to the default language.

    ``page_language`` is the page's ``<html lang>``: text in any other language is
    marked with its own ``lang`` and ``dir`` so that screen readers pronounce it right.
    """

    def __init__(
        self, texts: dict, language: str, default_language: str, page_language: str | None = None
    ):
        self.texts = texts
        self.language = language
        self.default_language = default_language
        self.page_language = normalize_tag(page_language or language)

    def shown(self, resolved: ResolvedText) -> Shown:
        """Mark text shown in another language than the page's, for screen readers."""
        if resolved.language == self.page_language:
            return Shown(resolved.text)
        attrs = Markup(' lang="%s" dir="%s"') % (
            resolved.language,
            text_direction(resolved.language),
        )
        return Shown(resolved.text, attrs)

    def get(self, key: str, built_in: dict[str, str] | None = None) -> Shown | None:
        """Return the text under ``key`` (the survey's own before ``built_in``), or None."""
        candidates = {**(built_in or {}), **self.texts.get(key, {})}
        resolved = resolve_text(candidates, self.language, self.default_language)
        return self.shown(resolved) if resolved.text else None


def notice_texts(content: SurveyContent) -> list[tuple[str, Shown]]:
    """Return the notice of collection's parts that the survey has: (heading, text)."""
    parts = (
        ("notice.purpose", _("Why we collect this information")),
        ("notice.authority", _("Legal authority")),
        ("notice.contact", _("Questions about this collection")),
    )
    return [(heading, text) for key, heading in parts if (text := content.get(key))]


def survey_language_choices(survey: Survey) -> list[tuple[str, str]]:
    """Return (tag, name in that language) for the survey's languages."""
    return [(tag, display_name(tag)) for tag in offered_languages(survey)]
