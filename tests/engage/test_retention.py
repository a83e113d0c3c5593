"""The retention schedule: `engage purge` removes what is due and nothing else; reports stay.

A survey closed 400 days ago (the default period is 365 days) loses its contact
details, free-text answers and group-session notes; an open survey and one closed
ten days ago keep theirs. Counts, labels and reports are the same before and after,
except that removed texts are never quoted.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from html import unescape

import pytest
from dashboard_support import CONTACT, QUOTABLE_TEXT, SLUG, SPEAKER, build_survey
from report_support import (
    choice_question,
    comment,
    grouped_rows_afresh,
    kept_counts,
    make_survey,
)
from sqlalchemy import func, select
from sqlmodel import Session

from analysis.report import report_dict
from analysis.sentiment import SentimentCutoffs
from engage.survey_reports import survey_report
from surveys.models import (
    SURVEY_CLOSED,
    Answer,
    AuditEvent,
    GroupFeedback,
    GroupSession,
    Response,
    ResponseContact,
    Survey,
)
from surveys.recording import Provenance, record_response
from surveys.responses import validate_submission
from surveys.retention import REMOVED_TEXT

NOW = datetime.now(UTC)
OPEN_SLUG = "library-2026"
RECENT_SLUG = "parks-2026"
NOTES = "Met at the library; Mrs. Singh asked for a follow-up call."


def close(session, survey: Survey, days_ago: int) -> None:
    """Mark the survey closed ``days_ago`` days ago."""
    survey.status = SURVEY_CLOSED
    survey.closed_at = NOW - timedelta(days=days_ago)
    session.add(survey)
    session.commit()


def small_survey(session, slug: str) -> Survey:
    """An open survey with a comment, a contact and a group session with notes."""
    survey = make_survey(
        session, [choice_question("mode", ["bus", "car"]), comment("why")], slug=slug
    )
    validated = validate_submission(survey.questions, {"mode": ["bus"], "why": ["Good service."]})
    record_response(
        session,
        survey,
        validated.answers,
        Provenance(channel="web", language="en", idempotency_key=f"{slug}-1"),
        cutoffs=SentimentCutoffs(),
        contact="someone@example.org",
    )
    group = GroupSession(
        survey_id=survey.id,
        kind="focus_group",
        facilitator="F",
        held_on=NOW.date(),
        participants=6,
        consent="oral",
        attribution="attributed",
        notes=NOTES,
    )
    session.add(group)
    session.flush()
    session.add(GroupFeedback(session_id=group.id, text="More buses.", speaker="Ann"))
    session.commit()
    return survey


@pytest.fixture
def surveys(session, users) -> dict[str, Survey]:
    """The old closed survey (due), an open one and one closed ten days ago (not due)."""
    old = build_survey(session, users, settings={"quote_comments": True})
    group = session.exec(select(GroupSession).where(GroupSession.survey_id == old.id)).scalars()
    first = group.first()
    first.notes = NOTES
    session.add(first)
    session.commit()
    close(session, old, 400)
    opened = small_survey(session, OPEN_SLUG)
    recent = small_survey(session, RECENT_SLUG)
    close(session, recent, 10)
    return {"old": old, "open": opened, "recent": recent}


def texts_of(session, survey: Survey) -> dict:
    """Return everything of a survey the schedule may remove, and its labels."""
    session.expire_all()
    responses = select(Response.id).where(Response.survey_id == survey.id)
    sessions = select(GroupSession.id).where(GroupSession.survey_id == survey.id)
    return {
        "contacts": sorted(
            session.exec(
                select(ResponseContact.contact).where(ResponseContact.response_id.in_(responses))
            ).scalars()
        ),
        "answers": sorted(
            session.exec(
                select(Answer.id, Answer.choice, Answer.text, Answer.sentiment_label).where(
                    Answer.response_id.in_(responses)
                )
            ).all(),
            key=lambda row: row[0],
        ),
        "notes": sorted(
            session.exec(select(GroupSession.notes).where(GroupSession.id.in_(sessions))).scalars()
        ),
        "feedback": sorted(
            session.exec(
                select(
                    GroupFeedback.id,
                    GroupFeedback.text,
                    GroupFeedback.speaker,
                    GroupFeedback.sentiment_label,
                ).where(GroupFeedback.session_id.in_(sessions))
            ).all()
        ),
    }


def purge_events(session) -> list[AuditEvent]:
    session.expire_all()
    return list(
        session.exec(select(AuditEvent).where(AuditEvent.action == "survey.purge")).scalars()
    )


# Where a report's plain values hold quotes (the one part a purge changes).
QUOTE_KEYS = frozenset({"quotes", "most_positive", "most_negative"})


def without_quotes(value):
    """Return a report's plain values without its quotes."""
    if isinstance(value, dict):
        return {key: without_quotes(item) for key, item in value.items() if key not in QUOTE_KEYS}
    if isinstance(value, list):
        return [without_quotes(item) for item in value]
    return value


