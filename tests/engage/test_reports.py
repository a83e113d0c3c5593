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

from engage.charts.representation import representation_figure
from engage.exports.html_report import plotly_path, plotly_version
from engage.security import CONTENT_SECURITY_POLICY
from surveys.models import Answer, AuditEvent, Question, StoredReport

DASHBOARD = f"/reports/{SLUG}/"
COMMENTS = f"/reports/{SLUG}/comments"


@pytest.fixture
def survey(session, users):
    # These tests read how withheld figures look: the counts policy withholds the
    # small group (tests/engage/test_disclosure_outputs.py covers the default).
    return build_survey(session, users, settings={"disclosure_policy": "counts"})


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
    assert f"/reports/assets/plotly-{plotly_version()}.min.js" in html
    assert 'id="plotly.js-style-global" class="no-inline-styles"' in html


def test_plotly_comes_from_the_installed_package_and_is_cached_for_a_year(client, survey):
    reply = client.get(f"/reports/assets/plotly-{plotly_version()}.min.js")

    assert reply.status_code == 200
    assert reply.data == plotly_path().read_bytes()
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


def test_a_question_whose_group_tests_all_went_unreported_says_not_tested_and_why(app):
    """A filter can leave every group's own test without a p-value (too few people)."""
    from engage.charts.differences import differences_table

    table = {
        "question": "satisfied",
        "label": "Satisfied?",
        "dimension": "race",
        "note": None,
        "test": {"test": "not_applicable", "p_value": None, "reason": "suppressed"},
        "rows": [{"group": "black", "test": "fisher", "p_value": None}],
    }
    with app.test_request_context("/?lang=en"):
        shown = differences_table({"outcomes": [table]}, [("race", "Race")])

    (row,) = shown.rows
    assert [cell.text for cell in row.cells] == [
        "Race",
        "Not tested: too few respondents: fewer than two groups are shown in full.",
        "",
        "",
        "Not tested",
    ]


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
        figure = representation_figure(report, settings, 10)
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
    event = session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).one()
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


def kept_reports(session, survey) -> list:
    """Return the keys of the survey's kept reports (``engage.report_cache``, in the database)."""
    session.rollback()  # see what the app's requests committed
    return session.exec(select(StoredReport.key).where(StoredReport.survey_id == survey.id)).all()


def test_an_override_drops_the_surveys_kept_reports(app, client, login_as, session, survey):
    login_as("staff")
    page(client, DASHBOARD)
    assert kept_reports(session, survey)
    answer_id = comment_id(session, "Great buses.")
    client.post(f"/reports/{SLUG}/comments/{answer_id}/sentiment", data={"label": "neutral"})
    assert not kept_reports(session, survey)
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


# -- group-session feedback: staff correct its sentiment label ------------------------------


def feedback_id(session, text: str) -> int:
    from surveys.models import GroupFeedback

    return session.exec(select(GroupFeedback.id).where(GroupFeedback.text == text)).one()


def feedback_url(identifier: int, slug: str = SLUG) -> str:
    return f"/reports/{slug}/comments/feedback/{identifier}/sentiment"


def stored_feedback(session, identifier: int):
    from surveys.models import GroupFeedback

    session.expire_all()
    return session.get(GroupFeedback, identifier)


def feedback_item(html: str, identifier: int) -> str:
    """Return the words of one group-feedback item of the explorer."""
    start = html.index(f'id="feedback-{identifier}"')
    return text_of(html[start : html.index("</li>", start)])


