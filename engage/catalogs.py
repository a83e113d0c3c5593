"""``engage translations``: extract, update, compile and check the interface catalogs.

The group also holds ``bank-export`` and ``bank-import`` (``engage.bank_translations``),
the translators' round trip of the demographic bank's texts.

Everything goes through Babel's Python API; ``docs/translations.md`` gives the
``pybabel`` commands that do the same. English is the source language: its
catalog carries every msgid with the English text as msgstr, so ``check`` holds
all languages to one rule and English copy can be edited without touching msgids.
"""

import ast
import io
import math
import re
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import click
from babel import Locale, UnknownLocaleError
from babel.messages.catalog import Catalog, TranslationError
from babel.messages.checkers import num_plurals
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po
from babel.util import pathmatch
from flask import current_app
from flask.cli import AppGroup

from engage.bank_translations import bank_export_command, bank_import_command
from engage.i18n import INTERFACE_LANGUAGES, babel_locale_id

# Sources and babel.cfg live at the top of a checkout; an installed wheel has neither.
SOURCE_ROOT = Path(__file__).resolve().parent.parent
DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
# ``_l`` is Flask-Babel's lazy_gettext, ``N_`` the marker in surveys/messages.py.
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "N_": None}
# A ``# TRANSLATORS: ...`` comment just above a string reaches the translator.
COMMENT_TAGS = ("TRANSLATORS:",)
PLACEHOLDER = re.compile(r"%\((\w+)\)")
# Stands in for gettext's keyword arguments when trying a translation's % formatting.
FORMAT_PROBE = defaultdict(lambda: 1)
HEADER_COMMENT = """\
# Translations template for Engage.
# Copyright (C) YEAR Engage contributors
# This file is distributed under the same license as the Engage project."""
# How many example msgids a problem line quotes.
EXAMPLES_SHOWN = 2

translations = AppGroup(
    "translations",
    help="Extract, update, compile and check the catalogs; review the demographic bank's texts.",
)
translations.add_command(bank_export_command)
translations.add_command(bank_import_command)

directory_option = click.option(
    "--directory",
    "-d",
    type=click.Path(file_okay=False, path_type=Path),
    help="Catalogs folder (default: the app's BABEL_TRANSLATION_DIRECTORIES).",
)


@dataclass(frozen=True)
class CatalogReport:
    """How complete one language's catalog is, and what stops it from shipping."""

    tag: str
    translated: int
    total: int
    problems: tuple[str, ...]

    @property
    def percent(self) -> int:
        """Return the share translated, rounded down so that 100% means every string."""
        return math.floor(100 * self.translated / self.total) if self.total else 100

    def summary(self) -> str:
        """Return the one-line completeness figure, e.g. ``fr   212/212   100%``."""
        return f"{self.tag:<8}{self.translated:>5}/{self.total:<5}{self.percent:>4}%"


def catalog_directory(directory: Path | None) -> Path:
    """Return ``directory``, else the first folder in the app's BABEL_TRANSLATION_DIRECTORIES."""
    if directory is not None:
        return directory
    configured = current_app.config["BABEL_TRANSLATION_DIRECTORIES"].split(";")[0]
    return Path(current_app.root_path, configured)


def po_path(directory: Path, tag: str) -> Path:
    """Return the PO file of interface language ``tag`` (``zh-Hans`` -> ``zh_Hans/...``)."""
    return directory / babel_locale_id(tag) / "LC_MESSAGES" / f"{DOMAIN}.po"


def template_path(directory: Path) -> Path:
    """Return the POT file in ``directory``."""
    return directory / f"{DOMAIN}.pot"


def parse_locale(tag: str) -> Locale:
    """Return Babel's locale for a BCP 47 tag or catalog folder name, or fail clearly."""
    try:
        return Locale.parse(babel_locale_id(tag))
    except (UnknownLocaleError, ValueError):
        raise click.ClickException(f"{tag!r} is not a language Babel knows.") from None


