"""Staff pages make a constant number of SQL statements, whatever the surveys and questions.

A list page (``/intake/``, ``/reports/``, ``/manage/``) must not load anything per
survey, and a survey's own pages (entry, session, dashboard, comments) must not load
each question's choices on their own: the count is the same at 3 surveys as at 30,
and at 3 questions as at 12.
"""

from __future__ import annotations

import itertools
from contextlib import contextmanager
from datetime import date

import pytest
from sqlalchemy import event
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, select
from support import login, make_app

from analysis.sentiment import SentimentCutoffs
from surveys.definition import (
    LIKERT,
    LONG_TEXT,
    MULTIPLE_CHOICE,
    NUMBER,
    SINGLE_CHOICE,
    ChoiceDefinition,
    QuestionDefinition,
    SurveyDefinition,
)
from surveys.group_sessions import FeedbackInput, SessionInput, add_session
from surveys.models import ROLE_ADMIN, SURVEY_OPEN, GroupSession, Response
from surveys.questions import AnswerValue
from surveys.recording import Provenance, record_response
from surveys.store import save_definition, set_texts, survey_by_slug

LANGUAGES = ("en", "fr", "ar")
SLUG = "survey-0"
CUTOFFS = SentimentCutoffs(negative_below=-0.05, positive_above=0.05)


def choices(*names: str) -> tuple[ChoiceDefinition, ...]:
    return tuple(
        ChoiceDefinition(name, {"en": name.title(), "fr": name.upper(), "ar": name})
        for name in names
    )


def questions(count: int) -> tuple[QuestionDefinition, ...]:
    """``count`` questions of every kind a staff page shows, the first a dimension."""
    made = [
        QuestionDefinition(
            name="gender",
            kind=SINGLE_CHOICE,
            dimension="gender",
            allow_prefer_not=True,
            label={"en": "Gender", "fr": "Genre"},
            choices=choices("man", "woman", "another_gender"),
        )
    ]
    kinds = itertools.cycle((LONG_TEXT, MULTIPLE_CHOICE, LIKERT, NUMBER, SINGLE_CHOICE))
    for number, kind in zip(range(1, count), kinds, strict=False):
        made.append(
            QuestionDefinition(
                name=f"q{number}",
                kind=kind,
                label={"en": f"Question {number}", "fr": f"Question {number} (fr)"},
                choices=choices("red", "green", "blue")
                if kind in (MULTIPLE_CHOICE, SINGLE_CHOICE)
                else (),
            )
        )
    return tuple(made)


def answers_for(survey, number: int) -> dict[str, list[AnswerValue]]:
    """One resident's answers to every question of ``survey``."""
    answers = {}
    for question in survey.questions:
        if question.choices:
            chosen = question.choices[number % len(question.choices)].name
            answers[question.name] = [AnswerValue(choice=chosen)]
        elif question.kind == LIKERT:
            answers[question.name] = [AnswerValue(choice="agree")]
        elif question.kind == NUMBER:
            answers[question.name] = [AnswerValue(number=number)]
        elif question.kind == LONG_TEXT:
            answers[question.name] = [AnswerValue(text=f"The parks are lovely {number}")]
    return answers


def build_world(tmp_path, surveys: int, question_count: int):
    """An app holding ``surveys`` open surveys, each with responses and a group session."""
    app = make_app(f"sqlite:///{tmp_path / 'staff.sqlite3'}", tmp_path / "instance")
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        from engage.auth import create_user

        admin = create_user(session, "admin@example.ca", ROLE_ADMIN, "correct horse battery")
        for index in range(surveys):
            survey = save_definition(
                session,
                SurveyDefinition(
                    slug=f"survey-{index}",
                    default_language="en",
                    languages=LANGUAGES,
                    title={tag: f"Survey {index} ({tag})" for tag in LANGUAGES},
                    questions=questions(question_count),
                ),
                status=SURVEY_OPEN,
            )
            set_texts(session, survey, {"thanks": {tag: "Thanks" for tag in LANGUAGES}})
            session.commit()
            survey = survey_by_slug(session, survey.slug)
            for number in range(3):
                record_response(
                    session,
                    survey,
                    answers_for(survey, number),
                    Provenance(
                        channel="paper",
                        language="en",
                        idempotency_key=f"{survey.slug}-{number}",
                        entered_by_id=admin.id,
                    ),
                    cutoffs=CUTOFFS,
                )
            add_session(
                session,
                survey,
                group_session(survey),
                entered_by_id=admin.id,
                cutoffs=CUTOFFS,
                public_id=f"GS-{index}",
            )
            session.commit()
    return app


