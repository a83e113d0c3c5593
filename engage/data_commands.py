"""``engage backup``, ``engage restore`` and ``engage purge``: keeping the data, and letting go.

Messages are in the terminal's language (``engage.analysis_commands.messages_in``).
"""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import gettext as _
from flask_babel import ngettext

from engage import backup, db
from engage.analysis_commands import messages_in
from engage.settings.retention import KIND_NAMES, RetentionSettingError, default_periods
from surveys.retention import purge


def refused(error: backup.BackupError) -> click.ClickException:
    """Return the translated one-line error of a refused backup or restore."""
    return click.ClickException(_(error.message, **error.params))


@click.command("backup")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def backup_command(file: Path) -> None:
    """Write every table to FILE (a ZIP archive), read in one snapshot while the app serves.

    The archive holds personal information: it is written readable by its owner only.
    """
    with messages_in():
        try:
            manifest = backup.write_backup(db.engine(), file)
        except backup.BackupError as error:
            raise refused(error) from None
        click.echo(
            _(
                "Backed up %(rows)s rows of %(tables)s tables (schema %(revision)s) to %(file)s.",
                rows=manifest.rows,
                tables=len(manifest.tables),
                revision=manifest.revision,
                file=str(file),
            )
        )


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def restore_command(file: Path) -> None:
    """Load the archive FILE into this empty database (SQLite or PostgreSQL), then upgrade it.

    Refuses a database that has rows, an archive of a newer Engage and a damaged
    archive; nothing is written then.
    """
    with messages_in():
        try:
            manifest = backup.restore(db.engine(), file)
        except backup.BackupError as error:
            raise refused(error) from None
        click.echo(
            _(
                "Restored %(rows)s rows of %(tables)s tables from a backup of %(created)s "
                "(Engage %(version)s, schema %(revision)s); the schema is now %(current)s.",
                rows=manifest.rows,
                tables=len(manifest.tables),
                created=manifest.created_at,
                version=manifest.engage_version,
                revision=manifest.revision,
                current=db.current_revision(db.engine()),
            )
        )


@click.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what is due; remove nothing.")
@with_appcontext
def purge_command(dry_run: bool) -> None:
    """Remove the contact details, free text and session notes whose period has passed.

    Prints what was removed (or, with --dry-run, would be) per survey and kind:
    counts only, never the content. Run it daily (see the README).
    """
    with messages_in():
        try:
            defaults = default_periods()
        except RetentionSettingError as error:
            raise click.ClickException(str(error)) from None
        with db.Session(db.engine()) as session:
            done = purge(session, defaults, dry_run=dry_run)
            if dry_run:
                session.rollback()
            else:
                session.commit()
        for survey in done:
            for kind, count in survey.counts.items():
                click.echo(f"{survey.slug}\t{KIND_NAMES[kind]}\t{count}")
        total = sum(survey.total for survey in done)
        if dry_run:
            message = ngettext(
                "Dry run: %(num)s item is due for removal; nothing was removed.",
                "Dry run: %(num)s items are due for removal; nothing was removed.",
                total,
            )
        else:
            message = ngettext("Removed %(num)s item.", "Removed %(num)s items.", total)
        click.echo(message)


# Commands this module adds to `engage` (registered by engage.commands.init_app).
commands: tuple = (backup_command, restore_command, purge_command)
