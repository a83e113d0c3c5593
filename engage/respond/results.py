"""A survey's public results page ("what we heard", "what we are doing") and its Atom feed.

``/s/<slug>/results`` exists once staff publish it (``surveys.publication``); signed-in
staff may look at it before with ``?preview=1``. It is a resident page: in the survey's
language closest to the reader's, phone first, with no script. Its figures are the
survey's report's, under its disclosure policy (``engage.respond.results_report``), drawn
as inline SVG on the server (``engage.charts.svg``) with their numbers in tables.
Themes of what people wrote are not shown: Engage does not build them yet.

``/s/<slug>/results/feed.atom`` carries the survey's updates as an Atom 1.0 feed
(RFC 4287), in the same language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from flask import Response, abort, g, make_response, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from engage import db, formatting
from engage.accounts.links import site_url
from engage.charts.answers import answers_figure
from engage.charts.figures import Figure, translated_note
from engage.charts.svg import figure_svg
from engage.charts.totals import counts_figure, largest_summary
from engage.errors import render_error
from engage.i18n import interface_language
from engage.labels import FLAG_NAMES, channel_name, group_name, short_label, summary_name
from engage.respond.blueprint import bp
from engage.respond.cache import resident_texts
from engage.respond.content import Shown, SurveyContent
from engage.respond.feed import atom_feed
from engage.respond.loading import published_survey
from engage.respond.results_report import PublicResults, public_results
from surveys.languages import ResolvedText, resolve_text
from surveys.models import (
    UPDATE_DECISION_MADE,
    UPDATE_DONE,
    UPDATE_IN_PROGRESS,
    UPDATE_UNDER_REVIEW,
    Survey,
)
from surveys.publication import results_published
from surveys.store import update_body_key, update_title_key
from surveys.updates import survey_updates

__all__ = ["UPDATE_STATUS_NAMES", "results_published"]

UPDATE_STATUS_NAMES = {
    UPDATE_UNDER_REVIEW: _l("Under review"),
    UPDATE_DECISION_MADE: _l("Decision made"),
    UPDATE_IN_PROGRESS: _l("In progress"),
    UPDATE_DONE: _l("Done"),
}
# Charts are laid out this wide: a phone's width, so their text stays readable there.
CHART_WIDTH = 360


@dataclass(frozen=True)
class ShownUpdate:
    """An update as the page and the feed show it, in the reader's language."""

    id: int
    posted_on: date
    status: str
    status_name: str
    title: Shown
    body: Shown | None
    updated_at: datetime
    title_language: str
    body_language: str


def survey_with_results(slug: str) -> tuple[Survey, bool]:
    """Return (survey, preview) when its results are published (or previewed), else 404."""
    survey, preview = published_survey(slug)
    if not (results_published(survey) or preview):
        abort(
            make_response(
                render_error(
                    404,
                    _("The results of this survey are not published yet. Please come back later."),
                )
            )
        )
    return survey, preview


def shown_updates(survey: Survey, content: SurveyContent) -> list[ShownUpdate]:
    """Return the survey's updates with their texts in the reader's language (titled ones)."""
    shown = []
    for update in survey_updates(db.get_session(), survey.id):
        title = resolved(content, update_title_key(update.id))
        if not title.text:
            continue  # no title in any language yet: not ready to show
        body = resolved(content, update_body_key(update.id))
        shown.append(
            ShownUpdate(
                id=update.id,
                posted_on=update.posted_on,
                status=update.status,
                status_name=str(UPDATE_STATUS_NAMES.get(update.status, update.status)),
                title=content.shown(title),
                body=content.shown(body) if body.text else None,
                updated_at=aware(update.updated_at),
                title_language=title.language,
                body_language=body.language,
            )
        )
    return shown


def resolved(content: SurveyContent, key: str) -> ResolvedText:
    """Return a survey text in the reader's language, or the language it falls back to."""
    return resolve_text(content.texts.get(key, {}), content.language, content.default_language)


def aware(moment: datetime) -> datetime:
    """Return a timestamp read back from SQLite (naive, UTC) as an aware one."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def survey_content(survey: Survey) -> SurveyContent:
    """Return the survey's texts in the page's language."""
    return SurveyContent(
        resident_texts(survey, g.page_language), g.page_language, survey.default_language
    )


@bp.get("/s/<slug>/results")
def results(slug: str):
    """Show what we heard (under the disclosure policy) and what we are doing."""
    survey, preview = survey_with_results(slug)
    content = survey_content(survey)
    kept = public_results(survey, g.page_language)
    found: PublicResults = kept.report
    interface = interface_language()
    return render_template(
        "respond/results.html",
        survey=survey,
        title=content.get("title") or Shown(survey.slug),
        preview=preview,
        results=found,
        built_at=datetime.fromtimestamp(kept.built_at).astimezone(),
        taking_part=taking_part(found),
        representation=[
            resident_representation(table, found) for table in found.representation if groups(table)
        ],
        headlines=[headline_figure(item, found) for item in found.headlines],
        updates=shown_updates(survey, content),
        chart_svg=lambda figure: figure_svg(figure, interface, CHART_WIDTH),
        feed_url=url_for("respond.results_feed", slug=slug),
        count_text=formatting.count_text,
        format_date=formatting.format_date,
    )


def groups(table: Mapping) -> list[Mapping]:
    """Return a representation table's groups (not "prefer not to answer" or no answer)."""
    return [row for row in table["rows"] if row["kind"] == "group"]


