"""Staff reports: the equity dashboard, the comment explorer, downloads and open data.

Every figure on these pages comes from the suppressed report
(``engage.survey_reports`` / ``analysis.report``), so a withheld count never
reaches a page, a chart or a file. ``engage.charts`` turns the report into
Plotly figures, embedded as ``<script type="application/json">`` data blocks
(never executed, so the content security policy stays strict) and drawn by
``static/reports.js`` with plotly.js served from the installed plotly package.

Filters (dates, channels, languages, areas) and the chosen views live in the
query string, so a colleague opening the same address sees the same page.
The statistics stack (SciPy) is imported inside the views that need it, so the
rest of the app starts without it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

import click
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask.cli import with_appcontext
from flask_babel import format_date, format_datetime, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy import func, select
from wtforms import (
    DateField,
    HiddenField,
    SelectChoice,
    SelectField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import Length, Optional, ValidationError

from engage import analysis_commands, db, exports, formatting, report_cache
from engage.auth import role_required, safe_next
from engage.charts.dashboard import View, build_dashboard, report_values
from engage.i18n import select_locale
from engage.labels import (
    CHANNEL_NAMES,
    SENTIMENT_NAMES,
    SESSION_KIND_NAMES,
    STATUS_NAMES,
    channel_name,
    language_name,
    short_label,
)
from surveys.aggregates import (
    Filters,
    Options,
    QuoteConsent,
    collect,
    dimension_infos,
    one_intersection,
    question_infos,
)
from surveys.aggregates import labels as survey_labels
from surveys.counting import group_members
from surveys.definition import LONG_TEXT
from surveys.demographics import bank_entries
from surveys.languages import resolve_text, text_direction
from surveys.models import (
    CHANNEL_GROUP,
    CHANNELS,
    ROLE_ADMIN,
    ROLE_STAFF,
    SENTIMENT_LABELS,
    Answer,
    GroupFeedback,
    Question,
    Survey,
    User,
)
from surveys.models import Response as ResponseRow
from surveys.report_counts import kept_rows
from surveys.store import load_texts, survey_by_slug

bp = Blueprint("reports", __name__, url_prefix="/reports")

STAFF_ROLES = (ROLE_ADMIN, ROLE_STAFF)
COMMENTS_PER_PAGE = 25
FEEDBACK_SHOWN = 100
# Plotly's assets are versioned in their address, so browsers may keep them a year.
ASSET_MAX_AGE = 365 * 24 * 3600


@bp.context_processor
def report_helpers() -> dict:
    """Give the report templates their formatting helpers."""

    def view_url(**changes) -> str:
        return current_url("reports.dashboard", **changes)

    def download_url(what: str, extension: str) -> str:
        return url_for(
            "reports.download",
            slug=request.view_args["slug"],
            what=what,
            extension=extension,
            **filter_args(),
        )

    return {
        "direction": text_direction,
        "count_text": formatting.count_text,
        "ratio_text": formatting.ratio_text,
        "short": short_label,
        "language_name": language_name,
        "channel_name": channel_name,
        "sentiment_names": SENTIMENT_NAMES,
        "session_kind_names": SESSION_KIND_NAMES,
        "format_date": format_date,
        "format_datetime": format_datetime,
        "view_url": view_url,
        "download_url": download_url,
        "filter_args": filter_args() if (request.view_args or {}).get("slug") else {},
    }


# ---------------------------------------------------------------------------
# Filters from the query string


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
    areas = session.exec(
        select(ResponseRow.area)
        .where(ResponseRow.survey_id == survey.id, ResponseRow.area.is_not(None))
        .distinct()
        .order_by(ResponseRow.area)
    ).scalars()
    form.area.choices = [SelectChoice(area, area) for area in areas]
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


# ---------------------------------------------------------------------------
# The report for a page


def interface_tag() -> str:
    """Return the interface language, for survey labels in the report."""
    select_locale()
    return g.interface_language


def build_page_report(survey: Survey, filters: Filters, pair: tuple[str, str] | None):
    """Build the report a dashboard shows: no weighting, only the chosen intersection.

    Crossing every pair of dimensions costs a query (and a suppressed table) per
    pair; the dashboard shows one pair, so only that one is asked of the database.
    """
    from analysis.report import build_report
    from engage.survey_reports import report_settings, titled_derived_dimensions

    session = db.get_session()
    settings = replace(report_settings(current_app.config, survey), weighting_dimensions=())
    kept = kept_rows(session, survey, filters)
    options = Options(intersections=False, language=interface_tag())
    data = titled_derived_dimensions(collect(session, survey, filters, options, kept))
    if pair:
        data = replace(data, intersections=one_intersection(session, survey, filters, pair, kept))
    return build_report(
        data, settings, title=data.labels.get("title"), generated_at=datetime.now().astimezone()
    )


def full_report(survey: Survey, filters: Filters | None = None):
    """Return the complete report (every intersection, weighting as the survey sets it).

    Kept like the dashboard's (``engage.report_cache``): downloads of a large
    survey would otherwise rebuild it each time.
    """
    from engage.survey_reports import survey_report

    filters = filters or Filters()
    session = db.get_session()
    language = interface_tag()
    return report_cache.kept_report(
        session,
        survey,
        {"kind": "full", "filters": filters.to_dict(), "language": language},
        lambda: survey_report(
            session,
            survey,
            current_app.config,
            filters,
            language=language,
            generated_at=datetime.now().astimezone(),
        ),
    ).report


def survey_or_404(slug: str) -> Survey:
    """Return the survey with this slug, or answer 404."""
    survey = survey_by_slug(db.get_session(), slug)
    if survey is None:
        abort(404)
    return survey


def view_from_args() -> View:
    """Return the reader's chosen views from the query string."""
    return View(**{name: request.args.get(name) or None for name in VIEW_NAMES})


