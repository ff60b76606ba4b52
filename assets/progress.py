"""Following an ingest run as it goes: which step is running, which document is done.

The run's events are read back from the Dagster instance, wherever the steps ran (this process,
worker processes, a Dask cluster), so the console script can show progress and print each
document's result when it is loaded rather than at the end.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass

import dagster as dg

RUN_TAG = "budget/cli-run"
DONE_KEY = dg.AssetKey(["warehouse", "dim_document"])  # the loader reports it for every document it wrote
_STAGES = {"read_documents": "reading", "check_suites": "checking (Great Expectations)",
           "load_documents": "loading", "plan_documents": "planning"}


@dataclass(frozen=True)
class DocumentDone:
    """A document's row in dim_document was written: loaded or quarantined."""

    document_id: str
    status: str
    title: str
    file_name: str
    facts: int
    indicators: int
    reason: str | None


def stage_of(step_key: str) -> str:
    base = step_key.split("[", 1)[0].rstrip("0123456789").rstrip("_")
    return _STAGES.get(base, base)


class RunWatcher(threading.Thread):
    """Polls the instance for the run tagged ``RUN_TAG=token`` until :meth:`stop`."""

    def __init__(self, instance: dg.DagsterInstance, token: str, on_stage: Callable[[str], None],
                 on_document: Callable[[DocumentDone], None], interval: float = 0.3) -> None:
        super().__init__(daemon=True)
        self.instance, self.token, self.interval = instance, token, interval
        self.on_stage, self.on_document = on_stage, on_document
        self._stopping = threading.Event()
        self._cursor: str | None = None
        self._run_id: str | None = None

    def stop(self) -> None:
        self._stopping.set()
        self.join(timeout=5)
        self.poll()  # what happened since the last look

    def run(self) -> None:
        while not self._stopping.wait(self.interval):
            try:
                self.poll()
            except Exception:  # noqa: BLE001 - progress is a courtesy; the run's own result is what counts
                pass

    def poll(self) -> None:
        if self._run_id is None:
            runs = self.instance.get_runs(dg.RunsFilter(tags={RUN_TAG: self.token}), limit=1)
            if not runs:
                return
            self._run_id = runs[0].run_id
        result = self.instance.get_records_for_run(self._run_id, cursor=self._cursor, limit=1000)
        self._cursor = result.cursor
        for record in result.records:
            self._handle(record.event_log_entry.dagster_event)

    def _handle(self, event: dg.DagsterEvent | None) -> None:
        if event is None:
            return
        if event.event_type_value == "STEP_START" and event.step_key:
            self.on_stage(stage_of(event.step_key))
        elif event.event_type_value == "ASSET_MATERIALIZATION":
            m = event.event_specific_data.materialization
            if m.asset_key == DONE_KEY and m.partition:
                meta = {k: v.value for k, v in m.metadata.items()}
                self.on_document(DocumentDone(m.partition, meta.get("status", ""), meta.get("title", ""),
                                              meta.get("file_name", ""), int(meta.get("facts", 0)),
                                              int(meta.get("indicators", 0)), meta.get("reason")))
