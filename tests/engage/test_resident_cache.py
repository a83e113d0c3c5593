"""The surveys each worker keeps for residents: every builder write shows on the next page."""

from __future__ import annotations

import io
import re

import pytest
from sqlmodel import select

from engage.respond.cache import EXTENSION, narrow_texts
from surveys.languages import resolve_text
from surveys.models import SURVEY_OPEN, Choice, Question, Survey
from surveys.store import save_definition, set_texts, survey_by_slug
from tests.engage.test_manage import PARKS

# Routes that make a new survey: nothing of it is kept yet.
NEW_SURVEY_ROUTES = {"manage.create_survey", "manage.upload_xlsform", "manage.duplicate"}


def choice_id(session, name: str) -> int:
    return session.exec(select(Choice.id).where(Choice.name == name)).one()


def filled_po(client, _session) -> tuple[str, dict]:
    po = client.get("/manage/parks/translations/fr.po").get_data(as_text=True)
    po = po.replace('msgid "Every month"\nmsgstr ""', 'msgid "Every month"\nmsgstr "Chaque mois"')
    assert "Chaque mois" in po
    return "/manage/parks/translations", {
        "translation-language": "fr",
        "translation-file": (io.BytesIO(po.encode()), "parks-fr.po"),
    }


def posted_update(session) -> int:
    """Post an update on the parks survey's results page; return its id."""
    from datetime import date

    from surveys.updates import UpdateText, add_update

    survey = survey_by_slug(session, "parks")
    update = add_update(
        session,
        survey,
        date(2026, 3, 2),
        "in_progress",
        {"en": UpdateText("Shade", "")},
        user_id=None,
    )
    session.commit()
    return update.id


UPDATE_FORM = {
    "update-language": "en",
    "update-posted_on": "2026-03-02",
    "update-status": "done",
    "update-title": "New benches",
}


# endpoint -> (url, form) or a function of (client, session) returning them.
BUILDER_WRITES = {
    "manage.add_bank_entry": ("/manage/parks/bank/disability", {}),
    "manage.add_language": ("/manage/parks/languages", {"language-tag": "ar"}),
    "manage.set_default_language": ("/manage/parks/languages/fr/default", {}),
    "manage.remove_language": ("/manage/parks/languages/fr/remove", {}),
    "manage.add_question": (
        "/manage/parks/questions",
        {"question-kind": "short_text", "question-label": "Your street?", "question-name": "st"},
    ),
    "manage.add_choice": ("/manage/parks/questions/visits/choices", {"choice-label": "Daily"}),
    "manage.move_choice": lambda client, session: (
        f"/manage/parks/questions/visits/choices/{choice_id(session, 'monthly')}/move",
        {"direction": "up"},
    ),
    "manage.remove_choice": lambda client, session: (
        f"/manage/parks/questions/visits/choices/{choice_id(session, 'monthly')}/remove",
        {},
    ),
    "manage.save_condition": (
        "/manage/parks/questions/why_not/condition",
        {"condition-depends_on": ""},
    ),
    "manage.delete_question": ("/manage/parks/questions/age/delete", {}),
    "manage.save_favourable": (
        "/manage/parks/questions/visits/favourable",
        {"favourable-favourable": "weekly"},
    ),
    "manage.move_question": ("/manage/parks/questions/age/move", {"direction": "up"}),
    "manage.save_question_settings": (
        "/manage/parks/questions/visits/settings",
        {"settings-name": "frequency", "settings-kind": "single_choice"},
    ),
    "manage.save_question_texts": (
        "/manage/parks/questions/visits/texts",
        {"texts-language": "fr", "texts-label": "Combien de fois?"},
    ),
    "manage.change_status": ("/manage/parks/status", {"action": "close"}),
    "manage.save_survey_texts": (
        "/manage/parks/texts",
        {"texts-language": "en", "texts-title": "Our parks", "texts-description": "Tell us."},
    ),
    "manage.import_translation": filled_po,
    "manage.save_results": ("/manage/parks/results", {"results-published": "y"}),
    "manage.add_survey_update": ("/manage/parks/results/updates", UPDATE_FORM),
    "manage.save_survey_update": lambda client, session: (
        f"/manage/parks/results/updates/{posted_update(session)}",
        UPDATE_FORM,
    ),
    "manage.delete_survey_update": lambda client, session: (
        f"/manage/parks/results/updates/{posted_update(session)}/delete",
        {},
    ),
}


