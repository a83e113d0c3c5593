"""Who may open what: every route of the app against every role (issue 14's matrix).

The list of routes comes from ``app.url_map``, so a route added without a row in ``ROUTES``
fails ``test_every_route_is_in_the_table``. Each row gives the address to request (its
parameters filled from the demo world below), the method, and the answer each role gets:

- ``LOGIN``: a 302 to the sign-in page (anonymous visitors on staff and broker pages);
- 403: signed in without the right (a broker on a staff page, an unassigned broker or any
  non-admin on an admin page, a community reviewer anywhere but the review queue of the
  surveys assigned to them), with the page's own message;
- the answer of someone allowed: 200 for a page, 302 for a change that went through, 400
  for a POST whose form is refused (the matrix posts empty forms: it checks who gets past
  the door, not what each form accepts; tests of each blueprint do that), 404 for an address
  that names nothing.

CSRF is off in tests (``support.make_app``), as in every other test that posts; with it on,
every POST would answer 400 before the access check, and the matrix would check nothing.

The world is the demo (an open survey assigned to the demo broker, with paper entries, group
sessions and comments), plus a broker it is not assigned to and a target account for the
admin pages. Each role gets its own copy, so one role's posts never change what the next sees.
"""

from dataclasses import dataclass
from datetime import date

import pytest
from sqlmodel import Session, select
from support import PASSWORD, login

from engage.accounts import rules
from engage.auth import create_user
from engage.demo import DEMO_SLUG
from engage.exports.html_report import plotly_version
from surveys.models import (
    Answer,
    Choice,
    GroupFeedback,
    GroupSession,
    Question,
    Response,
    Survey,
    SurveyAssignment,
    User,
)
from surveys.updates import UpdateText, add_update

ROLES = ("anonymous", "broker_assigned", "broker_other", "staff", "admin", "reviewer")
LOGIN = "login"
SIGN_IN = {
    "broker_assigned": "broker@engage.demo",
    "broker_other": "other-broker@example.ca",
    "staff": "staff@engage.demo",
    "admin": "admin@engage.demo",
    "reviewer": "reviewer@example.ca",
}
DEMO_PASSWORDS = {
    "broker@engage.demo": "demo-broker-password",
    "staff@engage.demo": "demo-staff-password",
    "admin@engage.demo": "demo-admin-password",
}


@dataclass(frozen=True)
class Route:
    """One request to make, and the answer each role gets."""

    url: str
    method: str
    expected: dict[str, int | str]


def answers(
    anonymous, broker_assigned, broker_other, staff, admin, reviewer=403
) -> dict[str, int | str]:
    """The expected answer of each role, in ``ROLES`` order (a reviewer: 403 unless told)."""
    return dict(
        zip(ROLES, (anonymous, broker_assigned, broker_other, staff, admin, reviewer), strict=True)
    )


def everyone(status) -> dict[str, int | str]:
    """A public address: the same answer for every visitor."""
    return answers(status, status, status, status, status, status)


def signed_in(status, reviewer=None) -> dict[str, int | str]:
    """Any signed-in account; visitors are sent to sign in."""
    return answers(LOGIN, status, status, status, status, status if reviewer is None else reviewer)


def review(status) -> dict[str, int | str]:
    """The comment review queue: staff, admins and the assigned community reviewer."""
    return answers(LOGIN, 403, 403, status, status, status)


def staff_only(status) -> dict[str, int | str]:
    """Staff and admins (builder, reports, settings); brokers 403, visitors sign in."""
    return answers(LOGIN, 403, 403, status, status)


def assigned(status, staff_status=None) -> dict[str, int | str]:
    """Data entry of the survey: its broker, staff and admins; another broker 403."""
    other = status if staff_status is None else staff_status
    return answers(LOGIN, status, 403, other, other)


def admin_only(status) -> dict[str, int | str]:
    """Account pages and the audit log: admins only."""
    return answers(LOGIN, 403, 403, 403, status)


