"""The comment review queue: staff confirm or correct sentiment labels, many at once.

The queue lists the comments no person has labelled yet, those the method is least
sure of first: unscored comments (a language without a validated method, which only
a person fluent in it can label), then the scored ones whose polarity lies closest to
a cut-off (``analysis.sentiment.score_comment``: the nearer, the less sure). Each
comment has a radio button per label and one submit saves them all; the keyboard
(``static/review.js``: n, u, p for a label, c to confirm the method's, x to leave
it, j and k to move) is an enhancement over that plain form.

A person's label is stored as the comment's staff override (``Answer.sentiment_override``,
with who and when, audited). Choosing the method's own label stores it as the
override too: a *confirmation*, so the comment counts as labelled by a person
(``surveys.counting``: ``("sentiment", "labelled_by")``) and leaves the queue.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import case, func
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from engage import db, report_cache
from engage.auth import role_required
from engage.comments import CommentError, override_answers
from engage.labels import SENTIMENT_NAMES, language_name, short_label
from engage.loading import survey_or_404
from engage.reports.blueprint import bp
from engage.reports.comments import comment_questions
from engage.reports.dashboard import STAFF_ROLES, interface_tag
from surveys.aggregates import dimension_infos, question_infos
from surveys.aggregates import labels as survey_labels
from surveys.languages import text_direction
from surveys.models import SENTIMENT_LABELS, Answer, Survey, User
from surveys.models import Response as ResponseRow
from surveys.retention import REMOVED_TEXT

REVIEW_BATCH = 20
# The value of a comment's "leave it" radio button: no label saved.
LEAVE = ""


@dataclass(frozen=True)
class ReviewItem:
    """One comment of the queue."""

    id: int
    question: str
    text: str
    language: str
    direction: str
    scored_label: str | None
    polarity: float | None


def comment_conditions(survey: Survey, question_ids: list[int]) -> list:
    """Return the WHERE conditions of the survey's comments (a removed text is none)."""
    return [
        ResponseRow.survey_id == survey.id,
        Answer.question_id.in_(question_ids),
        Answer.text.is_not(None),
        Answer.text != REMOVED_TEXT,
    ]


def review_conditions(survey: Survey, question_ids: list[int], language: str | None) -> list:
    """Return the WHERE conditions of the queue: comments no person has labelled yet."""
    conditions = [*comment_conditions(survey, question_ids), Answer.sentiment_override.is_(None)]
    if language:
        conditions.append(ResponseRow.language == language)
    return conditions


def least_sure_first(cutoffs: SentimentCutoffs) -> list:
    """Return the ORDER BY of the queue: unscored, then the polarity nearest a cut-off."""
    below = func.abs(Answer.polarity - cutoffs.negative_below)
    above = func.abs(Answer.polarity - cutoffs.positive_above)
    return [
        case((Answer.polarity.is_(None), 0), else_=1),
        case((below < above, below), else_=above),
        Answer.id,
    ]


def review_batch(
    session, survey: Survey, names: dict[int, str], language: str | None, cutoffs: SentimentCutoffs
) -> tuple[list[ReviewItem], int]:
    """Return the next comments to review, least sure first, and how many are left."""
    where = review_conditions(survey, list(names), language)
    joined = ResponseRow, ResponseRow.id == Answer.response_id
    left = session.exec(select(func.count(Answer.id)).join(*joined).where(*where)).one()
    rows = session.exec(
        select(Answer, ResponseRow.language)
        .join(*joined)
        .where(*where)
        .order_by(*least_sure_first(cutoffs))
        .limit(REVIEW_BATCH)
    ).all()
    items = [
        ReviewItem(
            id=answer.id,
            question=names[answer.question_id],
            text=answer.text,
            language=tag,
            direction=text_direction(tag),
            scored_label=answer.sentiment_label,
            polarity=answer.polarity,
        )
        for answer, tag in rows
    ]
    return items, left


def comment_languages(session, survey: Survey, question_ids: list[int]) -> list[str]:
    """Return the languages the survey's comments were written in, most comments first."""
    counted = session.exec(
        select(ResponseRow.language, func.count(Answer.id))
        .join(ResponseRow, ResponseRow.id == Answer.response_id)
        .where(*comment_conditions(survey, question_ids))
        .group_by(ResponseRow.language)
        .order_by(func.count(Answer.id).desc(), ResponseRow.language)
    ).all()
    return [tag for tag, _count in counted]


def chosen_filter(name: str, allowed) -> str:
    """Return the question or language the query string (or posted form) chose, if allowed."""
    source = request.form if request.method == "POST" else request.args
    value = source.get(name, "")
    return value if value in allowed else ""


@bp.get("/<slug>/comments/review")
@role_required(*STAFF_ROLES)
def review(slug: str):
    """List the next comments to label, least sure first, as one form."""
    survey = survey_or_404(slug)
    return render_review(survey)


def render_review(survey: Survey, errors: dict[int, str] | None = None, status: int = 200):
    """Render the queue (with the errors of a refused post, if any)."""
    session = db.get_session()
    questions = comment_questions(survey)
    names = {question.id: question.name for question in questions}
    languages = comment_languages(session, survey, list(names))
    question = chosen_filter("question", set(names.values()))
    language = chosen_filter("language", languages)
    chosen = {qid: name for qid, name in names.items() if name == question} or names
    cutoffs = SentimentCutoffs.from_config(current_app.config)
    items, left = (
        review_batch(session, survey, chosen, language or None, cutoffs) if names else ([], 0)
    )
    labels = survey_labels(
        session, survey, interface_tag(), question_infos(survey), dimension_infos(survey)
    )
    return render_template(
        "reports/review.html",
        survey=survey,
        labels=labels,
        items=items,
        left=left,
        question=question,
        language=language,
        question_choices=[
            (name, short_label(labels.get(f"q.{name}.label") or name, 80))
            for name in names.values()
        ],
        language_choices=[(tag, language_name(tag)) for tag in languages],
        review_labels=[(name, SENTIMENT_NAMES[name]) for name in SENTIMENT_LABELS],
        errors=errors or {},
    ), status


@bp.post("/<slug>/comments/review")
@role_required(*STAFF_ROLES)
def save_review(slug: str):
    """Save every label chosen on the queue's page in one transaction, then show the next."""
    survey = survey_or_404(slug)
    session = db.get_session()
    chosen: dict[int, str] = {}
    errors: dict[int, str] = {}
    for key, value in request.form.items():
        if not key.startswith("label-") or value == LEAVE:
            continue
        number = key.removeprefix("label-")
        if not number.isdigit():
            continue
        if value in SENTIMENT_LABELS:
            chosen[int(number)] = value
        else:
            errors[int(number)] = _("Choose negative, neutral or positive.")
    if errors:
        return render_review(survey, errors, 400)
    if chosen:
        try:
            override_answers(session, survey, chosen, session.get(User, current_user.id))
        except CommentError as error:
            session.rollback()
            flash(_("No label was saved: %(errors)s", errors=str(error.message)))
            return render_review(survey, status=409)
        # Kept reports would show the old labels (and counts) until they expire.
        report_cache.forget_survey(session, survey.id)
        flash(ngettext("Saved %(num)s label.", "Saved %(num)s labels.", len(chosen)))
    else:
        flash(_("No label was chosen: nothing was saved."))
    args = {name: request.form[name] for name in ("question", "language") if request.form.get(name)}
    return redirect(url_for("reports.review", slug=survey.slug, **args))
