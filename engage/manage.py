"""Staff survey builder: create, edit, translate, preview, publish; XLSForm import and export.

Each page works without JavaScript: every change is a small form posted to its own
address. A change is checked completely first and written in one transaction; a
refused change re-renders the page with each message next to its field and a
summary at the top (status 400). Questions that hold data (answers, group tallies,
group notes) are locked: their kind, name and choice names stay as they are and
they cannot be deleted, so that stored answers keep their meaning. The server
enforces this whatever the form sends; the page says so next to the question.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload
from sqlmodel import Session, select
from wtforms import (
    BooleanField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from engage import db
from engage.auth import csrf, role_required
from surveys import store, translation_io
from surveys.definition import (
    DATE,
    KINDS,
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NOTE,
    NUMBER,
    OP_EQUALS,
    OP_NOT,
    OP_ONE_OF,
    OPERATORS,
    PREFER_NOT_TO_ANSWER,
    RATING,
    SECTION,
    SHORT_TEXT,
    SINGLE_CHOICE,
    ChoiceDefinition,
    Condition,
    QuestionDefinition,
)
from surveys.demographics import DEMOGRAPHIC_BANK, bank_entries
from surveys.languages import (
    completeness,
    display_name,
    is_valid_tag,
    normalize_tag,
    resolve_text,
    text_direction,
)
from surveys.logic import condition_of, validate_condition
from surveys.messages import N_
from surveys.models import (
    ROLE_ADMIN,
    ROLE_STAFF,
    SURVEY_CLOSED,
    SURVEY_DRAFT,
    SURVEY_OPEN,
    AuditEvent,
    Choice,
    Question,
    Survey,
    SurveyText,
    utcnow,
)
from surveys.questions import LIKERT_CHOICES, LIKERT_LABELS, parse_number, question_type
from surveys.xlsform import XLSFormError, read_xlsform, write_xlsform

bp = Blueprint("manage", __name__, url_prefix="/manage")

# Uploads (XLSForms, translation files) may be larger than a survey page's post.
UPLOAD_LIMIT = 10 * 1024 * 1024
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# Question and choice names: XML-name-like, as XLSForm has them, without dots
# (dots separate the parts of text keys such as c.<question>.<choice>).
NAME_PATTERN = r"^[A-Za-z_][A-Za-z0-9_-]*$"
DIMENSION_PATTERN = r"^[a-z][a-z0-9_]*$"
RESERVED_NAMES = frozenset({"csrf_token", "lang", "preview"})
CHOICE_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE)
MAX_RATING_POINTS = 101
# Untranslated texts listed per language on the survey page.
MISSING_SHOWN = 25
MAX_TEXT_LENGTH = 10000
# Settings the builder manages; others (from an XLSForm import) are kept as they are.
CONSTRAINT_KEYS = ("min", "max", "step", "integer", "max_length", "min_choices", "max_choices")

KIND_LABELS = {
    SINGLE_CHOICE: _l("Single choice"),
    MULTIPLE_CHOICE: _l("Multiple choice (select all that apply)"),
    LIKERT: _l("Agreement scale (5 points)"),
    RATING: _l("Rating scale"),
    SHORT_TEXT: _l("Short text"),
    LONG_TEXT: _l("Long text (comment)"),
    NUMBER: _l("Number"),
    DATE: _l("Date"),
    NOTE: _l("Note (takes no answer)"),
    SECTION: _l("Section heading"),
}
OPERATOR_LABELS = {OP_EQUALS: _l("equals"), OP_ONE_OF: _l("is one of"), OP_NOT: _l("is not")}
STATUS_LABELS = {SURVEY_DRAFT: _l("Draft"), SURVEY_OPEN: _l("Open"), SURVEY_CLOSED: _l("Closed")}
SURVEY_TEXTS = {
    "title": (_l("Title"), None),
    "description": (
        _l("Description"),
        _l("Shown under the title: what the survey is about and how long it takes."),
    ),
    "notice.purpose": (
        _l("Notice of collection: purpose"),
        _l("Why the information is collected and how it will be used (MFIPPA, s. 29(2))."),
    ),
    "notice.authority": (
        _l("Notice of collection: legal authority"),
        _l("The law that authorizes the collection, for example the Municipal Act, 2001."),
    ),
    "notice.contact": (
        _l("Notice of collection: contact"),
        _l(
            "Title, business address and telephone number of an official who can answer "
            "questions about the collection."
        ),
    ),
    "thanks": (_l("Thank-you message"), _l("Shown after a resident sends their answers.")),
}
SURVEY_TEXT_FIELDS = {key: key.replace(".", "_") for key in SURVEY_TEXTS}
# Languages suggested when adding one: the interface languages and Ontario's
# Indigenous languages most often asked for.
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


def change_languages(survey: Survey, languages: list[str]) -> None:
    """Set the survey's languages and record the change in the audit trail."""
    session = db.get_session()
    old = list(survey.languages)
    survey.languages = languages
    audit(
        session,
        survey,
        "survey.languages",
        "survey",
        survey.id,
        {"languages": old},
        {"languages": survey.languages},
    )
    session.commit()


@bp.before_request
@role_required(ROLE_ADMIN, ROLE_STAFF)
def require_staff() -> None:
    """Every builder page is for staff and administrators only."""


# ---------------------------------------------------------------------------
# Forms


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


# ---------------------------------------------------------------------------
# Loading, describing and auditing


def load_survey(slug: str) -> Survey:
    """Return the survey with ``slug``, its questions and choices loaded, or answer 404."""
    statement = (
        select(Survey)
        .where(Survey.slug == slug)
        .options(selectinload(Survey.questions).selectinload(Question.choices))
    )
    survey = db.get_session().exec(statement).first()
    if survey is None:
        abort(404)
    return survey


def load_question(survey: Survey, name: str) -> Question:
    """Return the survey's question called ``name`` or answer 404."""
    for question in survey.questions:
        if question.name == name:
            return question
    abort(404)


def load_choice(question: Question, choice_id: int) -> Choice:
    """Return the question's choice with this id or answer 404."""
    for choice in question.choices:
        if choice.id == choice_id:
            return choice
    abort(404)


def language_label(tag: str) -> str:
    """Return a language's own name with its tag: ``Français (fr)``."""
    name = display_name(tag)
    return f"{name} ({tag})" if name != tag else tag


def editing_language(survey: Survey, asked: str | None = None) -> str:
    """Return the survey language asked for (``?language=``), else the default language."""
    asked = asked if asked is not None else request.args.get("language", "")
    if asked and is_valid_tag(asked) and normalize_tag(asked) in survey.languages:
        return normalize_tag(asked)
    return survey.default_language


def text_in(texts: dict, key: str, language: str) -> str:
    """Return the text of ``key`` written in exactly ``language`` ("" when there is none)."""
    return texts.get(key, {}).get(language, "")


def shown_text(texts: dict, key: str, survey: Survey, language: str | None = None) -> str:
    """Return a text in ``language`` (default: the default language), with the usual fallback."""
    return resolve_text(
        texts.get(key, {}), language or survey.default_language, survey.default_language
    ).text


def is_locked(question: Question, answered: set[int]) -> bool:
    """Return whether the question holds data, so its structure must not change."""
    return question.id in answered


def snapshot(question: Question) -> dict:
    """Return a question's structure for the audit trail."""
    return {
        "name": question.name,
        "kind": question.kind,
        "position": question.position,
        "required": question.required,
        "allow_prefer_not": question.allow_prefer_not,
        "dimension": question.dimension,
        "settings": dict(question.settings or {}),
        "relevant": question.relevant,
        "choices": [choice.name for choice in question.choices],
    }


