"""Quotes: the most positive and most negative comments a report may quote.

Which comments may be quoted follows the survey's quoting rule (``QuoteConsent``:
all, those whose author agreed on a consent question, or none); which are picked
follows their sentiment (the effective label, strongest polarity first).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, literal, select, union_all
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session

from surveys.models import Answer, Response, Survey
from surveys.report_records import NEGATIVE, POSITIVE, Filters, Options, Quote, QuoteConsent
from surveys.report_structure import comment_names, filter_conditions, question_ids, question_infos

answers = Answer.__table__
responses = Response.__table__


@dataclass(frozen=True)
class Query:
    """One GROUP BY statement of a report and how its rows become records."""

    name: tuple
    statement: Select
    read: Callable[[Sequence[Any]], Any]


def quote_queries(
    session: Session,
    survey: Survey,
    filters: Filters = Filters(),
    options: Options = Options(),
) -> list[Query]:
    """Return the statements that pick the quotable comments of a report (not counts)."""
    ids = question_ids(survey)
    comments = comment_names(question_infos(survey))
    consent = QuoteConsent.from_settings(survey.settings or {})
    if consent.policy == "none" or options.quotes_per_question <= 0:
        return []
    where = filter_conditions(survey.id, filters)
    return [
        Query(
            ("quotes", name, wanted),
            _quote_statement(ids[name], wanted, consent, ids, where, options.quotes_per_question),
            lambda rows, name=name: tuple(
                Quote(name, text, polarity, label_, language, "response")
                for text, polarity, label_, language in rows
            ),
        )
        for name in comments
        for wanted in (POSITIVE, NEGATIVE)
    ]


def _quote_statement(
    question_id: int,
    wanted: str,
    consent: QuoteConsent,
    ids: dict[str, int],
    where: list[ColumnElement],
    limit: int,
) -> Select:
    """Return the most positive (or negative) quotable comments of a question.

    Scored comments come first, most positive (or negative) first, then comments a
    person labelled without a score, oldest first. The two sides are picked apart so
    that each walks an index (``ix_answers_question_polarity``) and stops at ``limit``
    rather than sorting every comment the filter covers; so comments of equal polarity
    come in the index's order, walked from its positive end (newest first) or its
    negative end (oldest first).
    """
    label = func.coalesce(answers.c.sentiment_override, answers.c.sentiment_label)
    base = (
        select(
            answers.c.text,
            answers.c.polarity,
            label.label("label"),
            responses.c.language,
            answers.c.id,
        )
        .select_from(answers.join(responses, responses.c.id == answers.c.response_id))
        .where(
            answers.c.question_id == question_id,
            answers.c.text.is_not(None),
            label == wanted,
            *where,
        )
    )
    if consent.policy == "consent_question":
        consent_id = ids.get(consent.question)
        if consent_id is None:
            base = base.where(literal(False))
        else:
            consenting = answers.alias("consent")
            base = base.where(
                select(consenting.c.id)
                .where(
                    consenting.c.response_id == answers.c.response_id,
                    consenting.c.question_id == consent_id,
                    consenting.c.choice.in_(consent.choices),
                )
                .exists()
            )

    def strongest(*columns):
        return [c.desc() if wanted == POSITIVE else c.asc() for c in columns]

    scored = (
        base.where(answers.c.polarity.is_not(None))
        .order_by(*strongest(answers.c.polarity, answers.c.id))
        .limit(limit)
        .subquery()
    )
    unscored = (
        base.where(answers.c.polarity.is_(None)).order_by(answers.c.id).limit(limit).subquery()
    )
    both = union_all(
        select(scored, literal(0).label("side")), select(unscored, literal(1).label("side"))
    ).subquery()
    return (
        select(both.c.text, both.c.polarity, both.c.label, both.c.language)
        .order_by(both.c.side, *strongest(both.c.polarity, both.c.id))
        .limit(limit)
    )


def run(session: Session, queries: Iterable[Query]) -> dict[tuple, Any]:
    """Execute the statements and read their rows; return records by query name."""
    return {
        query.name: query.read(session.connection().execute(query.statement).all())
        for query in queries
    }
