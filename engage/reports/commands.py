"""``engage export``: open data, responses, tables or the one-file report of a survey."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from engage import analysis_commands, db
from engage.audit.events import AUDIT_EXPORT, record_download
from engage.exports.html_report import report_html
from engage.exports.open_data import open_data_files, write_open_data
from engage.exports.report_tables import report_xlsx
from engage.exports.responses import responses_csv, responses_xlsx
from engage.labels import CHANNEL_NAMES
from engage.reports.downloads import full_report
from surveys.store import survey_by_slug


@click.command("export")
@click.argument("slug")
@click.option(
    "--open-data", "open_data", is_flag=True, help="Write the open-data bundle (a folder)."
)
@click.option("--responses", is_flag=True, help="Write every response with provenance.")
@click.option("--tables", is_flag=True, help="Write the report tables.")
@click.option("--html", "html", is_flag=True, help="Write the report as one HTML file.")
@click.option("-o", "--output", type=click.Path(), help="Folder (open data) or file to write.")
@with_appcontext
def export_command(
    slug: str, open_data: bool, responses: bool, tables: bool, html: bool, output: str | None
) -> None:
    """Export a survey: open data (-o DIR), responses or tables (.csv/.xlsx), or HTML."""
    with analysis_commands.messages_in():
        chosen = [
            name
            for name, on in (
                ("open-data", open_data),
                ("responses", responses),
                ("tables", tables),
                ("html", html),
            )
            if on
        ]
        if len(chosen) != 1:
            raise click.UsageError(_("Choose one of --open-data, --responses, --tables or --html."))
        what = chosen[0]
        extension = Path(output).suffix.lower().lstrip(".") if output else ""
        if what in ("responses", "tables") and extension not in ("csv", "xlsx"):
            raise click.BadParameter(
                _("Give a file ending in .csv or .xlsx."), param_hint="-o/--output"
            )
        with (
            current_app.test_request_context("/"),
            db.Session(db.engine(), expire_on_commit=False) as session,
        ):
            g.db_session = session
            # Reports and files are in the terminal's language, like the messages.
            g.interface_language = analysis_commands.terminal_language()
            survey = survey_by_slug(session, slug)
            if survey is None:
                raise click.ClickException(_("No survey has the address “%(slug)s”.", slug=slug))
            file_format = "zip" if what == "open-data" else extension or "html"
            record_download(session, None, survey, what, file_format, action=AUDIT_EXPORT)
            if what == "open-data":
                target = Path(output or f"{slug}-open-data")
                files = open_data_files(session, survey, full_report(survey), CHANNEL_NAMES)
                write_open_data(files, target)
                click.echo(
                    ngettext(
                        "Wrote %(num)s file to %(folder)s.",
                        "Wrote %(num)s files to %(folder)s.",
                        len(files),
                        folder=str(target),
                    )
                )
                return
            target = Path(output or f"{slug}-report.html")
            if what == "responses" and extension == "csv":
                content = "".join(responses_csv(session, survey)).encode("utf-8")
            elif what == "responses":
                content = responses_xlsx(session, survey)
            elif what == "tables" and extension == "csv":
                from analysis.report_formats import to_csv

                content = ("\ufeff" + to_csv(full_report(survey))).encode("utf-8")
            elif what == "tables":
                content = report_xlsx(full_report(survey))
            else:
                content = report_html(full_report(survey)).encode("utf-8")
            write_file(content, target)
            click.echo(_("Wrote %(file)s.", file=str(target)))


def write_file(content: bytes, target: Path) -> None:
    """Write a file whole: a temporary file beside it, then renamed over it."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".engage-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (*analysis_commands.commands, export_command)
