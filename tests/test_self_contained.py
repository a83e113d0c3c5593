"""The tests read nothing outside the repository, so a fresh clone anywhere passes them."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
TESTS = REPO / "tests"
UP = ".."  # spelled apart so that this file does not itself name the folders it looks for
# Text that can only mean a folder beside the repository (our machines keep shared/ there).
OUTSIDE_NAMES = (f"{UP}/shared", f"{UP}\\shared")
PATH_CALLS = {"Path", "PurePath", "resolve", "absolute", "expanduser"}


def levels_above(node: ast.AST) -> int | None:
    """Return how many folders above ``__file__`` an expression reaches, or None if unrelated.

    ``Path(__file__)`` is level 0, its ``.parent`` level 1, ``.parents[n]`` level n + 1, and
    so are ``os.path.dirname`` and ``/ ".."``.
    """
    if isinstance(node, ast.Name):
        return 0 if node.id == "__file__" else None
    if isinstance(node, ast.Call):
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        inner = node.func.value if isinstance(node.func, ast.Attribute) else None
        if name == "dirname" and node.args:
            level = levels_above(node.args[0])
            return None if level is None else level + 1
        if name in PATH_CALLS:
            source = node.args[0] if node.args else inner
            return None if source is None else levels_above(source)
        return None
    if isinstance(node, ast.Attribute) and node.attr == "parent":
        level = levels_above(node.value)
        return None if level is None else level + 1
    if (
        isinstance(node, ast.Subscript)
        and getattr(node.value, "attr", None) == "parents"
        and isinstance(node.slice, ast.Constant)
    ):
        level = levels_above(node.value.value)
        return None if level is None else level + node.slice.value + 1
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
        level = levels_above(node.left)
        up = isinstance(node.right, ast.Constant) and node.right.value == ".."
        return None if level is None else level + up
    return None


def outside_references(path: Path, text: str, repo: Path = REPO) -> list[str]:
    """Return ``file:line: what`` for each place in a test file that reaches outside ``repo``."""
    where = path.relative_to(repo).as_posix()
    found = [
        f"{where}:{number}: {name}"
        for number, line in enumerate(text.splitlines(), 1)
        for name in OUTSIDE_NAMES
        if name in line
    ]
    if path.suffix != ".py":
        return found
    for node in ast.walk(ast.parse(text, filename=str(path))):
        level = levels_above(node)
        if level and level > len(path.relative_to(repo).parts):
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
    return sorted(set(found))


def test_no_test_file_reads_outside_the_repository():
    files = [path for path in TESTS.rglob("*") if path.suffix in {".py", ".md", ".cfg", ".txt"}]
    assert REPO / "tests" / "surveys" / "test_xlsform.py" in files
    problems = [
        problem
        for path in files
        for problem in outside_references(path, path.read_text(encoding="utf-8"))
    ]
    assert problems == []


@pytest.mark.parametrize(
    "source",
    [
        f'FIXTURES = Path(__file__).parents[{3}] / "shared" / "fixtures"',
        "ROOT = Path(__file__).resolve().parent.parent.parent.parent",
        f'ROOT = Path(__file__).resolve().parents[2] / "{UP}" / "data"',
        "ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))",
        f'DATA = "{UP}/shared/fixtures/xlsform"',
    ],
)
def test_a_path_beside_the_repository_is_reported(source, tmp_path):
    test_file = tmp_path / "tests" / "surveys" / "test_example.py"
    assert outside_references(test_file, source, repo=tmp_path) != []


@pytest.mark.parametrize(
    "source",
    [
        'TRANSLATIONS = Path(__file__).resolve().parents[2] / "translations"',
        "REPO = Path(__file__).resolve().parent.parent.parent",
        'FIXTURES = Path(__file__).parent.parent / "fixtures"',
        "response = client.get('/s/../healthz')",
    ],
)
def test_a_path_inside_the_repository_is_accepted(source, tmp_path):
    test_file = tmp_path / "tests" / "surveys" / "test_example.py"
    assert outside_references(test_file, source, repo=tmp_path) == []