# ---------------------------------------------------------------------------
# Pages


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """List the surveys with their response counts."""
    session = db.get_session()
    counts = dict(
        session.exec(
            select(ResponseRow.survey_id, func.count()).group_by(ResponseRow.survey_id)
        ).all()
    )
    surveys = session.exec(select(Survey).order_by(Survey.created_at.desc())).scalars().all()
    tag = interface_tag()
    rows = []
    for survey in surveys:
        title = resolve_text(
            load_texts(session, survey.id).get("title", {}), tag, survey.default_language
        )
        rows.append((survey, title, counts.get(survey.id, 0)))
    return render_template("reports/index.html", rows=rows, status_names=STATUS_NAMES)


@bp.get("/<slug>/")
@role_required(*STAFF_ROLES)
def dashboard(slug: str):
    """Show the equity dashboard of one survey under the filters in the query string."""
    survey = survey_or_404(slug)
    form = filter_form(survey)
    if not form.validate():
        return render_template("reports/dashboard.html", survey=survey, form=form, board=None), 400
    view = view_from_args()
    keys = list(dimension_infos(survey))
    first = view.dimension if view.dimension in keys else (keys[0] if keys else None)
    second = view.by if view.by in keys and view.by != first else None
    if second is None:
        second = next((key for key in keys if key != first), None)
    pair = (first, second) if first and second else None
    filters = form.filters()
    kept = report_cache.kept_report(
        db.get_session(),
        survey,
        {
            "kind": "dashboard",
            "filters": filters.to_dict(),
            "pair": pair,
            "language": interface_tag(),
        },
        lambda: build_page_report(survey, filters, pair),
        refresh=request.args.get("refresh") == "1",
    )
    board = build_dashboard(report_values(kept.report), view)
    return render_template(
        "reports/dashboard.html",
        survey=survey,
        form=form,
        board=board,
        kept=kept,
        built_at=datetime.fromtimestamp(kept.built_at, UTC),
        refresh_url=current_url("reports.dashboard", refresh="1"),
        title=kept.report.survey.get("title") or survey.slug,
        plotly_url=url_for("reports.plotly", version=exports.plotly_version()),
        style_guards=plotly_style_guards(),
    )


@bp.get("/assets/plotly-<version>.min.js")
def plotly(version: str):
    """Serve plotly.js from the installed plotly package, cacheable for a year."""
    if version != exports.plotly_version():
        abort(404)
    response = send_file(
        exports.plotly_path(), mimetype="text/javascript", max_age=ASSET_MAX_AGE, conditional=True
    )
    response.cache_control.immutable = True
    response.cache_control.public = True
    return response


@cache
def plotly_style_guards() -> tuple[str, ...]:
    """Return the ids plotly.js checks before injecting a ``<style>`` element.

    plotly.js bundles MapLibre's style sheet and adds it as an inline
    ``<style>``, which a strict CSP refuses (a console error), unless an
    element with this id is already in the page. Charts here use no maps, so
    an empty marker element is all it needs. The id is read from the
    installed bundle, so an upgrade keeps working.
    """
    text = exports.plotly_path().read_text(encoding="utf-8")
    pattern = r'getElementById\("([0-9a-f]{16,})"\)\)\{var \w+=document\.createElement\("style"\)'
    return tuple(dict.fromkeys(re.findall(pattern, text)))