def taking_part(found: PublicResults) -> Figure | None:
    """Return how people took part: responses by channel (a chart and its table)."""
    rows = found.by_channel
    if not rows:
        return None
    return counts_figure(
        "taking-part",
        _("How people took part"),
        rows,
        {row["group"]: channel_name(row["group"]) for row in rows},
        largest_summary(rows, channel_name, found.respondents),
        found.settings["min_cell"],
        _("Channel"),
    )


@dataclass(frozen=True)
class GroupShare:
    """One group of a dimension: its share of the people who took part and of the population."""

    name: str
    took_part: str
    population: str
    flag: str
    suppressed: bool


@dataclass(frozen=True)
class HeardFrom:
    """Who we heard from in one dimension, for residents: a sentence and a three-column table."""

    key: str
    title: str
    summary: str
    rows: tuple[GroupShare, ...]
    note: str | None
    has_benchmark: bool


def resident_representation(table: Mapping, found: PublicResults) -> HeardFrom:
    """Return who we heard from in one dimension, against its population, in plain words.

    A table, not a chart: eight dimensions of charts would double the page's weight, and
    three columns read on a phone (the dashboard keeps the indices and intervals).
    """
    shown = groups(table)
    under = [summary_name(row) for row in shown if row["flag"] == "under"]
    over = [summary_name(row) for row in shown if row["flag"] == "over"]
    if not table["has_benchmark"]:
        summary = _(
            "There is no population figure for this question: only the people who took part "
            "are shown."
        )
    elif under or over:
        parts = []
        if under:
            parts.append(
                _("Fewer than their share of the population: %(groups)s.", groups=", ".join(under))
            )
        if over:
            parts.append(
                _("More than their share of the population: %(groups)s.", groups=", ".join(over))
            )
        summary = " ".join(parts)
    else:
        summary = _("Each group took part in about its share of the population.")
    rows = []
    for row in shown:
        suppressed = row["suppressed"] or row["n"] is None
        took_part = (
            _("suppressed")
            if suppressed
            else f"{formatting.percent_text(row['share'])} ({formatting.count_text(row['n'])})"
        )
        flag = row["flag"] if row["flag"] in ("under", "over") else None
        rows.append(
            GroupShare(
                name=short_label(group_name(row), 60),
                took_part=took_part,
                population=formatting.percent_text(row["population_share"]),
                flag=str(FLAG_NAMES[flag]) if flag else "",
                suppressed=suppressed,
            )
        )
    return HeardFrom(
        key=table["dimension"],
        title=table["label"] or table["dimension"],
        summary=summary,
        rows=tuple(rows),
        note=translated_note(table),
        has_benchmark=table["has_benchmark"],
    )


def headline_figure(item: Mapping, found: PublicResults) -> Figure:
    """Return how everyone answered one question staff chose (without a table when withheld)."""
    return answers_figure(item, found.settings["min_cell"])


@bp.get("/s/<slug>/results/feed.atom")
def results_feed(slug: str):
    """Return the survey's updates as an Atom 1.0 feed in the reader's language."""
    survey, _preview = survey_with_results(slug)
    content = survey_content(survey)
    title = content.get("title") or Shown(survey.slug)
    body = atom_feed(
        feed_id=site_url("respond.results", slug=slug),
        title=_("%(survey)s: what we are doing", survey=title.text),
        language=g.page_language,
        author=_("The survey team"),
        self_url=site_url("respond.results_feed", slug=slug),
        page_url=site_url("respond.results", slug=slug),
        updated=latest_change(survey, shown_updates(survey, content)),
        entries=[
            {
                "id": site_url("respond.results", slug=slug) + f"#update-{update.id}",
                "title": update.title.text,
                "title_language": update.title_language,
                "body": update.body.text if update.body else "",
                "body_language": update.body_language,
                "status": update.status,
                "status_name": update.status_name,
                "published": update.posted_on,
                "updated": update.updated_at,
            }
            for update in shown_updates(survey, content)
        ],
    )
    return Response(body, mimetype="application/atom+xml", content_type=ATOM)


ATOM = "application/atom+xml; charset=utf-8"


def latest_change(survey: Survey, updates: list[ShownUpdate]) -> datetime:
    """Return when the feed last changed: its newest update, else when results were published."""
    if updates:
        return max(update.updated_at for update in updates)
    return aware(survey.updated_at)
