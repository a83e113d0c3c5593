"""Community reviewers: they label the comments of their languages in the surveys assigned to
them, and open nothing else (issue 13, part 3: "a staff member or a community reviewer fluent
in the language labels them")."""

import re

import pytest
from report_support import add_group_session, add_responses, comment, make_survey
from sqlmodel import select
from support import PASSWORD, assign, login

from engage.accounts import rules, tokens
from engage.auth import create_user
from surveys.models import Answer, AuditEvent, GroupFeedback, User

OJIBWE = "Gaawiin ninandawendanziin iw bus."
PUNJABI = "ਬੱਸ ਹਮੇਸ਼ਾ ਦੇਰ ਨਾਲ ਆਉਂਦੀ ਹੈ।"
ENGLISH = "The bus comes every twenty minutes."
CREE_NOTE = "ᑭᓯᐁᔨᒧᐎᓐ ᐅᑕ ᐊᔭᒥᐦᐁᐗᐢᑲᐦᐃᑲᓂᕽ"


@pytest.fixture
def world(session, users):
    """Two surveys; the reviewer reads Anishinaabemowin and Cree and is assigned the first."""
    transit = make_survey(session, [comment("why")], slug="transit")
    add_responses(session, transit, {"why": OJIBWE}, language="oj")
    add_responses(session, transit, {"why": PUNJABI}, language="pa")
    add_responses(session, transit, {"why": ENGLISH})
    add_group_session(
        session,
        transit,
        [{"kind": "note", "text": CREE_NOTE, "language": "cr"}],
        kind="elder_circle",
    )
    other = make_survey(session, [comment("why")], slug="housing")
    add_responses(session, other, {"why": "Rent is too high."}, language="oj")
    reviewer = create_user(
        session, "reviewer@example.ca", "reviewer", PASSWORD, name="Rev", languages="oj cr"
    )
    assign(session, transit, reviewer)
    return {"transit": transit, "other": other, "reviewer": reviewer}


def sign_in_reviewer(client):
    reply = login(client, "reviewer@example.ca")
    assert reply.status_code == 302
    return reply


def queue_texts(page: str) -> list[str]:
    return re.findall(r"<blockquote id=\"review-(?:note-)?text-\d+\"[^>]*><p>(.*?)</p>", page)


def test_a_reviewer_starts_on_the_surveys_assigned_to_them(client, world):
    reply = sign_in_reviewer(client)
    home = client.get(reply.headers["Location"]).get_data(as_text=True)
    assert "Comments to label" in home and "community reviewer" in home
    assert "Reports" not in home and "Data entry" not in home
    page = client.get("/reports/comments-to-label").get_data(as_text=True)
    assert "/reports/transit/comments/review" in page
    assert "/reports/housing/comments/review" not in page
    assert "Anishinaabemowin" in page
    # No link to pages a reviewer cannot open.
    assert "/accounts/api-tokens" not in page


def test_a_reviewer_sees_only_comments_in_their_languages(client, world):
    sign_in_reviewer(client)
    page = client.get("/reports/transit/comments/review").get_data(as_text=True)

    assert sorted(queue_texts(page)) == sorted([OJIBWE, CREE_NOTE])
    assert PUNJABI not in page and ENGLISH not in page
    # The language filter offers only their languages; another one asked for is ignored.
    assert '<option value="pa"' not in page
    filtered = client.get("/reports/transit/comments/review?language=pa").get_data(as_text=True)
    assert PUNJABI not in filtered
    assert "comment explorer" not in page  # staff's page, not theirs


def test_a_reviewer_saves_labels_and_the_audit_trail_names_them(client, session, world):
    sign_in_reviewer(client)
    answer = session.exec(select(Answer).where(Answer.text == OJIBWE)).one()
    note = session.exec(select(GroupFeedback)).one()

    reply = client.post(
        "/reports/transit/comments/review",
        data={f"label-{answer.id}": "negative", f"note-{note.id}": "positive"},
    )

    assert reply.status_code == 302
    session.expire_all()
    assert session.get(Answer, answer.id).sentiment_override == "negative"
    assert session.get(GroupFeedback, note.id).sentiment_override == "positive"
    events = session.exec(select(AuditEvent).where(AuditEvent.action == "sentiment_override")).all()
    assert {(event.entity, event.user_id) for event in events} == {
        ("answer", world["reviewer"].id),
        ("group_feedback", world["reviewer"].id),
    }


def test_a_reviewer_cannot_label_a_comment_outside_their_languages(client, session, world):
    sign_in_reviewer(client)
    mine = session.exec(select(Answer).where(Answer.text == OJIBWE)).one()
    punjabi = session.exec(select(Answer).where(Answer.text == PUNJABI)).one()

    reply = client.post(
        "/reports/transit/comments/review",
        data={f"label-{mine.id}": "negative", f"label-{punjabi.id}": "negative"},
    )

    assert reply.status_code == 409
    assert "only comments in the languages you review" in reply.get_data(as_text=True)
    session.expire_all()
    assert session.get(Answer, mine.id).sentiment_override is None
    assert session.get(Answer, punjabi.id).sentiment_override is None


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("GET", "/reports/"),
        ("GET", "/reports/transit/"),
        ("GET", "/reports/transit/comments"),
        ("GET", "/reports/transit/download/responses.csv"),
        ("GET", "/reports/transit/comments/themes"),
        ("GET", "/manage/"),
        ("GET", "/manage/transit/"),
        ("GET", "/intake/transit/enter"),
        ("GET", "/intake/transit/sessions"),
        ("GET", "/settings/transit/"),
        ("GET", "/accounts/"),
        ("GET", "/accounts/api-tokens"),
        ("POST", "/accounts/api-tokens"),
        ("GET", "/audit/"),
        # A survey not assigned to them: not even its review queue.
        ("GET", "/reports/housing/comments/review"),
    ],
)
def test_a_reviewer_gets_403_everywhere_else(client, world, method, url):
    sign_in_reviewer(client)
    assert client.open(url, method=method).status_code == 403