# ---------------------------------------------------------------------------
# Downloads


def download_name(survey: Survey, what: str, extension: str) -> str:
    """Return a file name such as ``community-services-2026-responses-2026-11-21.csv``."""
    return f"{survey.slug}-{what}-{date.today().isoformat()}.{extension}"


def attachment(body, mimetype: str, filename: str) -> Response:
    """Return a download response that no cache keeps."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@bp.get("/<slug>/download/<what>.<extension>")
@role_required(*STAFF_ROLES)
def download(slug: str, what: str, extension: str):
    """Download responses, report tables, the one-file report or open data."""
    survey = survey_or_404(slug)
    kinds = {
        ("responses", "csv"),
        ("responses", "xlsx"),
        ("report", "csv"),
        ("report", "xlsx"),
        ("report", "json"),
        ("report", "html"),
        ("open-data", "zip"),
    }
    if (what, extension) not in kinds:
        abort(404)
    from analysis.report_formats import to_csv, to_json

    session = db.get_session()
    filename = download_name(survey, what, extension)
    if what == "open-data":
        return attachment(
            open_data_zip(survey), "application/zip", download_name(survey, "open-data", "zip")
        )
    form = filter_form(survey)
    if not form.validate():
        flash(
            _(
                "Check the filters: %(errors)s",
                errors=" ".join(str(error) for f in form for error in f.errors),
            )
        )
        return redirect(url_for("reports.dashboard", slug=slug))
    filters = form.filters()
    if what == "responses" and extension == "csv":
        body = streamed_responses_csv(db.engine(), survey.id, filters)
        return attachment(body, "text/csv; charset=utf-8", filename)
    if what == "responses":
        return attachment(exports.responses_xlsx(session, survey, filters), XLSX, filename)
    report = full_report(survey, filters)
    if extension == "csv":
        return attachment("\ufeff" + to_csv(report), "text/csv; charset=utf-8", filename)
    if extension == "xlsx":
        return attachment(exports.report_xlsx(report), XLSX, filename)
    if extension == "json":
        return attachment(to_json(report), "application/json", filename)
    return attachment(standalone_html(survey, report), "text/html; charset=utf-8", filename)


def streamed_responses_csv(engine, survey_id: int, filters: Filters):
    """Yield the responses CSV from a session of its own: it outlives the request's."""
    with db.Session(engine) as session:
        survey = session.get(Survey, survey_id)
        yield from exports.responses_csv(session, survey, filters)


def standalone_html(survey: Survey, report) -> str:
    """Return the report as one HTML file that opens offline (plotly.js inlined)."""
    board = build_dashboard(report_values(report), View(), complete=True)
    return render_template(
        "reports/standalone.html",
        survey=survey,
        board=board,
        title=report.survey.get("title") or survey.slug,
        assets=exports.inline_assets(),
        interface_direction=text_direction(interface_tag()),
        **report_helpers(),
    )


def open_data_zip(survey: Survey) -> bytes:
    """Return the open-data bundle of the whole survey as a ZIP archive."""
    files = exports.open_data_files(db.get_session(), survey, full_report(survey), CHANNEL_NAMES)
    return exports.zip_bytes(files, f"{survey.slug}-open-data")


# ---------------------------------------------------------------------------
# The comment explorer


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
            SelectChoice("negative", _l("Negative")),
            SelectChoice("neutral", _l("Neutral")),
            SelectChoice("positive", _l("Positive")),
        ],
        validate_choice=True,
    )
    reason = StringField(_l("Reason (optional)"), validators=[Optional(), Length(max=500)])
    next = HiddenField()


@dataclass(frozen=True)
class CommentView:
    """One comment as the explorer lists it."""

    id: int
    question: str
    text: str
    language: str
    direction: str
    channel: str
    collected_at: datetime
    scored_label: str | None
    override: str | None
    override_by: str | None
    override_at: datetime | None
    polarity: float | None
    quotable: bool

    @property
    def label(self) -> str:
        """Return the label reports use: staff's override, else the scored one."""
        return self.override or self.scored_label or "unscored"


def comment_questions(survey: Survey) -> list[Question]:
    """Return the survey's comment (long-text) questions."""
    return [question for question in survey.questions if question.kind == LONG_TEXT]