def test_staff_override_the_label_of_group_feedback_and_the_explorer_shows_it(
    client, login_as, session, survey
):
    user = login_as("staff")
    identifier = feedback_id(session, QUOTABLE_TEXT)
    html = page(client, COMMENTS)
    assert f'action="{feedback_url(identifier)}"' in html
    assert feedback_item(html, identifier).count("Positive") >= 1
    assert "set by" not in feedback_item(html, identifier)

    back = COMMENTS + "?channel=group&q=library"
    reply = client.post(
        feedback_url(identifier), data={"label": "negative", "reason": "Irony", "next": back}
    )
    assert reply.status_code == 302
    assert reply.headers["Location"] == back + f"#feedback-{identifier}"

    feedback = stored_feedback(session, identifier)
    assert feedback.sentiment_override == "negative" and feedback.override_by_id == user.id
    assert feedback.sentiment_label == "positive"  # the scored label is kept
    event = session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).one()
    assert (event.action, event.entity, event.entity_id) == (
        "sentiment_override",
        "group_feedback",
        str(identifier),
    )
    assert event.user_id == user.id and event.reason == "Irony"
    assert event.old["sentiment_override"] is None and event.new["sentiment_override"] == "negative"

    html = page(client, back)
    assert "Sentiment label set to Negative." in text_of(html)
    item = feedback_item(html, identifier)
    assert "Negative set by Staff on" in item and "scored: Positive" in item
    assert QUOTABLE_TEXT in text_of(page(client, COMMENTS + "?sentiment=negative"))
    assert QUOTABLE_TEXT not in text_of(page(client, COMMENTS + "?sentiment=positive"))


def test_clearing_a_feedback_override_goes_back_to_the_scored_label(
    client, login_as, session, survey
):
    login_as("admin")
    identifier = feedback_id(session, QUOTABLE_TEXT)
    client.post(feedback_url(identifier), data={"label": "neutral"})
    assert stored_feedback(session, identifier).sentiment_override == "neutral"
    reply = client.post(feedback_url(identifier), data={"label": ""})
    assert reply.status_code == 302
    feedback = stored_feedback(session, identifier)
    assert feedback.sentiment_override is None and feedback.override_by_id is None
    html = page(client, COMMENTS)
    assert "Sentiment label reset to the scored one." in text_of(html)
    assert "set by" not in feedback_item(html, identifier)
    assert len(session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).all()) == 2


def test_feedback_override_refuses_a_label_that_does_not_exist(client, login_as, session, survey):
    login_as("staff")
    identifier = feedback_id(session, QUOTABLE_TEXT)
    reply = client.post(feedback_url(identifier), data={"label": "furious"})
    assert reply.status_code == 302
    assert "The label was not changed" in text_of(page(client, COMMENTS))
    assert stored_feedback(session, identifier).sentiment_override is None
    assert session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).all() == []


def test_brokers_and_visitors_cannot_override_group_feedback(client, login_as, session, survey):
    identifier = feedback_id(session, QUOTABLE_TEXT)
    visitor = client.post(feedback_url(identifier), data={"label": "negative"})
    assert visitor.status_code == 302 and "/auth/login" in visitor.headers["Location"]
    login_as("broker")
    assert client.post(feedback_url(identifier), data={"label": "negative"}).status_code == 403
    assert stored_feedback(session, identifier).sentiment_override is None
    assert session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).all() == []


def test_feedback_not_to_be_quoted_can_be_neither_seen_nor_overridden(
    client, login_as, session, survey
):
    login_as("staff")
    hidden = feedback_id(session, NO_QUOTE_TEXT)
    html = page(client, COMMENTS)
    assert NO_QUOTE_TEXT not in html
    assert f"feedback-{hidden}" not in html and feedback_url(hidden) not in html

    reply = client.post(feedback_url(hidden), data={"label": "negative", "next": COMMENTS})
    assert reply.status_code == 404
    assert NO_QUOTE_TEXT not in reply.get_data(as_text=True)
    assert stored_feedback(session, hidden).sentiment_override is None
    assert client.post(feedback_url(999_999), data={"label": "negative"}).status_code == 404
    assert session.exec(select(AuditEvent).where(AuditEvent.entity != "user")).all() == []


def test_feedback_of_another_survey_cannot_be_overridden_through_this_one(
    client, login_as, session, survey
):
    from report_support import add_group_session, comment, make_survey

    other = make_survey(session, [comment("why")], slug="parks-2025")
    add_group_session(session, other, [{"text": "Parks are fine."}])
    identifier = feedback_id(session, "Parks are fine.")
    login_as("staff")

    assert client.post(feedback_url(identifier), data={"label": "negative"}).status_code == 404
    assert stored_feedback(session, identifier).sentiment_override is None
    reply = client.post(feedback_url(identifier, "parks-2025"), data={"label": "negative"})
    assert reply.status_code == 302
    assert stored_feedback(session, identifier).sentiment_override == "negative"


