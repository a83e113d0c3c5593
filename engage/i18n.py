"""Interface language: Flask-Babel wiring, the language picker and text direction.

The interface speaks the languages that have catalogs in ``translations/``.
Survey content may be in any BCP 47 language; a page about a survey sets
``g.page_language`` so that ``<html lang dir>`` follow the content.
"""

from urllib.parse import urlencode

from babel import Locale
from flask import Flask, g, request, session
from flask_babel import Babel, get_translations
from markupsafe import Markup

from engage.config import resource_folder
from surveys.languages import (
    display_name,
    is_valid_tag,
    normalize_tag,
    split_tag,
    text_direction,
)

# BCP 47 tags of the interface catalogs, in picker order.
INTERFACE_LANGUAGES = ("en", "fr", "ar", "ur", "pa", "zh-Hans", "tl", "es", "pt", "ta")


def babel_locale_id(tag: str) -> str:
    """Return the catalog folder name of an interface tag (``zh-Hans`` -> ``zh_Hans``)."""
    return tag.replace("-", "_")


def requested_language() -> str:
    """Return the language the visitor asked for: ``?lang=``, then remembered, then browser."""
    asked = request.args.get("lang", "").strip()
    if asked and is_valid_tag(asked):
        tag = normalize_tag(asked)
        session["lang"] = tag
        return tag
    remembered = session.get("lang")
    if remembered:
        return remembered
    browser = request.accept_languages.best_match(
        list(INTERFACE_LANGUAGES) + [babel_locale_id(t) for t in INTERFACE_LANGUAGES]
    )
    return normalize_tag(browser) if browser else default_language()


def default_language() -> str:
    """Return the configured default language."""
    from flask import current_app

    return current_app.config["DEFAULT_LANGUAGE"]


def interface_language(tag: str | None = None) -> str:
    """Map any language tag to the interface language that will be used for it."""
    tag = tag or requested_language()
    if tag in INTERFACE_LANGUAGES:
        return tag
    base = tag.split("-")[0]
    for candidate in INTERFACE_LANGUAGES:
        if candidate.split("-")[0] == base and (base != "zh" or "Hant" not in tag):
            return candidate
    return default_language()


def select_locale() -> str:
    """Flask-Babel locale selector."""
    if "interface_language" not in g:
        g.interface_language = interface_language()
    return babel_locale_id(g.interface_language)


def page_language() -> str:
    """Return the language of the page's main content (survey content or interface)."""
    return g.get("page_language") or g.get("interface_language") or select_locale()


def interface_lang_attrs(page_tag: str, interface_tag: str) -> Markup:
    """Return `` lang=".." dir=".."`` for interface text on a page whose content is in another
    language (a survey in Anishinaabemowin shown with English buttons), else nothing."""
    page, interface = split_tag(page_tag), split_tag(interface_tag)
    if page.language == interface.language and (page.script or interface.script) == (
        interface.script or page.script
    ):
        return Markup("")
    return Markup(' lang="%s" dir="%s"') % (interface_tag, text_direction(interface_tag))


def language_choices() -> list[tuple[str, str]]:
    """Return (tag, name in its own language and script) for the picker."""
    return [(tag, display_name(tag)) for tag in INTERFACE_LANGUAGES]


def language_url(tag: str) -> str:
    """Return the current page's address with ``lang`` set to ``tag``."""
    args = request.args.to_dict(flat=False)
    args["lang"] = [tag]
    return request.base_url + "?" + urlencode(args, doseq=True)


def request_translations():
    """Return the request's Flask-Babel translations, kept with the locale they are for.

    A page translates a hundred strings; Flask-Babel's ``get_translations`` looks up
    its context, domain and locale for each. Kept beside Flask-Babel's own locale,
    so ``force_locale`` (an e-mail in the resident's language) and ``refresh``, which
    replace or drop that locale, are followed at once.
    """
    try:
        context = g._flask_babel
        kept_for, translations = context.engage_translations
        if kept_for is context.babel_locale:
            return translations
    except AttributeError:
        pass
    translations = get_translations()
    context = getattr(g, "_flask_babel", None)
    if context is not None and getattr(context, "babel_locale", None) is not None:
        context.engage_translations = (context.babel_locale, translations)
    return translations


def init_app(app: Flask) -> None:
    """Wire Flask-Babel to ``translations/`` and expose language helpers to templates."""
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", resource_folder("translations"))
    Babel(app, locale_selector=select_locale)
    # Templates look their translations up once per locale and request (see
    # ``request_translations``), not once per string as Flask-Babel's callables do.
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
    )

    @app.context_processor
    def language_context():
        select_locale()
        language = page_language()
        return {
            "page_language": language,
            "page_direction": text_direction(language),
            "interface_language": g.interface_language,
            "interface_attrs": interface_lang_attrs(language, g.interface_language),
            "language_choices": language_choices(),
            "babel_locale": Locale.parse(babel_locale_id(g.interface_language)),
            "language_url": language_url,
        }
