"""Analysis settings and population benchmarks: staff change them, brokers and visitors cannot."""

import io
import re
from html import unescape

import pytest
from dashboard_support import SLUG, build_survey
from report_support import add_responses, choice_question, comment, likert, make_survey
from sqlmodel import select

from surveys.models import AuditEvent, PopulationBenchmark, StoredReport, Survey

SETTINGS = f"/settings/{SLUG}/"
BENCHMARKS = f"/settings/{SLUG}/benchmarks"
DASHBOARD = f"/reports/{SLUG}/"


@pytest.fixture
def survey(session, users):
    return build_survey(session, users)


def text_of(html: str) -> str:
    """Return the page's words without markup, as a reader sees them."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def page(client, url: str, status: int = 200) -> str:
    reply = client.get(url)
    assert reply.status_code == status, reply.get_data(as_text=True)[:2000]
    return reply.get_data(as_text=True)


def post(client, url: str, data, status: int = 302, **kwargs) -> str:
    reply = client.post(url, data=data, **kwargs)
    assert reply.status_code == status, text_of(reply.get_data(as_text=True))[:3000]
    return reply.get_data(as_text=True)


def stored_settings(session) -> dict:
    session.expire_all()
    return session.exec(select(Survey).where(Survey.slug == SLUG)).one().settings


def audit_events(session, action: str) -> list[AuditEvent]:
    session.expire_all()
    return list(session.exec(select(AuditEvent).where(AuditEvent.action == action)))


def figures(session, dimension: str = "age_band", area: str = "") -> dict[str, int]:
    session.expire_all()
    rows = session.exec(
        select(PopulationBenchmark).where(
            PopulationBenchmark.dimension == dimension, PopulationBenchmark.area == area
        )
    )
    return {row.group: row.population for row in rows}


# -- who may change them ------------------------------------------------------------


def test_visitor_is_asked_to_sign_in(client, survey):
    for url in (SETTINGS, BENCHMARKS):
        reply = client.get(url)
        assert reply.status_code == 302 and "/auth/login" in reply.headers["Location"]


def test_broker_can_neither_see_nor_change_the_settings(client, login_as, session, survey):
    login_as("broker")
    assert client.get(SETTINGS).status_code == 403
    assert client.get(BENCHMARKS).status_code == 403
    changes = {
        f"{SETTINGS}reference-groups": {"ref-ref_age_band": "old"},
        f"{SETTINGS}disclosure": {
            "disclosure-policy": "survey_estimates",
            "disclosure-min_cell": "5",
        },
        f"{BENCHMARKS}/age_band": {"group": ["young"], "population": ["1"]},
    }
    for url, data in changes.items():
        assert client.post(url, data=data).status_code == 403
    assert stored_settings(session) == {}
    assert figures(session)["young"] == 4000


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_administrators_see_every_section(client, login_as, survey, role):
    login_as(role)
    words = text_of(page(client, SETTINGS))
    for heading in (
        "Population benchmarks",
        "Reference groups",
        "Favourable answers",
        "Weighting",
        "Small numbers",
        "Quoting comments",
    ):
        assert heading in words
    # The Likert question's favourable answers, with a link to its builder page.
    assert "Agree, Strongly agree" in words or "agree, strongly_agree" in words
    assert f'href="/manage/{SLUG}/questions/safe"' in page(client, SETTINGS)


def test_dashboard_links_to_the_settings(client, login_as, survey):
    login_as("staff")
    assert f'href="{SETTINGS}"' in page(client, DASHBOARD)


# -- each setting: validated, audited, shown in the next dashboard -------------------


def test_reference_group_is_stored_with_an_audit_event_and_the_survey_changes(
    client, login_as, session, survey
):
    user = login_as("staff")
    before = survey.updated_at
    post(client, f"{SETTINGS}reference-groups", {"ref-ref_age_band": "old", "ref-ref_area": ""})

    assert stored_settings(session)["reference_groups"] == {"age_band": "old"}
    (event,) = audit_events(session, "settings.reference_groups")
    assert event.user_id == user.id and event.survey_id == survey.id
    assert (event.old, event.new) == (
        {"reference_groups": None},
        {"reference_groups": {"age_band": "old"}},
    )
    session.expire_all()
    assert session.get(Survey, survey.id).updated_at > before


def test_reference_group_shows_in_the_next_dashboard(client, login_as, survey):
    login_as("staff")
    url = DASHBOARD + "?question=safe&dimension=age_band"
    assert "Young (reference)" in text_of(page(client, url))  # the largest group by default

    post(client, f"{SETTINGS}reference-groups", {"ref-ref_age_band": "old"})

    words = text_of(page(client, url))
    assert "Old (reference)" in words and "Young (reference)" not in words


def test_reference_group_must_be_a_group_of_the_dimension(client, login_as, session, survey):
    login_as("staff")
    html = post(client, f"{SETTINGS}reference-groups", {"ref-ref_age_band": "martian"}, 400)

    assert "Choose one of the groups of this dimension." in text_of(html)
    assert 'href="#ref-ref_age_band"' in html  # the error summary leads to the field
    assert stored_settings(session) == {}
    assert audit_events(session, "settings.reference_groups") == []


def test_saving_the_same_settings_again_writes_no_audit_event(client, login_as, session, survey):
    login_as("staff")
    post(client, f"{SETTINGS}reference-groups", {"ref-ref_age_band": "old"})
    post(client, f"{SETTINGS}reference-groups", {"ref-ref_age_band": "old"})

    assert len(audit_events(session, "settings.reference_groups")) == 1


def test_weighting_takes_only_dimensions_with_population_figures(client, login_as, session, survey):
    login_as("staff")
    html = post(client, f"{SETTINGS}weighting", {"weighting-dimensions": ["age_band", "area"]}, 400)

    assert "has no population figures for the survey's groups" in text_of(html)
    assert "weighting_dimensions" not in stored_settings(session)

    post(client, f"{SETTINGS}weighting", {"weighting-dimensions": ["age_band"]})
    assert stored_settings(session)["weighting_dimensions"] == ["age_band"]


@pytest.mark.parametrize("value", ["3", "101", "ten", "7.5", "-10"])
def test_minimum_cell_size_must_be_a_whole_number_from_5_to_100(
    client, login_as, session, survey, value
):
    login_as("staff")
    data = {"disclosure-policy": "survey_estimates", "disclosure-min_cell": value}
    html = post(client, f"{SETTINGS}disclosure", data, 400)

    assert "Enter a whole number from 5 to 100." in text_of(html)
    assert stored_settings(session) == {}


def test_disclosure_policy_must_be_a_known_one(client, login_as, session, survey):
    login_as("staff")
    data = {"disclosure-policy": "publish_everything", "disclosure-min_cell": ""}
    html = post(client, f"{SETTINGS}disclosure", data, 400)

    assert "Choose a disclosure policy." in text_of(html)
    assert stored_settings(session) == {}


def test_minimum_cell_size_shows_in_the_next_dashboard(client, login_as, session, survey):
    add_responses(session, survey, {"age": "senior", "area": "south", "safe": "agree"}, 4)
    login_as("staff")
    url = DASHBOARD + "?question=safe&dimension=age_band"
    # Seven seniors answered: their rate is withheld under the app's minimum of 10.
    assert "Senior 7 suppressed suppressed" in text_of(page(client, url))
    assert session.exec(select(StoredReport)).first() is not None  # and the report is kept

    data = {"disclosure-policy": "survey_estimates", "disclosure-min_cell": "5"}
    post(client, f"{SETTINGS}disclosure", data)

    assert stored_settings(session) == {"disclosure_policy": "survey_estimates", "min_cell": 5}
    (event,) = audit_events(session, "settings.disclosure")
    assert (event.old, event.new) == (
        {"disclosure_policy": None, "min_cell": None},
        {"disclosure_policy": "survey_estimates", "min_cell": 5},
    )
    assert "Senior 7 100.0%" in text_of(page(client, url))


def test_counts_policy_with_random_rounding_is_stored(client, login_as, session, survey):
    login_as("admin")
    data = {"disclosure-policy": "counts", "disclosure-random_rounding": "y"}
    post(client, f"{SETTINGS}disclosure", data)

    assert stored_settings(session) == {"disclosure_policy": "counts", "random_rounding": True}
    assert "Random rounding to base 5" in text_of(page(client, SETTINGS))


def test_benchmark_area_must_have_figures_and_then_names_the_report_population(
    client, login_as, session, survey
):
    login_as("staff")
    html = post(client, f"{SETTINGS}area", {"area-area": "mars"}, 400)
    assert "Choose an area that has population figures." in text_of(html)

    session.add(
        PopulationBenchmark(dimension="age_band", group="young", population=10, area="ward_1")
    )
    session.add(
        PopulationBenchmark(dimension="age_band", group="old", population=30, area="ward_1")
    )
    session.commit()
    post(client, f"{SETTINGS}area", {"area-area": "ward_1"})

    assert stored_settings(session)["benchmark_area"] == "ward_1"
    words = text_of(page(client, DASHBOARD + "?dimension=age_band"))
    # young: 42 of the 74 who gave an age group, against 25% of ward 1.
    assert "25.0%" in words


def quoting_survey(session):
    return make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            likert("safe"),
            comment("why"),
            choice_question("may_quote", ["yes", "no", "ask_first"]),
            choice_question("topics", ["bus", "train"], multiple=True),
        ],
        slug=SLUG,
    )


def test_quoting_by_consent_stores_the_question_and_its_answers(client, login_as, session, users):
    quoting_survey(session)
    login_as("staff")
    data = {
        "quoting-policy": "consent_question",
        "quoting-question": "may_quote",
        "quoting-choices": ["may_quote.yes", "may_quote.ask_first"],
    }
    post(client, f"{SETTINGS}quoting", data)

    settings = stored_settings(session)
    assert settings == {
        "quote_consent_question": "may_quote",
        "quote_consent_choices": ["yes", "ask_first"],
    }
    (event,) = audit_events(session, "settings.quoting")
    assert event.new["quote_consent_question"] == "may_quote"

    post(client, f"{SETTINGS}quoting", {"quoting-policy": "all"})
    assert stored_settings(session) == {"quote_comments": True}


@pytest.mark.parametrize(
    ("question", "choices", "message"),
    [
        ("topics", ["topics.bus"], "Choose a single-choice question of this survey."),
        ("age", ["age.young"], "Choose a single-choice question of this survey."),
        ("", [], "Choose a single-choice question of this survey."),
        ("may_quote", [], "Choose the answers that give consent."),
        ("may_quote", ["topics.bus"], "Choose answers of the consent question only."),
        ("may_quote", ["may_quote.maybe"], "Choose answers of the consent question only."),
    ],
)
def test_quoting_question_must_be_a_single_choice_question_with_its_own_answers(
    client, login_as, session, users, question, choices, message
):
    quoting_survey(session)
    login_as("staff")
    data = {"quoting-policy": "consent_question", "quoting-question": question}
    data["quoting-choices"] = choices
    html = post(client, f"{SETTINGS}quoting", data, 400)

    assert message in text_of(html)
    assert stored_settings(session) == {}


# -- population benchmarks ----------------------------------------------------------


def upload(client, text: str, status: int = 302, source: str = "Census 2021") -> str:
    data = {
        "upload-file": (io.BytesIO(text.encode("utf-8")), "benchmarks.csv"),
        "upload-source": source,
    }
    return post(client, f"{BENCHMARKS}/upload", data, status, content_type="multipart/form-data")


def test_uploaded_file_replaces_the_figures_with_an_audit_event(client, login_as, session, survey):
    user = login_as("staff")
    upload(client, "dimension,group,population\nage_band,young,100\nage_band,old,300\n")

    assert figures(session) == {"young": 100, "old": 300}
    (event,) = audit_events(session, "benchmarks.import")
    assert event.user_id == user.id and event.reason == "Census 2021"
    assert event.old["tables"][0]["figures"] == {"young": 4000, "old": 5000, "senior": 1000}
    assert event.new["tables"][0]["figures"] == {"young": 100, "old": 300}
    assert "Imported 2 population figures for age_band." in text_of(page(client, BENCHMARKS))


def test_a_wrong_file_is_refused_whole_with_each_line_in_the_readers_language(
    client, login_as, session, survey
):
    login_as("staff")
    page(client, BENCHMARKS + "?lang=fr")
    bad = "dimension,group,population\nage_band,young,100\nage_band,old,lots\nage_band,,5\n"
    words = text_of(upload(client, bad, 400))

    assert "Ligne 3" in words and "lots" in words
    assert "Ligne 4" in words
    assert figures(session)["young"] == 4000
    assert audit_events(session, "benchmarks.import") == []


def test_correction_is_checked_like_a_file_and_audited(client, login_as, session, survey):
    login_as("staff")
    data = {"group": ["young", "old", "senior"], "population": ["4000", "-5", "1000"]}
    html = post(client, f"{BENCHMARKS}/age_band", data, 400)
    assert "is not a whole number of people" in text_of(html)
    assert 'href="#figure-age_band-1"' in html
    assert figures(session)["old"] == 5000

    data = {"group": ["young", "old", "senior"], "population": ["4000", "5500", ""]}
    post(client, f"{BENCHMARKS}/age_band", data)

    assert figures(session) == {"young": 4000, "old": 5500}
    (event,) = audit_events(session, "benchmarks.correct")
    assert event.old["figures"]["old"] == 5000 and event.new["figures"] == figures(session)


def test_correction_refuses_a_group_the_dimension_does_not_have(client, login_as, session, survey):
    login_as("staff")
    data = {"group": ["young", "martian"], "population": ["4000", "12"]}
    html = post(client, f"{BENCHMARKS}/age_band", data, 400)

    assert "“martian” is not a group of this dimension." in text_of(html)
    assert "martian" not in figures(session)


def test_a_total_smaller_than_a_group_is_refused(client, login_as, session, survey):
    login_as("staff")
    text = "dimension,group,population\nrace,black,300\nrace,white,500\nrace,total,400\n"
    words = text_of(upload(client, text, 400))

    assert "Line 4: The total (400) is smaller than the population of “white” (500)." in words


def test_benchmark_change_shows_in_the_next_dashboard_at_once(client, login_as, session, survey):
    login_as("staff")
    words = text_of(page(client, DASHBOARD + "?dimension=age_band"))
    assert "Not asked" not in words

    text = (
        "dimension,group,population\nage_band,under_18,2500\n"
        "age_band,young,4000\nage_band,old,5000\nage_band,senior,1000\n"
    )
    upload(client, text)

    words = text_of(page(client, DASHBOARD + "?dimension=age_band"))
    assert "Not asked: outside the survey's population" in words
    assert "Not asked in this survey, so left out of the population shares: under_18." in words
    # young's population share stays 4,000 of the 10,000 the survey covers.
    assert "40.0%" in words


def test_benchmarks_page_lists_groups_not_asked_and_renormalised_shares(
    client, login_as, session, survey
):
    session.add(PopulationBenchmark(dimension="age_band", group="under_18", population=2500))
    session.commit()
    login_as("staff")
    words = text_of(page(client, BENCHMARKS))

    assert "under_18 Not asked: left out of the population shares" in words
    assert "40.0%" in words and "50.0%" in words and "10.0%" in words


def test_demo_compares_its_adult_respondents_with_the_adult_population(demo_app):
    from sqlmodel import Session

    from engage.demo import DEMO_SLUG
    from engage.survey_reports import survey_report

    with demo_app.app_context(), Session(demo_app.extensions["engage.engine"]) as session:
        survey = session.exec(select(Survey).where(Survey.slug == DEMO_SLUG)).one()
        report = survey_report(session, survey, demo_app.config, intersections=False)
    age = next(table for table in report.representation if table.dimension == "age_band")
    groups = [row for row in age.rows if row.kind == "group"]

    assert [(row.group, row.kind) for row in age.rows if row.kind == "not_asked"] == [
        ("age_under_18", "not_asked")
    ]
    assert "age_under_18" not in [row.group for row in groups]
    assert sum(row.population_share for row in groups) == pytest.approx(1.0)
    # 18 to 24: 140,000 of the 1,120,000 adults.
    young = next(row for row in groups if row.group == "age_18_24")
    assert young.population_share == pytest.approx(140000 / 1120000)


def test_command_line_import_reads_the_same_file_and_is_audited(runner, session, tmp_path):
    path = tmp_path / "benchmarks.csv"
    path.write_text("dimension,group,population\nage_band,young,100\n", encoding="utf-8")

    result = runner.invoke(args=["benchmarks", "import", str(path), "--source", "Census 2021"])

    assert result.exit_code == 0, result.output
    (event,) = audit_events(session, "benchmarks.import")
    assert event.user_id is None and event.reason == "Census 2021"
    assert event.new == {
        "tables": [{"dimension": "age_band", "area": "", "figures": {"young": 100}}]
    }
