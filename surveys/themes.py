"""Stored themes of a free-text question's comments, and staff's edits to them.

``compute_themes`` runs ``analysis.themes`` over a question's comments and replaces
the question's stored themes in one transaction. Staff edits survive it as
overrides applied after the method: a theme's name goes to the new theme sharing
most top terms (``analysis.themes.match_edited``), and a comment staff put in a
theme (by moving it, merging two themes or splitting one) stays pinned to that
theme's successor; an edited theme no new theme resembles is kept as it was.

Every write here is audited and left for the caller to commit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, exists, func, update
from sqlmodel import Session, select

from analysis.themes import (
    METHOD,
    Comment,
    EditedTheme,
    find_themes,
    match_edited,
    may_quote,
)
from surveys.audit import write_audit
from surveys.messages import N_
from surveys.models import Answer, CommentTheme, CommentThemeMember, Question, Response, Survey
from surveys.report_records import QuoteConsent
from surveys.retention import REMOVED_TEXT

LABEL_LENGTH = 200
EXAMPLES = 3


class ThemeError(ValueError):
    """A staff edit that cannot be made; ``message`` is translatable."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ThemeView:
    """A stored theme as the staff page shows it."""

    id: int
    language: str
    terms: tuple[str, ...]
    label: str | None
    size: int
    examples: tuple[str, ...]
    members: tuple[tuple[int, str], ...]  # (answer id, text), strongest first
    staff_made: bool


def question_comments(session: Session, survey: Survey, question: Question) -> list[Comment]:
    """Return the question's comments with their authors' answers to the consent question."""
    rows = session.exec(
        select(Answer.id, Answer.text, Answer.response_id, Response.language)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Answer.question_id == question.id,
            Answer.text.is_not(None),
            Answer.text != REMOVED_TEXT,
            Answer.text != "",
        )
        .order_by(Answer.id)
    ).all()
    consent = consent_choices(session, survey, {row[2] for row in rows})
    return [
        Comment(answer, text, language or "", consent.get(response, ()))
        for answer, text, response, language in rows
    ]


def consent_choices(session: Session, survey: Survey, responses: set[int]) -> dict[int, tuple]:
    """Return each response's answers to the survey's consent question, if it has one."""
    rule = QuoteConsent.from_settings(survey.settings or {})
    if rule.policy != "consent_question" or not responses:
        return {}
    question = session.exec(
        select(Question.id).where(Question.survey_id == survey.id, Question.name == rule.question)
    ).first()
    if question is None:
        return {}
    found: dict[int, tuple] = {}
    for response, choice in session.exec(
        select(Answer.response_id, Answer.choice).where(
            Answer.question_id == question, Answer.choice.is_not(None)
        )
    ):
        if response in responses:
            found[response] = (*found.get(response, ()), choice)
    return found


