"""Aggregation in SQL: grouped counts per dimension, question, label, channel and session."""

from collections import Counter
from datetime import UTC, date, datetime
from itertools import product

import pytest
from report_support import add_many, add_responses, choice_question, comment, likert, make_survey
from sqlmodel import select

from surveys import quotes, report_counts
from surveys.aggregates import Filters, Options, collect, counted_rows
from surveys.definition import PREFER_NOT_TO_ANSWER
from surveys.demographics import (
    WASHINGTON_GROUP_QUESTIONS,
    WG_A_LOT_OF_DIFFICULTY,
    WG_CANNOT_DO_AT_ALL,
    WG_NO_DIFFICULTY,
    WG_SOME_DIFFICULTY,
    washington_group_disability_status,
)
from surveys.models import (
    ATTRIBUTION_ANONYMOUS,
    ATTRIBUTION_NAMED,
    ATTRIBUTION_NO_QUOTE,
    Answer,
    GroupDemographic,
    GroupFeedback,
    GroupSession,
    GroupTally,
    Question,
)

PNA = PREFER_NOT_TO_ANSWER


@pytest.fixture
def survey(session):
    """A survey with age, race (select all that apply), a Likert question and a comment."""
    return make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            choice_question("race", ["black", "white", "asian"], dimension="race", multiple=True),
            likert("safe"),
            comment("why"),
        ],
        settings={"quote_comments": True},
    )


def test_every_respondent_is_counted_once_per_group_with_prefer_not_and_no_answer_rows(
    session, survey
):
    add_many(
        session,
        survey,
        [
            ({"age": "young", "race": ["black", "white"]}, 3),
            ({"age": "old", "race": ["asian"]}, 2),
            ({"age": PNA, "race": PNA}, 1),
            ({}, 4),
        ],
    )

    data = collect(session, survey)

    assert data.respondents == 10
    assert data.representation["age_band"] == {"young": 3, "old": 2, PNA: 1, None: 4}
    assert data.representation["race"] == {"black": 3, "white": 3, "asian": 2, PNA: 1, None: 4}
    assert data.dimensions["race"].multi_select
    assert not data.dimensions["age_band"].multi_select


def test_outcomes_are_joint_counts_of_group_and_choice(session, survey):
    add_many(
        session,
        survey,
        [
            ({"age": "young", "race": ["black", "white"], "safe": "agree"}, 3),
            ({"age": "old", "race": ["black"], "safe": "disagree"}, 2),
            ({"age": "old"}, 1),
        ],
    )

    data = collect(session, survey)

    assert data.outcomes[("safe", "age_band")] == {("young", "agree"): 3, ("old", "disagree"): 2}
    assert data.outcomes[("safe", "race")] == {
        ("black", "agree"): 3,
        ("white", "agree"): 3,
        ("black", "disagree"): 2,
    }
    assert data.distribution["safe"] == {"agree": 3, "disagree": 2}
    assert data.answered["safe"] == 5


def test_filters_narrow_by_date_channel_language_and_area(session, survey):
    june = datetime(2025, 6, 10, 12, tzinfo=UTC)
    july = datetime(2025, 7, 10, 12, tzinfo=UTC)
    add_responses(session, survey, {"age": "young"}, 2, collected_at=june, area="ward_1")
    add_responses(session, survey, {"age": "old"}, 3, collected_at=july, channel="paper")
    add_responses(session, survey, {"age": "old"}, 1, collected_at=july, language="fr")

    in_june = collect(session, survey, Filters(start=date(2025, 6, 1), end=date(2025, 6, 30)))
    on_paper = collect(session, survey, Filters(channels=("paper",)))
    in_french = collect(session, survey, Filters(languages=("fr",)))
    in_ward = collect(session, survey, Filters(areas=("ward_1",)))
    last_day = collect(session, survey, Filters(start=date(2025, 7, 10), end=date(2025, 7, 10)))

    assert in_june.representation["age_band"] == {"young": 2}
    assert on_paper.respondents == 3 and on_paper.by_channel == {"paper": 3}
    assert in_french.by_language == {"fr": 1}
    assert in_ward.respondents == 2 and in_ward.benchmark_area == "ward_1"
    assert last_day.respondents == 4
    assert collect(session, survey).by_day == {"2025-06-10": 2, "2025-07-10": 4}