def audit(
    session: Session,
    survey: Survey,
    action: str,
    entity: str,
    entity_id: Any,
    old: dict | None = None,
    new: dict | None = None,
) -> None:
    """Record who changed what, with old and new values; the caller commits."""
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    session.add(
        AuditEvent(
            user_id=user_id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            survey_id=survey.id,
            old=old or {},
            new=new or {},
        )
    )
    survey.updated_at = utcnow()


def survey_text_keys(survey: Survey) -> list[str]:
    """Return the survey's current text keys (orphans of deleted questions left out)."""
    return store.text_keys(survey)


def key_owners(survey: Survey) -> dict[str, tuple[str, str | None]]:
    """Return, for each question text key, its question name and choice name (None if none)."""
    owners: dict[str, tuple[str, str | None]] = {}
    for question in survey.questions:
        owners[store.label_key(question.name)] = (question.name, None)
        owners[store.hint_key(question.name)] = (question.name, None)
        for choice in question.choices:
            owners[store.choice_key(question.name, choice.name)] = (question.name, choice.name)
    return owners


def describe_key(key: str, owners: dict[str, tuple[str, str | None]]) -> str:
    """Return a readable name for a text key, in the interface language."""
    if key in SURVEY_TEXTS:
        return str(SURVEY_TEXTS[key][0])
    if key not in owners:
        return key
    name, choice = owners[key]
    if choice is not None:
        return _("Question “%(name)s”: option “%(choice)s”", name=name, choice=choice)
    if key == store.hint_key(name):
        return _("Question “%(name)s”: hint", name=name)
    return _("Question “%(name)s”: text", name=name)


@dataclass(frozen=True)
class LanguageStatus:
    """How complete one of a survey's languages is."""

    tag: str
    label: str
    name: str
    direction: str
    is_default: bool
    translated: int
    total: int
    # The first MISSING_SHOWN untranslated texts, described; the export lists them all.
    missing: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Return the share translated, rounded down so that 100 means complete."""
        return 100 * self.translated // self.total if self.total else 100


def language_statuses(survey: Survey, texts: dict) -> list[LanguageStatus]:
    """Return completeness and the untranslated texts of each of the survey's languages."""
    keys = survey_text_keys(survey)
    current = {key: texts[key] for key in keys if key in texts}
    owners = key_owners(survey)
    statuses = []
    for tag in survey.languages:
        translated, total = completeness(current, tag)
        missing = [
            key
            for key in keys
            if key in current
            and any(text.strip() for text in current[key].values())
            and not current[key].get(tag, "").strip()
        ]
        statuses.append(
            LanguageStatus(
                tag=tag,
                label=language_label(tag),
                name=display_name(tag),
                direction=text_direction(tag),
                is_default=tag == survey.default_language,
                translated=translated,
                total=total,
                missing=tuple(describe_key(key, owners) for key in missing[:MISSING_SHOWN]),
            )
        )
    return statuses


def describe_condition(question: Question, survey: Survey, texts: dict) -> str | None:
    """Return "Shown when …" for a question with skip logic, in the interface language."""
    condition = condition_of(question)
    if condition is None:
        return None
    source = next((q for q in survey.questions if q.name == condition.question), None)
    choice_labels = {}
    if source is not None:
        for choice in source.choices:
            key = store.choice_key(source.name, choice.name)
            choice_labels[choice.name] = shown_text(texts, key, survey) or choice.name
    choice_labels[PREFER_NOT_TO_ANSWER] = _("Prefer not to answer")
    values = ", ".join(f"“{choice_labels.get(value, value)}”" for value in condition.values)
    return _(
        "Shown when “%(question)s” %(operator)s %(values)s",
        question=condition.question,
        operator=OPERATOR_LABELS.get(condition.op, condition.op),
        values=values,
    )


def answered_ids(survey: Survey) -> set[int]:
    """Return the ids of the survey's questions that hold data."""
    return store.answered_question_ids(db.get_session(), survey.id)


def respond_preview_url(survey: Survey, language: str) -> str | None:
    """Return the resident page's preview address, when the resident pages exist."""
    if "respond.survey" not in current_app.view_functions:
        return None
    return url_for("respond.survey", slug=survey.slug, lang=language, preview=1)


# ---------------------------------------------------------------------------
# Survey list, creation and XLSForm import


@bp.get("/")
def index():
    """List the surveys and offer to create or import one."""
    return render_index()


def render_index(
    status: int = 200,
    create_form: CreateSurveyForm | None = None,
    xlsform_form: XLSFormUploadForm | None = None,
):
    """Render the survey list with its two forms (a failed one keeps its errors)."""
    session = db.get_session()
    surveys = session.exec(select(Survey).order_by(Survey.created_at.desc(), Survey.id.desc()))
    surveys = surveys.all()
    titles: dict[int, dict[str, str]] = {}
    for row in session.exec(select(SurveyText).where(SurveyText.key == "title")):
        titles.setdefault(row.survey_id, {})[row.language] = row.text
    counts = store.response_counts(session)
    rows = [
        {
            "survey": survey,
            "title": resolve_text(
                titles.get(survey.id, {}), survey.default_language, survey.default_language
            ).text,
            "status": STATUS_LABELS.get(survey.status, survey.status),
            "languages": [language_label(tag) for tag in survey.languages],
            "responses": counts.get(survey.id, 0),
        }
        for survey in surveys
    ]
    return render_template(
        "manage/index.html",
        rows=rows,
        create_form=create_form or CreateSurveyForm(prefix="create", formdata=None),
        xlsform_form=xlsform_form or XLSFormUploadForm(prefix="xlsform", formdata=None),
        suggested_languages=[(tag, language_label(tag)) for tag in SUGGESTED_LANGUAGES],
        error_forms=[form for form in (create_form, xlsform_form) if form is not None],
    ), status


@bp.post("/")
def create_survey():
    """Create a draft survey with its title in the default language."""
    form = CreateSurveyForm(prefix="create")
    session = db.get_session()
    if form.validate_on_submit() and store.survey_by_slug(session, form.slug.data):
        add_error(form.slug, _("A survey with this web address name already exists."))
    if not form.is_submitted() or has_errors(form):
        return render_index(400, create_form=form)
    language = form.default_language.data
    survey = Survey(
        slug=form.slug.data,
        default_language=language,
        languages=[language],
        created_by_id=current_user.id,
    )
    try:
        session.add(survey)
        session.flush()
        store.set_texts(session, survey, {"title": {language: form.title.data}})
        audit(session, survey, "survey.create", "survey", survey.id, new={"slug": survey.slug})
        session.commit()
    except IntegrityError:
        # Another request took the slug between the check and the write.
        session.rollback()
        add_error(form.slug, _("A survey with this web address name already exists."))
        return render_index(400, create_form=form)
    flash(_("Survey created. Add its questions below."))
    return redirect(url_for(".survey", slug=survey.slug))


class ImportRefusedError(Exception):
    """An XLSForm import that creates nothing; ``message`` is an ``N_`` string with params."""

    def __init__(self, message: str, **params: Any) -> None:
        self.message = message
        self.params = params
        super().__init__(message % params)