def compute_themes(session: Session, survey: Survey, question: Question, user_id: int | None):
    """Recompute the question's themes, keeping staff's names and pinned comments."""
    comments = question_comments(session, survey, question)
    rule = QuoteConsent.from_settings(survey.settings or {})
    result = find_themes(comments, rule, examples=0)
    stored = stored_themes(session, question)
    pinned = pinned_members(session, [theme.id for theme in stored])
    edited = [
        EditedTheme(
            theme.id, theme.language, tuple(theme.terms), theme.label, pinned.get(theme.id, ())
        )
        for theme in stored
        if theme.label or theme.staff_made or theme.id in pinned
    ]
    matched = match_edited(edited, result.themes)
    inherits = {index: key for key, index in matched.items() if index is not None}
    by_key = {theme.id: theme for theme in stored}
    theme_ids = [theme.id for theme in stored]
    if theme_ids:
        session.exec(delete(CommentThemeMember).where(CommentThemeMember.theme_id.in_(theme_ids)))
        session.exec(delete(CommentTheme).where(CommentTheme.id.in_(theme_ids)))
    successor: dict[int, CommentTheme] = {}
    member_of: dict[int, tuple[CommentTheme, float]] = {}
    for index, theme in enumerate(result.themes):
        old = by_key.get(inherits.get(index, -1))
        row = CommentTheme(
            question_id=question.id,
            language=theme.language,
            terms=list(theme.terms),
            label=old.label if old else None,
            method=METHOD,
        )
        session.add(row)
        if old:
            successor[old.id] = row
        for answer, weight in zip(theme.comment_ids, theme.weights, strict=True):
            member_of[answer] = (row, weight)
    for old in edited:
        if old.key not in successor:
            row = CommentTheme(
                question_id=question.id,
                language=old.language,
                terms=list(old.terms),
                label=old.label,
                method=METHOD,
                staff_made=True,
            )
            session.add(row)
            successor[old.key] = row
    session.flush()
    existing = {comment.id for comment in comments}
    pins = {
        answer: successor[old.key] for old in edited for answer in old.pinned if answer in existing
    }
    for answer, (row, weight) in member_of.items():
        if answer not in pins:
            session.add(CommentThemeMember(answer_id=answer, theme_id=row.id, weight=weight))
    for answer, row in pins.items():
        session.add(CommentThemeMember(answer_id=answer, theme_id=row.id, pinned=True))
    session.flush()
    # The method finds a theme staff merged away again, but its comments stay pinned where
    # staff put them: without this it would come back empty, a column of zeros in every
    # table. A theme staff named is theirs to remove.
    session.exec(
        delete(CommentTheme).where(
            CommentTheme.question_id == question.id,
            CommentTheme.label.is_(None),
            ~exists().where(CommentThemeMember.theme_id == CommentTheme.id),
        )
    )
    themes = len(stored_themes(session, question))
    audit(session, user_id, "themes.computed", question, {}, {"themes": themes})


def audit(
    session: Session,
    user_id: int | None,
    action: str,
    about: CommentTheme | Question,
    old: dict,
    new: dict,
) -> None:
    """Record a theme change in the audit trail, under the question's survey."""
    question = about if isinstance(about, Question) else session.get(Question, about.question_id)
    entity = "question" if isinstance(about, Question) else "comment_theme"
    write_audit(session, user_id, action, entity, str(about.id), question.survey_id, old, new)


def stored_themes(session: Session, question: Question) -> list[CommentTheme]:
    """Return the question's stored themes, by language then id."""
    return list(
        session.exec(
            select(CommentTheme)
            .where(CommentTheme.question_id == question.id)
            .order_by(CommentTheme.language, CommentTheme.id)
        )
    )


def pinned_members(session: Session, theme_ids: Sequence[int]) -> dict[int, tuple[int, ...]]:
    """Return, per theme, the comments staff pinned to it."""
    found: dict[int, tuple[int, ...]] = {}
    if not theme_ids:
        return found
    for answer, theme in session.exec(
        select(CommentThemeMember.answer_id, CommentThemeMember.theme_id)
        .where(CommentThemeMember.theme_id.in_(theme_ids), CommentThemeMember.pinned)
        .order_by(CommentThemeMember.answer_id)
    ):
        found[theme] = (*found.get(theme, ()), answer)
    return found


def theme_views(
    session: Session, survey: Survey, question: Question, members: int = 20
) -> list[ThemeView]:
    """Return the question's themes, largest first in each language, for the staff page."""
    rule = QuoteConsent.from_settings(survey.settings or {})
    views = []
    for theme in stored_themes(session, question):
        size = session.exec(
            select(func.count()).where(CommentThemeMember.theme_id == theme.id)
        ).one()
        rows = session.exec(
            select(Answer.id, Answer.text, Answer.response_id)
            .join(CommentThemeMember, CommentThemeMember.answer_id == Answer.id)
            .where(CommentThemeMember.theme_id == theme.id, Answer.text != REMOVED_TEXT)
            .order_by(CommentThemeMember.weight.desc(), Answer.id)
        ).all()
        consent = consent_choices(session, survey, {row[2] for row in rows})
        examples = tuple(
            text
            for answer, text, response in rows
            if may_quote(rule, Comment(answer, text, theme.language, consent.get(response, ())))
        )[:EXAMPLES]
        views.append(
            ThemeView(
                theme.id,
                theme.language,
                tuple(theme.terms),
                theme.label,
                size,
                examples,
                tuple((answer, text) for answer, text, _response in rows[:members]),
                theme.staff_made,
            )
        )
    views.sort(key=lambda view: (view.language, -view.size, view.id))
    return views


