"""What the commands say when they cannot do what was asked: one line, `error: …`, exit status 1."""

from __future__ import annotations

import duckdb

READ_ONLY_HINT = ("budget-etl sql reads the warehouse only: no files, extensions, other databases or settings; "
                  "export a result with --format csv|json|jsonl --output FILE")


class CliError(Exception):
    """A mistake in how a command was called, or a state it cannot work with; the message says which."""


def duckdb_message(exc: duckdb.Error) -> str:
    """DuckDB's own first line (its LINE/caret context dropped), with why a refused statement was refused."""
    lines = [ln.strip() for ln in str(exc).splitlines() if ln.strip()]
    first = lines[0] if lines else type(exc).__name__
    refused = isinstance(exc, duckdb.PermissionException) or "configuration has been locked" in first
    return f"{first} ({READ_ONLY_HINT})" if refused else first
