"""The public results page, its updates and their Atom feed (issue 18): off until staff publish,
under the survey's disclosure policy, in the survey's languages, without script."""

from __future__ import annotations

import html
import re
from datetime import date
from xml.etree import ElementTree

import pytest
from report_support import add_many, add_responses, choice_question, comment, likert, make_survey
from sqlmodel import select

from surveys import store
from surveys.models import AuditEvent, StoredReport, Survey, SurveyText, SurveyUpdate

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@pytest.fixture
def survey(session):
    """An open survey in English, French and Arabic: a dimension, two questions, comments."""
    survey = make_survey(
        session,
        [
            choice_question("age", ["young", "old", "elder"], dimension="age_band"),
            likert("safe"),
            choice_question("bus", ["yes", "no"]),
            comment("why"),
        ],
    )
    survey.languages = ["en", "fr", "ar"]
    store.set_texts(session, survey, {"title": {"ar": "استطلاع النقل"}})
    session.commit()
    add_many(
        session,
        survey,
        [
            ({"age": "young", "safe": "agree", "bus": "yes", "why": "The bus is great."}, 14),
            ({"age": "old", "safe": "disagree", "bus": "no", "why": "The bus is late."}, 12),
            ({"age": "elder", "safe": "agree", "bus": "yes"}, 3),
        ],
    )
    add_responses(
        session, survey, {"age": "young", "safe": "agree", "bus": "yes"}, 2, channel="phone"
    )
    return survey


def settle(session, survey: Survey, **settings) -> None:
    """Change the survey's settings directly (the builder's form is tested on its own)."""
    session.refresh(survey)
    survey.settings = {**(survey.settings or {}), **settings}
    session.add(survey)
    session.commit()


def publish(session, survey: Survey, **settings) -> None:
    settle(session, survey, results_published=True, results_questions=["safe", "bus"], **settings)