# Address parameters are filled from ``World.values``: {slug} is the demo survey.
ROUTES: dict[str, Route] = {
    # Residents and public pages
    "respond.home": Route("/", "GET", everyone(200)),
    "respond.survey": Route("/s/{slug}", "GET", everyone(200)),
    "respond.thanks": Route("/s/{slug}/thanks", "GET", everyone(200)),
    # The demo publishes its results page: it and its feed are public.
    "respond.results": Route("/s/{slug}/results", "GET", everyone(200)),
    "respond.results_feed": Route("/s/{slug}/results/feed.atom", "GET", everyone(200)),
    "respond.withdraw": Route("/s/{slug}/withdraw", "GET", everyone(200)),
    "respond.resume": Route("/s/{slug}/resume", "GET", everyone(200)),
    # An unknown resume code: the resume page with its error, for everyone alike.
    "respond.resume_link": Route("/s/{slug}/resume/ABCDABCDABCD", "GET", everyone(404)),
    "health.healthz": Route("/healthz", "GET", everyone(200)),
    "health.live": Route("/healthz/live", "GET", everyone(200)),
    "health.ready": Route("/healthz/ready", "GET", everyone(200)),
    "static": Route("/static/engage.css", "GET", everyone(200)),
    # Sign-in
    "auth.login": Route("/auth/login", "GET", everyone(200)),
    "auth.home": Route("/auth/", "GET", signed_in(200)),
    "auth.logout": Route("/auth/logout", "POST", everyone(LOGIN)),
    # Single sign-on is off here, so its addresses do not exist (tests/engage/test_sso.py).
    "sso.login": Route("/auth/sso/login", "GET", everyone(404)),
    "sso.callback": Route("/auth/sso/callback", "GET", everyone(404)),
    # Accounts: admins only, except one's own password and the one-time link
    "accounts.index": Route("/accounts/", "GET", admin_only(200)),
    "accounts.account": Route("/accounts/{user}", "GET", admin_only(200)),
    "accounts.create": Route("/accounts/new", "GET", admin_only(200)),
    "accounts.set_role": Route("/accounts/{user}/role", "POST", admin_only(400)),
    "accounts.set_active": Route("/accounts/{user}/active", "POST", admin_only(400)),
    "accounts.set_restricted": Route("/accounts/{user}/restricted", "POST", admin_only(302)),
    "accounts.set_surveys": Route("/accounts/{user}/surveys", "POST", admin_only(302)),
    "accounts.set_sso_only": Route("/accounts/{user}/sso-only", "POST", admin_only(302)),
    "accounts.reset_password": Route("/accounts/{user}/reset-password", "POST", admin_only(200)),
    "accounts.change_password": Route("/accounts/password", "GET", signed_in(200)),
    "accounts.set_languages": Route("/accounts/{user}/languages", "POST", admin_only(302)),
    # A community reviewer has no API tokens.
    "accounts.api_tokens": Route("/accounts/api-tokens", "GET", signed_in(200, reviewer=403)),
    "accounts.create_api_token": Route(
        "/accounts/api-tokens", "POST", signed_in(400, reviewer=403)
    ),
    "accounts.revoke_api_token": Route(
        "/accounts/api-tokens/{token_id}/revoke", "POST", signed_in(404)
    ),
    "accounts.set_password": Route("/accounts/set-password/{token}", "GET", everyone(200)),
    # Audit log
    "audit.index": Route("/audit/", "GET", admin_only(200)),
    # Data entry: the assigned broker, staff and admins
    "intake.index": Route("/intake/", "GET", signed_in(200, reviewer=403)),
    "intake.new_entry": Route("/intake/{slug}/enter", "GET", assigned(200)),
    "intake.entries": Route("/intake/{slug}/entries", "GET", assigned(200)),
    "intake.entry": Route("/intake/{slug}/entries/{entry}", "GET", assigned(200)),
    "intake.review_entry": Route(
        "/intake/{slug}/entries/{entry}/review", "POST", assigned(403, staff_status=400)
    ),
    "intake.paper_form": Route("/intake/{slug}/paper/fr", "GET", assigned(200)),
    "intake.sessions": Route("/intake/{slug}/sessions", "GET", assigned(200)),
    "intake.session_detail": Route("/intake/{slug}/sessions/{group_session}", "GET", assigned(200)),
    "intake.edit_session": Route(
        "/intake/{slug}/sessions/{group_session}/edit", "GET", assigned(200)
    ),
    "intake.new_session": Route("/intake/{slug}/sessions/new", "GET", assigned(200)),
    "intake.withdraw": Route("/intake/{slug}/withdraw", "GET", assigned(200)),
    # Survey builder: staff and admins
    "manage.index": Route("/manage/", "GET", staff_only(200)),
    "manage.create_survey": Route("/manage/", "POST", staff_only(400)),
    "manage.survey": Route("/manage/{slug}/", "GET", staff_only(200)),
    "manage.add_bank_entry": Route("/manage/{slug}/bank/disability", "POST", staff_only(409)),
    "manage.duplicate": Route("/manage/{slug}/duplicate", "POST", staff_only(400)),
    "manage.add_language": Route("/manage/{slug}/languages", "POST", staff_only(400)),
    "manage.set_default_language": Route(
        "/manage/{slug}/languages/en/default", "POST", staff_only(302)
    ),
    "manage.remove_language": Route("/manage/{slug}/languages/pa/remove", "POST", staff_only(302)),
    "manage.preview": Route("/manage/{slug}/preview", "GET", staff_only(200)),
    "manage.add_question": Route("/manage/{slug}/questions", "POST", staff_only(400)),
    "manage.question": Route("/manage/{slug}/questions/{question}", "GET", staff_only(200)),
    "manage.add_choice": Route(
        "/manage/{slug}/questions/{question}/choices", "POST", staff_only(400)
    ),
    "manage.move_choice": Route(
        "/manage/{slug}/questions/{question}/choices/{choice}/move", "POST", staff_only(302)
    ),
    "manage.remove_choice": Route(
        "/manage/{slug}/questions/{question}/choices/{choice}/remove", "POST", staff_only(409)
    ),
    "manage.save_condition": Route(
        "/manage/{slug}/questions/{question}/condition", "POST", staff_only(302)
    ),
    "manage.delete_question": Route(
        "/manage/{slug}/questions/{question}/delete", "GET", staff_only(200)
    ),
    "manage.save_favourable": Route(
        "/manage/{slug}/questions/{question}/favourable", "POST", staff_only(302)
    ),
    "manage.move_question": Route(
        "/manage/{slug}/questions/{question}/move", "POST", staff_only(302)
    ),
    "manage.save_question_settings": Route(
        "/manage/{slug}/questions/{question}/settings", "POST", staff_only(400)
    ),
    "manage.save_question_texts": Route(
        "/manage/{slug}/questions/{question}/texts", "POST", staff_only(400)
    ),
    "manage.change_status": Route("/manage/{slug}/status", "POST", staff_only(400)),
    "manage.survey_texts": Route("/manage/{slug}/texts", "GET", staff_only(200)),
    "manage.save_survey_texts": Route("/manage/{slug}/texts", "POST", staff_only(400)),
    "manage.import_translation": Route("/manage/{slug}/translations", "POST", staff_only(400)),
    "manage.export_translation": Route("/manage/{slug}/translations/fr.po", "GET", staff_only(200)),
    "manage.export_xlsform": Route("/manage/{slug}/xlsform.xlsx", "GET", staff_only(200)),
    "manage.upload_xlsform": Route("/manage/import", "POST", staff_only(400)),
    "manage.results": Route("/manage/{slug}/results", "GET", staff_only(200)),
    "manage.save_results": Route("/manage/{slug}/results", "POST", staff_only(302)),
    "manage.add_survey_update": Route("/manage/{slug}/results/updates", "POST", staff_only(400)),
    "manage.survey_update": Route(
        "/manage/{slug}/results/updates/{update}", "GET", staff_only(200)
    ),
    "manage.save_survey_update": Route(
        "/manage/{slug}/results/updates/{update}", "POST", staff_only(400)
    ),
    "manage.delete_survey_update": Route(
        "/manage/{slug}/results/updates/{other_update}/delete", "POST", staff_only(302)
    ),
    # Reports: staff and admins
    "reports.index": Route("/reports/", "GET", staff_only(200)),
    "reports.dashboard": Route("/reports/{slug}/", "GET", staff_only(200)),
    "reports.comments": Route("/reports/{slug}/comments", "GET", staff_only(200)),
    "reports.override": Route(
        "/reports/{slug}/comments/{answer}/sentiment", "POST", staff_only(302)
    ),
    "reports.feedback_override": Route(
        "/reports/{slug}/comments/feedback/{feedback}/sentiment", "POST", staff_only(302)
    ),
    "reports.review_surveys": Route("/reports/comments-to-label", "GET", review(200)),
    "reports.review": Route("/reports/{slug}/comments/review", "GET", review(200)),
    "reports.save_review": Route("/reports/{slug}/comments/review", "POST", review(302)),
    "reports.themes": Route("/reports/{slug}/comments/themes", "GET", staff_only(200)),
    "reports.compute": Route("/reports/{slug}/comments/themes", "POST", staff_only(400)),
    "reports.edit_theme": Route("/reports/{slug}/comments/themes/{theme}", "POST", staff_only(404)),
    "reports.move_to_theme": Route("/reports/{slug}/comments/themes/move", "POST", staff_only(400)),
    "reports.download": Route("/reports/{slug}/download/responses.csv", "GET", staff_only(200)),
    "reports.plotly": Route("/reports/assets/plotly-{plotly}.min.js", "GET", everyone(200)),
    # Analysis settings: staff and admins
    "settings.survey_settings": Route("/settings/{slug}/", "GET", staff_only(200)),
    "settings.save_area": Route("/settings/{slug}/area", "POST", staff_only(302)),
    "settings.benchmarks": Route("/settings/{slug}/benchmarks", "GET", staff_only(200)),
    "settings.correct_dimension": Route(
        "/settings/{slug}/benchmarks/{dimension}", "POST", staff_only(302)
    ),
    "settings.upload_benchmarks": Route(
        "/settings/{slug}/benchmarks/upload", "POST", staff_only(400)
    ),
    "settings.save_disclosure": Route("/settings/{slug}/disclosure", "POST", staff_only(302)),
    "settings.save_quoting": Route("/settings/{slug}/quoting", "POST", staff_only(302)),
    "settings.save_reference_groups": Route(
        "/settings/{slug}/reference-groups", "POST", staff_only(302)
    ),
    "settings.save_weighting": Route("/settings/{slug}/weighting", "POST", staff_only(302)),
    "settings.save_retention": Route("/settings/{slug}/retention", "POST", staff_only(302)),
    # Webhooks: staff and admins
    "webhooks.index": Route("/webhooks/{slug}/", "GET", staff_only(200)),
    "webhooks.add": Route("/webhooks/{slug}/", "POST", staff_only(400)),
    "webhooks.set_active": Route("/webhooks/{slug}/{hook}/active", "POST", staff_only(404)),
    "webhooks.delete": Route("/webhooks/{slug}/{hook}/delete", "POST", staff_only(404)),
    "webhooks.redeliver": Route(
        "/webhooks/{slug}/deliveries/{delivery}/redeliver", "POST", staff_only(404)
    ),
    # The JSON API: a session cookie counts for nothing there, only a token (test_api_*.py)
    "api-docs.openapi_json": Route("/api/v1/openapi.json", "GET", everyone(200)),
    "api.list_surveys": Route("/api/v1/surveys", "GET", everyone(200)),
    "api.get_survey": Route("/api/v1/surveys/{slug}", "GET", everyone(200)),
    "api.submit_response": Route("/api/v1/surveys/{slug}/responses", "POST", everyone(401)),
    "api.list_responses": Route("/api/v1/surveys/{slug}/responses", "GET", everyone(401)),
    "api.get_response": Route("/api/v1/surveys/{slug}/responses/{entry}", "GET", everyone(401)),
    "api.get_report": Route("/api/v1/surveys/{slug}/report", "GET", everyone(401)),
    "api.get_open_data": Route("/api/v1/surveys/{slug}/open-data", "GET", everyone(401)),
}


