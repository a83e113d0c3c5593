"""The interface catalogs: ``engage translations`` and what visitors see in each language."""

import ast
import os
import re
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from engage import catalogs as catalogs_module
from engage.i18n import INTERFACE_LANGUAGES, babel_locale_id

TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"
PLACEHOLDER = re.compile(r"%\((\w+)\)")


def po_file(directory, tag):
    """Return the PO file of ``tag`` under ``directory``."""
    return directory / babel_locale_id(tag) / "LC_MESSAGES" / "messages.po"


def strings_of(message):
    """Return a message's msgstr as a tuple, one item per plural form."""
    return tuple(message.string) if message.pluralizable else (message.string,)


def stand_in(message, num_plurals):
    """Return the msgid as a translation: the singular, then the plural for the other forms."""
    if message.pluralizable:
        return tuple(message.id[min(form, 1)] for form in range(num_plurals))
    return message.id


def read_catalog(path):
    """Read a PO file."""
    with path.open("rb") as handle:
        return read_po(handle)


def write_catalog(path, catalog):
    """Write a PO file."""
    with path.open("wb") as handle:
        write_po(handle, catalog)


def check(runner, *options):
    """Run ``engage translations check`` with ``options``."""
    return runner.invoke(args=["translations", "check", *options])


def problems_listed(output, tag):
    """Return the indented problem lines that ``check`` prints under ``tag``'s figure."""
    problems, inside = [], False
    for line in output.splitlines():
        if not line.startswith(" "):
            inside = line.split(" ", 1)[0] == tag
        elif inside:
            problems.append(line.strip())
    return problems


@pytest.fixture(scope="session")
def source_strings():
    """The strings in the sources, extracted once: extraction reads every module and template."""
    return catalogs_module.extract_messages()