def engage_version() -> str:
    """Return the installed Engage version, for the template's Project-Id-Version."""
    try:
        return version("engage")
    except PackageNotFoundError:
        return "VERSION"


def extract_messages(source_root: Path = SOURCE_ROOT) -> Catalog:
    """Return a template catalog of the interface strings in the sources that babel.cfg names."""
    method_map, options_map = read_mapping(source_root)
    template = Catalog(
        project="Engage", version=engage_version(), header_comment=HEADER_COMMENT, charset="utf-8"
    )
    found = extract_from_dir(
        source_root,
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=COMMENT_TAGS,
        strip_comment_tags=True,
    )
    for filename, lineno, message, comments, context in found:
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read_mapping(source_root: Path) -> tuple[list, dict]:
    """Return babel.cfg's (method map, options map), or fail clearly outside a checkout."""
    mapping_file = source_root / "babel.cfg"
    if not mapping_file.is_file():
        raise click.ClickException(f"{mapping_file} not found: run this in a source checkout.")
    with mapping_file.open(encoding="utf-8") as mapping:
        return parse_mapping_cfg(mapping, filename=str(mapping_file))


def message_positions(spec) -> list[int]:
    """Return the 0-based argument positions that a Babel keyword spec reads text from."""
    if spec is None:
        return [0]
    return [(item[0] if isinstance(item, tuple) else item) - 1 for item in spec]


def non_literal_messages(source: str, filename: str = "<source>") -> list[str]:
    """Return ``file:line: call`` for each gettext call whose message is not written out.

    Babel's extractor only finds string literals, and versions differ on what they make of
    anything else (2.14 took "note" from ``_(table["note"])``, 2.19 takes nothing). A message
    is marked where it is written (``N_("...")``, ``_l("...")``) and may then be translated
    through a plain name or attribute that holds it; subscripts, calls, f-strings and
    concatenations are refused so that every Babel version extracts the same catalog.
    """
    found = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in KEYWORDS:
            continue
        for position in message_positions(KEYWORDS[name]):
            if position >= len(node.args):
                continue
            argument = node.args[position]
            literal = isinstance(argument, ast.Constant) and isinstance(argument.value, str)
            if not (literal or isinstance(argument, ast.Name | ast.Attribute)):
                found.append(f"{filename}:{node.lineno}: {ast.unparse(node)}")
    return found


def python_sources(source_root: Path = SOURCE_ROOT) -> list[Path]:
    """Return the Python files that babel.cfg sends to the Python extractor."""
    method_map, _options = read_mapping(source_root)
    patterns = [pattern for pattern, method in method_map if method == "python"]
    return sorted(
        path
        for path in source_root.rglob("*.py")
        if any(pathmatch(pattern, path.relative_to(source_root).as_posix()) for pattern in patterns)
    )


def unextractable_messages(source_root: Path = SOURCE_ROOT) -> list[str]:
    """Return every gettext call in the extracted sources whose message is not a literal."""
    return [
        problem
        for path in python_sources(source_root)
        for problem in non_literal_messages(
            path.read_text(encoding="utf-8"), path.relative_to(source_root).as_posix()
        )
    ]


def read_catalog(path: Path, locale: Locale | str | None = None) -> Catalog:
    """Read a PO or POT file."""
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, domain=DOMAIN)


def render_po(catalog: Catalog, **options) -> bytes:
    """Return ``catalog`` as PO text: no line numbers, so that diffs show only real changes."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, no_location=True, **options)
    return buffer.getvalue()


def write_catalog(path: Path, catalog: Catalog, **options) -> None:
    """Write ``catalog`` to ``path`` as PO text, creating the folder if needed."""
    text = render_po(catalog, **options)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text)


def same_strings(first: Catalog, second: Catalog) -> bool:
    """Tell whether two templates hold the same messages, flags and translator comments."""
    return render_po(first, omit_header=True, sort_output=True) == render_po(
        second, omit_header=True, sort_output=True
    )


def messages_of(catalog: Catalog) -> list:
    """Return the catalog's messages without the header entry."""
    return [message for message in catalog if message.id]