def test_a_reviewer_has_no_api_token_and_the_api_refuses_one_made_before(
    app, client, session, world
):
    reviewer = world["reviewer"]
    with pytest.raises(rules.AccountError, match="community reviewer"):
        tokens.create_token(session, reviewer, ["read"], actor_id=None)
    # A token made while the account was staff stops working for the reviewer role.
    rules.set_role(session, reviewer, "staff", actor_id=None)
    _token, secret = tokens.create_token(
        session, reviewer, ["read", "submit", "export"], actor_id=None
    )
    rules.set_role(session, reviewer, "reviewer", actor_id=None)
    headers = {"Authorization": f"Bearer {secret}"}
    for method, url in (
        ("GET", "/api/v1/surveys/transit/responses"),
        ("GET", "/api/v1/surveys/transit/report"),
        ("POST", "/api/v1/surveys/transit/responses"),
    ):
        reply = client.open(url, method=method, headers=headers, json={})
        assert reply.status_code == 403, (method, url, reply.get_data(as_text=True))


def test_an_admin_creates_a_reviewer_with_languages(client, login_as, session, users):
    login_as("admin")
    form = client.get("/accounts/new").get_data(as_text=True)
    assert "Community reviewers label the sentiment of comments" in form  # the role's hint
    reply = client.post(
        "/accounts/new",
        data={"email": "elder@example.ca", "name": "E", "role": "reviewer", "languages": "oj, CR"},
    )
    assert reply.status_code == 200, reply.get_data(as_text=True)
    user = session.exec(select(User).where(User.email == "elder@example.ca")).one()
    assert user.role == "reviewer"
    assert user.review_languages == ["oj", "cr"]
    created = session.exec(select(AuditEvent).where(AuditEvent.action == "user.create")).all()
    assert created[-1].new["review_languages"] == ["oj", "cr"]


@pytest.mark.parametrize(
    ("languages", "message"),
    [
        ("oj not_a-tag!", "“not_a-tag!” is not a language code"),
        ("", "A community reviewer needs at least one language"),
    ],
)
def test_a_reviewer_with_a_bad_or_no_language_is_refused(
    client, login_as, session, users, languages, message
):
    login_as("admin")
    reply = client.post(
        "/accounts/new",
        data={"email": "elder@example.ca", "role": "reviewer", "languages": languages},
    )
    assert reply.status_code == 400
    assert message in reply.get_data(as_text=True)
    assert session.exec(select(User).where(User.email == "elder@example.ca")).first() is None


def test_an_admin_changes_a_reviewers_languages_and_a_bad_tag_changes_nothing(
    client, login_as, session, world
):
    login_as("admin")
    reviewer = world["reviewer"]
    page = client.get(f"/accounts/{reviewer.id}").get_data(as_text=True)
    assert "Languages reviewed" in page and 'value="oj cr"' in page
    # The codes by name too, so the admin sees which languages they stand for.
    assert "<dd>Anishinaabemowin (oj), ᓀᐦᐃᔭᐍᐏᐣ (Nēhiyawēwin) (cr)</dd>" in page

    refused = client.post(f"/accounts/{reviewer.id}/languages", data={"languages": "iu 12345"})
    assert refused.status_code == 400
    assert "“12345” is not a language code" in refused.get_data(as_text=True)
    session.expire_all()
    assert session.get(User, reviewer.id).review_languages == ["oj", "cr"]

    saved = client.post(f"/accounts/{reviewer.id}/languages", data={"languages": "iu oj-Cans"})
    assert saved.status_code == 302
    session.expire_all()
    assert session.get(User, reviewer.id).review_languages == ["iu", "oj-Cans"]
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "user.set_review_languages")
    ).one()
    assert event.old == {"review_languages": ["oj", "cr"]}


def test_engage_users_create_makes_a_reviewer_and_refuses_a_bad_tag(app, session):
    runner = app.test_cli_runner()
    made = runner.invoke(
        args=["users", "create", "elder@example.ca", "--role", "reviewer", "--languages", "oj cr"]
    )
    assert made.exit_code == 0, made.output
    assert "Created reviewer elder@example.ca" in made.output
    user = session.exec(select(User).where(User.email == "elder@example.ca")).one()
    assert user.review_languages == ["oj", "cr"]

    bad = runner.invoke(
        args=["users", "create", "other@example.ca", "--role", "reviewer", "--languages", "o"]
    )
    assert bad.exit_code != 0 and "is not a language code" in bad.output
    changed = runner.invoke(args=["users", "set-languages", "elder@example.ca", "iu"])
    assert changed.exit_code == 0 and "iu" in changed.output


def test_a_sso_role_map_accepts_the_reviewer_role():
    from engage.accounts.sso import parse_role_map

    assert parse_role_map("community-reviewers=reviewer") == {"community-reviewers": "reviewer"}
