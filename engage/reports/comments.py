"""The comment explorer: filters, text search and staff's sentiment corrections."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import SelectChoice

from engage import db, report_cache
from engage.auth import role_required, safe_next
from engage.exports.responses import response_conditions
from engage.labels import SENTIMENT_NAMES, short_label
from engage.loading import survey_or_404
from engage.reports.blueprint import bp
from engage.reports.dashboard import STAFF_ROLES, interface_tag
from engage.reports.forms import (
    SENTIMENT_FILTERS,
    CommentFilterForm,
    OverrideForm,
    current_url,
    filter_form,
)
from surveys.aggregates import QuoteConsent, dimension_infos, question_infos
from surveys.aggregates import labels as survey_labels
from surveys.counting import group_members
from surveys.demographics import bank_entries
from surveys.languages import text_direction
from surveys.models import CHANNEL_GROUP, Answer, GroupFeedback, Question, Survey, User
from surveys.models import Response as ResponseRow
from surveys.questions import question_type
from surveys.retention import REMOVED_TEXT

COMMENTS_PER_PAGE = 25

FEEDBACK_SHOWN = 100


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
    """Return the survey's comment questions (free text whose analysis is on)."""
    return [q for q in survey.questions if question_type(q.kind).analyses(q)]


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
    conditions = response_conditions(survey.id, form.filters())
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
        Answer.text != REMOVED_TEXT,
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
    report_cache.forget_survey(session, survey.id)
    if form.label.data:
        flash(_("Sentiment label set to %(label)s.", label=SENTIMENT_NAMES[form.label.data]))
    else:
        flash(_("Sentiment label reset to the scored one."))
    return redirect(back + f"#{anchor}")