def key_of(message) -> tuple:
    """Return the identity gettext looks a message up by: msgid (singular, plural) and context."""
    msgid = tuple(message.id) if isinstance(message.id, list | tuple) else message.id
    return msgid, message.context


def strings_of(message) -> tuple[str, ...]:
    """Return the msgstr of a message as a tuple, one item per plural form."""
    if isinstance(message.string, list | tuple):
        return tuple(message.string)
    return (message.string or "",)


def is_translated(message) -> bool:
    """Tell whether gettext will use this message's msgstr."""
    return not message.fuzzy and all(strings_of(message))


def fill_source_strings(catalog: Catalog) -> None:
    """Give every untranslated source-language message its msgid as msgstr."""
    for message in messages_of(catalog):
        if not any(strings_of(message)):
            message.string = message.id
        message.flags.discard("fuzzy")


def placeholders_of(text: str) -> set[str]:
    """Return the names of the ``%(name)s`` placeholders in ``text``."""
    return set(PLACEHOLDER.findall(text))


def formats_with_any_values(text: str) -> bool:
    """Tell whether ``text % {...}`` succeeds, as gettext with keyword arguments does it."""
    try:
        text % FORMAT_PROBE
    except (KeyError, TypeError, ValueError):
        return False
    return True


def translation_problems(catalog: Catalog) -> list[str]:
    """Return a line per translation that would show wrong or fail when it is used.

    Its ``%(name)s`` placeholders must be the msgid's, and it must survive the same
    ``%`` formatting as the msgid (a lone ``%`` where the msgid has ``%%`` would fail;
    a msgid such as "95% interval" is never formatted, so neither is its translation).
    A plural form may leave out a placeholder (many languages write "one comment"
    without the number), as long as the forms together use every one and none unknown.
    Fuzzy entries are skipped: they are guesses that compiling leaves out.
    """
    problems = []
    for message in messages_of(catalog):
        strings = [string for string in strings_of(message) if string]
        if not strings or message.fuzzy:
            continue
        msgids = message.id if isinstance(message.id, list | tuple) else (message.id,)
        expected = set().union(*map(placeholders_of, msgids))
        used = [placeholders_of(string) for string in strings]
        if isinstance(message.id, list | tuple):
            wrong = set().union(*used) != expected or any(not names <= expected for names in used)
        else:
            wrong = used[0] != expected
        if wrong:
            problems.append(f"placeholders differ from the msgid in {strings!r}")
        if formats_with_any_values(msgids[0]):
            problems.extend(
                f"% formatting fails for {string!r} (write a literal % as %%)"
                for string in strings
                if not formats_with_any_values(string)
            )
        try:
            num_plurals(catalog, message)
        except TranslationError as error:
            problems.append(f"{error} in {strings!r}")
    return problems


