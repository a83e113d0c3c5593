"""``engage translations bank-export`` and ``bank-import``: the demographic bank's texts.

A translator reviews one language of the bank (``surveys/demographics/bank/*.json``)
in the same XLSX or PO file as a survey's texts; the import checks the whole file
first, then rewrites only the bank files whose texts changed (see
``surveys.demographics.bank_texts``). Run them in a checkout and commit the result.
"""

from __future__ import annotations

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import force_locale
from flask_babel import gettext as _

from engage.i18n import babel_locale_id
from surveys import translation_io
from surveys.demographics.bank_files import bank_directory
from surveys.demographics.bank_texts import (
    TRANSLATION_LANGUAGES,
    bank_translation,
    check_bank_translation,
    write_bank_files,
)
from surveys.demographics.entries import read_bank_contents
from surveys.languages import display_name, normalize_tag

WRITERS = {".xlsx": translation_io.write_xlsx, ".po": translation_io.write_po}

bank_directory_option = click.option(
    "--bank-directory",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=None,
    help="Folder of the bank's text files (default: surveys/demographics/bank).",
)


def bank_language(context, parameter, value: str | None) -> str | None:
    """Return ``--language`` as a tag the bank is translated into, or refuse it."""
    if value is None:
        return None
    tag = normalize_tag(value)
    if tag not in TRANSLATION_LANGUAGES:
        raise click.BadParameter(
            f"the bank is translated into {', '.join(TRANSLATION_LANGUAGES)}, not {value!r}"
        )
    return tag


def chosen_directory(directory: Path | None) -> Path:
    """Return the folder of bank files to read and write."""
    return directory if directory is not None else Path(str(bank_directory()))


@click.command("bank-export")
@click.option(
    "--language",
    "-l",
    required=True,
    callback=bank_language,
    help=f"Language to review: {', '.join(TRANSLATION_LANGUAGES)}.",
)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@bank_directory_option
def bank_export_command(language: str, file: Path, bank_directory: Path | None) -> None:
    """Write the bank's texts in English and LANGUAGE to FILE (.xlsx or .po) for a translator."""
    write = WRITERS.get(file.suffix.lower())
    if write is None:
        raise click.BadParameter("the file name must end in .xlsx or .po", param_hint="FILE")
    translation = bank_translation(language, read_bank_contents(chosen_directory(bank_directory)))
    with file.open("wb") as handle:
        write(translation, handle)
    click.echo(
        f"Wrote {len(translation.entries)} texts of the demographic bank, in English and "
        f"{display_name(language, 'en')} ({language}), to {file}."
    )


@click.command("bank-import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--language",
    "-l",
    default=None,
    callback=bank_language,
    help="Refuse the file unless it is for this language.",
)
@bank_directory_option
@with_appcontext
def bank_import_command(file: Path, language: str | None, bank_directory: Path | None) -> None:
    """Check a translator's FILE whole, then rewrite the bank files whose texts it corrects."""
    directory = chosen_directory(bank_directory)
    # The command line has no request to pick a language from.
    reader = current_app.config["DEFAULT_LANGUAGE"]
    try:
        correction = check_bank_translation(
            file.read_bytes(), read_bank_contents(directory), language, reader
        )
    except translation_io.TranslationImportError as error:
        with force_locale(babel_locale_id(reader)):
            for problem in error.problems:
                click.echo(_(problem.message, **problem.params), err=True)
        raise click.ClickException(
            f"{file.name} was not imported: {len(error.problems)} problem(s). "
            "No bank file was changed."
        ) from None
    written = write_bank_files(directory, correction)
    if not written:
        click.echo("No text changed; the bank files are as they were.")
        return
    click.echo(
        f"Corrected {correction.changed_texts} {correction.language} text(s) in "
        + ", ".join(path.name for path in written)
        + "."
    )