def group_sentiment(client, query: str = "") -> dict[str, int | None]:
    """Return the report's group-session sentiment counts of feedback on no question."""
    report = client.get(f"/reports/{SLUG}/download/report.json{query}").get_json()
    return {
        row["group"]: row["n"]
        for row in report["group_sessions"]["sentiment"]
        if not row["dimension"]
    }


def test_feedback_override_drops_kept_reports_and_changes_the_group_sentiment_counts(
    app, client, login_as, session, survey
):
    from datetime import date

    from report_support import add_group_session

    # Enough feedback for every count to be shown (the minimum cell is 10).
    notes = [
        {"text": f"Note {number}", "sentiment_label": "positive" if number < 12 else "negative"}
        for number in range(24)
    ]
    add_group_session(
        session,
        survey,
        notes,
        kind="community_meeting",
        held_on=date(2025, 6, 5),
        participants=40,
    )
    login_as("staff")
    # The two feedback rows of build_survey are positive: one quotable, one not.
    before = {"positive": 14, "negative": 12, "neutral": 0, "unscored": 0}
    assert group_sentiment(client) == before
    page(client, DASHBOARD)
    assert len(kept_reports(session, survey)) == 2

    client.post(feedback_url(feedback_id(session, QUOTABLE_TEXT)), data={"label": "negative"})
    assert not kept_reports(session, survey)
    assert group_sentiment(client) == before | {"positive": 13, "negative": 13}
    assert "have arrived since" not in text_of(page(client, DASHBOARD))


def test_feedback_override_form_needs_the_csrf_token(database_url, tmp_path):
    from sqlmodel import Session
    from support import PASSWORD, make_app

    from engage.auth import create_user

    app = make_app(database_url, tmp_path / "csrf-instance", WTF_CSRF_ENABLED=True)
    with Session(app.extensions["engage.engine"], expire_on_commit=False) as session:
        users = {
            role: create_user(session, f"{role}@example.ca", role, PASSWORD)
            for role in ("admin", "staff", "broker")
        }
        build_survey(session, users)
        identifier = feedback_id(session, QUOTABLE_TEXT)
    client = app.test_client()
    login_page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', login_page).group(1)
    client.post(
        "/auth/login", data={"email": "staff@example.ca", "password": PASSWORD, "csrf_token": token}
    )

    assert client.post(feedback_url(identifier), data={"label": "negative"}).status_code == 400
    html = page(client, COMMENTS)
    item = html[html.index(f'id="feedback-{identifier}"') :]
    token = re.search(r'name="csrf_token" value="([^"]+)"', item).group(1)
    reply = client.post(feedback_url(identifier), data={"label": "negative", "csrf_token": token})
    assert reply.status_code == 302
    with Session(app.extensions["engage.engine"]) as session:
        assert stored_feedback(session, identifier).sentiment_override == "negative"
    app.extensions["engage.engine"].dispose()


# -- the derived disability dimension in the explorer's group filter ------------------------

WG_SURVEY = "functioning-2025"
WG_COMMENTS = f"/reports/{WG_SURVEY}/comments"
NO_DIFFICULTY = {
    name: "no_difficulty"
    for name in (
        "wg_seeing",
        "wg_hearing",
        "wg_walking",
        "wg_remembering",
        "wg_self_care",
        "wg_communicating",
    )
}
# (Washington Group answers, comment, how many respondents); statuses follow from the rule.
WG_RESPONDENTS = (
    (NO_DIFFICULTY | {"wg_hearing": "a_lot_of_difficulty"}, "I cannot hear the stops.", 12),
    (dict.fromkeys(NO_DIFFICULTY, "some_difficulty"), "Some steps are steep.", 11),
    (NO_DIFFICULTY, "Buses are fine.", 10),
    (dict.fromkeys(NO_DIFFICULTY, "prefer_not_to_answer"), "Rather not say.", 10),
    (
        {"wg_walking": "cannot_do_at_all", "wg_seeing": "prefer_not_to_answer"},
        "The ramp is broken.",
        10,
    ),
    ({}, "Nothing about functioning.", 10),
)


