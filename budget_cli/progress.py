"""What `budget-etl ingest` shows while it works.

On a terminal: a live line on stderr (documents done of all, the stage running, time elapsed)
drawn by rich, with each document's result printed above it as soon as it is loaded. Elsewhere
(a log, a pipe): plain lines, a stage line on stderr when a stage starts, results on stdout.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)


class IngestDisplay:
    """A context manager; ``stage(text)`` and ``document_done(line)`` may be called from any thread."""

    def __init__(self, total: int, emit: Callable[[str], None] = print) -> None:
        self.total, self.emit = total, emit
        self.tty = sys.stderr.isatty()
        self.started = time.monotonic()
        self._last_stage = ""
        self._progress: Progress | None = None
        self._task = None

    def __enter__(self) -> IngestDisplay:
        if self.tty and self.total:
            self._progress = Progress(
                SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TextColumn("documents"), TimeElapsedColumn(),
                console=Console(stderr=True), transient=True, redirect_stdout=False)
            self._progress.__enter__()
            self._task = self._progress.add_task("starting", total=self.total)
        elif self.total:
            print(f"ingesting {self.total} document(s)", file=sys.stderr, flush=True)
        return self

    def stage(self, text: str) -> None:
        if text == self._last_stage:
            return
        self._last_stage = text
        if self._progress is not None:
            self._progress.update(self._task, description=text)
        else:
            print(f"[{time.monotonic() - self.started:6.1f} s] {text}", file=sys.stderr, flush=True)

    def document_done(self, line: object) -> None:
        if self._progress is not None and sys.stdout.isatty():  # one terminal: print above the live line
            self._progress.console.print(str(line), markup=False, highlight=False, soft_wrap=True)
        else:  # results to stdout (a file, a pipe), whatever stderr shows
            self.emit(str(line))
            sys.stdout.flush()
        if self._progress is not None:
            self._progress.advance(self._task)

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._progress is not None:
            self._progress.__exit__(kind, exc, tb)