def endpoints(app) -> set[str]:
    """Every endpoint the app answers."""
    return {rule.endpoint for rule in app.url_map.iter_rules()}


def test_every_route_is_in_the_table(app):
    missing = sorted(endpoints(app) - set(ROUTES))
    assert not missing, f"routes missing from the authorization table: {', '.join(missing)}"
    gone = sorted(set(ROUTES) - endpoints(app))
    assert not gone, f"the authorization table names routes the app lacks: {', '.join(gone)}"


def test_each_row_requests_its_own_route_with_a_method_it_takes(app):
    adapter = app.url_map.bind("localhost")
    for endpoint, route in ROUTES.items():
        url = route.url.format_map(PLACEHOLDERS)
        matched, _args = adapter.match(url, method=route.method)
        assert matched == endpoint, f"{endpoint}: {route.method} {url} reaches {matched}"


# Values that match each parameter's converter, for the row check above.
PLACEHOLDERS = {
    "slug": "a-survey",
    "user": 1,
    "token": "t",
    "entry": "e",
    "group_session": "g",
    "question": "q",
    "choice": 1,
    "answer": 1,
    "feedback": 1,
    "dimension": "d",
    "plotly": "1.0",
    "token_id": 1,
    "hook": 1,
    "theme": 1,
    "delivery": 1,
    "update": 1,
    "other_update": 2,
}


