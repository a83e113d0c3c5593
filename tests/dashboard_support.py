"""A small survey with everything the dashboard and the downloads must handle.

Seventy-two respondents in two large age groups and three in a small one (to
be suppressed), web and paper responses with provenance, comments (one shaped
like a spreadsheet formula), contact details that must never leave the
database, population benchmarks, and two group sessions: one that allows quotes
and one that asked not to be quoted. Every other count is large, so that only
the small group's cells (and their complements) are withheld.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from report_support import add_many, add_responses, choice_question, comment, likert, make_survey
from sqlmodel import Session

from analysis.sentiment import SentimentCutoffs
from surveys.models import GroupFeedback, GroupSession, PopulationBenchmark, Survey, User
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission

SLUG = "transit-2025"
CONTACT = "jane.doe@example.org 416-555-0199"
FORMULA_COMMENT = '=HYPERLINK("http://attacker.example","Click")'
SMALL_GROUP_COMMENT = "Great buses, say the seniors."
NO_QUOTE_TEXT = "Words the elders asked us never to quote."
QUOTABLE_TEXT = "The library is a lovely, welcoming place."
SPEAKER = "Ruth"
PAPER_ID = "P-0042"


def build_survey(session: Session, users: dict[str, User], settings: dict | None = None) -> Survey:
    """Store the survey and its responses and group sessions; return the survey."""
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old", "senior"], dimension="age_band"),
            choice_question("area", ["north", "south"], dimension="area"),
            likert("safe"),
            comment("why"),
        ],
        slug=SLUG,
        settings=settings,
    )
    add_many(
        session,
        survey,
        [
            ({"age": "young", "area": "north", "safe": "agree", "why": "Great buses."}, 20),
            ({"age": "young", "area": "south", "safe": "disagree"}, 12),
            (
                {"age": "old", "area": "north", "safe": "disagree", "why": "The bus is terrible."},
                15,
            ),
            ({"age": "old", "area": "south", "safe": "agree"}, 15),
        ],
        collected_at=datetime(2025, 6, 2, 15, 0, tzinfo=UTC),
    )
    add_responses(
        session,
        survey,
        {"age": "senior", "area": "north", "safe": "agree", "why": SMALL_GROUP_COMMENT},
        2,
        collected_at=datetime(2025, 6, 3, 15, 0, tzinfo=UTC),
    )
    add_responses(
        session,
        survey,
        {"age": "young", "area": "south", "safe": "agree", "why": FORMULA_COMMENT},
        10,
        language="fr",
        collected_at=datetime(2025, 6, 3, 16, 0, tzinfo=UTC),
    )
    validated = validate_submission(
        survey.questions, {"age": ["senior"], "area": ["south"], "safe": ["agree"]}
    )
    response, _ = record_response(
        session,
        survey,
        validated.answers,
        Provenance(
            channel="paper",
            language="en",
            idempotency_key="paper-1",
            entered_by_id=users["broker"].id,
            collected_at=datetime(2025, 6, 1, 10, 0, tzinfo=UTC),
            paper_id=PAPER_ID,
            place="Malton Community Centre",
        ),
        cutoffs=SentimentCutoffs(),
        contact=CONTACT,
    )
    response.status = "verified"
    session.add(response)
    for attribution, text, speaker in (
        ("no_quote", NO_QUOTE_TEXT, None),
        ("attributed", QUOTABLE_TEXT, SPEAKER),
    ):
        group = GroupSession(
            survey_id=survey.id,
            kind="elder_circle",
            facilitator="Facilitator",
            held_on=date(2025, 6, 4),
            participants=12,
            consent="oral",
            attribution=attribution,
            languages=["en"],
        )
        session.add(group)
        session.flush()
        session.add(
            GroupFeedback(
                session_id=group.id,
                kind="quote",
                text=text,
                speaker=speaker,
                language="en",
                sentiment_label="positive",
                polarity=0.5,
            )
        )
    for group, population in (("young", 4000), ("old", 5000), ("senior", 1000)):
        session.add(PopulationBenchmark(dimension="age_band", group=group, population=population))
    session.commit()
    return survey
