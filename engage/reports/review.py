"""The comment review queue: a person confirms or corrects sentiment labels, many at once.

The queue lists the comments no person has labelled yet, residents' answers and
group-session notes (elder circles, focus groups, community meetings) together, those
the method is least sure of first: unscored comments (a language without a validated
method, which only a person fluent in it can label), then the scored ones whose
polarity lies closest to a cut-off (``analysis.sentiment.score_comment``: the nearer,
the less sure). Each comment has a radio button per label and one submit saves them
all; the keyboard (``static/review.js``: n, u, p for a label, c to confirm the method's,
x to leave it, j and k to move) is an enhancement over that plain form.

A person's label is stored as the comment's override (``sentiment_override``, with who
and when, audited), for an answer as for a note. Choosing the method's own label stores
it as the override too: a *confirmation*, so the comment counts as labelled by a person
(``surveys.counting``: ``("sentiment", "labelled_by")``; for notes,
``surveys.aggregates.group_session_aggregates``) and leaves the queue. Notes of a session
whose participants asked not to be quoted are never listed (``surveys.intake``'s consent
rule): their text is not shown to anyone.

Staff and administrators review every language. A community reviewer
(``ROLE_REVIEWER``) opens the queue of the surveys assigned to them only, sees and
labels only comments in their languages, and nothing else of the app. A reviewer's tag
covers the tags it is a prefix of (``oj`` covers ``oj-Cans``): the "basic filtering" of
language ranges in RFC 4647, section 3.3.1.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import case, false, func, or_
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from engage import db, report_cache
from engage.accounts.access import usable_surveys
from engage.auth import role_required
from engage.comments import CommentError, override_comments
from engage.labels import SENTIMENT_NAMES, language_name, short_label
from engage.loading import survey_or_404
from engage.reports.blueprint import bp
from engage.reports.comments import comment_questions
from engage.reports.dashboard import interface_tag
from surveys.aggregates import dimension_infos, question_infos
from surveys.aggregates import labels as survey_labels
from surveys.intake import quotable_feedback_rows
from surveys.languages import resolve_text, text_direction
from surveys.models import (
    ROLE_ADMIN,
    ROLE_REVIEWER,
    ROLE_STAFF,
    SENTIMENT_LABELS,
    Answer,
    GroupFeedback,
    Survey,
    User,
)
from surveys.models import Response as ResponseRow
from surveys.retention import REMOVED_TEXT
from surveys.store import load_titles

REVIEW_ROLES = (ROLE_ADMIN, ROLE_STAFF, ROLE_REVIEWER)
REVIEW_BATCH = 20
# The value of a comment's "leave it" radio button: no label saved.
LEAVE = ""
# The form fields of a comment's label: an answer's, a group-session note's.
ANSWER_FIELD = "label-"
NOTE_FIELD = "note-"
# The queue's "comments" filter: residents' answers, group-session notes, or both.
ANSWERS = "answers"
NOTES = "notes"


@dataclass(frozen=True)
class ReviewItem:
    """One comment of the queue: a resident's answer, or a note from a group session."""

    id: int
    question: str | None
    text: str
    language: str
    direction: str
    scored_label: str | None
    polarity: float | None
    session_kind: str | None = None
    held_on: date | None = None

    @property
    def is_note(self) -> bool:
        """Return whether it is a group-session note (or quote), not an answer."""
        return self.session_kind is not None

    @property
    def field(self) -> str:
        """Return the name of its radio buttons (answers and notes are numbered apart)."""
        return f"{NOTE_FIELD if self.is_note else ANSWER_FIELD}{self.id}"

    @property
    def anchor(self) -> str:
        """Return the id of its place on the page."""
        return f"review-{'note-' if self.is_note else ''}{self.id}"

    @property
    def text_id(self) -> str:
        """Return the id of its text (which the choices' fieldset is described by)."""
        return f"review-{'note-' if self.is_note else ''}text-{self.id}"


def reviewed_languages() -> tuple[str, ...] | None:
    """Return the languages the signed-in person may label, None for every language."""
    if current_user.has_role(ROLE_REVIEWER):
        return tuple(current_user.review_languages)
    return None


def covers(tags: tuple[str, ...] | None, language: str) -> bool:
    """Return whether ``language`` is one of ``tags`` or a tag under one (RFC 4647 3.3.1)."""
    if tags is None:
        return True
    folded = language.lower()
    return any(folded == tag.lower() or folded.startswith(tag.lower() + "-") for tag in tags)


def language_condition(column, tags: tuple[str, ...] | None, chosen: str | None) -> list:
    """Return the WHERE conditions keeping the chosen language and those the person reviews."""
    conditions = [column == chosen] if chosen else []
    if tags is not None:
        folded = func.lower(column)
        conditions.append(
            or_(
                false(),  # no language: no comment
                *(
                    or_(folded == tag.lower(), folded.like(f"{tag.lower()}-%", escape="\\"))
                    for tag in tags
                ),
            )
        )
    return conditions