def check_import_slug(slug: str) -> None:
    """Refuse a slug that cannot be part of a survey's address."""
    if not re.fullmatch(SLUG_PATTERN, slug or "") or len(slug) > 100:
        raise ImportRefusedError(
            N_(
                "“%(slug)s” cannot be a web address name: use lower-case letters a to z, "
                "digits and single hyphens."
            ),
            slug=slug,
        )


def import_xlsform(
    session: Session, source, slug: str | None = None, user_id: int | None = None
) -> tuple[Survey, tuple]:
    """Create a draft survey from an XLSForm and commit; return it with the import's warnings.

    Raises ``ImportRefusedError`` (nothing created) for an unreadable file, a bad or
    taken slug. Shared by ``engage import-xlsform`` and the builder's upload.
    """
    if slug:
        check_import_slug(slug)
    try:
        result = read_xlsform(source, slug=slug or None)
    except XLSFormError as error:
        raise ImportRefusedError(
            N_("The file could not be imported: %(reason)s"), reason=str(error)
        ) from None
    definition = result.definition
    check_import_slug(definition.slug)
    if store.survey_by_slug(session, definition.slug):
        raise ImportRefusedError(
            N_("A survey called “%(slug)s” already exists; choose another web address name."),
            slug=definition.slug,
        )
    try:
        survey = store.save_definition(session, definition)
        survey.created_by_id = user_id
        session.add(
            AuditEvent(
                user_id=user_id,
                action="survey.import",
                entity="survey",
                entity_id=str(survey.id),
                survey_id=survey.id,
                new={"slug": survey.slug, "questions": len(definition.questions)},
            )
        )
        session.commit()
    except IntegrityError:
        # Another import or request took the slug between the check and the write.
        session.rollback()
        raise ImportRefusedError(
            N_("A survey called “%(slug)s” already exists; choose another web address name."),
            slug=definition.slug,
        ) from None
    return survey, result.warnings


def accept_upload() -> None:
    """Allow a larger body for an upload, then check CSRF (the view is exempt from the early check).

    The app-wide CSRF check reads the form before any view runs, under the small
    limit meant for survey pages; upload views raise the limit first, then check.
    """
    request.max_content_length = UPLOAD_LIMIT
    if current_app.config.get("WTF_CSRF_ENABLED", True):
        csrf.protect()


@bp.post("/import")
@csrf.exempt
def upload_xlsform():
    """Import an uploaded XLSForm as a draft survey and show the import's warnings."""
    accept_upload()
    form = XLSFormUploadForm(prefix="xlsform")
    if not form.validate_on_submit():
        return render_index(400, xlsform_form=form)
    upload = form.file.data
    source = io.BytesIO(upload.read())
    source.name = upload.filename or ""
    try:
        survey, warnings = import_xlsform(
            db.get_session(), source, form.slug.data or None, current_user.id
        )
    except ImportRefusedError as error:
        db.get_session().rollback()
        add_error(form.file, _(error.message, **error.params))
        return render_index(400, xlsform_form=form)
    return render_template("manage/imported.html", survey=survey, warnings=warnings)


# ---------------------------------------------------------------------------
# One survey: overview, life cycle, languages, duplication


def render_survey(survey: Survey, status: int = 200, errors: Sequence[str] = (), **forms):
    """Render the survey page; ``forms`` replaces default forms by failed ones."""
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    answered = answered_ids(survey)
    defaults = {
        "language_form": AddLanguageForm(prefix="language", formdata=None),
        "question_form": AddQuestionForm(prefix="question", formdata=None),
        "duplicate_form": DuplicateForm(prefix="duplicate", formdata=None),
        "translation_form": translation_upload_form(survey),
    }
    failed = [form for form in forms.values() if form is not None]
    defaults.update({name: form for name, form in forms.items() if form is not None})
    questions = [
        {
            "question": question,
            "label": shown_text(texts, store.label_key(question.name), survey),
            "kind": KIND_LABELS.get(question.kind, question.kind),
            "condition": describe_condition(question, survey, texts),
            "locked": is_locked(question, answered),
        }
        for question in survey.questions
    ]
    notice_missing = [
        SURVEY_TEXTS[key][0]
        for key in ("notice.purpose", "notice.authority", "notice.contact")
        if not text_in(texts, key, survey.default_language).strip()
    ]
    statuses = language_statuses(survey, texts)
    return render_template(
        "manage/survey.html",
        survey=survey,
        title=shown_text(texts, "title", survey),
        status_label=STATUS_LABELS.get(survey.status, survey.status),
        questions=questions,
        languages=statuses,
        translatable=[s for s in statuses if not s.is_default],
        default_label=language_label(survey.default_language),
        bank=bank_entries(),
        taken_names={question.name for question in survey.questions},
        notice_missing=notice_missing,
        preview_urls={tag: respond_preview_url(survey, tag) for tag in survey.languages},
        suggested_languages=[
            (tag, language_label(tag)) for tag in SUGGESTED_LANGUAGES if tag not in survey.languages
        ],
        page_errors=errors,
        error_forms=failed,
        **defaults,
    ), status


@bp.get("/<slug>/")
def survey(slug: str):
    """Show a survey: life cycle, languages, questions, translations."""
    return render_survey(load_survey(slug))


def publish_problems(survey: Survey) -> list[str]:
    """Return why the survey cannot be published yet (empty when it can)."""
    problems = []
    if not any(question_type(q.kind).takes_answer for q in survey.questions):
        problems.append(_("Add at least one question before publishing."))
    title = text_in(store.load_texts(db.get_session(), survey.id), "title", survey.default_language)
    if not title.strip():
        problems.append(
            _(
                "Write the title in the default language (%(language)s) before publishing.",
                language=language_label(survey.default_language),
            )
        )
    return problems


# action -> (statuses it starts from, status it leads to, audit action)
TRANSITIONS = {
    "publish": ((SURVEY_DRAFT,), SURVEY_OPEN),
    "close": ((SURVEY_OPEN,), SURVEY_CLOSED),
    "reopen": ((SURVEY_CLOSED,), SURVEY_OPEN),
}


@bp.post("/<slug>/status")
def change_status(slug: str):
    """Publish a draft, close an open survey or reopen a closed one."""
    survey = load_survey(slug)
    action = request.form.get("action", "")
    if action not in TRANSITIONS:
        return render_survey(survey, 400, [_("Choose publish, close or reopen.")])
    starts, target = TRANSITIONS[action]
    if survey.status not in starts:
        return render_survey(
            survey,
            409,
            [
                _(
                    "This survey is %(status)s, so it cannot be changed that way.",
                    status=STATUS_LABELS.get(survey.status, survey.status),
                )
            ],
        )
    if action == "publish" and (problems := publish_problems(survey)):
        return render_survey(survey, 400, problems)
    session = db.get_session()
    old = survey.status
    survey.status = target
    if target == SURVEY_OPEN:
        survey.opened_at = survey.opened_at if action == "reopen" else utcnow()
        survey.closed_at = None
    else:
        survey.closed_at = utcnow()
    audit(
        session,
        survey,
        f"survey.{action}",
        "survey",
        survey.id,
        {"status": old},
        {"status": target},
    )
    session.commit()
    flash(
        {
            "publish": _("The survey is open: residents can answer it."),
            "close": _("The survey is closed: it no longer takes answers."),
            "reopen": _("The survey is open again."),
        }[action]
    )
    return redirect(url_for(".survey", slug=survey.slug))


