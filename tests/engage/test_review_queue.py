"""The comment review queue: staff confirm or correct labels in bulk (issue 13, part 3)."""

import re

import pytest
from report_support import add_responses, comment, grouped_rows_afresh, kept_counts, make_survey
from sqlmodel import func, select

from engage.survey_reports import survey_report
from surveys import report_counts
from surveys.aggregates import Filters
from surveys.models import Answer, AuditEvent

# Comments and what the method makes of them (tests/analysis pin the method itself).
SURE_NEGATIVE = "The bus is always late and the drivers are rude. Terrible service."
UNSURE = "The bus comes every twenty minutes."
SURE_POSITIVE = "Thank you for the wonderful new library, the staff are lovely."
PUNJABI = "ਬੱਸ ਹਮੇਸ਼ਾ ਦੇਰ ਨਾਲ ਆਉਂਦੀ ਹੈ।"


@pytest.fixture
def survey(session):
    survey = make_survey(session, [comment("why")], slug="transit")
    add_responses(session, survey, {"why": SURE_NEGATIVE})
    add_responses(session, survey, {"why": UNSURE})
    add_responses(session, survey, {"why": SURE_POSITIVE})
    add_responses(session, survey, {"why": PUNJABI}, language="pa")
    report_counts.kept_rows(session, survey, Filters())  # counts kept from here on
    return survey


def answer_ids(session) -> dict[str, int]:
    return {answer.text: answer.id for answer in session.exec(select(Answer)).all()}


def queue_texts(page: str) -> list[str]:
    """Return the comments the queue lists, in order."""
    return re.findall(r'<blockquote id="review-text-\d+"[^>]*><p>(.*?)</p>', page)


def test_the_queue_lists_unscored_comments_then_those_the_method_is_least_sure_of(
    client, login_as, survey
):
    login_as("staff")
    page = client.get("/reports/transit/comments/review").get_data(as_text=True)

    texts = queue_texts(page)
    assert texts[0] == PUNJABI
    assert texts[1] == UNSURE
    assert set(texts[2:]) == {SURE_NEGATIVE, SURE_POSITIVE}
    assert "4 comments are waiting for a person" in page
    # Each comment is a plain radio group; "leave as is" is chosen until the reviewer picks.
    assert page.count('type="radio"') == 4 * 4
    assert page.count("checked>") == 4


def test_the_queue_can_be_narrowed_to_one_language(client, login_as, survey):
    login_as("staff")
    page = client.get("/reports/transit/comments/review?language=pa").get_data(as_text=True)

    assert queue_texts(page) == [PUNJABI]
    assert '<option value="pa" selected>' in page


def test_one_post_without_javascript_saves_every_label_chosen_and_audits_each(
    app, client, login_as, session, survey, users
):
    login_as("staff")
    ids = answer_ids(session)
    method = {answer.text: answer.sentiment_label for answer in session.exec(select(Answer)).all()}
    assert method[PUNJABI] is None and method[SURE_NEGATIVE] == "negative"

    reply = client.post(
        "/reports/transit/comments/review",
        data={
            f"label-{ids[PUNJABI]}": "negative",  # labelled by someone who reads Punjabi
            f"label-{ids[SURE_NEGATIVE]}": "negative",  # the method's label: confirmed
            f"label-{ids[UNSURE]}": "",  # left as is
            f"label-{ids[SURE_POSITIVE]}": "neutral",  # corrected
        },
    )

    assert reply.status_code == 302
    assert reply.headers["Location"].endswith("/reports/transit/comments/review")
    session.expire_all()
    stored = {answer.text: answer for answer in session.exec(select(Answer)).all()}
    assert {text: a.sentiment_override for text, a in stored.items()} == {
        PUNJABI: "negative",
        SURE_NEGATIVE: "negative",
        UNSURE: None,
        SURE_POSITIVE: "neutral",
    }
    assert stored[PUNJABI].override_by_id == users["staff"].id
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "sentiment_override")).all()
    assert len(events) == 3
    assert {event.new["sentiment_override"] for event in events} == {"negative", "neutral"}
    # Kept counts followed the labels, and equal a count made afresh.
    assert kept_counts(session, survey) == grouped_rows_afresh(session, survey)
    # The reviewed comments left the queue; the one left as is stays.
    page = client.get("/reports/transit/comments/review").get_data(as_text=True)
    assert queue_texts(page) == [UNSURE]
    assert "Saved 3 labels." in page


def test_labelled_comments_enter_the_report_and_it_says_a_person_labelled_them(
    app, client, login_as, session, survey
):
    login_as("staff")
    ids = answer_ids(session)
    client.post(
        "/reports/transit/comments/review",
        data={f"label-{ids[PUNJABI]}": "negative", f"label-{ids[SURE_NEGATIVE]}": "negative"},
    )
    app.config["MIN_CELL"] = 1  # four comments: let the report show them

    session.expire_all()
    report = survey_report(session, survey, app.config)
    by_language = {
        (row.group, label): count
        for row in report.sentiment.by_language
        for label, count in row.counts.items()
    }
    assert by_language[("pa", "negative")] == 1 and by_language[("pa", "unscored")] == 0
    labelled = {(row.dimension, row.group): row.counts for row in report.sentiment.labelled_by}
    assert labelled[("question", "why")] == {"person": 2, "method": 2, "unscored": 0}
    assert labelled[("language", "pa")] == {"person": 1, "method": 0, "unscored": 0}
    assert labelled[("language", "en")] == {"person": 1, "method": 2, "unscored": 0}

    dashboard = client.get("/reports/transit/?comments_question=why").get_data(as_text=True)
    assert "Who labelled the comments" in dashboard
    assert "Of 4 comments, 2 were labelled by a person and 2 by the method" in dashboard


@pytest.mark.parametrize(("label", "status"), [("furious", 400), ("negative", 409)])
def test_a_post_that_cannot_be_saved_whole_saves_nothing(
    client, login_as, session, survey, label, status
):
    login_as("staff")
    other = make_survey(session, [comment("why")], slug="other")
    add_responses(session, other, {"why": "Someone else's comment."})
    ids = answer_ids(session)
    target = ids["Someone else's comment."] if status == 409 else ids[UNSURE]

    reply = client.post(
        "/reports/transit/comments/review",
        data={f"label-{ids[PUNJABI]}": "negative", f"label-{target}": label},
    )

    assert reply.status_code == status
    session.expire_all()
    assert (
        session.exec(select(func.count()).where(Answer.sentiment_override.is_not(None))).one() == 0
    )


def test_the_explorer_links_to_the_queue(client, login_as, survey):
    login_as("staff")
    page = client.get("/reports/transit/comments").get_data(as_text=True)

    assert 'href="/reports/transit/comments/review"' in page