def test_sentiment_counts_use_staff_overrides_and_keep_unscored_comments_apart(session, survey):
    add_responses(session, survey, {"age": "young", "why": "The bus service is terrible."}, 2)
    add_responses(
        session, survey, {"age": "old", "why": "Le service est mauvais."}, 1, language="fr"
    )
    add_responses(session, survey, {"age": "old", "why": "Basi ni nzuri sana."}, 1, language="sw")
    overridden = session.exec(select(Answer).where(Answer.text == "Le service est mauvais.")).one()
    with report_counts.recounting(session, survey, [overridden.response_id]):  # as staff do
        overridden.sentiment_override = "positive"
    session.commit()

    data = collect(session, survey)

    assert data.sentiment_by_question["why"] == {"negative": 2, "positive": 1, None: 1}
    assert data.sentiment_by_group[("why", "age_band")] == {
        ("young", "negative"): 2,
        ("old", "positive"): 1,
        ("old", None): 1,
    }
    assert data.sentiment_by_language["why"] == {
        ("en", "negative"): 2,
        ("fr", "positive"): 1,
        ("sw", None): 1,
    }
    assert data.sentiment_by_channel["why"] == {
        ("web", "negative"): 2,
        ("web", "positive"): 1,
        ("web", None): 1,
    }


def test_quotes_follow_the_effective_label_and_the_consent_question(session):
    survey = make_survey(
        session,
        [
            comment("why"),
            choice_question("may_quote", ["yes", "no"]),
        ],
        settings={"quote_consent_question": "may_quote"},
    )
    add_responses(session, survey, {"why": "Great buses, lovely drivers.", "may_quote": "yes"})
    add_responses(session, survey, {"why": "Wonderful, perfect service.", "may_quote": "no"})
    add_responses(session, survey, {"why": "The bus service is terrible.", "may_quote": "yes"})

    quotes = collect(session, survey).quotes["why"]

    assert [(quote.text, quote.label) for quote in quotes] == [
        ("Great buses, lovely drivers.", "positive"),
        ("The bus service is terrible.", "negative"),
    ]


@pytest.mark.parametrize("chunks", [(200, 50_000), (1, 2)], ids=["one chunk", "many chunks"])
def test_quotes_are_the_strongest_scored_comments_then_person_labelled_ones(
    session, monkeypatch, chunks
):
    monkeypatch.setattr(quotes, "FIRST_CHUNK", chunks[0])
    monkeypatch.setattr(quotes, "LAST_CHUNK", chunks[1])
    survey = make_survey(session, [comment("why")], settings={"quote_comments": True})
    add_responses(session, survey, {"why": "Good buses."})
    add_responses(session, survey, {"why": "Fine buses."})  # as strong as "Good buses."
    add_responses(session, survey, {"why": "Buses!"}, channel="paper")  # left out by a filter
    add_responses(session, survey, {"why": "Wonderful, perfect service."})
    add_responses(session, survey, {"why": "Basi ni nzuri sana."}, language="sw")  # unscored
    add_responses(session, survey, {"why": "Great buses, lovely drivers."})
    scored = {"Wonderful, perfect service.": 0.9, "Good buses.": 0.5, "Fine buses.": 0.5}
    scored |= {"Great buses, lovely drivers.": 0.7, "Buses!": 0.95}
    found = session.exec(select(Answer).where(Answer.text.is_not(None))).all()
    with report_counts.recounting(session, survey, [answer.response_id for answer in found]):
        for answer in found:  # as the scorer and a person left them
            answer.polarity = scored.get(answer.text)
            answer.sentiment_label = "positive" if answer.text in scored else None
            answer.sentiment_override = None if answer.text in scored else "positive"
    session.commit()

    def quoted(limit: int) -> list[str]:
        web = Filters(channels=("web",))
        found = collect(session, survey, web, Options(quotes_per_question=limit)).quotes
        return [quote.text for quote in found["why"] if quote.label == "positive"]

    assert quoted(2) == ["Wonderful, perfect service.", "Great buses, lovely drivers."]
    # Equally strong: the newer first, walking from the positive end.
    assert quoted(6) == [
        "Wonderful, perfect service.",
        "Great buses, lovely drivers.",
        "Fine buses.",
        "Good buses.",
        "Basi ni nzuri sana.",
    ]