@bp.post("/<slug>/duplicate")
def duplicate(slug: str):
    """Copy the survey (questions, texts, settings) into a new draft."""
    survey = load_survey(slug)
    form = DuplicateForm(prefix="duplicate")
    session = db.get_session()
    if form.validate_on_submit() and store.survey_by_slug(session, form.slug.data):
        add_error(form.slug, _("A survey with this web address name already exists."))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, duplicate_form=form)
    try:
        copy = store.copy_survey(session, survey, form.slug.data)
        copy.created_by_id = current_user.id
        audit(
            session,
            copy,
            "survey.duplicate",
            "survey",
            copy.id,
            {"from": slug},
            {"slug": copy.slug},
        )
        session.commit()
    except IntegrityError:
        # Another request took the slug between the check and the write.
        session.rollback()
        add_error(form.slug, _("A survey with this web address name already exists."))
        return render_survey(load_survey(slug), 400, duplicate_form=form)
    flash(_("This is a draft copy of “%(slug)s”.", slug=survey.slug))
    return redirect(url_for(".survey", slug=copy.slug))


@bp.post("/<slug>/languages")
def add_language(slug: str):
    """Add a language (any BCP 47 tag) to the survey."""
    survey = load_survey(slug)
    form = AddLanguageForm(prefix="language")
    if form.validate_on_submit() and form.tag.data in survey.languages:
        add_error(form.tag, _("The survey already has this language."))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, language_form=form)
    change_languages(survey, [*survey.languages, form.tag.data])
    flash(_("Added %(language)s.", language=language_label(form.tag.data)))
    return redirect(url_for(".survey_texts", slug=survey.slug, language=form.tag.data))


@bp.post("/<slug>/languages/<tag>/default")
def set_default_language(slug: str, tag: str):
    """Make one of the survey's languages its default (the fallback and translation source)."""
    survey = load_survey(slug)
    if tag not in survey.languages:
        abort(404)
    session = db.get_session()
    old = survey.default_language
    survey.default_language = tag
    audit(
        session,
        survey,
        "survey.default_language",
        "survey",
        survey.id,
        {"default_language": old},
        {"default_language": tag},
    )
    session.commit()
    flash(_("%(language)s is now the default language.", language=language_label(tag)))
    return redirect(url_for(".survey", slug=survey.slug))


@bp.post("/<slug>/languages/<tag>/remove")
def remove_language(slug: str, tag: str):
    """Stop offering a language; its texts are kept in case it is added again."""
    survey = load_survey(slug)
    if tag not in survey.languages:
        abort(404)
    if tag == survey.default_language:
        return render_survey(
            survey,
            400,
            [_("The default language cannot be removed; make another language the default first.")],
        )
    change_languages(survey, [language for language in survey.languages if language != tag])
    flash(_("Removed %(language)s.", language=language_label(tag)))
    return redirect(url_for(".survey", slug=survey.slug))


# ---------------------------------------------------------------------------
# Survey texts per language


def render_survey_texts(
    survey: Survey, language: str, form: SurveyTextsForm | None = None, status: int = 200
):
    """Render the survey's own texts in one language, with the default-language source."""
    texts = store.load_texts(db.get_session(), survey.id)
    if form is None:
        data = {field: text_in(texts, key, language) for key, field in SURVEY_TEXT_FIELDS.items()}
        form = SurveyTextsForm(prefix="texts", formdata=None, data={"language": language, **data})
    fields = [
        {
            "field": form[field],
            "hint": SURVEY_TEXTS[key][1],
            "source": text_in(texts, key, survey.default_language),
        }
        for key, field in SURVEY_TEXT_FIELDS.items()
    ]
    return render_template(
        "manage/texts.html",
        survey=survey,
        title=shown_text(texts, "title", survey),
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        source_direction=text_direction(survey.default_language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        form=form,
        fields=fields,
        error_forms=[form] if has_errors(form) else [],
    ), status


@bp.get("/<slug>/texts")
def survey_texts(slug: str):
    """Edit the title, description, notice of collection and thanks in one language."""
    survey = load_survey(slug)
    return render_survey_texts(survey, editing_language(survey))


@bp.post("/<slug>/texts")
def save_survey_texts(slug: str):
    """Save the survey's own texts in one language."""
    survey = load_survey(slug)
    form = SurveyTextsForm(prefix="texts")
    language = editing_language(survey, form.language.data or "")
    if form.language.data != language:
        abort(400)
    if form.validate_on_submit() and language == survey.default_language and not form.title.data:
        add_error(form.title, _("Enter a title: the default language needs one."))
    if not form.is_submitted() or has_errors(form):
        return render_survey_texts(survey, language, form, 400)
    session = db.get_session()
    store.set_texts(
        session,
        survey,
        {key: {language: form[field].data or ""} for key, field in SURVEY_TEXT_FIELDS.items()},
    )
    survey.updated_at = utcnow()
    session.commit()
    flash(_("Saved the texts in %(language)s.", language=language_label(language)))
    return redirect(url_for(".survey_texts", slug=survey.slug, language=language))


# ---------------------------------------------------------------------------
# Adding questions


def derive_name(text: str, taken: Iterable[str], fallback: str) -> str:
    """Return an unused name made from the first words of ``text`` (ASCII letters and digits)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())[:5]
    base = "_".join(words)[:40].strip("_") or fallback
    if not base[0].isalpha():
        base = f"{fallback}_{base}"
    taken = set(taken)
    name, number = base, 2
    while name in taken or name in RESERVED_NAMES:
        name, number = f"{base}_{number}", number + 1
    return name


def likert_texts(question_name: str, languages: Iterable[str]) -> dict[str, dict[str, str]]:
    """Return the built-in Likert labels as a question's texts, in the languages that have them."""
    texts: dict[str, dict[str, str]] = {}
    for choice in LIKERT_CHOICES:
        key = store.choice_key(question_name, choice)
        texts[key] = {tag: LIKERT_LABELS[tag][choice] for tag in languages if tag in LIKERT_LABELS}
    return texts


def check_name(name: str, survey: Survey, field, current: Question | None = None) -> None:
    """Refuse a question name that is reserved or taken by another question."""
    if name in RESERVED_NAMES:
        add_error(field, _("“%(name)s” is reserved; choose another name.", name=name))
    elif any(q.name == name and q is not current for q in survey.questions):
        add_error(field, _("Another question is already called “%(name)s”.", name=name))


@bp.post("/<slug>/questions")
def add_question(slug: str):
    """Add a question at the end, with its text (and options) in the default language."""
    survey = load_survey(slug)
    form = AddQuestionForm(prefix="question")
    form.validate_on_submit()
    kind = form.kind.data
    if kind not in KINDS:
        add_error(form.kind, _("Choose a question type."))
    name = form.name.data or derive_name(
        form.label.data or "", (q.name for q in survey.questions), "question"
    )
    check_name(name, survey, form.name)
    options = [line.strip() for line in (form.options.data or "").splitlines() if line.strip()]
    if kind in CHOICE_KINDS and not options:
        add_error(form.options, _("Write at least one option, one per line."))
    if len(options) != len(set(options)):
        add_error(form.options, _("Each option must be different."))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, question_form=form)

    language = survey.default_language
    choices, texts = [], {}
    if kind in CHOICE_KINDS:
        taken: list[str] = []
        for option in options:
            choice_name = derive_name(option, taken + [PREFER_NOT_TO_ANSWER], "option")
            taken.append(choice_name)
            choices.append(Choice(position=len(choices), name=choice_name))
            texts[store.choice_key(name, choice_name)] = {language: option}
    elif kind == LIKERT:
        choices = [Choice(position=i, name=c) for i, c in enumerate(LIKERT_CHOICES)]
        texts.update(likert_texts(name, survey.languages))
    texts[store.label_key(name)] = {language: form.label.data}
    session = db.get_session()
    question = Question(
        survey_id=survey.id,
        position=len(survey.questions),
        name=name,
        kind=kind,
        choices=choices,
    )
    survey.questions.append(question)
    session.flush()
    store.set_texts(session, survey, texts)
    audit(session, survey, "question.add", "question", question.id, new=snapshot(question))
    session.commit()
    flash(_("Added the question “%(name)s”. Set its details below.", name=name))
    return redirect(url_for(".question", slug=survey.slug, name=name))


