"""Group-session notes in the comment review queue (issue 13, part 3): elder circles, focus
groups and community meetings are labelled by a person like residents' answers, and the
report's group-session sentiment and its labelled-by counts use that label."""

import csv
import io
import re
import zipfile
from datetime import date

import pytest
from report_support import add_group_session, add_responses, comment, make_survey
from sqlmodel import select

from analysis.sentiment import SentimentCutoffs
from engage.comments import score_comments
from engage.survey_reports import survey_report
from surveys.models import Answer, AuditEvent, GroupFeedback, StoredReport

ELDERS = "The bus does not come out to where our elders live, so they miss the gatherings."
ANISHINAABEMOWIN = "Gaawiin bizhaasii odaabaanikewin."
SURE_POSITIVE = "Thank you for the wonderful new library, the staff are lovely."
QUIET = "Please do not quote us: the meeting was tense."


@pytest.fixture
def survey(session):
    survey = make_survey(session, [comment("why")], slug="transit")
    add_responses(session, survey, {"why": SURE_POSITIVE})
    question = survey.questions[0]
    add_group_session(
        session,
        survey,
        [
            {"kind": "note", "text": ELDERS, "question_id": question.id},
            {"kind": "note", "text": ANISHINAABEMOWIN, "language": "oj"},
        ],
        kind="elder_circle",
        held_on=date(2025, 6, 12),
    )
    add_group_session(session, survey, [{"kind": "note", "text": QUIET}], attribution="no_quote")
    score_comments(session, SentimentCutoffs())
    return survey


def notes(session) -> dict[str, GroupFeedback]:
    return {note.text: note for note in session.exec(select(GroupFeedback)).all()}


def queue(page: str) -> list[str]:
    """Return the queue's texts, in order."""
    return re.findall(r'<blockquote id="review-(?:note-)?text-\d+"[^>]*><p>(.*?)</p>', page)


def test_session_notes_join_the_queue_marked_with_their_session(client, login_as, survey):
    login_as("staff")
    page = client.get("/reports/transit/comments/review").get_data(as_text=True)

    texts = queue(page)
    assert set(texts) == {ELDERS, ANISHINAABEMOWIN, SURE_POSITIVE}
    assert texts[0] == ANISHINAABEMOWIN  # unscored (no validated method): first
    assert "Group-session note" in page
    assert "From a group session: Elder circle, Jun 12, 2025" in page
    # Participants who asked not to be quoted: their note is not shown to anyone.
    assert QUIET not in page
    assert "3 comments are waiting for a person" in page


def test_the_queue_filters_notes_by_language_and_by_kind(client, login_as, survey):
    login_as("staff")
    by_language = client.get("/reports/transit/comments/review?language=oj")
    assert queue(by_language.get_data(as_text=True)) == [ANISHINAABEMOWIN]
    only_notes = client.get("/reports/transit/comments/review?comments=notes")
    assert set(queue(only_notes.get_data(as_text=True))) == {ELDERS, ANISHINAABEMOWIN}
    only_answers = client.get("/reports/transit/comments/review?comments=answers")
    assert queue(only_answers.get_data(as_text=True)) == [SURE_POSITIVE]


def test_a_saved_note_label_is_audited_and_leaves_the_queue(
    client, login_as, session, survey, users
):
    login_as("staff")
    found = notes(session)
    answer = session.exec(select(Answer).where(Answer.text.is_not(None))).one()

    reply = client.post(
        "/reports/transit/comments/review",
        data={
            f"note-{found[ELDERS].id}": "negative",
            f"note-{found[ANISHINAABEMOWIN].id}": "negative",
            f"label-{answer.id}": "positive",
            "comments": "notes",
        },
    )

    assert reply.status_code == 302
    assert reply.headers["Location"].endswith("/reports/transit/comments/review?comments=notes")
    session.expire_all()
    found = notes(session)
    assert found[ELDERS].sentiment_override == "negative"
    assert found[ELDERS].override_by_id == users["staff"].id
    assert found[ANISHINAABEMOWIN].sentiment_override == "negative"
    events = session.exec(
        select(AuditEvent).where(
            AuditEvent.action == "sentiment_override", AuditEvent.entity == "group_feedback"
        )
    ).all()
    assert {event.entity_id for event in events} == {
        str(found[ELDERS].id),
        str(found[ANISHINAABEMOWIN].id),
    }
    page = client.get("/reports/transit/comments/review").get_data(as_text=True)
    assert "No comment here is waiting for a person" in page


@pytest.mark.parametrize(
    ("target", "label", "status", "message"),
    [
        ("elders", "furious", 400, "Choose negative, neutral or positive."),
        ("quiet", "negative", 409, "That comment no longer exists."),
        ("missing", "negative", 409, "That comment no longer exists."),
    ],
)
def test_a_bad_note_label_saves_nothing_and_says_why(
    client, login_as, session, survey, target, label, status, message
):
    login_as("staff")
    found = notes(session)
    ids = {"elders": found[ELDERS].id, "quiet": found[QUIET].id, "missing": 999_999}

    reply = client.post(
        "/reports/transit/comments/review",
        data={f"note-{found[ANISHINAABEMOWIN].id}": "negative", f"note-{ids[target]}": label},
    )

    assert reply.status_code == status
    assert message in reply.get_data(as_text=True)
    session.expire_all()
    assert all(note.sentiment_override is None for note in notes(session).values())
    assert not session.exec(
        select(AuditEvent).where(AuditEvent.action == "sentiment_override")
    ).all()