def group_choices(survey: Survey, labels: Mapping[str, str]) -> list[SelectChoice]:
    """Return the explorer's group options, "dimension:group", grouped by dimension."""
    choices = [SelectChoice("", _("Any"))]
    # A derived dimension (disability from the six Washington Group questions) is
    # named by its bank entry: its first question's label would name one domain only.
    bank_titles = {entry.id: entry.title for entry in bank_entries()}
    for key, info in dimension_infos(survey).items():
        if info.derived and key in bank_titles:
            title = bank_titles[key]
            dimension_label = _(title)
        else:
            dimension_label = short_label(labels.get(f"d.{key}") or key, 60)
        for group in [*info.groups, "prefer_not_to_answer"]:
            if group == "prefer_not_to_answer":
                label = _("Prefer not to answer")
            else:
                label = short_label(labels.get(f"g.{key}.{group}") or group, 60)
            choices.append(SelectChoice(f"{key}:{group}", label, optgroup=dimension_label))
    return choices


@bp.get("/<slug>/comments")
@role_required(*STAFF_ROLES)
def comments(slug: str):
    """List comments with filters, text search and sentiment overrides; group feedback apart."""
    survey = survey_or_404(slug)
    session = db.get_session()
    tag = interface_tag()
    labels = survey_labels(session, survey, tag, question_infos(survey), dimension_infos(survey))
    questions = comment_questions(survey)
    base = filter_form(survey)
    form = CommentFilterForm(formdata=request.args)
    for name in ("channel", "language", "area"):
        form[name].choices = base[name].choices
    form.question.choices = [SelectChoice("", _("Any"))] + [
        (q.name, short_label(labels.get(f"q.{q.name}.label") or q.name, 80)) for q in questions
    ]
    form.group.choices = group_choices(survey, labels)
    form.sentiment.choices = [SelectChoice("", _("Any"))] + [
        SelectChoice(name, str(SENTIMENT_NAMES[name])) for name in SENTIMENT_FILTERS
    ]
    valid = form.validate()
    context = {
        "survey": survey,
        "form": form,
        "labels": labels,
        "min_cell": int(current_app.config["MIN_CELL"]),
    }
    if not valid:
        return render_template("reports/comments.html", **context, results=None), 400
    page = int(form.page.data) if (form.page.data or "").isdigit() else 1
    results = find_comments(session, survey, form, questions, max(page, 1))
    feedback = find_feedback(session, survey, form)
    return render_template(
        "reports/comments.html",
        **context,
        results=results,
        feedback=feedback,
        override_form=OverrideForm(formdata=None),
        page_url=lambda number: current_url("reports.comments", page=str(number)),
        here=request.full_path,
    )


@dataclass
class CommentResults:
    """One page of comments, or why none are listed."""

    comments: list[CommentView]
    total: int
    page: int
    pages: int
    withheld_group: bool = False
    # With a group chosen, a small number of comments is a small cell: say "fewer than".
    small_count: bool = False


