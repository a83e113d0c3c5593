"""``engage import-responses``: a KoboToolbox or ODK CSV export, every row or none."""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlmodel import Session, select

from engage import db
from engage.i18n import babel_locale_id
from engage.intake.shared import sentiment_cutoffs
from surveys.models import CHANNEL_PAPER, User
from surveys.recording import IMPORT_CHANNELS
from surveys.response_import import ImportProblem, Message, RejectedImportError, import_responses
from surveys.store import survey_by_slug


def message_text(message: Message) -> str:
    """Translate a message of the importer, and the messages among its values."""
    params = {
        name: message_text(value) if isinstance(value, Message) else value
        for name, value in message.params.items()
    }
    return message.prefix + _(message.text, **params)


def problem_text(problem: ImportProblem) -> str:
    """Translate an import problem, naming its line when it is a row's."""
    if problem.line is None:
        return message_text(problem.message)
    return _("line %(line)s: %(problem)s", line=problem.line, problem=message_text(problem.message))


@click.command("import-responses")
@click.argument("slug")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--channel",
    type=click.Choice(IMPORT_CHANNELS),
    default=CHANNEL_PAPER,
    show_default=True,
    help="Channel of rows without a _channel value.",
)
@click.option(
    "--entered-by",
    "entered_by",
    default=None,
    help="Email of the account the rows are entered for (brokers then see them).",
)
@with_appcontext
def import_responses_command(slug: str, file: Path, channel: str, entered_by: str | None) -> None:
    """Import responses from a KoboToolbox or ODK CSV export: all rows, or none."""
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise click.ClickException(
            f"{file} is not UTF-8 text; export or save it as UTF-8 CSV."
        ) from None
    with Session(db.engine(), expire_on_commit=False) as session:
        survey = survey_by_slug(session, slug)
        if survey is None:
            raise click.ClickException(f"there is no survey {slug!r}")
        entered_by_id = None
        if entered_by:
            user = session.exec(
                select(User).where(User.email == entered_by.strip().lower())
            ).first()
            if user is None:
                raise click.ClickException(f"there is no account {entered_by!r}")
            entered_by_id = user.id
        try:
            result = import_responses(
                session,
                survey,
                text,
                channel=channel,
                entered_by_id=entered_by_id,
                cutoffs=sentiment_cutoffs(),
            )
        except RejectedImportError as rejected:
            # The command line has no request to pick a language from.
            with force_locale(babel_locale_id(current_app.config["DEFAULT_LANGUAGE"])):
                for problem in rejected.problems:
                    click.echo(problem_text(problem), err=True)
            raise click.ClickException(
                f"{file.name} was not imported: {len(rejected.problems)} problem(s). "
                "Nothing was stored."
            ) from None
    if result.ignored_columns:
        click.echo(
            "Ignored columns (not questions of this survey): " + ", ".join(result.ignored_columns)
        )
    click.echo(
        f"Imported {result.imported} responses into {slug}; "
        f"{result.already_imported} were already imported."
    )


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (import_responses_command,)