@pytest.fixture
def open_parks(session):
    survey = save_definition(session, PARKS, status=SURVEY_OPEN)
    session.commit()
    return survey


def without_token(html: str) -> str:
    """Return the page without its form token (a new one on every page)."""
    return re.sub(r'name="token" value="[^"]*"', 'name="token"', html)


def resident_page(client, lang: str = "en") -> tuple[int, str]:
    reply = client.get(f"/s/parks?lang={lang}")
    return reply.status_code, without_token(reply.get_data(as_text=True))


def test_every_builder_write_of_a_survey_is_listed_here(app):
    writes = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if rule.endpoint.startswith("manage.") and "POST" in rule.methods
    }
    assert writes == BUILDER_WRITES.keys() | NEW_SURVEY_ROUTES


@pytest.mark.parametrize("endpoint", sorted(BUILDER_WRITES))
def test_each_builder_write_shows_on_the_next_resident_page(
    app, client, session, login_as, open_parks, endpoint
):
    resident = app.test_client()  # no staff session, no builder messages
    status, _ = resident_page(resident)
    assert status == 200
    kept = app.extensions[EXTENSION][open_parks.id]
    login_as("admin")
    write = BUILDER_WRITES[endpoint]
    url, form = write(client, session) if callable(write) else write
    reply = client.post(url, data=form, content_type="multipart/form-data")
    assert reply.status_code in (302, 303), reply.get_data(as_text=True)[:2000]

    session.expire_all()
    assert survey_by_slug(session, "parks").updated_at > kept.updated_at
    after = [resident_page(resident, lang) for lang in ("en", "fr")]
    app.extensions[EXTENSION].clear()  # as a worker that never kept it
    assert after == [resident_page(resident, lang) for lang in ("en", "fr")]


def test_a_kept_survey_answers_pages_without_loading_it_again(app, client, open_parks):
    from sqlalchemy import event

    engine = app.extensions["engage.engine"]
    client.get("/s/parks")
    statements: list[str] = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    try:
        assert client.get("/s/parks?lang=fr").status_code == 200
    finally:
        event.remove(engine, "before_cursor_execute", listener)
    assert not [sql for sql in statements if "FROM questions" in sql or "survey_texts" in sql]


def test_a_write_outside_the_builder_also_changes_the_key(session, open_parks):
    before = open_parks.updated_at
    question = session.exec(select(Question).where(Question.name == "age")).one()
    question.required = True
    session.commit()
    assert session.get(Survey, open_parks.id).updated_at > before
    later = open_parks.updated_at
    set_texts(session, open_parks, {"title": {"fr": "Nos parcs"}})
    session.commit()
    assert session.get(Survey, open_parks.id).updated_at > later


def test_narrowed_texts_resolve_as_all_texts_do():
    texts = {
        "a": {"en": "A", "fr": "Á", "ar": "ع"},
        "b": {"de": "Bee", "ar": "ب"},
        "c": {"fr-CA": "Cé", "en": "C"},
        "d": {"en": "  ", "pt": "Dê"},
    }
    for language in ("fr", "fr-CA", "ar", "en", "tl", "pt"):
        narrowed = narrow_texts(texts, language, "en")
        for key, by_language in texts.items():
            assert resolve_text(narrowed[key], language, "en") == resolve_text(
                by_language, language, "en"
            )


def test_adding_a_choice_through_the_store_changes_the_key(session, open_parks):
    before = open_parks.updated_at
    question = session.exec(select(Question).where(Question.name == "visits")).one()
    question.choices.append(Choice(name="daily", position=9))
    session.commit()
    assert session.get(Survey, open_parks.id).updated_at > before