def find_comments(
    session, survey: Survey, form: CommentFilterForm, questions: list[Question], page: int
) -> CommentResults:
    """Return the comments matching the explorer's filters, newest first, one page."""
    question_ids = {q.id: q.name for q in questions}
    if form.question.data:
        question_ids = {q.id: q.name for q in questions if q.name == form.question.data}
    if not question_ids:
        return CommentResults([], 0, 1, 1)
    conditions = exports.response_conditions(survey.id, form.filters())
    if form.group.data:
        key, group = form.group.data.split(":", 1)
        members = group_members(session, survey, key, group)
        size = session.exec(
            select(func.count())
            .select_from(ResponseRow)
            .where(*conditions, ResponseRow.id.in_(members))
        ).scalar_one()
        # Listing the comments of a handful of people would point to them.
        if 0 < size < int(current_app.config["MIN_CELL"]):
            return CommentResults([], 0, 1, 1, withheld_group=True)
        conditions.append(ResponseRow.id.in_(members))
    effective = func.coalesce(Answer.sentiment_override, Answer.sentiment_label)
    where = [
        *conditions,
        Answer.question_id.in_(list(question_ids)),
        Answer.text.is_not(None),
    ]
    if form.sentiment.data == "unscored":
        where.append(effective.is_(None))
    elif form.sentiment.data:
        where.append(effective == form.sentiment.data)
    if form.q.data:
        where.append(Answer.text.ilike(f"%{escape_like(form.q.data)}%", escape="\\"))
    joined = select(Answer.id).join(ResponseRow, ResponseRow.id == Answer.response_id).where(*where)
    total = session.exec(select(func.count()).select_from(joined.subquery())).scalar_one()
    pages = max(1, -(-total // COMMENTS_PER_PAGE))
    page = min(page, pages)
    rows = session.exec(
        select(Answer, ResponseRow, User.name, User.email)
        .join(ResponseRow, ResponseRow.id == Answer.response_id)
        .outerjoin(User, User.id == Answer.override_by_id)
        .where(*where)
        .order_by(ResponseRow.collected_at.desc(), Answer.id.desc())
        .limit(COMMENTS_PER_PAGE)
        .offset((page - 1) * COMMENTS_PER_PAGE)
    ).all()
    consent = QuoteConsent.from_settings(survey.settings or {})
    consenting: set[int] = set()
    if consent.policy == "consent_question" and rows:
        consent_question = next((q for q in survey.questions if q.name == consent.question), None)
        if consent_question is not None:
            consenting = set(
                session.exec(
                    select(Answer.response_id).where(
                        Answer.question_id == consent_question.id,
                        Answer.choice.in_(consent.choices),
                        Answer.response_id.in_([response.id for _, response, *_ in rows]),
                    )
                ).scalars()
            )
    found = []
    for answer, response, name, email in rows:
        found.append(
            CommentView(
                id=answer.id,
                question=question_ids[answer.question_id],
                text=answer.text,
                language=response.language,
                direction=text_direction(response.language),
                channel=response.channel,
                collected_at=response.collected_at,
                scored_label=answer.sentiment_label,
                override=answer.sentiment_override,
                override_by=name or email,
                override_at=answer.override_at,
                polarity=answer.polarity,
                quotable=consent.policy == "all" or response.id in consenting,
            )
        )
    small = bool(form.group.data) and 0 < total < int(current_app.config["MIN_CELL"])
    return CommentResults(found, total, page, pages, small_count=small)


def escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search finds the text as typed."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass
class FeedbackResults:
    """Group-session feedback that may be shown, and how much may not."""

    items: list
    total: int
    not_quoted: int
    applies: bool
    # Who set a label: user id -> name (or email), for the items shown.
    overriders: dict[int, str] = field(default_factory=dict)


def find_feedback(session, survey: Survey, form: CommentFilterForm) -> FeedbackResults:
    """Return quotable group feedback matching the filters; count the feedback kept back."""
    from surveys.intake import feedback_sentiment_counts, quotable_feedback

    filters = form.filters()
    if filters.channels and CHANNEL_GROUP not in filters.channels:
        return FeedbackResults([], 0, 0, False)
    quotable = quotable_feedback(session, survey.id)
    everything = sum(feedback_sentiment_counts(session, survey.id).values())
    question = next((q for q in survey.questions if q.name == form.question.data), None)
    wanted = form.sentiment.data
    search = (form.q.data or "").casefold()
    items = [
        item
        for item in quotable
        if (not filters.start or item.held_on >= filters.start)
        and (not filters.end or item.held_on <= filters.end)
        and (not filters.languages or item.language in filters.languages)
        and (question is None or item.question_id == question.id)
        and (
            not wanted
            or (wanted == "unscored" and item.sentiment_label is None)
            or item.sentiment_label == wanted
        )
        and (not search or search in item.text.casefold())
    ]
    shown = items[:FEEDBACK_SHOWN]
    user_ids = {item.override_by_id for item in shown if item.override_by_id is not None}
    overriders = {
        user_id: name or email
        for user_id, name, email in session.exec(
            select(User.id, User.name, User.email).where(User.id.in_(user_ids))
        ).all()
    }
    return FeedbackResults(shown, len(items), everything - len(quotable), True, overriders)


@bp.post("/<slug>/comments/<int:answer_id>/sentiment")
@role_required(*STAFF_ROLES)
def override(slug: str, answer_id: int):
    """Set or clear staff's sentiment label of a comment (who and when are kept)."""
    survey = survey_or_404(slug)
    session = db.get_session()
    answer = session.exec(
        select(Answer)
        .join(ResponseRow, ResponseRow.id == Answer.response_id)
        .where(Answer.id == answer_id, ResponseRow.survey_id == survey.id)
    ).scalar_one_or_none()
    if answer is None:
        abort(404)
    return save_override(survey, answer, f"comment-{answer_id}")


@bp.post("/<slug>/comments/feedback/<int:feedback_id>/sentiment")
@role_required(*STAFF_ROLES)
def feedback_override(slug: str, feedback_id: int):
    """Set or clear staff's sentiment label of a group-session note or quote.

    Only feedback the explorer may show can be corrected: a ``no_quote``
    session's, or another survey's, is not found (as if it did not exist).
    """
    from surveys.intake import correctable_feedback

    survey = survey_or_404(slug)
    feedback = correctable_feedback(db.get_session(), survey.id, feedback_id)
    if feedback is None:
        abort(404)
    return save_override(survey, feedback, f"feedback-{feedback_id}")


def save_override(survey: Survey, comment: Answer | GroupFeedback, anchor: str) -> Response:
    """Apply the posted override form to a comment and go back to the explorer."""
    from engage.comments import CommentError, override_sentiment

    session = db.get_session()
    form = OverrideForm()
    back = safe_next(form.next.data) or url_for("reports.comments", slug=survey.slug)
    if not form.validate():
        flash(
            _(
                "The label was not changed: %(errors)s",
                errors=" ".join(str(error) for f in form for error in f.errors),
            )
        )
        return redirect(back)
    try:
        override_sentiment(
            session,
            comment,
            form.label.data or None,
            session.get(User, current_user.id),
            reason=form.reason.data or None,
        )
    except CommentError as error:
        flash(_("The label was not changed: %(errors)s", errors=str(error.message)))
        return redirect(back)
    # Kept reports would show the old label (and counts) until they expire.
    report_cache.forget_survey(survey.id)
    if form.label.data:
        flash(_("Sentiment label set to %(label)s.", label=SENTIMENT_NAMES[form.label.data]))
    else:
        flash(_("Sentiment label reset to the scored one."))
    return redirect(back + f"#{anchor}")


# ---------------------------------------------------------------------------
# The export command


@click.command("export")
@click.argument("slug")
@click.option(
    "--open-data", "open_data", is_flag=True, help="Write the open-data bundle (a folder)."
)
@click.option("--responses", is_flag=True, help="Write every response with provenance.")
@click.option("--tables", is_flag=True, help="Write the report tables.")
@click.option("--html", "html", is_flag=True, help="Write the report as one HTML file.")
@click.option("-o", "--output", type=click.Path(), help="Folder (open data) or file to write.")
@with_appcontext
def export_command(
    slug: str, open_data: bool, responses: bool, tables: bool, html: bool, output: str | None
) -> None:
    """Export a survey: open data (-o DIR), responses or tables (.csv/.xlsx), or HTML."""
    with analysis_commands.messages_in():
        chosen = [
            name
            for name, on in (
                ("open-data", open_data),
                ("responses", responses),
                ("tables", tables),
                ("html", html),
            )
            if on
        ]
        if len(chosen) != 1:
            raise click.UsageError(_("Choose one of --open-data, --responses, --tables or --html."))
        what = chosen[0]
        extension = Path(output).suffix.lower().lstrip(".") if output else ""
        if what in ("responses", "tables") and extension not in ("csv", "xlsx"):
            raise click.BadParameter(
                _("Give a file ending in .csv or .xlsx."), param_hint="-o/--output"
            )
        with (
            current_app.test_request_context("/"),
            db.Session(db.engine(), expire_on_commit=False) as session,
        ):
            g.db_session = session
            survey = survey_by_slug(session, slug)
            if survey is None:
                raise click.ClickException(_("No survey has the address “%(slug)s”.", slug=slug))
            if what == "open-data":
                target = Path(output or f"{slug}-open-data")
                files = exports.open_data_files(session, survey, full_report(survey), CHANNEL_NAMES)
                exports.write_open_data(files, target)
                click.echo(
                    ngettext(
                        "Wrote %(num)s file to %(folder)s.",
                        "Wrote %(num)s files to %(folder)s.",
                        len(files),
                        folder=str(target),
                    )
                )
                return
            target = Path(output or f"{slug}-report.html")
            if what == "responses" and extension == "csv":
                content = "".join(exports.responses_csv(session, survey)).encode("utf-8")
            elif what == "responses":
                content = exports.responses_xlsx(session, survey)
            elif what == "tables" and extension == "csv":
                from analysis.report_formats import to_csv

                content = ("\ufeff" + to_csv(full_report(survey))).encode("utf-8")
            elif what == "tables":
                content = exports.report_xlsx(full_report(survey))
            else:
                content = standalone_html(survey, full_report(survey)).encode("utf-8")
            exports.write_file(content, target)
            click.echo(_("Wrote %(file)s.", file=str(target)))


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (*analysis_commands.commands, export_command)
