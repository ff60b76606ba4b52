"""What the side-by-side benchmarks share: another revision checked out beside this one, and the
console script of a checkout ingesting files into a warehouse of its own."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@contextmanager
def checkout(rev: str | None) -> Iterator[Path]:
    """The working tree for ``None``, else a detached git worktree of ``rev``, compiled as this
    checkout's modules are (so its first ingest does not pay for it), removed afterwards."""
    if rev is None:
        yield ROOT
        return
    with tempfile.TemporaryDirectory(prefix="revision-") as tmp:
        tree = Path(tmp) / rev.replace("/", "_")
        subprocess.run(["git", "worktree", "add", "--detach", "--quiet", str(tree), rev], cwd=ROOT, check=True)
        try:
            subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], check=True)
            yield tree
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT, check=False)


def ingest_command(tree: Path, files: list[Path], warehouse: Path, *flags: str) -> tuple[list[str], dict[str, str]]:
    """The command and environment with which the console script of ``tree`` ingests ``files``; its
    runs are recorded in a Dagster instance of its own beside the warehouse, not in the project's."""
    home = warehouse.with_suffix(".dagster")
    home.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree), "DAGSTER_HOME": str(home)}
    cmd = [sys.executable, "-m", "budget_cli", "ingest", *map(str, files), "--warehouse", str(warehouse), *flags]
    return cmd, env


def expand(paths: list[Path], suffixes: tuple[str, ...]) -> list[Path]:
    """The files named and those under the folders named, with one of ``suffixes``, absolute."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.suffix in suffixes and p.is_file())
        else:
            files.append(path)
    return [f.resolve() for f in files]