def group_session(survey) -> SessionInput:
    """A group session with a tally of every choice question and one note per comment one."""
    closed = [q for q in survey.questions if q.choices]
    comments = [q for q in survey.questions if q.kind == LONG_TEXT]
    return SessionInput(
        kind="community_meeting",
        facilitator="Facilitator",
        held_on=date(2025, 6, 4),
        place="Library",
        languages=["en"],
        participants=12,
        consent="oral",
        attribution="anonymous",
        demographics={"gender": {"man": 5, "woman": 6, None: 1}},
        tallies={q.name: {q.choices[0].name: 4} for q in closed if q.name != "gender"},
        feedback=[
            FeedbackInput(kind="note", text="More benches", question=q.name, language="en")
            for q in comments
        ],
    )


@contextmanager
def counted(app):
    """Count the SQL statements the app's engine runs inside the block, and the lazy loads.

    A lazy load is a relationship an object loads on first use, one statement per
    object: what ``selectinload`` replaces with one statement for them all.
    """
    statements: list[str] = []
    lazy: list[str] = []

    def seen(_conn, _cursor, statement, _parameters, _context, _many):
        statements.append(statement)

    def orm_executed(state):
        if state.is_relationship_load and state.lazy_loaded_from is not None:
            lazy.append(f"{state.lazy_loaded_from.class_.__name__}: {state.statement}")

    engine = app.extensions["engage.engine"]
    event.listen(engine, "before_cursor_execute", seen)
    event.listen(OrmSession, "do_orm_execute", orm_executed)
    try:
        yield statements, lazy
    finally:
        event.remove(engine, "before_cursor_execute", seen)
        event.remove(OrmSession, "do_orm_execute", orm_executed)


def statements_per_page(app, paths: list[str]) -> dict[str, tuple[int, list[str]]]:
    """Return each page's statements and lazy loads, the page asked twice.

    The first time may build and keep a report; the second reads the kept one.
    """
    client = app.test_client()
    assert login(client, "admin@example.ca").status_code == 302
    with Session(app.extensions["engage.engine"]) as session:
        entry = session.exec(select(Response.public_id).order_by(Response.id)).first()
        group = session.exec(select(GroupSession.public_id).order_by(GroupSession.id)).first()
    found = {}
    for template in paths:
        path = template.format(entry=entry, group=group)
        counts = []
        loads = []
        for _time in range(2):
            with counted(app) as (statements, lazy):
                reply = client.get(path)
            assert reply.status_code == 200, path
            counts.append(len(statements))
            loads += lazy
        found[template] = (tuple(counts), loads)
    return found


LIST_PAGES = ["/", "/intake/", "/reports/", "/manage/", "/reports/comments-to-label"]
SURVEY_PAGES = [
    f"/intake/{SLUG}/enter",
    f"/intake/{SLUG}/entries",
    f"/intake/{SLUG}/entries/{{entry}}",
    f"/intake/{SLUG}/paper/en",
    f"/intake/{SLUG}/sessions",
    f"/intake/{SLUG}/sessions/new",
    f"/intake/{SLUG}/sessions/{{group}}",
    f"/intake/{SLUG}/sessions/{{group}}/edit",
    f"/reports/{SLUG}/",
    f"/reports/{SLUG}/?dimension=gender",
    f"/reports/{SLUG}/comments",
    f"/reports/{SLUG}/comments/review",
    f"/reports/{SLUG}/comments/themes",
    f"/manage/{SLUG}/",
    f"/manage/{SLUG}/texts",
    f"/manage/{SLUG}/questions/q1",
]
# (surveys, questions per survey) of each database the pages are counted on.
SIZES = ((3, 3), (30, 3), (3, 12))


@pytest.fixture(scope="module")
def counts(tmp_path_factory) -> dict[tuple[int, int], dict]:
    """Each page's statements and lazy loads on each database size."""
    found = {}
    for surveys, question_count in SIZES:
        folder = tmp_path_factory.mktemp(f"staff-{surveys}-surveys-{question_count}-questions")
        app = build_world(folder, surveys, question_count)
        found[surveys, question_count] = statements_per_page(app, LIST_PAGES + SURVEY_PAGES)
        app.extensions["engage.engine"].dispose()
    return found


@pytest.mark.parametrize("page", LIST_PAGES)
def test_list_page_makes_as_many_statements_at_30_surveys_as_at_3(counts, page):
    few, many = counts[3, 3][page][0], counts[30, 3][page][0]
    assert many == few, f"{page}: {few} statements at 3 surveys, {many} at 30"


@pytest.mark.parametrize("page", SURVEY_PAGES)
def test_survey_page_makes_as_many_statements_at_12_questions_as_at_3(counts, page):
    few, many = counts[3, 3][page][0], counts[3, 12][page][0]
    assert many == few, f"{page}: {few} statements with 3 questions, {many} with 12"
    assert counts[30, 3][page][0] == few, f"{page}: the other surveys changed its count"


@pytest.mark.parametrize("page", LIST_PAGES + SURVEY_PAGES)
def test_staff_page_loads_nothing_lazily(counts, page):
    for size in SIZES:
        assert counts[size][page][1] == [], f"{page} at {size}: lazy loads"