def world(app) -> dict[str, object]:
    """Add an unassigned broker and a target account to the demo; return the URL values."""
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        create_user(session, SIGN_IN["broker_other"], "broker", PASSWORD, name="Other broker")
        reviewer = create_user(
            session, SIGN_IN["reviewer"], "reviewer", PASSWORD, name="Reviewer", languages="fr"
        )
        target = create_user(session, "target@example.ca", "broker", PASSWORD, name="Target")
        newcomer = create_user(session, "newcomer@example.ca", "staff", PASSWORD, name="New")
        token = rules.reset_password(session, newcomer, actor_id=None, hours=1)
        broker = session.exec(select(User).where(User.email == SIGN_IN["broker_assigned"])).one()
        entry = session.exec(select(Response).where(Response.entered_by_id == broker.id)).first()
        question = session.exec(select(Question).where(Question.name == "services_used")).one()
        choice = session.exec(select(Choice).where(Choice.question_id == question.id)).first()
        comment = session.exec(select(Answer).where(Answer.polarity.is_not(None))).first()
        feedback = session.exec(select(GroupFeedback)).first()
        group_session = session.exec(select(GroupSession)).first()
        dimension = session.exec(select(Question.dimension).where(Question.dimension != "")).first()
        survey = session.exec(select(Survey).where(Survey.slug == DEMO_SLUG)).one()
        session.add(SurveyAssignment(survey_id=survey.id, user_id=reviewer.id))
        update, other_update = (
            add_update(session, survey, date(2026, 3, 2), "done", {"en": text}, user_id=None)
            for text in (UpdateText("New benches", ""), UpdateText("More shade", ""))
        )
        session.commit()
        return {
            "slug": DEMO_SLUG,
            "user": target.id,
            "token": token,
            "entry": entry.public_id,
            "group_session": group_session.public_id,
            "question": question.name,
            "choice": choice.id,
            "answer": comment.id,
            "feedback": feedback.id,
            "dimension": dimension,
            "plotly": plotly_version(),
            "token_id": 999,
            "hook": 999,
            "theme": 999,
            "delivery": 999,
            "update": update.id,
            "other_update": other_update.id,
        }