@pytest.fixture(scope="session")
def cli(tmp_path_factory, source_strings):
    """A CLI runner whose commands reuse ``source_strings`` instead of reading the sources again.

    The translations commands need an app but no database, so one app serves every test.
    """
    from engage import create_app

    instance = tmp_path_factory.mktemp("instance")
    app = create_app(
        {
            "TESTING": True,
            "INSTANCE_PATH": str(instance),
            "SECRET_KEY": "test-secret",
            "DATABASE_URL": f"sqlite:///{instance / 'unused.sqlite3'}",
        }
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(catalogs_module, "extract_messages", lambda: source_strings)
        yield app.test_cli_runner()


@pytest.fixture(scope="session")
def complete_catalogs(tmp_path_factory, cli):
    """A complete, compiled copy of translations/, built once.

    Strings still waiting for a translator get their msgid as a stand-in, so that each
    test sees only its own damage whatever the state of the real catalogs.
    """
    copy = tmp_path_factory.mktemp("complete") / "translations"
    shutil.copytree(TRANSLATIONS, copy)
    for command in ("extract", "update"):
        result = cli.invoke(args=["translations", command, "--directory", str(copy)])
        assert result.exit_code == 0, result.output
    for tag in INTERFACE_LANGUAGES:
        path = po_file(copy, tag)
        catalog = read_catalog(path)
        for message in catalog:
            if message.id and (not all(strings_of(message)) or message.fuzzy):
                message.string = stand_in(message, catalog.num_plurals)
                message.flags.discard("fuzzy")
        write_catalog(path, catalog)
    result = cli.invoke(args=["translations", "compile", "--directory", str(copy)])
    assert result.exit_code == 0, result.output
    assert check(cli, "--directory", str(copy)).exit_code == 0
    return copy


@pytest.fixture
def catalogs(tmp_path, complete_catalogs):
    """A throwaway copy of ``complete_catalogs`` that a test may damage."""
    copy = tmp_path / "translations"
    shutil.copytree(complete_catalogs, copy)
    return copy


def test_every_interface_catalog_is_complete_and_compiled(runner):
    result = check(runner)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    for tag in INTERFACE_LANGUAGES:
        assert any(re.fullmatch(rf"{re.escape(tag)}\s+(\d+)/\1\s+100%", line) for line in lines), (
            tag
        )


def test_check_reads_the_folder_from_the_app_config(cli, catalogs, monkeypatch):
    po_file(catalogs, "fr").unlink()
    monkeypatch.setitem(cli.app.config, "BABEL_TRANSLATION_DIRECTORIES", str(catalogs))
    result = check(cli)
    assert result.exit_code != 0
    assert "Catalogs need work: fr." in result.output


def remove_message(catalog, msgid):
    """Delete ``msgid`` from the catalog, as if nobody had run update since it was added."""
    catalog.delete(msgid)


def change_translation(catalog, msgid):
    """Edit a translation without compiling it."""
    catalog[msgid].string = catalog[msgid].string + " (modifié)"


def mark_fuzzy(catalog, msgid):
    """Flag a translation as a guess to review."""
    catalog[msgid].flags.add("fuzzy")


def clear_translation(catalog, msgid):
    """Leave a message untranslated."""
    catalog[msgid].string = ""


def add_message_not_in_sources(catalog, msgid):
    """Keep a message that the sources no longer contain."""
    catalog.add("A string that was removed from the code", "Une chaîne retirée")


def remove_a_plural_and_a_singular(catalog, msgid):
    """Lose a plural message (keyed by two msgids) and a singular one."""
    plural = next(message for message in catalog if isinstance(message.id, tuple))
    catalog.delete(plural.id, context=plural.context)
    catalog.delete(msgid)


def drop_placeholder(catalog, msgid):
    """Translate a message without its ``%(name)s`` placeholder."""
    catalog["Welcome, %(name)s"].string = "Bienvenue"


@pytest.mark.parametrize(
    ("tag", "damage", "complaint"),
    [
        ("fr", remove_message, "source strings missing"),
        ("ur", remove_a_plural_and_a_singular, "2 source strings missing"),
        ("es", change_translation, "messages.mo is out of date"),
        ("pt", mark_fuzzy, "fuzzy"),
        ("ar", clear_translation, "untranslated"),
        ("ta", add_message_not_in_sources, "no longer in the sources"),
        ("zh-Hans", drop_placeholder, "placeholders differ"),
    ],
)
def test_check_fails_naming_the_language_of_a_stale_catalog(cli, catalogs, tag, damage, complaint):
    path = po_file(catalogs, tag)
    catalog = read_catalog(path)
    damage(catalog, "Sign in")
    write_catalog(path, catalog)

    result = check(cli, "--directory", str(catalogs))

    assert result.exit_code != 0
    assert f"Catalogs need work: {tag}." in result.output
    assert any(complaint in problem for problem in problems_listed(result.output, tag))


def test_check_fails_when_a_compiled_catalog_is_missing(cli, catalogs):
    po_file(catalogs, "tl").with_suffix(".mo").unlink()
    result = check(cli, "--directory", str(catalogs))
    assert result.exit_code != 0
    assert "Catalogs need work: tl." in result.output
    assert any("messages.mo is missing" in line for line in problems_listed(result.output, "tl"))


def test_check_accepts_a_matching_compiled_catalog_older_than_its_source(cli, catalogs):
    # A fresh git clone writes files in any order, so modification times prove nothing.
    po = po_file(catalogs, "ur")
    mo = po.with_suffix(".mo")
    os.utime(mo, (1_000_000_000, 1_000_000_000))
    assert mo.stat().st_mtime < po.stat().st_mtime
    result = check(cli, "--directory", str(catalogs))
    assert result.exit_code == 0, result.output


def test_update_then_compile_restores_a_catalog_that_lost_an_entry(cli, catalogs):
    for tag in ("en", "fr"):
        path = po_file(catalogs, tag)
        catalog = read_catalog(path)
        catalog.delete("Sign in")
        write_catalog(path, catalog)

    update = cli.invoke(args=["translations", "update", "--directory", str(catalogs)])
    assert update.exit_code == 0, update.output
    assert read_catalog(po_file(catalogs, "en"))["Sign in"].string == "Sign in"
    french = read_catalog(po_file(catalogs, "fr"))["Sign in"]
    # Back, but only as an empty entry or a fuzzy guess that check reports.
    assert french.fuzzy or not french.string
    assert french.string != "Sign in"
    output = check(cli, "--directory", str(catalogs)).output
    assert any("'Sign in'" in problem for problem in problems_listed(output, "fr"))
    assert problems_listed(output, "en") == []

    path = po_file(catalogs, "fr")
    catalog = read_catalog(path)
    catalog["Sign in"].string = "Se connecter"
    catalog["Sign in"].flags.discard("fuzzy")
    write_catalog(path, catalog)
    compile_ = cli.invoke(args=["translations", "compile", "--directory", str(catalogs)])
    assert compile_.exit_code == 0, compile_.output
    assert check(cli, "--directory", str(catalogs)).exit_code == 0


def drop_welcome_placeholder(catalog):
    """Translate "Welcome, %(name)s" without its placeholder."""
    catalog["Welcome, %(name)s"].string = "Bienvenida"


def unescape_a_percent_sign(catalog):
    """Write a literal ``%%`` as a lone ``%`` in a translation of a message that has one."""
    message = next(m for m in catalog if m.id and "%%" in m.id and not m.pluralizable)
    message.string = message.string.replace("%%", "%")


@pytest.mark.parametrize("damage", [drop_welcome_placeholder, unescape_a_percent_sign])
def test_compile_refuses_a_translation_that_would_fail_or_mislead(cli, catalogs, damage):
    path = po_file(catalogs, "es")
    catalog = read_catalog(path)
    damage(catalog)
    write_catalog(path, catalog)
    mo_before = path.with_suffix(".mo").read_bytes()

    result = cli.invoke(args=["translations", "compile", "--directory", str(catalogs)])

    assert result.exit_code != 0
    assert "translations broken: es" in result.output
    assert path.with_suffix(".mo").read_bytes() == mo_before


def test_update_creates_the_source_catalog_with_english_text(cli, catalogs):
    shutil.rmtree(catalogs / "en")
    result = cli.invoke(args=["translations", "update", "--directory", str(catalogs)])
    assert result.exit_code == 0, result.output
    catalog = read_catalog(po_file(catalogs, "en"))
    assert catalog["Sign in"].string == "Sign in"
    assert catalog["Welcome, %(name)s"].string == "Welcome, %(name)s"


def test_init_creates_a_catalog_for_a_new_language(cli, catalogs):
    result = cli.invoke(args=["translations", "init", "de", "--directory", str(catalogs)])
    assert result.exit_code == 0, result.output
    catalog = read_catalog(catalogs / "de" / "LC_MESSAGES" / "messages.po")
    assert str(catalog.locale) == "de"
    assert catalog["Sign in"].string == ""
    assert "INTERFACE_LANGUAGES" in result.output


def test_extract_finds_strings_in_templates_forms_and_the_survey_domain(cli, tmp_path):
    result = cli.invoke(args=["translations", "extract", "--directory", str(tmp_path)])
    assert result.exit_code == 0, result.output
    template = read_catalog(tmp_path / "messages.pot")
    assert "Skip to main content" in template  # {{ _() }} in templates/base.html
    assert "Password" in template  # _l() in engage/auth.py
    assert "Choose only one option." in template  # N_() in surveys/questions/
    assert "python-format" in template["Welcome, %(name)s"].flags
    assert "#:" not in (tmp_path / "messages.pot").read_text()  # no line numbers to churn


def test_every_gettext_message_in_the_sources_is_written_out():
    assert catalogs_module.unextractable_messages() == []


@pytest.mark.parametrize(
    "call",
    [
        '_(table["note"])',
        'gettext(f"Hello {name}")',
        '_("Saved " + name)',
        "_l(title())",
        'ngettext("%(n)s reply", labels[0], n)',
        'flask_babel.gettext("a" if short else "b")',
        'pgettext(kinds["x"], "Open")',
    ],
)
def test_a_message_extraction_cannot_read_is_reported(call):
    shown = ast.unparse(ast.parse(call))
    assert catalogs_module.non_literal_messages(call, "example.py") == [f"example.py:1: {shown}"]


@pytest.mark.parametrize(
    "call",
    [
        '_("Save")',
        "_(note)",
        "gettext(entry.title)",
        '_("Welcome, %(name)s", name=user["name"])',
        'ngettext("%(num)s reply", "%(num)s replies", len(rows))',
        'N_("Give only one answer.")',
        "_l(message)",
        'rows.get("x")',
    ],
)
def test_a_written_out_or_named_message_is_accepted(call):
    assert catalogs_module.non_literal_messages(call) == []


def test_check_names_a_source_whose_message_extraction_cannot_read(cli, tmp_path, monkeypatch):
    (tmp_path / "babel.cfg").write_text("[python: engage/**.py]\n")
    (tmp_path / "engage").mkdir()
    (tmp_path / "engage" / "charts.py").write_text('note = _("Fine")\nshown = _(table["note"])\n')
    (tmp_path / "engage" / "elsewhere.txt").write_text('_(table["note"])\n')
    assert catalogs_module.unextractable_messages(tmp_path) == [
        "engage/charts.py:2: _(table['note'])"
    ]
    monkeypatch.setattr(catalogs_module, "SOURCE_ROOT", tmp_path)
    result = check(cli)
    assert result.exit_code == 1
    assert "engage/charts.py:2: _(table['note'])" in result.output


def test_login_page_in_french_says_se_connecter(client):
    html = client.get("/auth/login?lang=fr").get_data(as_text=True)
    assert '<html lang="fr" dir="ltr">' in html
    assert "Se connecter" in html
    assert "Mot de passe" in html


def test_arabic_pages_read_right_to_left(client):
    html = client.get("/auth/login?lang=ar").get_data(as_text=True)
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html


@pytest.mark.parametrize("tag", INTERFACE_LANGUAGES)
def test_every_translation_keeps_the_placeholders_of_its_msgid(tag):
    catalog = read_catalog(po_file(TRANSLATIONS, tag))
    checked = 0
    for message in catalog:
        msgids = message.id if message.pluralizable else (message.id,)
        expected = set().union(*(PLACEHOLDER.findall(msgid) for msgid in msgids))
        if not expected:
            continue
        assert "python-format" in message.flags, message.id
        found = [set(PLACEHOLDER.findall(string)) for string in strings_of(message)]
        if message.pluralizable:
            # A plural form may leave the number out ("one comment"), but not invent names.
            assert set().union(*found) == expected, (message.id, message.string)
            assert all(names <= expected for names in found), (message.id, message.string)
        else:
            assert found[0] == expected, (message.id, message.string)
        checked += 1
    assert checked > 0