@pytest.fixture
def wg_survey(session, users):
    from report_support import add_responses, comment, make_survey

    from surveys.demographics import WASHINGTON_GROUP_QUESTIONS

    survey = make_survey(session, [*WASHINGTON_GROUP_QUESTIONS, comment("why")], slug=WG_SURVEY)
    for answers, text, count in WG_RESPONDENTS:
        add_responses(session, survey, answers | {"why": text}, count)
    return survey


def test_explorer_offers_the_derived_disability_status_not_each_domain(client, login_as, wg_survey):
    login_as("staff")
    html = page(client, WG_COMMENTS)
    group = html[html.index('id="group"') : html.index("</select>", html.index('id="group"'))]
    assert '<optgroup label="Disability (Washington Group Short Set, six questions)">' in group
    values = re.findall(r'value="([^"]*)"', group)
    assert values == [
        "",
        "disability:with_disability",
        "disability:without_disability",
        "disability:prefer_not_to_answer",
    ]
    assert ">With a disability</option>" in group and ">Without a disability</option>" in group


@pytest.mark.parametrize(
    "status", ["with_disability", "without_disability", "prefer_not_to_answer"]
)
def test_disability_filter_lists_exactly_the_comments_of_respondents_with_that_status(
    client, login_as, wg_survey, status
):
    from surveys.demographics import washington_group_disability_status

    login_as("staff")
    expected = {
        text: count
        for answers, text, count in WG_RESPONDENTS
        if washington_group_disability_status(answers) == status
    }
    assert expected  # the data has respondents of every status
    words = text_of(page(client, f"{WG_COMMENTS}?group=disability:{status}"))
    total = sum(expected.values())
    assert f"{total} comments found." in words
    for _answers, text, _count in WG_RESPONDENTS:
        assert (text in words) == (text in expected), text


def test_disability_filter_combines_with_the_other_filters(client, login_as, session, wg_survey):
    from report_support import add_responses

    add_responses(
        session,
        wg_survey,
        NO_DIFFICULTY | {"wg_seeing": "cannot_do_at_all", "why": "Le quai est trop sombre."},
        10,
        language="fr",
    )
    login_as("staff")
    words = text_of(page(client, WG_COMMENTS + "?group=disability:with_disability&language=fr"))
    assert "10 comments found." in words and "Le quai est trop sombre." in words
    assert "I cannot hear the stops." not in words
    words = text_of(page(client, WG_COMMENTS + "?group=disability:with_disability&q=ramp"))
    assert "10 comments found." in words and "The ramp is broken." in words


def test_a_small_disability_group_is_not_listed(client, login_as, session, users):
    from report_support import add_responses, comment, make_survey

    from surveys.demographics import WASHINGTON_GROUP_QUESTIONS

    survey = make_survey(session, [*WASHINGTON_GROUP_QUESTIONS, comment("why")], slug=WG_SURVEY)
    add_responses(session, survey, NO_DIFFICULTY | {"why": "Fine."}, 20)
    add_responses(
        session, survey, NO_DIFFICULTY | {"wg_self_care": "cannot_do_at_all", "why": "Hard."}, 3
    )
    login_as("staff")
    words = text_of(page(client, WG_COMMENTS + "?group=disability:with_disability"))
    assert "Fewer than 10 respondents are in this group" in words
    assert "Hard." not in words


@pytest.mark.parametrize(
    ("language", "title"),
    [
        ("en", "Disability (Washington Group Short Set, six questions)"),
        ("fr", "Incapacité (questionnaire court du Groupe de Washington, six questions)"),
    ],
)
def test_the_disability_dimension_is_titled_by_its_bank_entry_not_its_first_question(
    app, session, language, title
):
    from report_support import add_responses, likert, make_survey

    from engage.survey_reports import survey_report
    from surveys.demographics import WASHINGTON_GROUP_QUESTIONS

    survey = make_survey(session, [*WASHINGTON_GROUP_QUESTIONS, likert("safe")], slug="wg")
    add_responses(session, survey, {"wg_seeing": "a_lot_of_difficulty", "safe": "agree"}, 12)

    with app.app_context():
        report = survey_report(session, survey, app.config, language=language)

    (table,) = [table for table in report.representation if table.dimension == "disability"]
    assert table.label == title
