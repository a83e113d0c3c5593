"""The settings forms, and the rules each setting is checked against before it is stored."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    RadioField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional

from analysis.disclosure import POLICIES, RANDOM_ROUNDING_TITLE
from engage.manage.forms import add_error
from engage.settings.context import SurveyContext

# The smallest and largest minimum cell size staff may set. CIHI suppresses
# counts under 5 (CIHI, Privacy and Confidentiality of Health Information, cell
# size policy); Statistics Canada commonly uses 10 for survey counts. Below 5 a
# published count can point to a person; above 100 a municipal survey's tables
# would be almost all withheld.
MIN_CELL_RANGE = (5, 100)

QUOTE_NONE = "none"
QUOTE_ALL = "all"
QUOTE_CONSENT = "consent_question"
QUOTE_POLICIES = {
    QUOTE_NONE: _l("Quote no comments"),
    QUOTE_ALL: _l("Quote any comment (the notice of collection said comments may be published)"),
    QUOTE_CONSENT: _l("Quote only respondents who agreed, by their answer to a question"),
}


def _strip(value):
    """Strip surrounding blanks from submitted text."""
    return value.strip() if isinstance(value, str) else value


class AreaForm(FlaskForm):
    """The area whose population benchmarks describe the survey's population."""

    area = SelectField(_l("Population figures of"), validate_choice=False)


class WeightingForm(FlaskForm):
    """The dimensions the weighted figures rake to."""

    dimensions = SelectMultipleField(_l("Weight by"), validate_choice=False)


class DisclosureForm(FlaskForm):
    """How small numbers are withheld."""

    policy = RadioField(_l("Disclosure policy"), validate_choice=False)
    min_cell = StringField(_l("Minimum cell size"), filters=[_strip])
    random_rounding = BooleanField(_l(RANDOM_ROUNDING_TITLE))


class QuotingForm(FlaskForm):
    """Whose comments reports may quote."""

    policy = RadioField(
        _l("Which comments may be quoted"),
        choices=[SelectChoice(name, title) for name, title in QUOTE_POLICIES.items()],
        validate_choice=False,
    )
    question = SelectField(_l("Consent question"), validate_choice=False)
    choices = SelectMultipleField(_l("Answers that give consent"), validate_choice=False)


class BenchmarkUploadForm(FlaskForm):
    """A benchmark CSV file, as ``engage benchmarks import`` reads it."""

    file = FileField(_l("Benchmark file (.csv)"), validators=[FileRequired(_l("Choose a file."))])
    source = StringField(
        _l("Source (optional)"),
        filters=[_strip],
        validators=[Optional(), Length(max=300, message=_l("Use 300 characters at most."))],
    )


def reference_form_class(context: SurveyContext) -> type[FlaskForm]:
    """Return a form with one choice of reference group per dimension (``ref_<dimension>``)."""

    class ReferenceGroupsForm(FlaskForm):
        """The group each dimension's other groups are compared with."""

    for dimension in context.dimensions.values():
        choices = [SelectChoice("", _("The largest group (the default)"))] + [
            SelectChoice(group, label) for group, label in dimension.groups
        ]
        field = SelectField(dimension.label, choices=choices, validate_choice=False)
        setattr(ReferenceGroupsForm, f"ref_{dimension.key}", field)
    return ReferenceGroupsForm


def reference_groups(form: FlaskForm, context: SurveyContext) -> dict[str, str]:
    """Return the chosen reference groups; attach an error to a choice that is not a group."""
    chosen = {}
    for dimension in context.dimensions.values():
        field = form[f"ref_{dimension.key}"]
        value = field.data or ""
        if not value:
            continue
        if value not in dimension.info.groups:
            add_error(field, _("Choose one of the groups of this dimension."))
            continue
        chosen[dimension.key] = value
    return chosen


def weighting_dimensions(form: WeightingForm, context: SurveyContext) -> list[str]:
    """Return the chosen dimensions in survey order; attach an error to those raking cannot use."""
    chosen = [str(name) for name in form.dimensions.data or ()]
    for name in chosen:
        dimension = context.dimensions.get(name)
        if dimension is None:
            add_error(
                form.dimensions, _("“%(name)s” is not a dimension of this survey.", name=name)
            )
        elif dimension.info.multi_select:
            add_error(
                form.dimensions,
                _(
                    "%(dimension)s lets respondents choose several groups, so it cannot be "
                    "used for weighting.",
                    dimension=dimension.label,
                ),
            )
        elif not dimension.population.groups:
            add_error(
                form.dimensions,
                _(
                    "%(dimension)s has no population figures for the survey's groups; add them "
                    "under Population benchmarks first.",
                    dimension=dimension.label,
                ),
            )
    return [key for key in context.dimensions if key in chosen]


def disclosure_settings(form: DisclosureForm) -> dict:
    """Return the disclosure settings (empty cell size: the app's); attach errors to bad ones."""
    policy = form.policy.data or ""
    if policy not in POLICIES:
        add_error(form.policy, _("Choose a disclosure policy."))
    low, high = MIN_CELL_RANGE
    min_cell = None
    if form.min_cell.data:
        text = form.min_cell.data
        if not text.isdigit() or not low <= int(text) <= high:
            add_error(
                form.min_cell,
                _("Enter a whole number from %(low)s to %(high)s.", low=low, high=high),
            )
        else:
            min_cell = int(text)
    return {
        "disclosure_policy": policy,
        "min_cell": min_cell,
        "random_rounding": bool(form.random_rounding.data) or None,
    }


def quoting_settings(form: QuotingForm, context: SurveyContext) -> dict:
    """Return the quoting settings (``QuoteConsent.from_settings`` reads them); attach errors."""
    policy = form.policy.data
    settings = {
        "quote_consent_question": None,
        "quote_consent_choices": None,
        "quote_comments": None,
    }
    if policy == QUOTE_ALL:
        settings["quote_comments"] = True
    elif policy == QUOTE_CONSENT:
        questions = {info.name: info for info in context.consent_questions}
        question = questions.get(form.question.data or "")
        if question is None:
            add_error(form.question, _("Choose a single-choice question of this survey."))
            return settings
        prefix = f"{question.name}."
        chosen = [str(value) for value in form.choices.data or ()]
        choices = [value[len(prefix) :] for value in chosen if value.startswith(prefix)]
        if len(choices) < len(chosen) or any(c not in question.choices for c in choices):
            add_error(form.choices, _("Choose answers of the consent question only."))
        elif not choices:
            add_error(form.choices, _("Choose the answers that give consent."))
        settings["quote_consent_question"] = question.name
        settings["quote_consent_choices"] = [c for c in question.choices if c in choices]
    elif policy != QUOTE_NONE:
        add_error(form.policy, _("Choose which comments may be quoted."))
    return settings
