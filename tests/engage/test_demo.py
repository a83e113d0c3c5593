"""`engage demo`: a multilingual survey with responses, benchmarks and one login per role."""

from sqlmodel import func, select
from support import login

from engage.demo import DEMO_ACCOUNTS, DEMO_SLUG, DEMO_WEB_RESPONSES
from surveys.languages import text_direction
from surveys.models import PopulationBenchmark, Response, Survey, User


def counts(session):
    return tuple(
        session.exec(select(func.count()).select_from(table)).one()
        for table in (User, Survey, Response, PopulationBenchmark)
    )


def test_demo_loads_once_and_running_it_again_adds_nothing(runner, session):
    first = runner.invoke(args=["demo"])
    assert first.exit_code == 0, first.output
    loaded = counts(session)
    second = runner.invoke(args=["demo"])
    assert second.exit_code == 0, second.output
    assert counts(session) == loaded
    assert loaded[0] == 3 and loaded[1] >= 1 and loaded[2] >= DEMO_WEB_RESPONSES


def test_demo_survey_is_open_in_english_french_and_a_right_to_left_language(demo_app):
    from sqlmodel import Session

    with Session(demo_app.extensions["engage.engine"]) as session:
        survey = session.exec(select(Survey).where(Survey.slug == DEMO_SLUG)).one()
        questions = list(survey.questions)
    assert survey.status == "open"
    assert {"en", "fr"} <= set(survey.languages)
    assert any(text_direction(language) == "rtl" for language in survey.languages)
    assert any(question.dimension for question in questions)


def test_demo_prints_a_login_for_each_role_that_works(runner, session):
    output = runner.invoke(args=["demo"]).output
    for role, email, password in DEMO_ACCOUNTS:
        assert f"{role:7} {email}  password: {password}" in output
        user = session.exec(select(User).where(User.email == email)).one()
        assert user.role == role


def test_demo_logins_work(demo_app):
    client = demo_app.test_client()
    for role, email, password in DEMO_ACCOUNTS:
        assert login(client, email, password).status_code == 302, role
        client.post("/auth/logout")


def test_demo_survey_asks_the_washington_group_questions_and_reports_disability_status(
    demo_app,
):
    from sqlmodel import Session

    from surveys.aggregates import collect, dimension_infos
    from surveys.demographics import WASHINGTON_GROUP_QUESTIONS

    with Session(demo_app.extensions["engage.engine"]) as session:
        survey = session.exec(select(Survey).where(Survey.slug == DEMO_SLUG)).one()
        disability = dimension_infos(survey)["disability"]
        statuses = collect(session, survey).representation["disability"]
    assert disability.derived
    assert disability.questions == tuple(q.name for q in WASHINGTON_GROUP_QUESTIONS)
    # Enough residents of each status that the explorer lists their comments.
    assert statuses["with_disability"] >= 10 and statuses["without_disability"] >= 10