def compile_in_memory(catalog: Catalog) -> Catalog:
    """Return what compiling ``catalog`` to a .mo file and reading it back gives."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return read_mo(buffer)


def compiled_messages(compiled: Catalog) -> dict:
    """Return the translations a compiled catalog holds, by msgid and context."""
    return {key_of(message): strings_of(message) for message in messages_of(compiled)}


def mo_problem(po_file: Path, catalog: Catalog) -> str | None:
    """Return why the MO file beside ``po_file`` is not what compiling it gives, if it is not.

    Compares content rather than modification times: a git checkout writes files in
    any order, so a fresh clone may have a correct ``.mo`` that is older than its ``.po``.
    """
    mo_file = po_file.with_suffix(".mo")
    if not mo_file.is_file():
        return f"{mo_file.name} is missing (run `engage translations compile`)"
    with mo_file.open("rb") as handle:
        compiled = read_mo(handle)
    if compiled_messages(compiled) != compiled_messages(compile_in_memory(catalog)):
        return (
            f"{mo_file.name} is out of date with {po_file.name} (run `engage translations compile`)"
        )
    return None


def quoted(keys: list[tuple]) -> str:
    """Return the first few msgids of ``keys`` in quotes, for a problem line."""
    shown = ", ".join(
        repr(msgid if isinstance(msgid, str) else msgid[0]) for msgid, _ in keys[:EXAMPLES_SHOWN]
    )
    return shown + (", ..." if len(keys) > EXAMPLES_SHOWN else "")


def audit_catalog(template: Catalog, directory: Path, tag: str) -> CatalogReport:
    """Compare one language's catalog with the source strings and its compiled file."""
    expected = {key_of(message): message for message in messages_of(template)}
    total = len(expected)
    path = po_path(directory, tag)
    if not path.is_file():
        problem = f"no catalog at {path} (run `engage translations update`)"
        return CatalogReport(tag, 0, total, (problem,))

    catalog = read_catalog(path, locale=babel_locale_id(tag))
    present = {key_of(message): message for message in messages_of(catalog)}
    # repr orders singular (str) and plural (tuple) msgids alike.
    missing = sorted((key for key in expected if key not in present), key=repr)
    extra = sorted((key for key in present if key not in expected), key=repr)
    current = [key for key in present if key in expected]
    fuzzy = [key for key in current if present[key].fuzzy]
    empty = [key for key in current if not present[key].fuzzy and not all(strings_of(present[key]))]

    problems = []
    if catalog.fuzzy:
        problems.append("the header is marked fuzzy, so compiling skips the whole catalog")
    if missing:
        problems.append(
            f"{len(missing)} source strings missing (run `engage translations update`): "
            + quoted(missing)
        )
    if extra:
        problems.append(f"{len(extra)} strings no longer in the sources: {quoted(extra)}")
    if catalog.obsolete:
        problems.append(f"{len(catalog.obsolete)} obsolete (#~) entries")
    if empty:
        hint = " (run `engage translations update`)" if tag == SOURCE_LANGUAGE else ""
        problems.append(f"{len(empty)} untranslated{hint}: {quoted(empty)}")
    if fuzzy:
        problems.append(f"{len(fuzzy)} fuzzy, to review: {quoted(fuzzy)}")
    problems.extend(translation_problems(catalog))
    if stale_mo := mo_problem(path, catalog):
        problems.append(stale_mo)

    translated = sum(1 for key in current if is_translated(present[key]))
    return CatalogReport(tag, translated, total, tuple(problems))


def init_catalog(template_file: Path, path: Path, locale: Locale, source: bool) -> None:
    """Create a catalog for ``locale`` from the template, filled in if it is the source language."""
    catalog = read_catalog(template_file, locale=locale)
    catalog.locale = locale
    catalog.revision_date = datetime.now(UTC)
    catalog.fuzzy = False
    if source:
        fill_source_strings(catalog)
    write_catalog(path, catalog)


def load_template(directory: Path) -> Catalog:
    """Read messages.pot, or explain how to create it."""
    path = template_path(directory)
    if not path.is_file():
        raise click.ClickException(f"{path} not found: run `engage translations extract`.")
    return read_catalog(path)


@translations.command("extract")
@directory_option
def extract_command(directory: Path | None) -> None:
    """Regenerate messages.pot from the sources (babel.cfg; keywords _, _l, N_ and friends)."""
    path = template_path(catalog_directory(directory))
    template = extract_messages()
    # Leave an unchanged template alone so that its creation date does not churn in git.
    if path.is_file() and same_strings(read_catalog(path), template):
        click.echo(f"{path} is up to date ({len(template)} strings).")
        return
    write_catalog(path, template, sort_output=True)
    click.echo(f"Wrote {len(template)} strings to {path}.")


