"""A community reviewer labels a group-session note from the keyboard (issue 13)."""

from datetime import date

from playwright.sync_api import expect
from report_support import add_group_session, add_responses, comment, make_survey
from sqlmodel import select
from support import PASSWORD, assign

from engage.auth import create_user
from surveys.models import GroupFeedback

CREE_NOTE = "ᑭᓯᐁᔨᒧᐎᓐ ᐅᑕ ᐊᔭᒥᐦᐁᐗᐢᑲᐦᐃᑲᓂᕽ"
ENGLISH = "The bus comes every twenty minutes."


def test_a_reviewer_labels_a_session_note_in_their_language(desktop, live_server, session, axe):
    survey = make_survey(session, [comment("why")], slug="transit")
    add_responses(session, survey, {"why": ENGLISH})
    add_group_session(
        session,
        survey,
        [{"kind": "note", "text": CREE_NOTE, "language": "cr"}],
        kind="elder_circle",
        held_on=date(2025, 6, 12),
    )
    reviewer = create_user(
        session, "reviewer@example.ca", "reviewer", PASSWORD, name="Rev", languages="cr"
    )
    assign(session, survey, reviewer)

    desktop.goto(f"{live_server.url}/auth/login")
    desktop.get_by_label("Email").fill(reviewer.email)
    desktop.get_by_label("Password").fill(PASSWORD)
    desktop.get_by_label("Password").press("Enter")
    desktop.wait_for_url(f"{live_server.url}/auth/")
    desktop.get_by_role("link", name="Comments to label").click()
    axe(desktop, "reviewer's surveys")
    desktop.get_by_role("link", name="Transit survey").click()

    items = desktop.locator("[data-review-item]")
    expect(items).to_have_count(1)  # the English answer is not in their languages
    expect(items.nth(0).locator("blockquote")).to_have_text(CREE_NOTE)
    expect(items.nth(0)).to_contain_text("From a group session: Elder circle")
    axe(desktop, "review queue with a session note")

    desktop.keyboard.press("n")
    desktop.keyboard.press("s")
    expect(desktop.get_by_text("Saved 1 label.")).to_be_visible()
    session.expire_all()
    note = session.exec(select(GroupFeedback)).one()
    assert (note.sentiment_override, note.override_by_id) == ("negative", reviewer.id)
    assert desktop.console_errors == []
