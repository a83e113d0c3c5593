"""Commands this blueprint adds to `engage`: import-xlsform, export-xlsform."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from engage import db
from engage.manage.xlsform_import import ImportRefusedError, import_xlsform
from surveys import store
from surveys.xlsform import write_xlsform


@click.command("import-xlsform")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--slug", help="Web address name of the new survey (default: the form's id).")
@with_appcontext
def import_xlsform_command(file: Path, slug: str | None) -> None:
    """Create a draft survey from an XLSForm; prints warnings to stderr and the slug last."""
    with db.Session(db.engine(), expire_on_commit=False) as session:
        try:
            survey, warnings = import_xlsform(session, file, slug)
        except ImportRefusedError as error:
            raise click.ClickException(str(error)) from None
    for warning in warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(survey.slug)


@click.command("export-xlsform")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_xlsform_command(slug: str, file: Path) -> None:
    """Write the survey SLUG as an XLSForm workbook to FILE."""
    with db.Session(db.engine()) as session:
        survey = store.survey_by_slug(session, slug)
        if survey is None:
            raise click.ClickException(f"there is no survey called {slug!r}")
        definition = store.to_definition(session, survey)
    try:
        write_xlsform(definition, file)
    except OSError as error:
        raise click.ClickException(f"cannot write {file}: {error.strerror}") from None
    click.echo(f"Wrote {file}")


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (import_xlsform_command, export_xlsform_command)
