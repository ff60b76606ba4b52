"""One concept, one place: a helper or a pattern is declared in one module, and a module offers only
what it defines (no re-export shims), so a reader finds a name where it lives."""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ("pipeline", "assets", "budget_cli")


def _modules(*layers: str) -> dict[str, ast.Module]:
    return {str(p.relative_to(ROOT)): ast.parse(p.read_text(encoding="utf-8"))
            for layer in layers for p in sorted((ROOT / layer).rglob("*.py"))}


def _compiled_patterns(tree: ast.Module) -> set[str]:
    return {n.args[0].value for n in ast.walk(tree)
            if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute) and n.func.attr == "compile"
            and n.args and isinstance(n.args[0], ast.Constant) and isinstance(n.args[0].value, str)}


def test_every_regular_expression_is_compiled_in_one_module():
    where: dict[str, list[str]] = defaultdict(list)
    for name, tree in _modules("pipeline").items():
        for pattern in _compiled_patterns(tree):
            where[pattern].append(name)
    assert {p: ms for p, ms in where.items() if len(ms) > 1} == {}


def test_every_public_function_of_the_library_has_one_home():
    where: dict[str, list[str]] = defaultdict(list)
    for name, tree in _modules("pipeline").items():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                where[node.name].append(name)
    assert {f: ms for f, ms in where.items() if len(ms) > 1} == {}


def test_no_module_re_exports_what_it_imports():
    shims = {}
    for name, tree in _modules(*LAYERS).items():
        imported = {a.asname or a.name for n in tree.body if isinstance(n, ast.ImportFrom) for a in n.names}
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "__all__" for t in node.targets):
                names = {e.value for e in node.value.elts if isinstance(e, ast.Constant)}
                if names & imported:
                    shims[name] = sorted(names & imported)
    assert shims == {}


def test_the_text_helpers_live_in_pipeline_text():
    """squash, the CJK widths, the figure shapes, the enumeration and the clipping of details: in
    pipeline/text.py only (two `_is_cjk` helpers with two meanings were is_full_width and a label's own)."""
    helpers = {"squash", "is_wide", "is_full_width", "is_ideograph", "clip", "join_details", "FIGURE",
               "DECIMAL_FIGURE", "MONEY_FIGURE", "ENUMERATION"}
    homes: dict[str, list[str]] = defaultdict(list)
    for name, tree in _modules(*LAYERS).items():
        for node in tree.body:
            if isinstance(node, ast.FunctionDef) and node.name.lstrip("_") in helpers:
                homes[node.name.lstrip("_")].append(name)
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    if isinstance(t, ast.Name) and t.id.lstrip("_") in helpers:
                        homes[t.id.lstrip("_")].append(name)
    assert dict(homes) == {h: ["pipeline/text.py"] for h in helpers}


def test_each_table_kind_is_one_record_its_title_words_name():
    """The kinds are declared once (vocabulary.TABLE_KIND_RECORDS): every kind has title words, every
    title rule names a declared kind, and the sets the reader and the checks use are read off the
    records (a 基本支出表 is economic; the eight standard tables of a budget; 'other' is never read)."""
    from pipeline import vocabulary as v

    assert {kind for kind, _ in v.TITLE_RULES} == set(v.TABLE_KINDS)
    assert v.ECONOMIC_KINDS == ("general_budget_basic_expenditure", "basic_expenditure")
    assert len(v.STANDARD_BUDGET_TABLES) == 8 and "project_expenditure" not in v.STANDARD_BUDGET_TABLES
    assert "other" not in v.READ_TABLE_KINDS and "performance" not in v.AMOUNT_TABLE_KINDS
    assert v.SUMMARY_KINDS == ("income_expenditure_summary", "fiscal_grant_summary")


def _imported_modules(tree: ast.Module) -> set[str]:
    """Every module a module imports, at its top or inside a function."""
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            out.add(node.module)
        elif isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
    return out


def test_reading_placing_and_the_table_model_import_nothing_from_the_checks():
    """A table goes reader → normaliser (which verifies it with the table's own identities) → load;
    the checks read what was loaded. Nothing before the load reaches into pipeline.quality."""
    reaching = {
        name: sorted(m for m in _imported_modules(tree) if m.startswith("pipeline.quality"))
        for name, tree in _modules("pipeline").items()
        if name.startswith(("pipeline/extract/", "pipeline/normalize/", "pipeline/table/"))
    }
    assert {name: ms for name, ms in reaching.items() if ms} == {}