@bp.post("/<slug>/bank/<entry_id>")
def add_bank_entry(slug: str, entry_id: str):
    """Add a demographic bank entry's questions (texts in every built-in language)."""
    survey = load_survey(slug)
    definitions = DEMOGRAPHIC_BANK.get(entry_id)
    if definitions is None:
        abort(404)
    taken = {question.name for question in survey.questions}
    clashes = [d.name for d in definitions if d.name in taken]
    if clashes:
        return render_survey(
            survey,
            409,
            [
                _(
                    "The survey already has a question called %(names)s, so this entry "
                    "cannot be added again.",
                    names=", ".join(f"“{name}”" for name in clashes),
                )
            ],
        )
    session = db.get_session()
    for definition in definitions:
        question = store.add_question(session, survey, definition)
        audit(session, survey, "question.add", "question", question.id, new=snapshot(question))
    session.commit()
    flash(_("Added %(count)s question(s) from the demographic bank.", count=len(definitions)))
    return redirect(url_for(".survey", slug=survey.slug) + "#questions")


# ---------------------------------------------------------------------------
# Ordering and deleting questions


def order_problems(questions: Sequence[Question]) -> list[str]:
    """Return a message for each question whose skip logic would depend on a later one."""
    seen: set[str] = set()
    problems = []
    for question in questions:
        condition = condition_of(question)
        if condition is not None and condition.question not in seen:
            problems.append(
                _(
                    "“%(name)s” depends on the answer to “%(source)s”, so it must come after it.",
                    name=question.name,
                    source=condition.question,
                )
            )
        seen.add(question.name)
    return problems


def dependents(survey: Survey, name: str) -> list[Question]:
    """Return the questions whose skip logic depends on the question called ``name``."""
    return [
        q for q in survey.questions if (c := condition_of(q)) is not None and c.question == name
    ]


@bp.post("/<slug>/questions/<name>/move")
def move_question(slug: str, name: str):
    """Move a question one place up or down."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    direction = request.form.get("direction")
    order = list(survey.questions)
    index = order.index(question)
    target = {"up": index - 1, "down": index + 1}.get(direction or "")
    if target is None or not 0 <= target < len(order):
        return redirect(url_for(".survey", slug=survey.slug) + "#questions")
    order[index], order[target] = order[target], order[index]
    if problems := order_problems(order):
        return render_survey(survey, 409, problems)
    session = db.get_session()
    old = question.position
    for position, item in enumerate(order):
        item.position = position
    audit(
        session,
        survey,
        "question.move",
        "question",
        question.id,
        {"position": old},
        {"position": question.position},
    )
    session.commit()
    return redirect(url_for(".survey", slug=survey.slug) + f"#question-{question.id}")


def delete_problems(survey: Survey, question: Question) -> list[str]:
    """Return why the question cannot be deleted (empty when it can)."""
    problems = []
    if is_locked(question, answered_ids(survey)):
        problems.append(_("“%(name)s” has answers, so it cannot be deleted.", name=question.name))
    for dependent in dependents(survey, question.name):
        problems.append(
            _(
                "“%(dependent)s” is shown depending on the answer to “%(name)s”; change its "
                "skip logic first.",
                dependent=dependent.name,
                name=question.name,
            )
        )
    return problems


@bp.route("/<slug>/questions/<name>/delete", methods=["GET", "POST"])
def delete_question(slug: str, name: str):
    """Ask for confirmation, then delete a question with its choices and texts."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    problems = delete_problems(survey, question)
    if request.method == "GET" or problems:
        texts = store.load_texts(db.get_session(), survey.id)
        return render_template(
            "manage/delete_question.html",
            survey=survey,
            question=question,
            label=shown_text(texts, store.label_key(question.name), survey),
            page_errors=problems,
            error_forms=[],
        ), (409 if problems and request.method == "POST" else 200)
    session = db.get_session()
    old = snapshot(question)
    keys = store.question_text_keys(question)
    survey.questions.remove(question)
    session.flush()
    for position, item in enumerate(survey.questions):
        item.position = position
    store.delete_texts(session, survey, keys)
    audit(session, survey, "question.delete", "question", old["name"], old=old)
    session.commit()
    flash(_("Deleted the question “%(name)s”.", name=old["name"]))
    return redirect(url_for(".survey", slug=survey.slug) + "#questions")


# ---------------------------------------------------------------------------
# One question: texts, settings, choices, skip logic


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
    }


def condition_sources(survey: Survey, question: Question) -> list[Question]:
    """Return the earlier questions skip logic may depend on (closed kinds and numbers)."""
    earlier = survey.questions[: survey.questions.index(question)]
    return [q for q in earlier if q.kind == NUMBER or question_type(q.kind).is_closed]


def condition_form(survey: Survey, question: Question, bind: bool = False) -> ConditionForm:
    """Return the skip-logic form, offering the earlier questions it may depend on."""
    if bind:
        form = ConditionForm(prefix="condition")
    else:
        condition = condition_of(question)
        data = {
            "depends_on": condition.question if condition else "",
            "operator": condition.op if condition else OP_EQUALS,
        }
        form = ConditionForm(prefix="condition", formdata=None, data=data)
    form.depends_on.choices = [SelectChoice("", _("— Always show this question —"))] + [
        SelectChoice(q.name, q.name) for q in condition_sources(survey, question)
    ]
    return form


def answer_field_name(source_name: str) -> str:
    """Return the form name of the answers compared with when depending on ``source_name``."""
    return f"condition-answers-{source_name}"


def condition_values(source_name: str) -> list[str]:
    """Return the submitted answers for a condition: ticked boxes or comma-separated numbers."""
    raw = request.form.getlist(answer_field_name(source_name))
    return [part.strip() for item in raw for part in item.split(",") if part.strip()]


def answer_groups(
    survey: Survey, question: Question, texts: dict, form: ConditionForm, bind: bool
) -> list[dict]:
    """Return, per possible source question, the answers skip logic can compare with."""
    condition = condition_of(question)
    groups = []
    for index, source in enumerate(condition_sources(survey, question)):
        if bind:
            chosen = condition_values(source.name)
        elif condition is not None and condition.question == source.name:
            chosen = list(condition.values)
        else:
            chosen = []
        kind = question_type(source.kind)
        options = []
        if source.kind != NUMBER:
            for value in kind.choice_names(source):
                key = store.choice_key(source.name, value)
                options.append((value, shown_text(texts, key, survey) or value))
            if kind.accepts_prefer_not(source):
                options.append((PREFER_NOT_TO_ANSWER, _("Prefer not to answer")))
        groups.append(
            {
                "source": source,
                "id": f"condition-answers-{index}",
                "name": answer_field_name(source.name),
                "label": shown_text(texts, store.label_key(source.name), survey),
                "number": source.kind == NUMBER,
                "options": options,
                "chosen": chosen,
                "open": form.depends_on.data == source.name,
            }
        )
    return groups