def test_the_error_is_in_the_readers_language(client, login_as, session, survey):
    login_as("staff")
    found = notes(session)
    reply = client.post(
        "/reports/transit/comments/review?lang=fr",
        data={f"note-{found[ELDERS].id}": "furious"},
        headers={"Accept-Language": "fr"},
    )
    assert reply.status_code == 400
    assert "Choisissez négatif, neutre ou positif." in reply.get_data(as_text=True)


def group_sentiment(report) -> dict[tuple[str, str], int | None]:
    return {(row.dimension, row.group): row.n for row in report.group_sessions.sentiment}


def group_labelled_by(report) -> dict[tuple[str, str, str], dict]:
    return {
        (row.question, row.dimension, row.group): row.counts
        for row in report.group_sessions.labelled_by
    }


def test_a_saved_note_label_changes_the_reports_group_sentiment_and_who_labelled(
    app, client, login_as, session, survey
):
    app.config["MIN_CELL"] = 1  # three notes: let the report show them
    login_as("staff")
    found = notes(session)
    quiet = found[QUIET].sentiment_label  # scored, counted, never shown
    assert quiet is not None and found[ANISHINAABEMOWIN].sentiment_label is None
    before = survey_report(session, survey, app.config)
    assert group_labelled_by(before)[("why", "question", "why")] == {
        "person": 0,
        "method": 1,
        "unscored": 0,
    }
    assert group_labelled_by(before)[("", "question", "")] == {
        "person": 0,
        "method": 1,
        "unscored": 1,
    }
    assert group_sentiment(before)[("", "unscored")] == 1
    client.get("/reports/transit/")  # a kept report, which the labels must not leave stale
    assert session.exec(select(StoredReport)).all()

    reply = client.post(
        "/reports/transit/comments/review",
        data={
            f"note-{found[ELDERS].id}": "negative",
            f"note-{found[ANISHINAABEMOWIN].id}": "negative",
        },
    )
    assert reply.status_code == 302
    assert not session.exec(select(StoredReport)).all()

    session.expire_all()
    after = survey_report(session, survey, app.config)
    sentiment = group_sentiment(after)
    assert sentiment[("why", "negative")] == 1
    assert sentiment[("", "unscored")] == 0
    assert sentiment[("", "negative")] == 1 + (quiet == "negative")
    labelled = group_labelled_by(after)
    assert labelled[("why", "question", "why")] == {"person": 1, "method": 0, "unscored": 0}
    assert labelled[("", "question", "")] == {"person": 1, "method": 1, "unscored": 0}
    assert labelled[("", "language", "oj")] == {"person": 1, "method": 0, "unscored": 0}
    assert labelled[("", "language", "en")] == {"person": 0, "method": 1, "unscored": 0}
    # Residents' answers keep their own counts: notes are never added to them.
    answers = {(row.dimension, row.group): row.counts for row in after.sentiment.labelled_by}
    assert answers[("question", "why")] == {"person": 0, "method": 1, "unscored": 0}

    dashboard = client.get("/reports/transit/").get_data(as_text=True)
    assert "Group-session notes: who labelled them" in dashboard
    assert "Anishinaabemowin" in dashboard


def test_who_labelled_the_notes_is_withheld_when_small(app, session, survey):
    app.config["MIN_CELL"] = 5
    report = survey_report(session, survey, app.config)
    rows = group_labelled_by(report)
    assert rows and all(
        count is None for counts in rows.values() for count in counts.values() if count
    )


def open_data_labelled_by(client) -> dict[tuple[str, str, str], tuple[str, str]]:
    """Return group_sessions.csv's who-labelled rows: (question, who, language) -> count."""
    reply = client.get("/reports/transit/download/open-data.zip")
    assert reply.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(reply.data))
    name = next(name for name in archive.namelist() if name.endswith("/group_sessions.csv"))
    rows = list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))
    assert list(rows[0])[-1] == "language"  # the new column comes last
    return {
        (row["question_or_dimension"], row["group"], row["language"]): (
            row["count"],
            row["suppressed"],
        )
        for row in rows
        if row["table"] == "labelled_by"
    }


def test_open_data_says_who_labelled_the_notes_as_the_report_does(
    app, client, login_as, session, survey
):
    app.config["MIN_CELL"] = 1
    login_as("staff")
    found = notes(session)
    client.post(
        "/reports/transit/comments/review",
        data={f"note-{found[ANISHINAABEMOWIN].id}": "negative"},
    )

    rows = open_data_labelled_by(client)
    assert rows[("", "person", "")] == ("1", "false")  # notes tied to no question
    assert rows[("", "method", "")] == ("1", "false")  # the no-quote note, still counted
    assert rows[("", "person", "oj")] == ("1", "false")
    assert rows[("", "unscored", "oj")] == ("0", "false")
    assert rows[("why", "method", "")] == ("1", "false")
    assert rows[("why", "method", "en")] == ("1", "false")


def test_open_data_withholds_who_labelled_the_notes_when_small(app, client, login_as, survey):
    app.config["MIN_CELL"] = 5
    login_as("staff")
    rows = open_data_labelled_by(client)
    assert rows[("", "person", "oj")][1] == "false"  # a zero is shown
    shown = {key: value for key, value in rows.items() if value[0] not in ("", "0")}
    assert rows and not shown
    assert rows[("why", "method", "")] == ("", "true")