@translations.command("init")
@click.argument("language")
@directory_option
def init_command(language: str, directory: Path | None) -> None:
    """Create the catalog of LANGUAGE (a BCP 47 tag such as fr or zh-Hans) from messages.pot."""
    directory = catalog_directory(directory)
    locale = parse_locale(language)
    path = po_path(directory, language)
    if path.exists():
        raise click.ClickException(f"{path} exists: run `engage translations update`.")
    init_catalog(template_path(directory), path, locale, source=language == SOURCE_LANGUAGE)
    click.echo(f"Created {path}.")
    if language not in INTERFACE_LANGUAGES:
        click.echo(f"Add {language!r} to INTERFACE_LANGUAGES in engage/i18n.py to offer it.")


@translations.command("update")
@directory_option
def update_command(directory: Path | None) -> None:
    """Merge messages.pot into every interface catalog, creating the missing ones."""
    directory = catalog_directory(directory)
    for tag in INTERFACE_LANGUAGES:
        # A fresh template each time: Catalog.update adds the template's own new messages,
        # so filling in one catalog would otherwise leak into the next.
        template = load_template(directory)
        path = po_path(directory, tag)
        locale = parse_locale(tag)
        source = tag == SOURCE_LANGUAGE
        if not path.exists():
            init_catalog(template_path(directory), path, locale, source)
            click.echo(f"Created {path}.")
        catalog = read_catalog(path, locale=locale)
        # Fuzzy guesses help translators; the source language just copies its msgids.
        catalog.update(template, no_fuzzy_matching=source)
        if source:
            fill_source_strings(catalog)
        # Obsolete entries only served as fuzzy candidates; check treats them as stale.
        write_catalog(path, catalog, ignore_obsolete=True)
        todo = sum(1 for message in messages_of(catalog) if not is_translated(message))
        click.echo(f"{tag:<8}{len(messages_of(catalog)):>5} strings, {todo} to translate")


@translations.command("compile")
@directory_option
def compile_command(directory: Path | None) -> None:
    """Write the .mo file of every catalog; refuses one whose translations would fail or mislead."""
    directory = catalog_directory(directory)
    refused = []
    for path in sorted(directory.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        catalog = read_catalog(path, locale=path.parts[-3])
        if problems := translation_problems(catalog):
            refused.append(path.parts[-3])
            for problem in problems:
                click.echo(f"{path}: {problem}", err=True)
            continue
        with path.with_suffix(".mo").open("wb") as handle:
            write_mo(handle, catalog)
        click.echo(f"Compiled {path}.")
    if refused:
        raise click.ClickException(f"Not compiled, translations broken: {', '.join(refused)}.")


@translations.command("check")
@directory_option
def check_command(directory: Path | None) -> None:
    """Compare fresh source strings with every catalog; exit 1 if any needs work."""
    directory = catalog_directory(directory)
    template = extract_messages()
    needs_work = []
    pot = template_path(directory)
    if not pot.is_file() or not same_strings(read_catalog(pot), template):
        click.echo(f"{pot.name} differs from the sources (run `engage translations extract`)")
        needs_work.append(pot.name)
    if unextractable := unextractable_messages(SOURCE_ROOT):
        click.echo("Messages that extraction cannot read (mark them with N_ or _l where written):")
        for problem in unextractable:
            click.echo(f"    {problem}")
        needs_work.append("sources")
    for tag in INTERFACE_LANGUAGES:
        report = audit_catalog(template, directory, tag)
        click.echo(report.summary())
        for problem in report.problems:
            click.echo(f"    {problem}")
        if report.problems:
            needs_work.append(tag)
    if needs_work:
        raise click.ClickException(
            f"Catalogs need work: {', '.join(needs_work)}. See docs/translations.md."
        )
    click.echo("All catalogs are complete and compiled.")