def render_question(
    survey: Survey,
    question: Question,
    language: str | None = None,
    status: int = 200,
    errors: Sequence[str] = (),
    **forms,
):
    """Render a question's page; ``forms`` replaces default forms by failed ones."""
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    language = language or editing_language(survey)
    locked = is_locked(question, answered_ids(survey))
    defaults = {
        "texts_form": question_texts_form(question, survey, language, texts),
        "settings_form": QuestionSettingsForm(
            prefix="settings", formdata=None, data=settings_form_data(question)
        ),
        "choice_form": AddChoiceForm(prefix="choice", formdata=None),
        "condition_form": condition_form(survey, question),
    }
    failed = [form for form in forms.values() if form is not None]
    defaults.update({name: form for name, form in forms.items() if form is not None})
    kind = question_type(question.kind)
    texts_form = defaults["texts_form"]
    text_fields = [
        {
            "field": texts_form.label,
            "source": text_in(texts, store.label_key(question.name), survey.default_language),
        },
        {
            "field": texts_form.hint,
            "source": text_in(texts, store.hint_key(question.name), survey.default_language),
        },
    ] + [
        {
            "field": texts_form[f"choice_{choice.id}"],
            "source": text_in(
                texts, store.choice_key(question.name, choice.name), survey.default_language
            ),
        }
        for choice in question.choices
    ]
    return render_template(
        "manage/question.html",
        survey=survey,
        question=question,
        label=shown_text(texts, store.label_key(question.name), survey),
        kind_label=KIND_LABELS.get(question.kind, question.kind),
        locked=locked,
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        source_direction=text_direction(survey.default_language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        text_fields=text_fields,
        choices=[
            {
                "choice": choice,
                "label": shown_text(texts, store.choice_key(question.name, choice.name), survey),
            }
            for choice in question.choices
        ],
        editable_choices=question.kind in CHOICE_KINDS,
        supports_prefer_not=kind.supports_prefer_not,
        is_closed=kind.is_closed,
        takes_answer=kind.takes_answer,
        condition=describe_condition(question, survey, texts),
        answer_groups=answer_groups(
            survey, question, texts, defaults["condition_form"], "condition_form" in forms
        ),
        page_errors=errors,
        error_forms=failed,
        **defaults,
    ), status


@bp.get("/<slug>/questions/<name>")
def question(slug: str, name: str):
    """Show a question's texts (in the chosen language), settings, options and skip logic."""
    survey = load_survey(slug)
    return render_question(survey, load_question(survey, name))


@bp.post("/<slug>/questions/<name>/texts")
def save_question_texts(slug: str, name: str):
    """Save a question's label, hint and option labels in one language."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    session = db.get_session()
    texts = store.load_texts(session, survey.id)
    form = question_texts_form(question, survey, "", texts, bind=True)
    language = editing_language(survey, form.language.data or "")
    if form.language.data != language:
        abort(400)
    form.validate_on_submit()
    if language == survey.default_language:
        if not form.label.data:
            add_error(form.label, _("Enter the question text: the default language needs it."))
        for choice in question.choices:
            field = form[f"choice_{choice.id}"]
            if not field.data:
                add_error(field, _("Enter the option text: the default language needs it."))
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, language, 400, texts_form=form)
    updates = {
        store.label_key(question.name): {language: form.label.data or ""},
        store.hint_key(question.name): {language: form.hint.data or ""},
    }
    for choice in question.choices:
        key = store.choice_key(question.name, choice.name)
        updates[key] = {language: form[f"choice_{choice.id}"].data or ""}
    store.set_texts(session, survey, updates)
    survey.updated_at = utcnow()
    session.commit()
    flash(_("Saved the texts in %(language)s.", language=language_label(language)))
    return redirect(url_for(".question", slug=survey.slug, name=question.name, language=language))


def _parse_setting(
    field, *, integer: bool = False, minimum: float | None = None
) -> float | int | None:
    """Parse a constraint field ("" is None); attach an error and return None when invalid."""
    if not field.data:
        return None
    number = parse_number(field.data)
    if number is None:
        add_error(field, _("Enter a number."))
        return None
    if integer and not number.is_integer():
        add_error(field, _("Enter a whole number."))
        return None
    if minimum is not None and number < minimum:
        add_error(field, _("Enter a number of at least %(min)s.", min=int(minimum)))
        return None
    return int(number) if number.is_integer() else number


def _parse_date_setting(field) -> str | None:
    """Parse a date constraint (ISO year-month-day); attach an error when invalid."""
    if not field.data:
        return None
    try:
        return date.fromisoformat(field.data).isoformat()
    except ValueError:
        add_error(field, _("Enter a date as year-month-day, for example 2025-06-30."))
        return None


def read_constraints(form: QuestionSettingsForm, kind: str, choice_count: int) -> dict:
    """Return the constraint settings for ``kind`` from the form, attaching errors to fields."""
    settings: dict[str, Any] = {}
    if kind == NUMBER:
        low, high = _parse_setting(form.minimum), _parse_setting(form.maximum)
        if low is not None and high is not None and low > high:
            add_error(form.maximum, _("The highest value must not be below the lowest."))
        settings.update(min=low, max=high, integer=bool(form.integer.data) or None)
    elif kind == RATING:
        low = _parse_setting(form.minimum)
        high = _parse_setting(form.maximum)
        step = _parse_setting(form.step)
        low = 0 if low is None and not form.minimum.errors else low
        high = 10 if high is None and not form.maximum.errors else high
        step = 1 if step is None and not form.step.errors else step
        if None not in (low, high, step):
            if step <= 0:
                add_error(form.step, _("The step must be more than zero."))
            elif high <= low:
                add_error(form.maximum, _("The highest point must be above the lowest."))
            else:
                points = (high - low) / step
                if abs(points - round(points)) > 1e-9:
                    add_error(form.step, _("The steps must reach the highest point exactly."))
                elif points + 1 > MAX_RATING_POINTS:
                    add_error(
                        form.step,
                        _("Use %(count)s points at most.", count=MAX_RATING_POINTS),
                    )
        settings.update(min=low, max=high, step=step)
    elif kind in (SHORT_TEXT, LONG_TEXT):
        length = _parse_setting(form.max_length, integer=True, minimum=1)
        if length is not None and length > MAX_TEXT_LENGTH:
            add_error(form.max_length, _("Allow %(max)s characters at most.", max=MAX_TEXT_LENGTH))
        settings["max_length"] = length
    elif kind == MULTIPLE_CHOICE:
        fewest = _parse_setting(form.min_choices, integer=True, minimum=1)
        most = _parse_setting(form.max_choices, integer=True, minimum=1)
        if fewest is not None and most is not None and fewest > most:
            add_error(form.max_choices, _("The most must not be below the fewest."))
        for value, field in ((fewest, form.min_choices), (most, form.max_choices)):
            if value is not None and choice_count and value > choice_count:
                add_error(field, _("The question has only %(count)s options.", count=choice_count))
        settings.update(min_choices=fewest, max_choices=most)
    elif kind == DATE:
        earliest, latest = _parse_date_setting(form.minimum), _parse_date_setting(form.maximum)
        if earliest and latest and earliest > latest:
            add_error(form.maximum, _("The latest date must not be before the earliest."))
        settings.update(min=earliest, max=latest)
    return {key: value for key, value in settings.items() if value is not None}


@bp.post("/<slug>/questions/<name>/settings")
def save_question_settings(slug: str, name: str):
    """Save a question's structure; refuse locked changes on a question with answers."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    form = QuestionSettingsForm(prefix="settings")
    form.validate_on_submit()
    locked = is_locked(question, answered_ids(survey))
    new_name = form.name.data or question.name
    new_kind = form.kind.data or question.kind
    if new_kind not in KINDS:
        add_error(form.kind, _("Choose a question type."))
        new_kind = question.kind
    if locked and new_name != question.name:
        add_error(form.name, _("This question has answers, so its name cannot change."))
    if locked and new_kind != question.kind:
        add_error(form.kind, _("This question has answers, so its type cannot change."))
    if new_name != question.name:
        check_name(new_name, survey, form.name, current=question)
    kind = question_type(new_kind)
    kind_changed = new_kind != question.kind
    choice_names = [choice.name for choice in question.choices]
    if kind_changed:
        if new_kind == LIKERT:
            choice_names = list(LIKERT_CHOICES)
        elif new_kind not in CHOICE_KINDS or question.kind not in CHOICE_KINDS + (LIKERT,):
            choice_names = []
        if new_kind in CHOICE_KINDS and not choice_names:
            add_error(form.kind, _("Add options after changing the type: this keeps none."))
    # A kind change clears what the new kind cannot have (the form showed the old kind).
    dimension = form.dimension.data or None
    if kind_changed and not kind.is_closed:
        dimension = None
    if dimension and not kind.is_closed:
        add_error(
            form.dimension, _("Only a question with fixed answers can be an equity dimension.")
        )
    settings = {k: v for k, v in (question.settings or {}).items() if k not in CONSTRAINT_KEYS}
    if not kind_changed:
        settings.update(read_constraints(form, new_kind, len(choice_names)))
    # The question as it would be after the edit, to check the skip logic that uses it.
    stand = QuestionDefinition(
        name=new_name,
        kind=new_kind,
        choices=tuple(ChoiceDefinition(choice) for choice in choice_names),
        allow_prefer_not=bool(form.allow_prefer_not.data) and kind.supports_prefer_not,
        settings=settings,
    )
    if locked and new_kind == RATING and not has_errors(form):
        # Stored ratings must stay points of the scale, or summaries would drop them.
        rating = question_type(RATING)
        if rating.scale(stand) != rating.scale(question):
            add_error(form.minimum, _("This question has answers, so its scale cannot change."))
    if not has_errors(form):
        for dependent in dependents(survey, question.name):
            condition = condition_of(dependent)
            renamed = Condition(new_name, condition.op, condition.values)
            if (message := validate_condition(renamed, [stand])) is not None:
                field = form.kind if kind_changed else form.allow_prefer_not
                add_error(
                    field,
                    _(
                        "“%(dependent)s” is shown depending on this answer and would no longer "
                        "work (%(reason)s) Change its skip logic first.",
                        dependent=dependent.name,
                        reason=_(message),
                    ),
                )
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, settings_form=form)

    session = db.get_session()
    old = snapshot(question)
    if new_name != question.name:
        rename_question(session, survey, question, new_name)
    if kind_changed:
        change_kind(session, survey, question, new_kind, choice_names)
    question.required = bool(form.required.data) and kind.takes_answer
    question.allow_prefer_not = stand.allow_prefer_not
    question.dimension = dimension
    question.settings = settings
    session.flush()
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Saved the question “%(name)s”.", name=question.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name))