def quotes_of(value) -> list:
    """Return every quote of a report's plain values."""
    if isinstance(value, dict):
        found = [q for key in QUOTE_KEYS for q in value.get(key) or []]
        return found + [
            q for key, item in value.items() if key not in QUOTE_KEYS for q in quotes_of(item)
        ]
    if isinstance(value, list):
        return [q for item in value for q in quotes_of(item)]
    return []


def report_of(app, session, survey: Survey) -> dict:
    session.expire_all()
    with app.test_request_context():
        report = survey_report(
            session, session.get(Survey, survey.id), app.config, generated_at=NOW
        )
    return report_dict(report)


# -- engage purge ---------------------------------------------------------------------------


def test_dry_run_reports_counts_and_changes_nothing(runner, session, surveys):
    before = {name: texts_of(session, survey) for name, survey in surveys.items()}
    result = runner.invoke(args=["purge", "--dry-run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    comments = sum(1 for row in before["old"]["answers"] if row[2])
    assert f"{SLUG}\tContact details\t1" in lines
    assert f"{SLUG}\tFree-text answers\t{comments}" in lines
    assert f"{SLUG}\tGroup-session notes\t3" in lines  # two feedback texts, one session's notes
    assert "Dry run: " in lines[-1] and "nothing was removed" in lines[-1]
    assert OPEN_SLUG not in result.output and RECENT_SLUG not in result.output
    # Counts only: no content in what it prints.
    assert CONTACT not in result.output and "Great buses" not in result.output
    assert {name: texts_of(session, survey) for name, survey in surveys.items()} == before
    assert purge_events(session) == []


def test_purge_removes_only_what_is_due_and_keeps_answers_and_labels(runner, session, surveys):
    before = {name: texts_of(session, survey) for name, survey in surveys.items()}
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0, result.output
    after = texts_of(session, surveys["old"])

    assert after["contacts"] == []
    # Every answer row stays with its choice and label; only the texts are replaced.
    assert [(i, choice, label) for i, choice, _text, label in after["answers"]] == [
        (i, choice, label) for i, choice, _text, label in before["old"]["answers"]
    ]
    assert {text for *_, text, _label in after["answers"]} == {None, REMOVED_TEXT}
    assert after["notes"] == ["", REMOVED_TEXT]
    assert {(text, speaker) for _id, text, speaker, _label in after["feedback"]} == {
        (REMOVED_TEXT, None)
    }
    assert [row[3] for row in after["feedback"]] == [row[3] for row in before["old"]["feedback"]]
    # An open survey, and one closed for less than its period, are not touched.
    assert texts_of(session, surveys["open"]) == before["open"]
    assert texts_of(session, surveys["recent"]) == before["recent"]

    (event,) = purge_events(session)
    comments = sum(1 for row in before["old"]["answers"] if row[2])
    assert (event.survey_id, event.user_id) == (surveys["old"].id, None)
    assert event.new == {"contacts": 1, "texts": comments, "notes": 3}
    assert event.old == {}

    # Again: nothing is due any more.
    again = runner.invoke(args=["purge"])
    assert again.output.splitlines()[-1] == "Removed 0 items."
    assert len(purge_events(session)) == 1


def test_reports_and_kept_counts_are_the_same_after_a_purge_but_quote_nothing_removed(
    app, runner, session, surveys
):
    survey = surveys["old"]
    report = report_of(app, session, survey)
    kept = kept_counts(session, survey)
    assert any(quote["text"] == QUOTABLE_TEXT for quote in quotes_of(report))

    assert runner.invoke(args=["purge"]).exit_code == 0

    purged = report_of(app, session, survey)
    assert without_quotes(purged) == without_quotes(report)
    assert kept_counts(session, survey) == kept
    assert grouped_rows_afresh(session, survey) == kept
    texts = [quote["text"] for quote in quotes_of(purged)]
    assert REMOVED_TEXT not in texts and QUOTABLE_TEXT not in texts
    assert SPEAKER not in str(purged)


def test_removed_texts_leave_the_comment_explorer_and_are_not_scored_again(
    client, login_as, runner, session, surveys
):
    assert runner.invoke(args=["purge"]).exit_code == 0
    login_as("staff")
    reply = client.get(f"/reports/{SLUG}/comments")
    assert reply.status_code == 200
    page = unescape(reply.get_data(as_text=True))
    assert "comments found" in page
    assert "Great buses" not in page and REMOVED_TEXT not in page
    labels = texts_of(session, surveys["old"])

    result = runner.invoke(args=["sentiment", "score", SLUG, "--all"])
    assert result.exit_code == 0, result.output
    assert texts_of(session, surveys["old"]) == labels


def test_a_surveys_own_period_overrides_the_default(runner, session, surveys):
    recent = surveys["recent"]
    recent.settings = {**recent.settings, "retention_contacts_days": 7}
    session.add(recent)
    session.commit()
    before = texts_of(session, recent)
    assert runner.invoke(args=["purge"]).exit_code == 0
    after = texts_of(session, recent)
    assert after["contacts"] == []
    assert after["answers"] == before["answers"] and after["notes"] == before["notes"]


def test_the_default_period_is_a_setting(app, runner, session, surveys):
    app.config["RETENTION_TEXTS_DAYS"] = 5
    app.config["RETENTION_CONTACTS_DAYS"] = None
    assert runner.invoke(args=["purge"]).exit_code == 0
    recent = texts_of(session, surveys["recent"])
    assert recent["contacts"] == ["someone@example.org"]
    assert {text for *_, text, _label in recent["answers"]} == {None, REMOVED_TEXT}

    app.config["RETENTION_NOTES_DAYS"] = "soon"
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 1 and "ENGAGE_RETENTION_NOTES_DAYS" in result.output


# -- the settings page ----------------------------------------------------------------------


SETTINGS = f"/settings/{SLUG}/"


def words(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_staff_set_a_surveys_periods_and_the_change_is_audited(client, login_as, session, surveys):
    login_as("staff")
    page = words(client.get(SETTINGS).get_data(as_text=True))
    assert "Keeping personal information" in page and "365 days (the default)" in page
    data = {"retention-contacts": "30", "retention-texts": "", "retention-notes": "0"}
    reply = client.post(f"{SETTINGS}retention", data=data)
    assert reply.status_code == 302 and reply.headers["Location"].endswith("#retention")
    session.expire_all()
    settings = session.get(Survey, surveys["old"].id).settings
    assert settings["retention_contacts_days"] == 30 and settings["retention_notes_days"] == 0
    assert "retention_texts_days" not in settings
    (event,) = session.exec(
        select(AuditEvent).where(AuditEvent.action == "settings.retention")
    ).scalars()
    assert event.new == {"retention_contacts_days": 30, "retention_notes_days": 0}
    page = words(client.get(SETTINGS).get_data(as_text=True))
    assert "30 days" in page and "0 days" in page


@pytest.mark.parametrize("value", ["-5", "abc", "1.5", "36501", "1e3"])
def test_a_period_that_is_not_a_whole_number_of_days_is_refused_in_the_readers_language(
    app, client, login_as, session, surveys, value
):
    from flask_babel import force_locale
    from flask_babel import gettext as _

    login_as("staff")
    client.get(SETTINGS + "?lang=fr")
    data = {"retention-contacts": value, "retention-texts": "", "retention-notes": ""}
    reply = client.post(f"{SETTINGS}retention", data=data)
    assert reply.status_code == 400
    with app.test_request_context(), force_locale("fr"):
        expected = _("Enter a whole number of days from 0 to %(most)s.", most=36500)
    assert expected in words(reply.get_data(as_text=True))
    session.expire_all()
    assert "retention_contacts_days" not in session.get(Survey, surveys["old"].id).settings
    count = session.exec(
        select(func.count())
        .select_from(AuditEvent)
        .where(AuditEvent.action == "settings.retention")
    ).scalar_one()
    assert count == 0


def test_purge_leaves_a_survey_with_nothing_due_alone(runner, session, users):
    survey = make_survey(session, [comment("why")], slug="empty-2026")
    close(session, survey, 1000)
    result = runner.invoke(args=["purge"])
    assert result.exit_code == 0 and "empty-2026" not in result.output
    assert purge_events(session) == []


def test_the_settings_page_shows_when_each_kind_is_removed(client, login_as, session, surveys):
    login_as("staff")
    with Session(session.get_bind()) as own:
        closed_at = own.get(Survey, surveys["old"].id).closed_at
    page = words(client.get(SETTINGS).get_data(as_text=True))
    assert "When personal information is removed" in page
    assert str((closed_at + timedelta(days=365)).year) in page