def comment_conditions(survey: Survey, question_ids: list[int]) -> list:
    """Return the WHERE conditions of the survey's comments (a removed text is none)."""
    return [
        ResponseRow.survey_id == survey.id,
        Answer.question_id.in_(question_ids),
        Answer.text.is_not(None),
        Answer.text != REMOVED_TEXT,
    ]


def least_sure_first(cutoffs: SentimentCutoffs, table: type[Answer] | type[GroupFeedback]) -> list:
    """Return the ORDER BY of the queue: unscored, then the polarity nearest a cut-off."""
    below = func.abs(table.polarity - cutoffs.negative_below)
    above = func.abs(table.polarity - cutoffs.positive_above)
    return [
        case((table.polarity.is_(None), 0), else_=1),
        case((below < above, below), else_=above),
        table.id,
    ]


def uncertainty(item: ReviewItem, cutoffs: SentimentCutoffs) -> tuple:
    """Return the queue's sort key of a comment, as ``least_sure_first`` orders in SQL."""
    if item.polarity is None:
        return (0, 0.0, item.is_note, item.id)
    distance = min(
        abs(item.polarity - cutoffs.negative_below), abs(item.polarity - cutoffs.positive_above)
    )
    return (1, distance, item.is_note, item.id)


def answer_batch(
    session,
    survey: Survey,
    names: dict[int, str],
    where_language: list,
    cutoffs: SentimentCutoffs,
) -> tuple[list[ReviewItem], int]:
    """Return the answers to review next, least sure first, and how many are left."""
    if not names:
        return [], 0
    where = [
        *comment_conditions(survey, list(names)),
        Answer.sentiment_override.is_(None),
        *where_language,
    ]
    joined = ResponseRow, ResponseRow.id == Answer.response_id
    left = session.exec(select(func.count(Answer.id)).join(*joined).where(*where)).one()
    rows = session.exec(
        select(Answer, ResponseRow.language)
        .join(*joined)
        .where(*where)
        .order_by(*least_sure_first(cutoffs, Answer))
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


def note_batch(
    session,
    survey: Survey,
    names: dict[int, str],
    question_id: int | None,
    where_language: list,
    cutoffs: SentimentCutoffs,
) -> tuple[list[ReviewItem], int]:
    """Return the group-session notes to review next, least sure first, and how many are left.

    Only notes that may be shown (``surveys.intake.quotable_feedback_rows``).
    """
    where = [GroupFeedback.sentiment_override.is_(None), *where_language]
    if question_id is not None:
        where.append(GroupFeedback.question_id == question_id)
    statement = quotable_feedback_rows(survey.id).where(*where)
    left = session.exec(select(func.count()).select_from(statement.subquery())).one()
    rows = session.exec(
        statement.order_by(*least_sure_first(cutoffs, GroupFeedback)).limit(REVIEW_BATCH)
    ).all()
    items = [
        ReviewItem(
            id=note.id,
            question=names.get(note.question_id),
            text=note.text,
            language=note.language,
            direction=text_direction(note.language),
            scored_label=note.sentiment_label,
            polarity=note.polarity,
            session_kind=group.kind,
            held_on=group.held_on,
        )
        for note, group in rows
    ]
    return items, left


def comment_languages(
    session, survey: Survey, question_ids: list[int], tags: tuple[str, ...] | None
) -> list[str]:
    """Return the languages of the survey's comments and notes the person reviews, most first."""
    counts: dict[str, int] = {}
    if question_ids:
        for tag, count in session.exec(
            select(ResponseRow.language, func.count(Answer.id))
            .join(ResponseRow, ResponseRow.id == Answer.response_id)
            .where(*comment_conditions(survey, question_ids))
            .group_by(ResponseRow.language)
        ).all():
            counts[tag] = counts.get(tag, 0) + count
    notes = quotable_feedback_rows(survey.id).subquery()
    for tag, count in session.exec(
        select(notes.c.language, func.count()).group_by(notes.c.language)
    ).all():
        counts[tag] = counts.get(tag, 0) + count
    shown = [tag for tag in counts if covers(tags, tag)]
    return sorted(shown, key=lambda tag: (-counts[tag], tag))


def chosen_filter(name: str, allowed) -> str:
    """Return the question or language the query string (or posted form) chose, if allowed."""
    source = request.form if request.method == "POST" else request.args
    value = source.get(name, "")
    return value if value in allowed else ""


@bp.get("/comments-to-label")
@role_required(*REVIEW_ROLES)
def review_surveys():
    """List the surveys whose comments the person may label (a reviewer: those assigned)."""
    session = db.get_session()
    statement = usable_surveys(select(Survey), current_user).order_by(Survey.slug)
    surveys = session.exec(statement).all()
    titles = load_titles(session, [survey.id for survey in surveys])
    tag = interface_tag()
    rows = [
        (survey, resolve_text(titles.get(survey.id, {}), tag, survey.default_language))
        for survey in surveys
    ]
    tags = reviewed_languages()
    return render_template(
        "reports/review_surveys.html",
        rows=rows,
        languages=[language_name(tag) for tag in tags] if tags is not None else None,
    )


@bp.get("/<slug>/comments/review")
@role_required(*REVIEW_ROLES)
def review(slug: str):
    """List the next comments to label, least sure first, as one form."""
    survey = survey_or_404(slug)
    return render_review(survey)


def render_review(survey: Survey, errors: dict[str, str] | None = None, status: int = 200):
    """Render the queue (with the errors of a refused post, if any)."""
    session = db.get_session()
    tags = reviewed_languages()
    questions = comment_questions(survey)
    names = {question.id: question.name for question in questions}
    languages = comment_languages(session, survey, list(names), tags)
    question = chosen_filter("question", set(names.values()))
    language = chosen_filter("language", languages)
    kind = chosen_filter("comments", {ANSWERS, NOTES})
    question_id = next((qid for qid, name in names.items() if name == question), None)
    chosen = {question_id: question} if question_id is not None else names
    cutoffs = SentimentCutoffs.from_config(current_app.config)
    answers, answers_left = (
        answer_batch(
            session,
            survey,
            chosen,
            language_condition(ResponseRow.language, tags, language or None),
            cutoffs,
        )
        if kind != NOTES
        else ([], 0)
    )
    notes, notes_left = (
        note_batch(
            session,
            survey,
            names,
            question_id,
            language_condition(GroupFeedback.language, tags, language or None),
            cutoffs,
        )
        if kind != ANSWERS
        else ([], 0)
    )
    items = sorted([*answers, *notes], key=lambda item: uncertainty(item, cutoffs))
    labels = survey_labels(
        session, survey, interface_tag(), question_infos(survey), dimension_infos(survey)
    )
    return render_template(
        "reports/review.html",
        survey=survey,
        labels=labels,
        items=items[:REVIEW_BATCH],
        left=answers_left + notes_left,
        question=question,
        language=language,
        kind=kind,
        reviewer=tags is not None,
        reviewed=[language_name(tag) for tag in tags] if tags is not None else [],
        question_choices=[
            (name, short_label(labels.get(f"q.{name}.label") or name, 80))
            for name in names.values()
        ],
        language_choices=[(tag, language_name(tag)) for tag in languages],
        kind_choices=[
            (ANSWERS, _("Survey answers")),
            (NOTES, _("Group-session notes")),
        ],
        review_labels=[(name, SENTIMENT_NAMES[name]) for name in SENTIMENT_LABELS],
        errors=errors or {},
    ), status


def posted_labels() -> tuple[dict[int, str], dict[int, str], dict[str, str]]:
    """Return the labels chosen on the page (answers', notes') and the anchors of bad ones."""
    answers: dict[int, str] = {}
    notes: dict[int, str] = {}
    errors: dict[str, str] = {}
    for key, value in request.form.items():
        if key.startswith(ANSWER_FIELD):
            number, chosen, anchor = key.removeprefix(ANSWER_FIELD), answers, "review-"
        elif key.startswith(NOTE_FIELD):
            number, chosen, anchor = key.removeprefix(NOTE_FIELD), notes, "review-note-"
        else:
            continue
        if value == LEAVE or not number.isdigit():
            continue
        if value in SENTIMENT_LABELS:
            chosen[int(number)] = value
        else:
            errors[f"{anchor}{number}"] = _("Choose negative, neutral or positive.")
    return answers, notes, errors


@bp.post("/<slug>/comments/review")
@role_required(*REVIEW_ROLES)
def save_review(slug: str):
    """Save every label chosen on the queue's page in one transaction, then show the next."""
    survey = survey_or_404(slug)
    session = db.get_session()
    answers, notes, errors = posted_labels()
    if errors:
        return render_review(survey, errors, 400)
    tags = reviewed_languages()
    if answers or notes:
        try:
            override_comments(
                session,
                survey,
                answers,
                notes,
                session.get(User, current_user.id),
                languages=None if tags is None else lambda language: covers(tags, language),
            )
        except CommentError as error:
            session.rollback()
            flash(_("No label was saved: %(errors)s", errors=str(error.message)))
            return render_review(survey, status=409)
        # Kept reports would show the old labels (and counts) until they expire.
        report_cache.forget_survey(session, survey.id)
        count = len(answers) + len(notes)
        flash(ngettext("Saved %(num)s label.", "Saved %(num)s labels.", count))
    else:
        flash(_("No label was chosen: nothing was saved."))
    args = {
        name: request.form[name]
        for name in ("question", "language", "comments")
        if request.form.get(name)
    }
    return redirect(url_for("reports.review", slug=survey.slug, **args))