def rename_question(session: Session, survey: Survey, question: Question, new_name: str) -> None:
    """Rename a question, its text keys and the skip logic that names it."""
    renames = {
        old: new
        for old, new in zip(
            store.question_text_keys(question),
            [store.label_key(new_name), store.hint_key(new_name)]
            + [store.choice_key(new_name, choice.name) for choice in question.choices],
            strict=True,
        )
    }
    for dependent in dependents(survey, question.name):
        relevant = dict(dependent.relevant)
        relevant["question"] = new_name
        dependent.relevant = relevant
    store.rename_texts(session, survey, renames)
    question.name = new_name
    session.flush()


def change_kind(
    session: Session, survey: Survey, question: Question, kind: str, choice_names: list[str]
) -> None:
    """Change an unanswered question's kind, keeping, replacing or dropping its choices."""
    # The agreement scale always gets its own five options, with their built-in texts.
    kept = set() if kind == LIKERT else {c.name for c in question.choices} & set(choice_names)
    dropped = [c for c in question.choices if c.name not in kept]
    store.delete_texts(session, survey, [store.choice_key(question.name, c.name) for c in dropped])
    for choice in dropped:
        question.choices.remove(choice)
    # Delete before inserting: a new option may reuse a dropped option's name.
    session.flush()
    if kind == LIKERT:
        question.choices = [Choice(position=i, name=c) for i, c in enumerate(LIKERT_CHOICES)]
        session.flush()
        store.set_texts(session, survey, likert_texts(question.name, survey.languages))
    question.kind = kind
    session.flush()


@bp.post("/<slug>/questions/<name>/choices")
def add_choice(slug: str, name: str):
    """Add an option to a single or multiple choice question (allowed even with answers)."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    if question.kind not in CHOICE_KINDS:
        abort(404)
    form = AddChoiceForm(prefix="choice")
    form.validate_on_submit()
    taken = [choice.name for choice in question.choices]
    choice_name = form.name.data or derive_name(
        form.label.data or "", taken + [PREFER_NOT_TO_ANSWER], "option"
    )
    if choice_name == PREFER_NOT_TO_ANSWER:
        add_error(form.name, _("Use the “Prefer not to answer” setting instead of this name."))
    elif choice_name in taken:
        add_error(form.name, _("Another option is already called “%(name)s”.", name=choice_name))
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, choice_form=form)
    session = db.get_session()
    old = snapshot(question)
    question.choices.append(Choice(position=len(question.choices), name=choice_name))
    session.flush()
    store.set_texts(
        session,
        survey,
        {store.choice_key(question.name, choice_name): {survey.default_language: form.label.data}},
    )
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Added the option “%(label)s”.", label=form.label.data))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#choices")


@bp.post("/<slug>/questions/<name>/choices/<int:choice_id>/move")
def move_choice(slug: str, name: str, choice_id: int):
    """Move an option one place up or down."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    choice = load_choice(question, choice_id)
    order = list(question.choices)
    index = order.index(choice)
    target = {"up": index - 1, "down": index + 1}.get(request.form.get("direction", ""))
    if target is not None and 0 <= target < len(order):
        session = db.get_session()
        old = snapshot(question)
        order[index], order[target] = order[target], order[index]
        for position, item in enumerate(order):
            item.position = position
        session.flush()
        session.expire(question, ["choices"])
        audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
        session.commit()
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#choices")