def answer_of(response) -> int | str:
    """The status, with a redirect to the sign-in page told apart from other redirects."""
    if response.status_code == 302 and "/auth/login" in response.headers["Location"]:
        return LOGIN
    return response.status_code


def observed(app, role: str) -> dict[str, int | str]:
    """Request every row as ``role``; return each endpoint's answer."""
    values = world(app)
    client = app.test_client()
    if role != "anonymous":
        email = SIGN_IN[role]
        reply = login(client, email, DEMO_PASSWORDS.get(email, PASSWORD))
        assert reply.status_code == 302, f"{role} could not sign in"
    found = {}
    # Signing out last, so that every other row is requested signed in.
    for endpoint in sorted(ROUTES, key=lambda name: name == "auth.logout"):
        route = ROUTES[endpoint]
        url = route.url.format_map(values)
        reply = client.open(url, method=route.method)
        found[endpoint] = answer_of(reply)
    return found


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_expected_answer_from_every_route(demo_app, role):
    found = observed(demo_app, role)
    wrong = [
        f"{ROUTES[endpoint].method} {endpoint}: expected {expected}, got {got}"
        for endpoint, got in found.items()
        if got != (expected := ROUTES[endpoint].expected[role])
    ]
    assert not wrong, f"as {role}:\n" + "\n".join(wrong)
