"""The intake blueprint, the display names its templates use, and its template helpers."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from engage.intake.shared import is_staff
from engage.labels import language_name
from surveys.languages import ResolvedText, normalize_tag, text_direction
from surveys.models import (
    ATTRIBUTION_NAMED,
    ATTRIBUTION_NO_QUOTE,
    CHANNEL_IN_PERSON,
    CHANNEL_PAPER,
    CHANNEL_PHONE,
    CHANNEL_WEB,
    RESPONSE_FLAGGED,
    RESPONSE_SUBMITTED,
    RESPONSE_VERIFIED,
)
from surveys.questions import QuestionType, question_type

bp = Blueprint("intake", __name__, url_prefix="/intake")

CHANNEL_NAMES = {
    CHANNEL_PAPER: _l("Paper form"),
    CHANNEL_PHONE: _l("Phone interview"),
    CHANNEL_IN_PERSON: _l("In-person interview"),
    CHANNEL_WEB: _l("Online"),
}

STATUS_NAMES = {
    RESPONSE_SUBMITTED: _l("Not reviewed"),
    RESPONSE_VERIFIED: _l("Verified"),
    RESPONSE_FLAGGED: _l("Flagged"),
}

SESSION_KIND_NAMES = {
    "elder_circle": _l("Elder circle"),
    "focus_group": _l("Focus group"),
    "community_meeting": _l("Community meeting"),
}

CONSENT_NAMES = {"oral": _l("Oral"), "written": _l("Written")}

ATTRIBUTION_NAMES = {
    ATTRIBUTION_NAMED: _l("Quotes may be used with the speaker’s name"),
    "anonymous": _l("Quotes may be used without names"),
    ATTRIBUTION_NO_QUOTE: _l("Do not quote: notes are for analysis only"),
}

FEEDBACK_KIND_NAMES = {"note": _l("Note"), "quote": _l("Quote")}

SENTIMENT_NAMES = {
    "negative": _l("negative"),
    "neutral": _l("neutral"),
    "positive": _l("positive"),
}


@bp.app_template_filter("lang_attrs")
def lang_attrs(resolved: ResolvedText, language: str) -> str:
    """Return ``lang``/``dir`` attributes when a text is not in the surrounding language."""
    if not resolved.text or normalize_tag(resolved.language) == normalize_tag(language):
        return Markup("")
    return Markup(f' lang="{escape(resolved.language)}" dir="{text_direction(resolved.language)}"')


@bp.app_template_filter("question_type")
def question_type_of(question) -> QuestionType:
    """Return a question's type, which the paper form and entry screen ask what to draw."""
    return question_type(question.kind)


@bp.context_processor
def intake_names():
    """Give the intake templates the translated names of channels, kinds and states."""
    return {
        "channel_names": CHANNEL_NAMES,
        "status_names": STATUS_NAMES,
        "session_kind_names": SESSION_KIND_NAMES,
        "consent_names": CONSENT_NAMES,
        "attribution_names": ATTRIBUTION_NAMES,
        "feedback_kind_names": FEEDBACK_KIND_NAMES,
        "sentiment_names": SENTIMENT_NAMES,
        "language_name": language_name,
        "is_staff": is_staff(),
    }
