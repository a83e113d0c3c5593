"""Quotes: the most positive and most negative comments a report may quote.

Which comments may be quoted follows the survey's quoting rule (``QuoteConsent``:
all, those whose author agreed on a consent question, or none); which are picked
follows their sentiment: the effective label (a person's, else the method's), scored
comments strongest first, then comments a person labelled without a score, oldest
first.

A question may have a hundred thousand comments. Rather than sorting all those a
filter covers, the picker walks the question's comments in polarity order along an
index (``ix_answers_question_polarity``: question, polarity, id), a chunk at a time,
and checks only the chunk's comments against the label, the filter and the consent
rule, stopping once it has enough. The walk is a one-table statement whose order is
the index's, so every database plans it as a walk along the index; a single
statement with the checks inside left PostgreSQL sorting every comment, because it
cannot estimate how many comments are scored. Comments of equal polarity come in
the index's order, walked from its positive end (newest first) or from its negative
end (oldest first).
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Connection, false, func, select, tuple_
from sqlalchemy.sql import ColumnElement, Select
from sqlmodel import Session

from surveys.models import Answer, Response, Survey
from surveys.report_records import NEGATIVE, POSITIVE, Filters, Options, Quote, QuoteConsent
from surveys.report_structure import comment_names, filter_conditions, question_ids, question_infos
from surveys.retention import REMOVED_TEXT

answers = Answer.__table__
responses = Response.__table__
# Comments walked in the first chunk; each next chunk is four times larger (up to
# LAST_CHUNK), so that a filter few comments match costs a handful of round trips.
FIRST_CHUNK = 200
LAST_CHUNK = 50_000
label = func.coalesce(answers.c.sentiment_override, answers.c.sentiment_label)


def pick_quotes(
    session: Session,
    survey: Survey,
    filters: Filters = Filters(),
    options: Options = Options(),
) -> dict[tuple, tuple[Quote, ...]]:
    """Return each comment question's quotes, keyed ``("quotes", question, label)``."""
    ids = question_ids(survey)
    consent = QuoteConsent.from_settings(survey.settings or {})
    limit = options.quotes_per_question
    if consent.policy == "none" or limit <= 0:
        return {}
    connection = session.connection()
    where = filter_conditions(survey.id, filters)
    found: dict[tuple, tuple[Quote, ...]] = {}
    for name in comment_names(question_infos(survey)):
        for wanted in (POSITIVE, NEGATIVE):
            checks = _checks(ids[name], wanted, consent, ids, where)
            rows = _walk(connection, ids[name], wanted, checks, limit)
            found[("quotes", name, wanted)] = tuple(
                Quote(name, text, polarity, label_, language, "response")
                for text, polarity, label_, language in rows
            )
    return found


def _checks(
    question_id: int,
    wanted: str,
    consent: QuoteConsent,
    ids: dict[str, int],
    where: list[ColumnElement],
) -> Select:
    """Return the statement that keeps, of some comments, the quotable ones with the label."""
    statement = (
        select(answers.c.text, answers.c.polarity, label, responses.c.language)
        .select_from(answers.join(responses, responses.c.id == answers.c.response_id))
        .where(answers.c.question_id == question_id, label == wanted, *where)
        # A text removed under the retention schedule still counts, but is never quoted.
        .where(answers.c.text != REMOVED_TEXT)
    )
    if consent.policy != "consent_question":
        return statement
    consent_id = ids.get(consent.question)
    if consent_id is None:
        return statement.where(false())
    consenting = answers.alias("consent")
    return statement.where(
        select(consenting.c.id)
        .where(
            consenting.c.response_id == answers.c.response_id,
            consenting.c.question_id == consent_id,
            consenting.c.choice.in_(consent.choices),
        )
        .exists()
    )


def _walk(
    connection: Connection, question_id: int, wanted: str, checks: Select, limit: int
) -> list[Sequence]:
    """Walk the question's comments strongest first; return the first ``limit`` that pass.

    Each chunk is a range of the index (from where the last one ended to its own last
    comment), so the checks read exactly the chunk's comments, found by the same range.
    """
    positive = wanted == POSITIVE
    scored = answers.c.polarity.is_not(None)
    picked: list[Sequence] = []
    # Scored comments, from the wanted end of the polarity order; then unscored, by id.
    for side, keys in (
        (scored, (answers.c.polarity, answers.c.id)),
        (answers.c.polarity.is_(None), (answers.c.id,)),
    ):
        descending = positive and side is scored
        steps = [key.desc() if descending else key.asc() for key in keys]
        position = tuple_(*keys)
        comments = (answers.c.question_id == question_id, answers.c.text.is_not(None), side)
        after: tuple | None = None
        chunk = FIRST_CHUNK
        while len(picked) < limit:
            walked = [] if after is None else [position < after if descending else position > after]
            last = connection.execute(
                select(*keys).where(*comments, *walked).order_by(*steps).offset(chunk - 1).limit(1)
            ).first()
            upto = [] if last is None else [position >= last if descending else position <= last]
            found = connection.execute(
                checks.where(*comments, *walked, *upto).order_by(*steps).limit(limit - len(picked))
            ).all()
            picked += found
            if last is None:  # the walk reached the end of this side
                break
            after = tuple(last)
            chunk = min(chunk * 4, LAST_CHUNK)
    return picked
