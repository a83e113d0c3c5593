"""Comments by theme, per group of every dimension and per channel: the report's theme counts.

A respondent counts in a theme when their comment on the question is one of the
theme's members (``CommentThemeMember``, as staff left it after moving, merging
or splitting). Which responses count, and in which groups, is the report's own
definition, not a second one: the filters' ``filter_conditions``, and each
respondent's groups from their kept facts (``surveys.counting.facts_of``, worked
out from their stored answers where none are kept for this shape), so a theme's
author is in the group the report's other tables put them in.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

from sqlalchemy import and_, select
from sqlmodel import Session

from surveys.counting import facts_key, facts_of, survey_shape
from surveys.models import Answer, CommentTheme, CommentThemeMember, Response, ResponseFacts, Survey
from surveys.report_records import Filters, ThemeCounts, ThemeInfo
from surveys.report_structure import comment_names, filter_conditions, question_ids, question_infos
from surveys.stored_answers import stored_responses

answers = Answer.__table__
responses = Response.__table__
facts_table = ResponseFacts.__table__
themes_table = CommentTheme.__table__
members = CommentThemeMember.__table__


def theme_counts(
    session: Session, survey: Survey, filters: Filters = Filters()
) -> dict[str, ThemeCounts]:
    """Return each comment question's themes with their respondents by group and channel."""
    names = {question_ids(survey)[name]: name for name in comment_names(question_infos(survey))}
    if not names:
        return {}
    connection = session.connection()
    stored = connection.execute(
        select(
            themes_table.c.id,
            themes_table.c.question_id,
            themes_table.c.label,
            themes_table.c.terms,
            themes_table.c.language,
        )
        .where(themes_table.c.question_id.in_(list(names)))
        .order_by(themes_table.c.language, themes_table.c.id)
    ).all()
    if not stored:
        return {}
    question_of = {theme: names[question] for theme, question, *_rest in stored}
    shape = survey_shape(survey)
    kept = and_(
        facts_table.c.response_id == responses.c.id,
        facts_table.c.structure == facts_key(shape),
    )
    rows = connection.execute(
        select(members.c.theme_id, responses.c.id, responses.c.channel, facts_table.c.profile)
        .select_from(
            members.join(answers, answers.c.id == members.c.answer_id)
            .join(responses, responses.c.id == answers.c.response_id)
            .outerjoin(facts_table, kept)
        )
        .where(members.c.theme_id.in_(list(question_of)), *filter_conditions(survey.id, filters))
    ).all()
    missing = {response for _theme, response, _channel, profile in rows if profile is None}
    profiles = (
        {
            response: facts_of(shape, found).profile
            for response, found in stored_responses(
                connection, survey.id, shape, response_ids=missing
            )
        }
        if missing
        else {}
    )
    # A respondent counts once in a theme, however many of their answers it holds.
    seen = {
        (theme, response): (channel, json.loads(profile or profiles[response]))
        for theme, response, channel, profile in rows
    }
    by_theme: dict[str, Counter] = defaultdict(Counter)
    by_channel: dict[str, Counter] = defaultdict(Counter)
    by_group: dict[str, dict[str, Counter]] = defaultdict(lambda: defaultdict(Counter))
    for (theme, _response), (channel, groups) in seen.items():
        name, key = question_of[theme], str(theme)
        by_theme[name][key] += 1
        by_channel[name][(channel, key)] += 1
        for dimension, found in zip(shape.dimensions, groups, strict=True):
            for group in found:
                by_group[name][dimension][(group, key)] += 1
    result: dict[str, ThemeCounts] = {}
    for name in names.values():
        infos = tuple(
            ThemeInfo(str(theme), label, tuple(terms or ()), language)
            for theme, question, label, terms, language in stored
            if question_of[theme] == name
        )
        if infos:
            result[name] = ThemeCounts(
                themes=infos,
                by_theme=dict(by_theme[name]),
                by_group={key: dict(by_group[name][key]) for key in shape.dimensions},
                by_channel=dict(by_channel[name]),
            )
    return result
