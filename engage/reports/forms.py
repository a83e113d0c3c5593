"""The report filters and the chosen views: forms read from (and written to) the query string."""

from __future__ import annotations

from urllib.parse import urlencode

from flask import g, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional, ValidationError

from engage import db
from engage.charts.dashboard import View
from engage.i18n import select_locale
from engage.labels import SENTIMENT_NAMES, channel_name, language_name
from surveys.aggregates import Filters
from surveys.languages import resolve_text
from surveys.models import CHANNELS, SENTIMENT_LABELS, Survey
from surveys.models import Response as ResponseRow
from surveys.recording import AREA_DIMENSION
from surveys.store import choice_key, load_texts


class FilterForm(FlaskForm):
    """The report filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[Optional()])
    end = DateField(_l("To"), validators=[Optional()])
    channel = SelectMultipleField(_l("Channel"), choices=[], validate_choice=True)
    language = SelectMultipleField(_l("Language"), choices=[], validate_choice=True)
    area = SelectMultipleField(_l("Area"), choices=[], validate_choice=True)

    def validate_end(self, end):
        if end.data and self.start.data and end.data < self.start.data:
            raise ValidationError(_("The last day comes before the first."))

    def filters(self):
        """Return the valid filters as the query layer's ``Filters``."""
        return Filters(
            start=self.start.data,
            end=self.end.data,
            channels=tuple(self.channel.data or ()),
            languages=tuple(self.language.data or ()),
            areas=tuple(self.area.data or ()),
        )


FILTER_NAMES = ("start", "end", "channel", "language", "area")

VIEW_NAMES = ("question", "dimension", "by", "comments_question")


def interface_tag() -> str:
    """Return the interface language, for survey labels in the report."""
    select_locale()
    return g.interface_language


def area_choices(session, survey: Survey) -> list[SelectChoice]:
    """Return the areas to filter by: the survey's own, named, then any other recorded.

    A response's area is the choice its ward-or-area question got (or a broker
    recorded); the names are that question's choice labels in the reader's language.
    """
    texts = load_texts(session, survey.id)
    names: dict[str, str] = {}
    for question in survey.questions:
        if question.dimension != AREA_DIMENSION:
            continue
        for choice in question.choices:
            found = texts.get(choice_key(question.name, choice.name))
            text = found and resolve_text(found, interface_tag(), survey.default_language).text
            names.setdefault(choice.name, text or choice.name)
    recorded = session.exec(
        select(ResponseRow.area)
        .where(ResponseRow.survey_id == survey.id, ResponseRow.area.is_not(None))
        .distinct()
        .order_by(ResponseRow.area)
    ).scalars()
    for area in recorded:
        names.setdefault(area, area)
    return [SelectChoice(code, name) for code, name in names.items()]


def filter_form(survey: Survey) -> FilterForm:
    """Return the filter form bound to the query string, with the survey's choices."""
    session = db.get_session()
    form = FilterForm(formdata=request.args)
    form.channel.choices = [SelectChoice(code, channel_name(code)) for code in CHANNELS]
    languages = list(
        dict.fromkeys(
            [
                *survey.languages,
                *session.exec(
                    select(ResponseRow.language)
                    .where(ResponseRow.survey_id == survey.id)
                    .distinct()
                ).scalars(),
            ]
        )
    )
    form.language.choices = [SelectChoice(tag, language_name(tag)) for tag in languages]
    form.area.choices = area_choices(session, survey)
    return form


def query_args(**changes) -> dict:
    """Return the current query string as a dict, with ``changes`` applied."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = value if isinstance(value, list) else [value]
    return args


def filter_args() -> dict:
    """Return only the filters of the current query string."""
    return {key: request.args.getlist(key) for key in FILTER_NAMES if request.args.getlist(key)}


def current_url(endpoint: str, **changes) -> str:
    """Return ``endpoint``'s address with the current query string and ``changes``."""
    args = query_args(**changes)
    base = url_for(endpoint, slug=request.view_args["slug"])
    query = urlencode(args, doseq=True)
    return base + ("?" + query if query else "")


def view_from_args() -> View:
    """Return the reader's chosen views from the query string."""
    return View(**{name: request.args.get(name) or None for name in VIEW_NAMES})


SENTIMENT_FILTERS = (*SENTIMENT_LABELS, "unscored")


class CommentFilterForm(FilterForm):
    """The explorer's filters: the report filters plus question, group, label and text."""

    question = SelectField(_l("Question"), choices=[], default="", validate_choice=True)
    group = SelectField(_l("Respondent group"), choices=[], default="", validate_choice=True)
    sentiment = SelectField(_l("Sentiment"), choices=[], default="", validate_choice=True)
    q = StringField(_l("Text contains"), validators=[Optional(), Length(max=200)])
    page = HiddenField()


class OverrideForm(FlaskForm):
    """Staff's correction of a comment's sentiment label."""

    label = SelectField(
        _l("Sentiment label"),
        choices=[
            SelectChoice("", _l("As scored")),
            *(SelectChoice(name, SENTIMENT_NAMES[name]) for name in SENTIMENT_LABELS),
        ],
        validate_choice=True,
    )
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])
    next = HiddenField()
