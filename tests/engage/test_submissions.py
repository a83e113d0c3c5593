"""record_response: one response per idempotency key, area and sentiment stored with it."""

from sqlmodel import func, select

from analysis.sentiment import SentimentCutoffs, score_comment
from surveys.definition import (
    LONG_TEXT,
    PREFER_NOT_TO_ANSWER,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.demographics import area_question
from surveys.models import Answer, Response
from surveys.questions import AnswerValue
from surveys.recording import Provenance, record_response
from surveys.store import save_definition

CUTOFFS = SentimentCutoffs()


def make_survey(session):
    definition = SurveyDefinition(
        slug="feedback",
        default_language="en",
        languages=("en", "pa"),
        title={"en": "Feedback"},
        questions=(
            QuestionDefinition(name="comment", kind=LONG_TEXT, label={"en": "Comment"}),
            area_question(["North", "South"]),
        ),
    )
    survey = save_definition(session, definition)
    session.commit()
    return survey


def store(
    session, survey, key, language="en", comment="The bus service is terrible.", area="area_2"
):
    answers = {"comment": [AnswerValue(text=comment)], "area": [AnswerValue(choice=area)]}
    return record_response(
        session, survey, answers, Provenance("web", language, key), cutoffs=CUTOFFS
    )


def test_same_idempotency_key_stores_one_response(app, session):
    survey = make_survey(session)
    first, created = store(session, survey, "token-1")
    again, created_again = store(session, survey, "token-1")
    assert (created, created_again) == (True, False)
    assert again.id == first.id
    assert session.exec(select(func.count()).select_from(Response)).one() == 1
    assert session.exec(select(func.count()).select_from(Answer)).one() == 2


def test_area_answer_is_copied_to_the_response_for_area_filters(app, session):
    survey = make_survey(session)
    response, _ = store(session, survey, "token-1", area="area_2")
    skipped, _ = store(session, survey, "token-2", area=PREFER_NOT_TO_ANSWER)
    assert (response.area, skipped.area) == ("area_2", None)


def test_english_comment_is_scored_once_and_punjabi_comment_stays_unscored(app, session):
    survey = make_survey(session)
    store(session, survey, "en-1")
    store(session, survey, "pa-1", language="pa", comment="ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ")
    scored = session.exec(
        select(Answer.text, Answer.polarity, Answer.sentiment_label).where(Answer.text.is_not(None))
    ).all()
    by_text = {text: (polarity, label) for text, polarity, label in scored}
    polarity = score_comment("The bus service is terrible.", "en").polarity
    assert by_text["The bus service is terrible."] == (polarity, "negative")
    assert by_text["ਬੱਸ ਸੇਵਾ ਬਹੁਤ ਮਾੜੀ ਹੈ"] == (None, None)