def theme_of(session: Session, question: Question, theme_id: int) -> CommentTheme | None:
    """Return the question's theme with that id, if it is one of the question's."""
    theme = session.get(CommentTheme, theme_id)
    return theme if theme is not None and theme.question_id == question.id else None


def rename_theme(session: Session, theme: CommentTheme, label: str, user_id: int | None) -> None:
    """Name a theme (an empty name goes back to its top terms)."""
    label = " ".join(label.split())
    old = theme.label
    if len(label) > LABEL_LENGTH:
        raise ThemeError(N_("A theme's name can be at most 200 characters."))
    theme.label = label or None
    session.add(theme)
    audit(session, user_id, "themes.renamed", theme, {"label": old}, {"label": theme.label})
    session.flush()


def merge_themes(
    session: Session, theme: CommentTheme, into: CommentTheme, user_id: int | None
) -> None:
    """Move every comment of ``theme`` into ``into`` (pinned there), then drop ``theme``."""
    if into.id == theme.id or into.question_id != theme.question_id:
        raise ThemeError(N_("Choose another theme of the same question to merge into."))
    session.exec(
        update(CommentThemeMember)
        .where(CommentThemeMember.theme_id == theme.id)
        .values(theme_id=into.id, pinned=True)
    )
    session.delete(theme)
    audit(session, user_id, "themes.merged", theme, {}, {"into": into.id})
    session.flush()


def split_theme(
    session: Session, survey: Survey, theme: CommentTheme, user_id: int | None
) -> CommentTheme:
    """Split a theme in two by running the method on its comments alone; return the new one."""
    rows = session.exec(
        select(Answer.id, Answer.text)
        .join(CommentThemeMember, CommentThemeMember.answer_id == Answer.id)
        .where(CommentThemeMember.theme_id == theme.id, Answer.text != REMOVED_TEXT)
        .order_by(Answer.id)
    ).all()
    comments = [Comment(answer, text, theme.language) for answer, text in rows]
    result = find_themes(comments, QuoteConsent("none"), count=2, examples=0)
    if len(result.themes) < 2:
        raise ThemeError(N_("This theme's comments could not be split in two."))
    first, second = result.themes[:2]
    theme.terms = list(first.terms)
    theme.staff_made = True
    other = CommentTheme(
        question_id=theme.question_id,
        language=theme.language,
        terms=list(second.terms),
        method=METHOD,
        staff_made=True,
    )
    session.add_all([theme, other])
    session.flush()
    for target, part in ((theme, first), (other, second)):
        for answer, weight in zip(part.comment_ids, part.weights, strict=True):
            session.exec(
                update(CommentThemeMember)
                .where(CommentThemeMember.answer_id == answer)
                .values(theme_id=target.id, weight=weight, pinned=True)
            )
    audit(session, user_id, "themes.split", theme, {}, {"new": other.id})
    session.flush()
    return other


def move_comment(
    session: Session, question: Question, answer_id: int, theme: CommentTheme, user_id: int | None
) -> None:
    """Put one comment in another theme of its question, pinned there."""
    member = session.get(CommentThemeMember, answer_id)
    current = session.get(CommentTheme, member.theme_id) if member else None
    if current is None or current.question_id != question.id:
        raise ThemeError(N_("That comment has no theme in this question."))
    member.theme_id = theme.id
    member.pinned = True
    session.add(member)
    audit(session, user_id, "themes.moved", theme, {"theme": current.id}, {"answer": answer_id})
    session.flush()