@bp.post("/<slug>/questions/<name>/choices/<int:choice_id>/remove")
def remove_choice(slug: str, name: str, choice_id: int):
    """Remove an option, unless the question has answers or skip logic uses the option."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    choice = load_choice(question, choice_id)
    problems = []
    if question.kind not in CHOICE_KINDS:
        problems.append(_("The options of this question type are fixed."))
    if is_locked(question, answered_ids(survey)):
        problems.append(_("This question has answers, so its options cannot be removed."))
    if len(question.choices) == 1:
        problems.append(_("A choice question needs at least one option."))
    for dependent in dependents(survey, question.name):
        if choice.name in condition_of(dependent).values:
            problems.append(
                _(
                    "“%(dependent)s” is shown depending on this option; change its skip logic "
                    "first.",
                    dependent=dependent.name,
                )
            )
    if problems:
        return render_question(survey, question, status=409, errors=problems)
    session = db.get_session()
    old = snapshot(question)
    question.choices.remove(choice)
    for position, item in enumerate(question.choices):
        item.position = position
    store.delete_texts(session, survey, [store.choice_key(question.name, choice.name)])
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Removed the option “%(name)s”.", name=choice.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#choices")


@bp.post("/<slug>/questions/<name>/condition")
def save_condition(slug: str, name: str):
    """Set or remove a question's skip logic, checked against the earlier questions."""
    survey = load_survey(slug)
    question = load_question(survey, name)
    form = condition_form(survey, question, bind=True)
    form.validate_on_submit()
    source = form.depends_on.data or ""
    condition = None
    if source:
        values = condition_values(source)
        condition = Condition(source, form.operator.data or "", tuple(values))
        earlier = survey.questions[: survey.questions.index(question)]
        if (message := validate_condition(condition, earlier)) is not None:
            operator_message = N_("Choose how the earlier answer should be compared.")
            field = form.operator if message == operator_message else form.depends_on
            add_error(field, _(message))
    if not form.is_submitted() or has_errors(form):
        return render_question(survey, question, status=400, condition_form=form)
    session = db.get_session()
    old = snapshot(question)
    question.relevant = condition.to_dict() if condition else None
    audit(session, survey, "question.edit", "question", question.id, old, snapshot(question))
    session.commit()
    flash(_("Saved the skip logic of “%(name)s”.", name=question.name))
    return redirect(url_for(".question", slug=survey.slug, name=question.name) + "#skip-logic")


# ---------------------------------------------------------------------------
# Preview, exports, translators' round trip


@bp.get("/<slug>/preview")
def preview(slug: str):
    """Show every text of the survey in one language, marking what falls back untranslated."""
    survey = load_survey(slug)
    language = editing_language(survey)
    texts = store.load_texts(db.get_session(), survey.id)

    def resolved(key: str):
        return resolve_text(texts.get(key, {}), language, survey.default_language)

    items = []
    for question in survey.questions:
        kind = question_type(question.kind)
        items.append(
            {
                "question": question,
                "kind": KIND_LABELS.get(question.kind, question.kind),
                "label": resolved(store.label_key(question.name)),
                "hint": resolved(store.hint_key(question.name)),
                "choices": [
                    resolved(store.choice_key(question.name, choice.name))
                    for choice in question.choices
                ],
                "prefer_not": kind.accepts_prefer_not(question),
                "condition": describe_condition(question, survey, texts),
            }
        )
    return render_template(
        "manage/preview.html",
        survey=survey,
        language=language,
        language_name=language_label(language),
        direction=text_direction(language),
        languages=[(tag, language_label(tag)) for tag in survey.languages],
        survey_texts=[(SURVEY_TEXTS[key][0], resolved(key)) for key in SURVEY_TEXTS],
        items=items,
        respond_url=respond_preview_url(survey, language),
        direction_of=text_direction,
    )


@bp.get("/<slug>/xlsform.xlsx")
def export_xlsform(slug: str):
    """Download the survey as an XLSForm workbook."""
    survey = load_survey(slug)
    buffer = io.BytesIO()
    write_xlsform(store.to_definition(db.get_session(), survey), buffer)
    buffer.seek(0)
    return send_file(
        buffer, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{survey.slug}.xlsx"
    )


def expected_translation(survey: Survey, language: str) -> translation_io.TranslationFile:
    """Return the translation file of ``language`` as the survey stands now."""
    return translation_io.build_translation_file(
        survey.slug,
        store.load_texts(db.get_session(), survey.id),
        survey_text_keys(survey),
        survey.default_language,
        language,
    )


@bp.get("/<slug>/translations/<language>.<fmt>")
def export_translation(slug: str, language: str, fmt: str):
    """Download one language's texts for a translator, as XLSX or PO."""
    survey = load_survey(slug)
    if language not in survey.languages or language == survey.default_language:
        abort(404)
    translation = expected_translation(survey, language)
    buffer = io.BytesIO()
    if fmt == "xlsx":
        translation_io.write_xlsx(translation, buffer)
        mimetype = XLSX_MIMETYPE
    elif fmt == "po":
        translation_io.write_po(translation, buffer)
        mimetype = "text/x-gettext-translation; charset=utf-8"
    else:
        abort(404)
    buffer.seek(0)
    return send_file(
        buffer,
        mimetype=mimetype,
        as_attachment=True,
        download_name=f"{survey.slug}-{language}.{fmt}",
    )


def translation_upload_form(survey: Survey, bind: bool = False) -> TranslationUploadForm:
    """Return the translation upload form, offering the survey's other languages."""
    if bind:
        form = TranslationUploadForm(prefix="translation")
    else:
        form = TranslationUploadForm(prefix="translation", formdata=None)
    form.language.choices = [
        SelectChoice(tag, language_label(tag), render_kw={"lang": tag})
        for tag in survey.languages
        if tag != survey.default_language
    ]
    return form


@bp.post("/<slug>/translations")
@csrf.exempt
def import_translation(slug: str):
    """Import a translator's file into one language, all of it or nothing."""
    accept_upload()
    survey = load_survey(slug)
    form = translation_upload_form(survey, bind=True)
    form.validate_on_submit()
    language = form.language.data or ""
    if language not in {choice.value for choice in form.language.choices}:
        add_error(form.language, _("Choose one of the survey's other languages."))
    translations: dict[str, str] = {}
    if not has_errors(form):
        try:
            uploaded = translation_io.read_translation_file(form.file.data.read())
            translations = translation_io.check_translation_file(
                uploaded, expected_translation(survey, language)
            )
        except translation_io.TranslationImportError as error:
            for problem in error.problems:
                add_error(form.file, _(problem.message, **problem.params))
    if not form.is_submitted() or has_errors(form):
        return render_survey(survey, 400, translation_form=form)
    session = db.get_session()
    store.set_texts(session, survey, {key: {language: text} for key, text in translations.items()})
    audit(
        session,
        survey,
        "survey.translation_import",
        "survey",
        survey.id,
        new={"language": language, "texts": len(translations)},
    )
    session.commit()
    flash(
        _(
            "Imported %(count)s translations into %(language)s.",
            count=len(translations),
            language=language_label(language),
        )
    )
    return redirect(url_for(".survey", slug=survey.slug) + "#translations")


# ---------------------------------------------------------------------------
# Command line


@click.command("import-xlsform")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", help="Web address name of the new survey (default: the form's id).")
@with_appcontext
def import_xlsform_command(file: Path, slug: str | None) -> None:
    """Create a draft survey from an XLSForm; prints warnings to stderr and the slug last."""
    with db.Session(db.engine(), expire_on_commit=False) as session:
        try:
            survey, warnings = import_xlsform(session, file, slug)
        except ImportRefusedError as error:
            raise click.ClickException(str(error)) from None
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(survey.slug)


@click.command("export-xlsform")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_xlsform_command(slug: str, file: Path) -> None:
    """Write the survey SLUG as an XLSForm workbook to FILE."""
    with db.Session(db.engine()) as session:
        survey = store.survey_by_slug(session, slug)
        if survey is None:
            raise click.ClickException(f"there is no survey called {slug!r}")
        definition = store.to_definition(session, survey)
    try:
        write_xlsform(definition, file)
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror}") from None
    click.echo(f"Wrote {file}")


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (import_xlsform_command, export_xlsform_command)
