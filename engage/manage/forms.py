"""The builder's forms, their validators, and forms built for one survey or question."""

from __future__ import annotations

from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from engage.manage.display import (
    KIND_LABELS,
    OPERATOR_LABELS,
    SURVEY_TEXTS,
    language_label,
    text_in,
)
from surveys import store
from surveys.definition import KINDS, OPERATORS, SINGLE_CHOICE
from surveys.languages import is_valid_tag, normalize_tag
from surveys.models import Question, Survey
from surveys.questions import analysed

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Question and choice names: XML-name-like, as XLSForm has them, without dots
# (dots separate the parts of text keys such as c.<question>.<choice>).
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]*$"
DIMENSION_PATTERN = r"^[a-z][a-z0-9_]*$"


def _strip(value: Any) -> Any:
    """Strip surrounding blanks from submitted text."""
    return value.strip() if isinstance(value, str) else value


def _language_tag(_form: FlaskForm, field: StringField) -> None:
    """Accept a well-formed BCP 47 tag and store it in conventional case."""
    if field.data and not is_valid_tag(field.data):
        raise ValidationError(
            _(
                "“%(tag)s” is not a language tag. Use a BCP 47 tag such as fr, oj, "
                "cr, iu or fr-CA.",
                tag=field.data,
            )
        )
    if field.data:
        field.data = normalize_tag(field.data)


def _slug_field(label: str) -> StringField:
    """Return a required slug field."""
    return StringField(
        label,
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a web address name.")),
            Length(max=100, message=_l("Use 100 characters at most.")),
            Regexp(
                SLUG_PATTERN,
                message=_l(
                    "Use lower-case letters a to z, digits and single hyphens, "
                    "for example parks-2025."
                ),
            ),
        ],
    )


def _name_validators() -> list:
    """Return the validators of an optional question or choice name."""
    return [
        Optional(),
        Length(max=100, message=_l("Use 100 characters at most.")),
        Regexp(
            NAME_PATTERN,
            message=_l(
                "Start with a letter; use letters, digits, underscores and hyphens only, "
                "for example home_postal_code."
            ),
        ),
    ]


class CreateSurveyForm(FlaskForm):
    """A new survey: web address name, default language and title."""

    slug = _slug_field(_l("Web address name"))
    default_language = StringField(
        _l("Default language"),
        default="en",
        filters=[_strip],
        validators=[DataRequired(_l("Enter a language tag.")), _language_tag],
    )
    title = StringField(
        _l("Title"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter a title.")),
            Length(max=300, message=_l("Use 300 characters at most.")),
        ],
    )


class XLSFormUploadForm(FlaskForm):
    """An XLSForm workbook to import as a new draft survey."""

    file = FileField(_l("XLSForm file (.xlsx)"), validators=[FileRequired(_l("Choose a file."))])
    slug = StringField(
        _l("Web address name (optional)"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=100, message=_l("Use 100 characters at most.")),
            Regexp(
                SLUG_PATTERN,
                message=_l(
                    "Use lower-case letters a to z, digits and single hyphens, "
                    "for example parks-2025."
                ),
            ),
        ],
    )


class DuplicateForm(FlaskForm):
    """The web address name of a copy."""

    slug = _slug_field(_l("Web address name of the copy"))


class AddLanguageForm(FlaskForm):
    """A language to add to a survey."""

    tag = StringField(
        _l("Language tag"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter a language tag.")), _language_tag],
    )


class SurveyTextsForm(FlaskForm):
    """A survey's own texts in one language."""

    language = HiddenField()
    title = StringField(
        SURVEY_TEXTS["title"][0],
        filters=[_strip],
        validators=[Length(max=300, message=_l("Use 300 characters at most."))],
    )
    description = TextAreaField(SURVEY_TEXTS["description"][0], filters=[_strip])
    notice_purpose = TextAreaField(SURVEY_TEXTS["notice.purpose"][0], filters=[_strip])
    notice_authority = TextAreaField(SURVEY_TEXTS["notice.authority"][0], filters=[_strip])
    notice_contact = TextAreaField(SURVEY_TEXTS["notice.contact"][0], filters=[_strip])
    thanks = TextAreaField(SURVEY_TEXTS["thanks"][0], filters=[_strip])


class AddQuestionForm(FlaskForm):
    """A new question: kind, text in the default language, optional name and options."""

    kind = SelectField(
        _l("Type"),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS],
        default=SINGLE_CHOICE,
        validate_choice=False,
    )
    label = TextAreaField(
        _l("Question text"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the question text.")),
            Length(max=2000, message=_l("Use 2000 characters at most.")),
        ],
    )
    name = StringField(_l("Name (optional)"), filters=[_strip], validators=_name_validators())
    options = TextAreaField(_l("Options, one per line"), filters=[_strip])


