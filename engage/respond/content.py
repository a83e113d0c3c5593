"""The survey's language for this resident and its texts in it, marked when in another language."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import g, request, session
from flask_babel import gettext as _
from markupsafe import Markup, escape

from engage.i18n import requested_language, select_locale
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


# A left-to-right run inside right-to-left text: Latin letters and European digits with what
# joins them in an address, a phone number or an e-mail address ("10 Peel Centre Drive",
# "905-555-0100", "engage@region.example.ca"). Left to the bidirectional algorithm, an
# Arabic sentence shows the first as "Peel Centre Drive 10" and the second as 0100-555-905.
_LATIN = "0-9A-Za-z\u00c0-\u024f"
_LTR_RUN = re.compile(f"([{_LATIN}](?:[{_LATIN} .,'@_/+&-]*[{_LATIN}])?)")


def isolate_ltr_runs(text: str) -> Markup:
    """Return ``text`` escaped, each left-to-right run in ``<bdi dir="ltr">`` (Unicode UAX #9)."""
    return Markup("").join(
        Markup('<bdi dir="ltr">%s</bdi>') % part if index % 2 else escape(part)
        # The pattern captures, so split returns text and runs in turn.
        for index, part in enumerate(_LTR_RUN.split(text))
    )


def interface_html(text: str) -> Markup:
    """Return an interface message for HTML, left-to-right runs isolated in a right-to-left one.

    "أدخل رقم هاتف مثل 905-555-0100." would otherwise show the number as 0100-555-905.
    """
    select_locale()  # sets g.interface_language
    if text_direction(g.interface_language) == "rtl":
        return isolate_ltr_runs(text)
    return escape(text)


@dataclass(frozen=True)
class Shown:
    """Survey content as shown, with the ``lang``/``dir`` it needs when not in the page's.

    ``rtl`` text isolates its left-to-right runs when written into HTML (``html``).
    """

    text: str
    attrs: Markup = field(default_factory=Markup)
    rtl: bool = False

    @property
    def html(self) -> Markup:
        """Return the text for an HTML body (never for ``<title>`` or an attribute)."""
        return isolate_ltr_runs(self.text) if self.rtl else escape(self.text)

    @property
    def paragraphs(self) -> list[Markup]:
        """Return the text split at blank lines, each as ``html``."""
        parts = [part.strip() for part in re.split(r"\n\s*\n", self.text) if part.strip()]
        return [isolate_ltr_runs(part) if self.rtl else escape(part) for part in parts]


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
        direction = text_direction(resolved.language)
        if resolved.language == self.page_language:
            return Shown(resolved.text, rtl=direction == "rtl")
        attrs = Markup(' lang="%s" dir="%s"') % (resolved.language, direction)
        return Shown(resolved.text, attrs, rtl=direction == "rtl")

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
