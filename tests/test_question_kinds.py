"""Question types own their behaviour: no code outside ``surveys/questions/`` tests a kind.

Whatever depends on a question's kind (its widget, whether it is a comment, how it is
exported...) is a property or method of its ``QuestionType``, so adding a kind is adding
one class. This test reads the source and reports every comparison of a question's kind
with a kind (``question.kind == LONG_TEXT``, ``kind in CHOICE_KINDS``, ``info.kind !=
"long_text"``) and every table keyed by kinds, outside that module. A report's plain
dicts (``table["kind"]``) are not read.
"""

import ast
from pathlib import Path

import pytest

import surveys.definition
from surveys.definition import KINDS

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ("engage", "surveys", "analysis")
# The one package that may name kinds to decide something.
OWNER = "surveys/questions/"
# Tables keyed by kind that are names, not behaviour: the builder's display names of kinds.
NAME_TABLES = {("engage/manage/display.py", "KIND_LABELS")}
# The constants that name one kind (SINGLE_CHOICE ...). KINDS, all of them, is no test of
# a kind: ``kind in KINDS`` asks whether a form sent a known kind.
KIND_CONSTANTS = frozenset(
    name for name, value in vars(surveys.definition).items() if name.isupper() and value in KINDS
)


def _name(node: ast.AST) -> str | None:
    """Return the name a Name or an Attribute ends with."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return None


def _names_a_kind(node: ast.AST, kind_sets: frozenset[str]) -> bool:
    """Return whether ``node`` is a kind constant, a set of kinds, or holds one."""
    name = _name(node)
    if name is not None:
        return name in KIND_CONSTANTS or name in kind_sets
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return any(_names_a_kind(element, kind_sets) for element in node.elts)
    if isinstance(node, ast.BinOp):
        return _names_a_kind(node.left, kind_sets) or _names_a_kind(node.right, kind_sets)
    return False


def _is_kind_literal(node: ast.AST) -> bool:
    """Return whether ``node`` is a kind's name as a string, or a collection of them."""
    if isinstance(node, ast.Constant):
        return node.value in KINDS
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return bool(node.elts) and all(_is_kind_literal(element) for element in node.elts)
    return False


def _is_a_kind(node: ast.AST) -> bool:
    """Return whether ``node`` reads a kind: ``x.kind``, ``kind``, ``new_kind``."""
    name = _name(node)
    return name is not None and (name == "kind" or name.endswith("_kind"))


def kind_sets(trees: dict[str, ast.AST]) -> frozenset[str]:
    """Return the names assigned a collection of kinds anywhere (``CHOICE_KINDS = (...)``)."""
    found = set()
    for tree in trees.values():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Assign) or not isinstance(node.value, ast.Tuple | ast.Set):
                continue
            if _names_a_kind(node.value, frozenset()) or _is_kind_literal(node.value):
                found.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(found - {"KINDS"})


def kind_tests(where: str, tree: ast.AST, sets: frozenset[str]) -> list[str]:
    """Return ``file:line: code`` for each kind comparison and kind-keyed table in ``tree``."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            by_constant = any(_names_a_kind(operand, sets) for operand in operands)
            by_literal = any(_is_a_kind(operand) for operand in operands) and any(
                _is_kind_literal(operand) for operand in operands
            )
            if by_constant or by_literal:
                found.append(f"{where}:{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Assign | ast.AnnAssign | ast.Expr | ast.Return):
            value = node.value
            table = value if isinstance(value, ast.Dict) else None
            if isinstance(value, ast.Call) and isinstance(value.func, ast.Attribute):
                table = value.func.value if isinstance(value.func.value, ast.Dict) else None
            if isinstance(value, ast.Subscript) and isinstance(value.value, ast.Dict):
                table = value.value
            if table is None or not any(
                key is not None and _names_a_kind(key, frozenset()) for key in table.keys
            ):
                continue
            targets = getattr(node, "targets", None) or [getattr(node, "target", None)]
            if any((where, _name(target)) in NAME_TABLES for target in targets if target):
                continue
            found.append(f"{where}:{node.lineno}: {ast.unparse(node)[:80]}")
    return found


def sources(repo: Path = REPO) -> dict[str, ast.AST]:
    """Return the parsed modules of the packages, by path relative to ``repo``."""
    return {
        path.relative_to(repo).as_posix(): ast.parse(path.read_text(encoding="utf-8"))
        for package in PACKAGES
        for path in sorted((repo / package).rglob("*.py"))
    }


def test_only_the_question_types_compare_kinds():
    trees = sources()
    assert any(where.startswith(OWNER) for where in trees)
    assert "engage/respond/question_views.py" in trees
    sets = kind_sets(trees)
    problems = [
        problem
        for where, tree in trees.items()
        if not where.startswith(OWNER)
        for problem in kind_tests(where, tree, sets)
    ]
    assert problems == [], "ask the question type (surveys/questions/) instead:\n" + "\n".join(
        problems
    )


@pytest.mark.parametrize(
    "source",
    [
        "if question.kind == LONG_TEXT:\n    pass",
        "comments = [q for q in questions if q.kind != 'long_text']",
        "CHOICE_KINDS = (SINGLE_CHOICE, MULTIPLE_CHOICE)\nok = kind in CHOICE_KINDS",
        "ok = new_kind not in CHOICE_KINDS + (LIKERT,)",
        "multiple = kinds.get(name) == definition.MULTIPLE_CHOICE",
        "ok = info.kind in ('single_choice', 'likert')",
        "widget = {LONG_TEXT: 'textarea', NUMBER: 'number'}.get(question.kind, 'text')",
        "TEXT_WIDGETS = {LONG_TEXT: 'textarea', DATE: 'date'}",
    ],
)
def test_a_kind_comparison_is_reported(source):
    tree = ast.parse(source)
    assert kind_tests("engage/example.py", tree, kind_sets({"example": tree})) != []


@pytest.mark.parametrize(
    "source",
    [
        "if question_type(question.kind).is_comment:\n    pass",
        "ok = kind_of(group) == GROUP",
        "ok = feedback.kind == 'quote'",
        "if session.kind not in SESSION_KINDS:\n    pass",
        "FEEDBACK_KINDS = ('note', 'quote')\nok = kind in FEEDBACK_KINDS",
        "ok = keyword == 'note' and 'likert' in appearance",
        "KINDS = (SINGLE_CHOICE, NOTE)\nok = kind not in KINDS",
        "question = QuestionDefinition(name='age', kind=NUMBER)",
        "kind = MULTIPLE_CHOICE if keyword == 'select_multiple' else SINGLE_CHOICE",
        "KIND_OF_TYPE = {'integer': NUMBER, 'range': RATING}",
    ],
)
def test_what_is_not_a_kind_comparison_is_accepted(source):
    tree = ast.parse(source)
    assert kind_tests("engage/example.py", tree, kind_sets({"example": tree})) == []