class QuestionSettingsForm(FlaskForm):
    """A question's structure: name, kind, required, prefer-not, dimension, constraints."""

    name = StringField(
        _l("Name"),
        filters=[_strip],
        validators=[DataRequired(_l("Enter a name."))] + _name_validators()[1:],
    )
    kind = SelectField(
        _l("Type"),
        choices=[SelectChoice(kind, KIND_LABELS[kind]) for kind in KINDS],
        validate_choice=False,
    )
    required = BooleanField(_l("An answer is required"))
    allow_prefer_not = BooleanField(_l("Offer “Prefer not to answer”"))
    dimension = StringField(
        _l("Equity dimension key"),
        filters=[_strip],
        validators=[
            Optional(),
            Length(max=100, message=_l("Use 100 characters at most.")),
            Regexp(
                DIMENSION_PATTERN,
                message=_l("Use lower-case letters, digits and underscores, for example race."),
            ),
        ],
    )
    minimum = StringField(_l("Lowest allowed"), filters=[_strip])
    maximum = StringField(_l("Highest allowed"), filters=[_strip])
    step = StringField(_l("Step between points"), filters=[_strip])
    integer = BooleanField(_l("Whole numbers only"))
    max_length = StringField(_l("Most characters allowed"), filters=[_strip])
    min_choices = StringField(_l("Fewest options a person must choose"), filters=[_strip])
    max_choices = StringField(_l("Most options a person may choose"), filters=[_strip])
    analyse = BooleanField(_l("Analyse the answers as comments"))


class QuestionTextsForm(FlaskForm):
    """A question's texts in one language; ``choice_<id>`` fields are added per choice."""

    language = HiddenField()
    label = TextAreaField(
        _l("Question text"),
        filters=[_strip],
        validators=[Length(max=2000, message=_l("Use 2000 characters at most."))],
    )
    hint = TextAreaField(
        _l("Hint"),
        filters=[_strip],
        validators=[Length(max=2000, message=_l("Use 2000 characters at most."))],
    )


class AddChoiceForm(FlaskForm):
    """A new option of a choice question."""

    label = StringField(
        _l("Option text"),
        filters=[_strip],
        validators=[
            DataRequired(_l("Enter the option text.")),
            Length(max=1000, message=_l("Use 1000 characters at most.")),
        ],
    )
    name = StringField(_l("Name (optional)"), filters=[_strip], validators=_name_validators())


class FavourableForm(FlaskForm):
    """The answers reports count as favourable: one checkbox per option of the question."""

    favourable = SelectMultipleField(_l("Favourable answers"), validate_choice=False)


class ConditionForm(FlaskForm):
    """Skip logic: show the question only when an earlier answer matches.

    The answers compared with come from ``condition-answers-<question>``: one group
    of checkboxes (or a text box for a number question) per earlier question, so the
    page needs no script; only the chosen question's group is read.
    """

    depends_on = SelectField(_l("Show this question only when"), validate_choice=False)
    operator = SelectField(
        _l("Comparison"),
        choices=[SelectChoice(op, OPERATOR_LABELS[op]) for op in OPERATORS],
        validate_choice=False,
    )


class TranslationUploadForm(FlaskForm):
    """A translator's file to import into one language."""

    language = SelectField(_l("Language of the translation"), validate_choice=False)
    file = FileField(
        _l("Translation file (.xlsx or .po)"), validators=[FileRequired(_l("Choose a file."))]
    )


def has_errors(*forms: FlaskForm | None) -> bool:
    """Return whether any field of these forms has an error (form.errors is cached)."""
    return any(field.errors for form in forms if form is not None for field in form)


def add_error(field, message: str) -> None:
    """Attach a message to a field, whether or not the form was validated."""
    if not isinstance(field.errors, list):
        field.errors = list(field.errors)
    field.errors.append(message)


def question_texts_form(
    question: Question, survey: Survey, language: str, texts: dict, bind: bool = False
) -> QuestionTextsForm:
    """Return the texts form of a question, with one field per choice."""

    class Form(QuestionTextsForm):
        pass

    for choice in question.choices:
        source = text_in(
            texts, store.choice_key(question.name, choice.name), survey.default_language
        )
        label = f"{source} ({choice.name})" if source else choice.name
        setattr(
            Form,
            f"choice_{choice.id}",
            StringField(
                _("Option “%(label)s”", label=label),
                filters=[_strip],
                validators=[Length(max=1000, message=_l("Use 1000 characters at most."))],
            ),
        )
    data = {
        "language": language,
        "label": text_in(texts, store.label_key(question.name), language),
        "hint": text_in(texts, store.hint_key(question.name), language),
    }
    for choice in question.choices:
        data[f"choice_{choice.id}"] = text_in(
            texts, store.choice_key(question.name, choice.name), language
        )
    if bind:
        return Form(prefix="texts")
    return Form(prefix="texts", formdata=None, data=data)


def settings_form_data(question: Question) -> dict:
    """Return the settings form's values for a question."""
    settings = question.settings or {}

    def shown(key: str) -> str:
        value = settings.get(key)
        if value is None or value == "":
            return ""
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)

    return {
        "name": question.name,
        "kind": question.kind,
        "required": question.required,
        "allow_prefer_not": question.allow_prefer_not,
        "dimension": question.dimension or "",
        "minimum": shown("min"),
        "maximum": shown("max"),
        "step": shown("step"),
        "integer": bool(settings.get("integer")),
        "max_length": shown("max_length"),
        "min_choices": shown("min_choices"),
        "max_choices": shown("max_choices"),
        "analyse": analysed(question),
    }


def translation_upload_form(survey: Survey, bind: bool = False) -> TranslationUploadForm:
    """Return the translation upload form, offering the survey's other languages."""
    if bind:
        form = TranslationUploadForm(prefix="translation")
    else:
        form = TranslationUploadForm(prefix="translation", formdata=None)
    form.language.choices = [
        SelectChoice(tag, language_label(tag))
        for tag in survey.languages
        if tag != survey.default_language
    ]
    return form