def test_no_comment_is_quoted_without_a_quoting_rule(session):
    survey = make_survey(session, [comment("why")], settings={})
    add_responses(session, survey, {"why": "Great buses, lovely drivers."})

    data = collect(session, survey)

    assert data.quote_consent.policy == "none" and data.quotes == {}


def test_disability_status_in_the_report_follows_the_washington_group_rule(session):
    survey = make_survey(session, list(WASHINGTON_GROUP_QUESTIONS))
    names = [question.name for question in WASHINGTON_GROUP_QUESTIONS]
    answers = [None, WG_NO_DIFFICULTY, WG_SOME_DIFFICULTY, WG_A_LOT_OF_DIFFICULTY]
    answers += [WG_CANNOT_DO_AT_ALL, PNA]
    expected = Counter()
    for first, last in product(answers, repeat=2):
        given = {name: answer for name, answer in ((names[0], first), (names[-1], last)) if answer}
        add_responses(session, survey, given)
        expected[washington_group_disability_status(given)] += 1

    data = collect(session, survey)

    assert data.representation["disability"] == dict(expected)
    assert data.dimensions["disability"].derived
    assert data.dimensions["disability"].questions == tuple(names)


def test_group_sessions_are_aggregated_apart_from_respondents(session, survey):
    add_responses(session, survey, {"age": "young", "safe": "agree"}, 2)
    questions = {q.name: q for q in session.exec(select(Question)).all()}
    sessions = []
    for attribution in (ATTRIBUTION_NAMED, ATTRIBUTION_ANONYMOUS, ATTRIBUTION_NO_QUOTE):
        group = GroupSession(
            survey_id=survey.id,
            kind="elder_circle",
            facilitator="Facilitator",
            held_on=date(2025, 6, 5),
            participants=12,
            consent="oral",
            attribution=attribution,
            languages=["en"],
        )
        session.add(group)
        session.flush()
        sessions.append(group)
        session.add(
            GroupTally(
                session_id=group.id, question_id=questions["safe"].id, choice="agree", count=7
            )
        )
        session.add(
            GroupTally(session_id=group.id, question_id=questions["safe"].id, choice=None, count=5)
        )
        session.add(
            GroupDemographic(
                session_id=group.id, question_id=questions["age"].id, choice="old", count=12
            )
        )
        session.add(
            GroupFeedback(
                session_id=group.id,
                kind="quote",
                text=f"Wonderful drivers ({attribution}).",
                speaker="Mary",
                polarity=0.9,
                sentiment_label="positive",
            )
        )
    session.commit()

    data = collect(session, survey)

    assert data.respondents == 2
    assert data.distribution["safe"] == {"agree": 2}
    assert data.representation["age_band"] == {"young": 2}
    sessions_data = data.group_sessions
    assert sessions_data.sessions == 3 and sessions_data.participants == 36
    assert sessions_data.tallies["safe"] == {"agree": 21, None: 15}
    assert sessions_data.demographics["age_band"] == {"old": 36}
    assert sessions_data.sentiment[None] == {"positive": 3}
    quoted = {quote.text: quote.speaker for quote in sessions_data.quotes}
    assert quoted == {
        "Wonderful drivers (attributed).": "Mary",
        "Wonderful drivers (anonymous).": None,
    }


def test_counted_rows_are_grouped_whatever_the_number_of_responses(session, survey):
    pattern = [
        ({"age": "young", "race": ["black"], "safe": "agree", "why": "Great buses."}, 1),
        ({"age": "old", "race": ["white", "asian"], "safe": "disagree"}, 1),
    ]
    add_many(session, survey, pattern)
    options = Options(weighting_dimensions=("age_band",), quotes_per_question=1)
    small = {
        name: len(rows)
        for name, rows in counted_rows(session, survey, Filters(channels=("web",)), options).items()
    }
    add_many(session, survey, [(answers, 40) for answers, _ in pattern])

    large = {
        name: len(rows)
        for name, rows in counted_rows(session, survey, Filters(channels=("web",)), options).items()
    }

    assert small == large
    assert ("outcomes", "race") in large and ("intersection", "age_band", "race") in large
    assert large[("weighting", "cells")] > 0
    assert set(counted_rows(session, survey)) <= set(large)
