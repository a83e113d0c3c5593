"""Analysis commands: ``engage report``, ``benchmarks import``, ``sentiment``, ``counts``.

Messages are in the language of the terminal (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES`` or ``LANG``) when Engage has that interface language, else
the default language. The statistics stack (SciPy, TextBlob) is imported
inside the commands, so that every other ``engage`` command and the web app
start without it.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import select

from engage import db
from engage.i18n import INTERFACE_LANGUAGES, babel_locale_id
from surveys import report_counts
from surveys.benchmarks import BenchmarkFileError, import_benchmarks, parse_benchmarks
from surveys.languages import is_valid_tag, normalize_tag
from surveys.models import CHANNELS, Survey
from surveys.store import survey_by_slug

FORMATS = ("json", "csv", "html")


def interface_language_for(tag: str | None) -> str | None:
    """Return the interface language that speaks ``tag`` (``fr_CA.UTF-8`` -> ``fr``), if any."""
    tag = (tag or "").split(".")[0].split("@")[0].replace("_", "-")
    if not tag or tag in ("C", "POSIX"):
        return None
    for language in INTERFACE_LANGUAGES:
        if language.lower() == tag.lower():
            return language
    base = tag.split("-")[0].lower()
    return next((lang for lang in INTERFACE_LANGUAGES if lang.split("-")[0] == base), None)


def terminal_language() -> str:
    """Return the interface language for the terminal's locale, else the default language."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for candidate in os.environ.get(variable, "").split(":"):
            language = interface_language_for(candidate)
            if language:
                return language
    return current_app.config["DEFAULT_LANGUAGE"]


@contextmanager
def messages_in(language: str | None = None) -> Iterator[None]:
    """Translate messages into ``language`` (default: the terminal's) while inside."""
    with force_locale(babel_locale_id(language or terminal_language())):
        yield


def write_output(text: str, output: str | None) -> None:
    """Write to the file (replaced whole, never half-written) or to standard output."""
    if not output:
        click.echo(text, nl=False)
        return
    target = Path(output)
    handle, temporary = tempfile.mkstemp(dir=target.parent or Path("."), prefix=".engage-")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        # mkstemp makes the file private; give it the usual permissions of a new file.
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temporary, 0o666 & ~umask)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def parse_day(value: str | None, option: str) -> date | None:
    """Return the ISO date given to an option, or raise a usage error."""
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            _("Give a date as year-month-day, for example 2025-06-30."), param_hint=option
        ) from None


@click.command("report")
@click.argument("slug")
@click.option("--format", "output_format", type=click.Choice(FORMATS), default="json")
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write.")
@click.option("--combined", is_flag=True, help="Add a labelled view adding group-session tallies.")
@click.option("--from", "start", help="First day collected (YYYY-MM-DD).")
@click.option("--to", "end", help="Last day collected (YYYY-MM-DD).")
@click.option("--channel", "channels", multiple=True, help="Only this channel (repeatable).")
@click.option("--language", "languages", multiple=True, help="Only this response language.")
@click.option("--area", "areas", multiple=True, help="Only this area (repeatable).")
@click.option("--weight-by", "weight_by", multiple=True, help="Rake to this dimension's benchmark.")
@click.option("--lang", "report_language", help="Language of the report's labels.")
@with_appcontext
def report_command(
    slug: str,
    output_format: str,
    output: str | None,
    combined: bool,
    start: str | None,
    end: str | None,
    channels: tuple[str, ...],
    languages: tuple[str, ...],
    areas: tuple[str, ...],
    weight_by: tuple[str, ...],
    report_language: str | None,
) -> None:
    """Write a survey's equity and sentiment report as JSON, CSV or HTML."""
    from analysis.report_formats import to_csv, to_json
    from engage.exports.html_report import report_html
    from engage.survey_reports import survey_report, unknown_dimensions
    from surveys.aggregates import Filters

    with messages_in(interface_language_for(report_language)):
        if report_language and not is_valid_tag(report_language):
            raise click.BadParameter(
                _("“%(value)s” is not a language tag such as en or fr-CA.", value=report_language),
                param_hint="--lang",
            )
        filters = Filters(
            start=parse_day(start, "--from"),
            end=parse_day(end, "--to"),
            channels=channels,
            languages=tuple(normalize_tag(tag) for tag in languages),
            areas=areas,
        )
        if filters.start and filters.end and filters.start > filters.end:
            raise click.BadParameter(_("The first day comes after the last."), param_hint="--from")
        wrong = [channel for channel in channels if channel not in CHANNELS]
        if wrong:
            raise click.BadParameter(
                _(
                    "Unknown channel %(channel)s; use one of %(channels)s.",
                    channel=wrong[0],
                    channels=", ".join(CHANNELS),
                ),
                param_hint="--channel",
            )
        with db.Session(db.engine(), expire_on_commit=False) as session:
            survey = survey_by_slug(session, slug)
            if survey is None:
                raise click.ClickException(_("No survey has the address “%(slug)s”.", slug=slug))
            missing = unknown_dimensions(survey, weight_by)
            if missing:
                raise click.BadParameter(
                    _(
                        "“%(name)s” is not a dimension of this survey.",
                        name=missing[0],
                    ),
                    param_hint="--weight-by",
                )
            report = survey_report(
                session,
                survey,
                current_app.config,
                filters,
                combined=combined,
                weighting_dimensions=weight_by or None,
                language=normalize_tag(report_language) if report_language else None,
                generated_at=datetime.now().astimezone(),
            )
            if output_format == "json":
                text = to_json(report)
            elif output_format == "csv":
                text = to_csv(report)
            else:
                text = report_html(report)
        write_output(text, output)
        if output:
            click.echo(_("Report written to %(file)s.", file=output), err=True)


