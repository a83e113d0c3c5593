"""The equity dashboard and the comment explorer as staff, brokers and visitors meet them."""

import json
import re
from html import unescape

import pytest
from dashboard_support import (
    FORMULA_COMMENT,
    NO_QUOTE_TEXT,
    QUOTABLE_TEXT,
    SLUG,
    SMALL_GROUP_COMMENT,
    build_survey,
)
from sqlmodel import select

from engage import charts, exports
from engage.security import CONTENT_SECURITY_POLICY
from surveys.models import Answer, AuditEvent, Question

DASHBOARD = f"/reports/{SLUG}/"
COMMENTS = f"/reports/{SLUG}/comments"


@pytest.fixture
def survey(session, users):
    return build_survey(session, users)


def page(client, url: str, status: int = 200) -> str:
    reply = client.get(url)
    assert reply.status_code == status, reply.get_data(as_text=True)[:2000]
    return reply.get_data(as_text=True)


def text_of(html: str) -> str:
    """Return the page's words without markup, as a reader sees them."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def chart_specs(html: str) -> dict[str, dict]:
    blocks = re.findall(
        r'<script type="application/json" id="([^"]+)-spec">(.*?)</script>', html, re.S
    )
    return {name: json.loads(body) for name, body in blocks}


def test_visitor_is_asked_to_sign_in(client, survey):
    for url in ("/reports/", DASHBOARD, COMMENTS, f"/reports/{SLUG}/download/responses.csv"):
        reply = client.get(url)
        assert reply.status_code == 302 and "/auth/login" in reply.headers["Location"]


def test_broker_cannot_open_reports(client, login_as, survey):
    login_as("broker")
    for url in ("/reports/", DASHBOARD, COMMENTS, f"/reports/{SLUG}/download/open-data.zip"):
        assert client.get(url).status_code == 403
    answer = f"/reports/{SLUG}/comments/1/sentiment"
    assert client.post(answer, data={"label": "negative"}).status_code == 403


def test_staff_and_administrators_open_the_dashboard(client, login_as, survey):
    for role in ("staff", "admin"):
        login_as(role)
        listing = page(client, "/reports/")
        assert "Transit survey" in listing and DASHBOARD in listing
        assert "Transit survey" in page(client, DASHBOARD)
        client.post("/auth/logout")


def test_unknown_survey_is_not_found(client, login_as, survey):
    login_as("staff")
    assert client.get("/reports/no-such-survey/").status_code == 404
    assert client.get(f"/reports/{SLUG}/download/responses.pdf").status_code == 404


def test_dashboard_states_the_minimum_cell_and_shows_a_small_group_as_suppressed(
    client, login_as, survey
):
    login_as("staff")
    words = text_of(page(client, DASHBOARD))

    assert "minimum cell size: 10" in words
    assert "Any count from 1 to 9" in words
    row = re.search(r"Senior (\S+) (\S+)", words)
    assert row.groups() == ("suppressed", "suppressed")
    assert re.search(r"Young 42 ", words)


def test_every_chart_has_a_summary_a_table_and_a_data_block(client, login_as, survey):
    login_as("staff")
    html = page(client, DASHBOARD)
    specs = chart_specs(html)

    assert {"chart-over-time", "chart-by-channel", "chart-representation-age-band"} <= set(specs)
    assert any(name.startswith("chart-outcome-safe-") for name in specs)
    assert any(name.startswith("chart-sentiment-why-") for name in specs)
    assert any(name.startswith("chart-intersection-") for name in specs)
    for name, spec in specs.items():
        assert spec["data"] and spec["layout"]["height"] > 0
        figure = html[html.index(f'id="{name}-title"') : html.index(f'id="{name}-spec"')]
        assert 'class="chart-summary"' in figure
        assert f'data-chart="{name}-spec"' in figure
    assert html.count('class="chart-figure"') == len(specs)
    assert html.count("<table") >= len(specs)


def test_withheld_bars_are_labelled_and_not_drawn(client, login_as, survey):
    login_as("staff")
    spec = chart_specs(page(client, DASHBOARD))["chart-representation-age-band"]
    bars = spec["data"][0]
    senior = bars["y"].index("Senior")
    assert bars["x"][senior] == 0
    assert bars["text"][senior] == "suppressed"
    assert "pattern" in spec["data"][1]["marker"]  # population bars differ by more than colour


def test_report_pages_have_no_inline_script_and_keep_the_strict_policy(client, login_as, survey):
    login_as("staff")
    reply = client.get(DASHBOARD)
    html = reply.get_data(as_text=True)

    assert reply.headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    for tag in re.findall(r"<script[^>]*>", html):
        assert ' src="' in tag or 'type="application/json"' in tag, tag
    assert " style=" not in html and "<style" not in html
    assert f"/reports/assets/plotly-{exports.plotly_version()}.min.js" in html
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html


def test_plotly_comes_from_the_installed_package_and_is_cached_for_a_year(client, survey):
    reply = client.get(f"/reports/assets/plotly-{exports.plotly_version()}.min.js")

    assert reply.status_code == 200
    assert reply.data == exports.plotly_path().read_bytes()
    assert reply.mimetype == "text/javascript"
    cache = reply.headers["Cache-Control"]
    assert "max-age=31536000" in cache and "immutable" in cache
    assert client.get("/reports/assets/plotly-0.0.1.min.js").status_code == 404


def test_plotly_is_loaded_only_on_report_pages(client, login_as, survey):
    login_as("staff")
    for url in ("/", "/auth/", "/reports/", COMMENTS):
        assert "plotly" not in page(client, url)


def test_filters_live_in_the_address_and_narrow_the_report(client, login_as, survey):
    login_as("staff")
    words = text_of(page(client, DASHBOARD + "?channel=paper"))
    assert "Respondents: suppressed (fewer than 10)." in words
    words = text_of(page(client, DASHBOARD + "?start=2025-06-02&end=2025-06-02&channel=web"))
    assert "62 respondents" in words
    assert 'value="2025-06-02"' in page(client, DASHBOARD + "?start=2025-06-02")


def test_bad_filters_are_explained_and_nothing_is_shown(client, login_as, survey):
    login_as("staff")
    html = page(client, DASHBOARD + "?start=2025-06-05&end=2025-06-01", status=400)
    assert "The last day comes before the first." in html
    assert 'type="application/json"' not in html
    html = page(client, DASHBOARD + "?channel=carrier-pigeon", status=400)
    assert "There is a problem" in html


def test_chosen_views_are_in_the_address(client, login_as, survey):
    login_as("staff")
    html = page(client, DASHBOARD + "?question=safe&dimension=area&by=age_band")
    specs = chart_specs(html)
    assert "chart-outcome-safe-area" in specs
    crossed = specs["chart-intersection-area-age-band"]["data"][0]
    assert crossed["y"] == ["North", "South", "Prefer not to answer", "No answer"]
    html = page(client, DASHBOARD + "?dimension=nonsense")
    assert "“nonsense” is not part of this report" in unescape(html)


def test_outcome_table_names_the_reference_group_and_the_test(client, login_as, survey):
    login_as("staff")
    words = text_of(page(client, DASHBOARD + "?question=safe&dimension=area"))
    assert "South (reference)" in words
    assert "Pearson's chi-square test" in words or "Fisher's exact test" in words
    assert "Disparity index" in words and "95% interval" in words


def test_chart_and_table_show_the_same_numbers():
    report = {
        "dimension": "age_band",
        "label": "Age",
        "has_benchmark": True,
        "note": None,
        "rows": [
            {
                "group": "young",
                "kind": "group",
                "label": "Young",
                "n": 31,
                "suppressed": False,
                "share": 0.5,
                "ci": (0.4, 0.6),
                "population_share": 0.25,
                "index": 2.0,
                "index_ci": (1.6, 2.4),
                "flag": "over",
            },
            {
                "group": "senior",
                "kind": "group",
                "label": "Senior",
                "n": None,
                "suppressed": True,
                "share": None,
                "ci": None,
                "population_share": 0.75,
                "index": None,
                "index_ci": None,
                "flag": None,
            },
        ],
    }
    settings = {"under_representation_below": 0.8, "over_representation_above": 1.2}
    from engage import create_app

    with create_app({"TESTING": True, "SECRET_KEY": "x"}).test_request_context("/"):
        figure = charts.representation_figure(report, settings, 10)
    bars, population = figure.spec["data"]
    assert bars["x"] == [0.5, 0] and population["x"] == [0.25, 0.75]
    young, senior = figure.table.rows
    texts = [cell.text for cell in young.cells]
    assert texts[:5] == ["31", "50.0%", "40.0% – 60.0%", "25.0%", "2.00"]
    assert all(cell.text == "suppressed" for cell in senior.cells[:3])
    assert "over-represented: Young" in figure.summary


def test_comment_explorer_finds_comments_by_text_and_label(client, login_as, survey):
    login_as("staff")
    words = text_of(page(client, COMMENTS + "?q=terrible"))
    assert "15 comments found." in words and "The bus is terrible." in words
    words = text_of(page(client, COMMENTS + "?sentiment=positive"))
    assert "Great buses." in words and "terrible" not in words
    assert FORMULA_COMMENT in text_of(page(client, COMMENTS + "?language=fr"))


def test_comment_explorer_search_treats_wildcards_as_text(client, login_as, survey):
    login_as("staff")
    assert "No group-session feedback matches." in text_of(page(client, COMMENTS + "?q=%25"))
    assert "0 comments found." in text_of(page(client, COMMENTS + "?q=%25"))


def test_comments_of_a_small_group_are_not_listed_by_group(client, login_as, survey):
    login_as("staff")
    words = text_of(page(client, COMMENTS + "?group=age_band:senior"))
    assert "Fewer than 10 respondents are in this group" in words
    assert SMALL_GROUP_COMMENT not in words
    words = text_of(page(client, COMMENTS + "?group=age_band:old"))
    assert "The bus is terrible." in words and "Great buses." not in words


def test_group_feedback_has_its_own_section_and_never_shows_no_quote_text(client, login_as, survey):
    login_as("staff")
    words = text_of(page(client, COMMENTS))
    assert "Group-session feedback" in words
    assert QUOTABLE_TEXT in words and "Ruth" in words
    assert NO_QUOTE_TEXT not in words
    assert "1 note from sessions that asked not to be quoted" in words
    assert "The channel filter leaves out group sessions." in text_of(
        page(client, COMMENTS + "?channel=web")
    )


def comment_id(session, text: str) -> int:
    return session.exec(select(Answer.id).where(Answer.text == text)).first()


def found(client, query: str) -> str:
    return re.search(r"(\d+) comments? found", text_of(page(client, COMMENTS + query))).group(1)


def test_staff_override_a_label_and_reports_use_it(client, login_as, session, survey):
    user = login_as("staff")
    assert found(client, "?q=Great+buses.&sentiment=positive") == "20"
    answer_id = comment_id(session, "Great buses.")
    reply = client.post(
        f"/reports/{SLUG}/comments/{answer_id}/sentiment",
        data={"label": "negative", "reason": "Sarcasm", "next": COMMENTS + "?q=Great"},
    )
    assert reply.status_code == 302
    assert reply.headers["Location"].startswith(COMMENTS + "?q=Great")

    session.expire_all()
    answer = session.get(Answer, answer_id)
    assert answer.sentiment_override == "negative" and answer.override_by_id == user.id
    event = session.exec(select(AuditEvent)).one()
    assert event.user_id == user.id and event.reason == "Sarcasm"
    assert "set by Staff on" in text_of(page(client, COMMENTS + "?q=Great"))
    assert found(client, "?q=Great+buses.&sentiment=positive") == "19"
    assert found(client, "?q=Great+buses.&sentiment=negative") == "1"


def test_override_refuses_a_label_that_does_not_exist_and_a_foreign_comment(
    client, login_as, session, survey
):
    login_as("staff")
    answer_id = comment_id(session, "Great buses.")
    client.post(f"/reports/{SLUG}/comments/{answer_id}/sentiment", data={"label": "furious"})
    session.expire_all()
    assert session.get(Answer, answer_id).sentiment_override is None
    closed_id = session.exec(
        select(Answer.id)
        .join(Question, Question.id == Answer.question_id)
        .where(Question.name == "safe")
    ).first()
    reply = client.post(
        f"/reports/{SLUG}/comments/{closed_id}/sentiment", data={"label": "positive"}
    )
    assert reply.status_code == 302
    assert session.get(Answer, closed_id).sentiment_override is None
    assert client.post(f"/reports/{SLUG}/comments/999999/sentiment", data={}).status_code == 404


def test_comment_explorer_explains_a_filter_it_does_not_know(client, login_as, survey):
    login_as("staff")
    html = page(client, COMMENTS + "?group=age_band:martian&sentiment=furious", status=400)
    words = text_of(html)
    assert "There is a problem" in words
    assert "Respondent group: Not a valid choice" in words
    assert "Sentiment: Not a valid choice" in words


def respondents_shown(client, query: str = "") -> str:
    return re.search(r"(\d+) respondents", text_of(page(client, DASHBOARD + query))).group(1)


def test_a_kept_report_is_shown_until_refreshed_and_says_it_is_behind(
    client, login_as, session, survey
):
    from report_support import add_responses

    login_as("staff")
    assert respondents_shown(client) == "75"
    add_responses(session, survey, {"age": "old", "area": "north", "safe": "agree"}, 1)

    words = text_of(page(client, DASHBOARD))
    assert "75 respondents" in words
    assert "Responses or corrections have arrived since." in words
    assert respondents_shown(client, "?refresh=1") == "76"
    words = text_of(page(client, DASHBOARD))
    assert "76 respondents" in words and "have arrived since" not in words


def test_reports_are_rebuilt_every_time_when_keeping_is_off(app, client, login_as, session, survey):
    from report_support import add_responses

    app.config["REPORT_CACHE_SECONDS"] = 0
    login_as("staff")
    assert respondents_shown(client) == "75"
    add_responses(session, survey, {"age": "old", "area": "north", "safe": "agree"}, 1)
    assert respondents_shown(client) == "76"


def test_an_override_drops_the_surveys_kept_reports(app, client, login_as, session, survey):
    from engage import report_cache

    login_as("staff")
    page(client, DASHBOARD)
    with app.app_context():
        assert list(report_cache.folder().glob(f"{survey.id}-*.pickle"))
    answer_id = comment_id(session, "Great buses.")
    client.post(f"/reports/{SLUG}/comments/{answer_id}/sentiment", data={"label": "neutral"})
    with app.app_context():
        assert not list(report_cache.folder().glob(f"{survey.id}-*.pickle"))
    assert "have arrived since" not in text_of(page(client, DASHBOARD))


def test_a_survey_without_responses_has_a_dashboard_and_downloads(client, login_as, session):
    from report_support import choice_question, comment, likert, make_survey

    make_survey(
        session,
        [
            choice_question("age", ["young", "old"], dimension="age_band"),
            likert("safe"),
            comment("why"),
        ],
        slug="empty-survey",
    )
    login_as("staff")
    words = text_of(page(client, "/reports/empty-survey/"))
    assert "0 respondents" in words
    assert "Every count here is too small to show." in words or "Responses by" not in words
    for what, extension in (("responses", "csv"), ("report", "xlsx"), ("open-data", "zip")):
        assert client.get(f"/reports/empty-survey/download/{what}.{extension}").status_code == 200
    assert "0 comments found." in text_of(page(client, "/reports/empty-survey/comments"))