def text_of(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_the_results_page_and_its_feed_are_not_found_until_published(client, survey):
    for address in ("/s/transit-2025/results", "/s/transit-2025/results/feed.atom"):
        response = client.get(address)
        assert response.status_code == 404
        assert "not published yet" in response.get_data(as_text=True)


def test_staff_publish_and_unpublish_the_results_page_from_the_builder(
    client, session, survey, login_as
):
    login_as("staff")
    page = client.get("/manage/transit-2025/results")
    assert page.status_code == 200 and "not public yet" in page.get_data(as_text=True)
    # Only closed questions that are not dimensions are offered: "safe" and "bus".
    offered = re.findall(r'name="results-questions" type="checkbox" value="([^"]+)"', page.text)
    assert offered == ["safe", "bus"]
    saved = client.post(
        "/manage/transit-2025/results",
        data={"results-published": "y", "results-questions": ["bus"]},
    )
    assert saved.status_code == 302
    assert client.get("/s/transit-2025/results").status_code == 200
    session.refresh(survey)
    assert survey.settings["results_published"] is True
    assert survey.settings["results_questions"] == ["bus"]
    event = session.exec(
        select(AuditEvent).where(AuditEvent.action == "survey.results_settings")
    ).one()
    assert event.new["results_published"] is True
    # Unticking the box takes the page down at once, whatever was kept.
    assert client.post("/manage/transit-2025/results", data={}).status_code == 302
    assert client.get("/s/transit-2025/results").status_code == 404
    assert client.get("/s/transit-2025/results/feed.atom").status_code == 404


def test_a_question_that_is_not_offered_is_refused(client, survey, login_as):
    login_as("staff")
    refused = client.post(
        "/manage/transit-2025/results",
        data={"results-published": "y", "results-questions": ["age"]},
    )
    assert refused.status_code == 400
    assert "closed questions" in refused.get_data(as_text=True)


def test_brokers_and_visitors_cannot_publish_results(client, survey, login_as):
    assert (
        client.post("/manage/transit-2025/results", data={"results-published": "y"}).status_code
        == 302
    )
    login_as("broker")
    assert (
        client.post("/manage/transit-2025/results", data={"results-published": "y"}).status_code
        == 403
    )
    assert client.get("/s/transit-2025/results").status_code == 404


def test_published_page_shows_who_took_part_through_which_channel_and_representation(
    client, session, survey
):
    publish(session, survey)
    response = client.get("/s/transit-2025/results?lang=en")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    text = squeeze(text_of(response))
    assert "<script" not in page
    assert "31 people answered the survey." in text
    assert "Online" in text and "Phone interview" in text
    assert re.search(r"Phone interview\s+2\s+6\.5%", text)
    # Representation: each group's share of those who took part (survey estimates: counts shown).
    assert "Which age group" not in text  # the dimension keeps its own label
    assert re.search(r"Elder\s+9\.7% \(3\)", text)
    # Headline answers of the chosen questions; comments and dimensions are not charts.
    assert 'id="chart-answers-safe-title"' in page and 'id="chart-answers-bus-title"' in page
    assert "chart-answers-age" not in page and "The bus is late" not in text
    assert '<svg class="chart-svg" role="img"' in page
    assert "How small numbers are protected" in text


def test_a_small_group_is_withheld_under_the_counts_policy(client, session, survey):
    publish(session, survey, disclosure_policy="counts", min_cell=5)
    text = squeeze(text_of(client.get("/s/transit-2025/results?lang=en")))
    # Two phone interviews and three elders are below five: withheld, never written.
    assert re.search(r"Phone interview\s+suppressed", text)
    assert re.search(r"Elder\s+suppressed", text)
    assert "(3)" not in text and "(2)" not in text
    assert "Counts with complementary suppression" in text


def test_answers_of_a_question_too_few_answered_are_withheld(client, session, survey):
    publish(session, survey, min_cell=50)
    text = squeeze(text_of(client.get("/s/transit-2025/results?lang=en")))
    assert "Too few people answered this question to show how they answered." in text
    assert "chart-answers-safe" not in text


def test_the_page_follows_the_survey_languages_with_arabic_right_to_left(client, session, survey):
    publish(session, survey)
    french = client.get("/s/transit-2025/results?lang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in french
    assert "Sondage sur le transport" in french
    arabic = client.get("/s/transit-2025/results?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in arabic
    assert "استطلاع النقل" in arabic
    assert '<svg class="chart-svg"' in arabic and 'direction="rtl"' in arabic
    assert "<script" not in french and "<script" not in arabic


def test_the_built_results_are_kept_so_a_busy_page_does_not_count_again(
    app, client, session, survey, monkeypatch
):
    publish(session, survey)
    assert client.get("/s/transit-2025/results?lang=en").status_code == 200
    kept = session.exec(select(StoredReport).where(StoredReport.survey_id == survey.id)).all()
    assert len(kept) == 1

    def no_counting(*args, **kwargs):
        raise AssertionError("the results page counted again")

    monkeypatch.setattr("engage.survey_reports.survey_report", no_counting)
    assert client.get("/s/transit-2025/results?lang=en").status_code == 200


def test_quotes_appear_only_when_chosen_and_the_quoting_rule_allows(client, session, survey):
    publish(session, survey, results_quotes=True)
    # The survey's quoting rule quotes nobody yet.
    assert "The bus is" not in text_of(client.get("/s/transit-2025/results?lang=en"))
    publish(session, survey, results_quotes=True, quote_comments=True)
    text = text_of(client.get("/s/transit-2025/results?lang=en"))
    assert "The bus is great." in text and "The bus is late." in text
    publish(session, survey, results_quotes=False, quote_comments=True)
    assert "The bus is" not in text_of(client.get("/s/transit-2025/results?lang=en"))


def post_update(client, **fields):
    data = {
        "update-language": "en",
        "update-posted_on": "2026-03-02",
        "update-status": "in_progress",
        "update-title": "New bus shelters",
        "update-body": "We are adding 12 shelters on route 5.",
    }
    data.update({f"update-{key}": value for key, value in fields.items()})
    return client.post("/manage/transit-2025/results/updates", data=data)


def test_staff_post_translate_change_and_delete_updates(client, session, survey, login_as):
    publish(session, survey)
    login_as("staff")
    assert post_update(client).status_code == 302
    update = session.exec(select(SurveyUpdate)).one()
    assert (update.posted_on, update.status) == (date(2026, 3, 2), "in_progress")
    page = squeeze(text_of(client.get("/s/transit-2025/results?lang=en")))
    assert "New bus shelters" in page and "In progress" in page
    assert "We are adding 12 shelters on route 5." in page
    # Until translated, the French page shows the English text marked as English.
    french = client.get("/s/transit-2025/results?lang=fr").get_data(as_text=True)
    assert '<h3 lang="en" dir="ltr">New bus shelters</h3>' in french
    translated = client.post(
        f"/manage/transit-2025/results/updates/{update.id}",
        data={
            "update-language": "fr",
            "update-posted_on": "2026-03-02",
            "update-status": "done",
            "update-title": "Nouveaux abribus",
            "update-body": "Douze abribus sur la ligne 5.",
        },
    )
    assert translated.status_code == 302
    french = client.get("/s/transit-2025/results?lang=fr").get_data(as_text=True)
    assert "<h3>Nouveaux abribus</h3>" in french and "Douze abribus" in french
    session.refresh(update)
    assert update.status == "done"
    actions = session.exec(select(AuditEvent.action).where(AuditEvent.entity == "survey_update"))
    assert sorted(actions) == ["survey.update_add", "survey.update_change"]
    deleted = client.post(f"/manage/transit-2025/results/updates/{update.id}/delete")
    assert deleted.status_code == 302
    assert session.exec(select(SurveyUpdate)).all() == []
    assert not session.exec(select(SurveyText).where(SurveyText.key.like("update.%"))).all()
    assert "Nouveaux abribus" not in client.get("/s/transit-2025/results?lang=fr").get_data(
        as_text=True
    )


def test_an_update_needs_a_title_a_date_and_a_known_status(client, session, survey, login_as):
    login_as("staff")
    refused = post_update(client, title="", posted_on="2 March", status="cancelled")
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Enter a title" in page and "year-month-day" in page and "Choose a status" in page
    assert session.exec(select(SurveyUpdate)).all() == []


def test_brokers_cannot_post_or_change_updates(client, session, survey, login_as):
    login_as("staff")
    post_update(client)
    update = session.exec(select(SurveyUpdate)).one()
    client.post("/auth/logout")
    login_as("broker")
    assert post_update(client).status_code == 403
    assert (
        client.post(f"/manage/transit-2025/results/updates/{update.id}/delete").status_code == 403
    )
    assert session.exec(select(SurveyUpdate)).one().id == update.id


def test_update_texts_travel_in_the_translators_files(client, session, survey, login_as):
    login_as("staff")
    post_update(client)
    update = session.exec(select(SurveyUpdate)).one()
    po = client.get("/manage/transit-2025/translations/fr.po").get_data(as_text=True)
    assert f'msgctxt "update.{update.id}.title"' in po and 'msgid "New bus shelters"' in po


def test_the_atom_feed_is_valid_atom_with_every_update(client, session, survey, login_as):
    publish(session, survey)
    login_as("staff")
    post_update(client)
    post_update(
        client,
        title="Survey closed <soon> & counted",
        status="under_review",
        posted_on="2026-04-01",
        body="",
    )
    client.post("/auth/logout")
    response = client.get("/s/transit-2025/results/feed.atom?lang=fr")
    assert response.status_code == 200
    assert response.content_type == "application/atom+xml; charset=utf-8"
    feed = ElementTree.fromstring(response.data)
    assert feed.tag == f"{ATOM}feed" and feed.get(XML_LANG) == "fr"
    for required in ("id", "title", "updated", "author/" + ATOM + "name"):
        assert feed.find(ATOM + required) is not None and feed.find(ATOM + required).text
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links["self"].endswith("/s/transit-2025/results/feed.atom")
    assert links["alternate"].endswith("/s/transit-2025/results")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    for entry in entries:
        for required in ("id", "title", "updated"):
            assert entry.find(ATOM + required).text
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", entry.find(f"{ATOM}updated").text)
    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == "Survey closed <soon> & counted"
    assert newest.find(f"{ATOM}title").get(XML_LANG) == "en"  # not translated into French
    assert newest.find(f"{ATOM}published").text == "2026-04-01T00:00:00Z"
    assert newest.find(f"{ATOM}category").get("term") == "under_review"
    assert len({entry.find(f"{ATOM}id").text for entry in entries}) == 2


def test_the_thank_you_page_links_to_the_results_page(client, session, survey):
    page = client.get("/s/transit-2025/thanks").get_data(as_text=True)
    assert "http://localhost/s/transit-2025/results" in page
    publish(session, survey)
    page = client.get("/s/transit-2025/thanks").get_data(as_text=True)
    assert 'href="/s/transit-2025/results"' in page