@click.group("benchmarks")
def benchmarks_group() -> None:
    """Population benchmarks for representation and weighting."""


@benchmarks_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--source", help="Where the figures come from, e.g. Census 2021.")
@with_appcontext
def import_benchmarks_command(file: str, source: str | None) -> None:
    """Import FILE.csv (dimension,group,population[,area]); replaces those dimensions' figures."""
    with messages_in():
        try:
            rows = parse_benchmarks(Path(file).read_bytes())
        except BenchmarkFileError as error:
            for problem in error.errors:
                message = _(problem.message, **problem.params)
                if problem.line:
                    click.echo(
                        _("Line %(line)s: %(message)s", line=problem.line, message=message),
                        err=True,
                    )
                else:
                    click.echo(message, err=True)
            raise click.ClickException(_("Nothing was imported.")) from None
        with db.Session(db.engine()) as session:
            import_benchmarks(session, rows, source, user_id=None)
            session.commit()
        dimensions = sorted({row.dimension for row in rows})
        click.echo(
            _(
                "Imported %(count)s population figures for %(dimensions)s.",
                count=len(rows),
                dimensions=", ".join(dimensions),
            )
        )


@click.group("sentiment")
def sentiment_group() -> None:
    """Comment sentiment."""


@sentiment_group.command("score")
@click.argument("slug", required=False)
@click.option("--all", "rescore", is_flag=True, help="Score every comment again.")
@with_appcontext
def score_command(slug: str | None, rescore: bool) -> None:
    """Score stored comments without a score (of one survey, or of all).

    With --all every comment is scored again with the current method, cut-offs and
    scored languages (ENGAGE_SENTIMENT_LANGUAGES); staff overrides are kept.
    """
    from analysis.sentiment import SentimentCutoffs
    from engage.comments import score_comments

    with messages_in(), db.Session(db.engine()) as session:
        survey = None
        if slug:
            survey = survey_by_slug(session, slug)
            if survey is None:
                raise click.ClickException(_("No survey has the address “%(slug)s”.", slug=slug))
        cutoffs = SentimentCutoffs.from_config(current_app.config)
        counts = score_comments(session, cutoffs, survey=survey, rescore=rescore)
        click.echo(
            _(
                "Scored %(scored)s comments; %(unscored)s are in languages that are not "
                "scored and stay unscored (scored languages: %(languages)s).",
                scored=counts.scored,
                unscored=counts.unscored,
                languages=", ".join(cutoffs.languages) or _("none"),
            )
        )


@sentiment_group.command("label")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option("-o", "--output", type=click.Path(dir_okay=False), help="File to write.")
@with_appcontext
def label_command(file: str, output: str | None) -> None:
    """Label the comments of FILE.csv (columns text and language) as stored comments are.

    Writes the file back with label (negative, neutral, positive or unscored),
    polarity and method, to OUTPUT or standard output.
    """
    from analysis.sentiment import SentimentCutoffs
    from analysis.sentiment_csv import SentimentFileError, label_csv

    with messages_in():
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise click.BadParameter(
                _("Cannot read the file: %(problem)s", problem=error.strerror or str(error)),
                param_hint="FILE",
            ) from None
        try:
            text = label_csv(data, SentimentCutoffs.from_config(current_app.config))
        except SentimentFileError as error:
            raise click.BadParameter(_(error.message, **error.params), param_hint="FILE") from None
        write_output(text, output)
        if output:
            click.echo(_("Labelled comments written to %(file)s.", file=output), err=True)


@click.group("counts")
def counts_group() -> None:
    """The report counts kept as responses are written (surveys.report_counts)."""


def _surveys(session, slug: str | None) -> list[Survey]:
    """Return the survey named by ``slug``, or every survey without one."""
    if slug is None:
        return list(session.exec(select(Survey).order_by(Survey.id)).all())
    survey = survey_by_slug(session, slug)
    if survey is None:
        raise click.ClickException(_("No survey has the address “%(slug)s”.", slug=slug))
    return [survey]


@counts_group.command("rebuild")
@click.argument("slug", required=False)
@with_appcontext
def rebuild_counts_command(slug: str | None) -> None:
    """Count the kept report rows again from the answers (of one survey, or of all).

    Run it after changing the questions of a large survey, so that the first
    dashboard visitor does not wait for it.
    """
    with messages_in(), db.Session(db.engine()) as session:
        for survey in _surveys(session, slug):
            report_counts.forget(session, survey.id)
            session.commit()
            report_counts.rebuild(session, survey)
            click.echo(_("%(slug)s: counted again from its answers.", slug=survey.slug))


@counts_group.command("check")
@click.argument("slug", required=False)
@with_appcontext
def check_counts_command(slug: str | None) -> None:
    """Compare the kept report rows with the answers grouped afresh; exit 1 if they differ."""
    with messages_in(), db.Session(db.engine()) as session:
        differing = False
        for survey in _surveys(session, slug):
            if not report_counts.trusted(session, survey):
                click.echo(
                    _(
                        "%(slug)s: not counted for the survey as it is now; "
                        "the next report counts it again.",
                        slug=survey.slug,
                    )
                )
                continue
            statements = report_counts.differences(session, survey)
            if statements:
                differing = True
                click.echo(
                    _(
                        "%(slug)s: the kept counts differ from the answers in %(statements)s. "
                        "Run “engage counts rebuild %(slug)s”.",
                        slug=survey.slug,
                        statements=", ".join(" ".join(name) for name in statements),
                    ),
                    err=True,
                )
            else:
                click.echo(_("%(slug)s: the kept counts match the answers.", slug=survey.slug))
        if differing:
            raise SystemExit(1)


commands = (report_command, benchmarks_group, sentiment_group, counts_group)
