"""Bad inputs become `quarantined` rows with an actionable reason; the rest of the run still loads.

Each bad file is generated here from the corpus (truncated and encrypted copies of a corpus PDF,
an image-only "scan", a letter that is no budget disclosure, ...). The killed-load test runs an
ingest in a child process, SIGKILLs it inside replace_document's transaction and checks that the
warehouse reopens exactly as it was.
"""

from __future__ import annotations

import io
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest

import budget_cli.main as cli
from pipeline.model import QuarantineError
from tests.conftest import PDF, TEXT

ROOT = Path(__file__).resolve().parents[1]
GOOD = TEXT / "keqiao-npc-office-2020-performance.txt"  # the smallest disclosure: a fast load
TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "dim_subject_code", "fact_expenditure", "fact_income",
          "fact_performance_indicator", "dq_check_result")
RUN_COLUMNS = "EXCLUDE (run_id, checked_at)"


# --- generated bad files ------------------------------------------------------------------------

def truncated_pdf(path: Path) -> None:
    data = (PDF / "keqiao-npc-office-2023.pdf").read_bytes()
    path.write_bytes(data[: len(data) // 3])


def corrupt_pdf(path: Path) -> None:
    rng = random.Random(7)
    path.write_bytes(b"%PDF-1.7\n" + bytes(rng.randrange(256) for _ in range(20_000)) + b"\n%%EOF\n")


def encrypted_pdf(path: Path) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(PDF / "keqiao-npc-office-2020-performance.pdf"))
    writer.encrypt(user_password="secret", owner_password="owner")
    with path.open("wb") as fh:
        writer.write(fh)


def _cjk_canvas(path: Path):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return canvas.Canvas(str(path))


def letter_pdf(path: Path) -> None:
    """A text PDF that is not a budget disclosure."""
    c = _cjk_canvas(path)
    c.setFont("STSong-Light", 14)
    c.drawString(72, 760, "关于举办机关秋季运动会的通知")
    c.setFont("STSong-Light", 11)
    for i, line in enumerate(["各处室：", "为丰富干部职工业余生活，定于十月举办秋季运动会。", "请于九月三十日前报名。"]):
        c.drawString(72, 720 - 18 * i, line)
    c.showPage()
    c.save()


def scanned_pdf(path: Path) -> None:
    """Page images only (a table drawn as pixels), no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (900, 1270), 255)
    draw = ImageDraw.Draw(img)
    for y in range(150, 1150, 60):
        draw.line([(80, y), (820, y)], fill=0, width=3)
    for x in (80, 400, 620, 820):
        draw.line([(x, 150), (x, 1110)], fill=0, width=3)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    c = _cjk_canvas(path)
    c.drawImage(ImageReader(buf), 0, 0, 595, 842)
    c.showPage()
    c.save()


BAD_FILES = {
    # file name: (generator, words the reason must contain)
    "truncated.pdf": (truncated_pdf, ("truncated",)),
    "corrupt.pdf": (corrupt_pdf, ("corrupt",)),
    "encrypted.pdf": (encrypted_pdf, ("encrypted", "unencrypted copy")),
    "empty.txt": (lambda p: p.write_bytes(b""), ("empty",)),
    "blank.pdf": (lambda p: p.write_bytes(b"\n \n"), ("empty",)),
    "minutes.txt": (lambda p: p.write_text("会议纪要\n\n食堂下周调整菜单，请各部门周知。\n", encoding="utf-8"),
                    ("not look like a budget disclosure",)),
    "letter.pdf": (letter_pdf, ("not look like a budget disclosure",)),
    "scan.pdf": (scanned_pdf, ("text layer", "OCR")),
    "binary.txt": (lambda p: p.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)), ("binary",)),
}


@pytest.fixture(scope="module")
def bad_folder(tmp_path_factory) -> Path:
    raw = tmp_path_factory.mktemp("bad") / "raw"
    (raw / "sub").mkdir(parents=True)
    shutil.copy(GOOD, raw / GOOD.name)
    for i, (name, (make, _)) in enumerate(BAD_FILES.items()):
        make((raw / "sub" if i % 2 else raw) / name)
    return raw


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table; for dq_check_result without run_id/checked_at (they name the run)."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {t: sorted(con.execute(f"SELECT * {RUN_COLUMNS if t == 'dq_check_result' else ''} FROM {t}")
                          .fetchall(), key=repr) for t in TABLES}
    finally:
        con.close()


def documents(path: Path) -> dict[str, tuple[str, str | None]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return {name: (status, reason) for name, status, reason in
                con.execute("SELECT file_name, status, status_reason FROM dim_document").fetchall()}
    finally:
        con.close()


# --- tests --------------------------------------------------------------------------------------

def test_each_bad_input_is_quarantined_with_an_actionable_reason_and_ingest_exits_2(
        bad_folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("BUDGET_RAW_DIR", str(bad_folder))
    wh = tmp_path / "w.duckdb"
    assert cli.main(["ingest", str(bad_folder), "--warehouse", str(wh)]) == 2
    out, err = capsys.readouterr()
    assert "[1/" not in err  # no progress lines when stderr is not a terminal
    assert f"{len(BAD_FILES) + 1} documents: 1 loaded, 0 unchanged, {len(BAD_FILES)} quarantined, 0 failed" in out

    docs = documents(wh)
    assert docs.pop(GOOD.name) == ("loaded", None)
    assert set(docs) == set(BAD_FILES)
    for name, (_, words) in BAD_FILES.items():
        status, reason = docs[name]
        assert status == "quarantined", name
        assert name in reason, (name, reason)  # the reason names the file
        for w in words:
            assert w in reason, (name, reason)
        assert "Traceback" not in reason and len(reason) < 400, reason
    con = duckdb.connect(str(wh), read_only=True)
    try:
        # Quarantined documents contribute no facts; the good one all of its rows.
        per_doc = dict(con.execute(
            "SELECT d.file_name, "
            "(SELECT count(*) FROM fact_performance_indicator f WHERE f.document_id = d.document_id) + "
            "(SELECT count(*) FROM fact_expenditure f WHERE f.document_id = d.document_id) + "
            "(SELECT count(*) FROM fact_income f WHERE f.document_id = d.document_id) "
            "FROM dim_document d").fetchall())
    finally:
        con.close()
    assert per_doc.pop(GOOD.name) >= 54
    assert set(per_doc.values()) == {0}

    # Idempotent: the same folder again changes nothing (not even ingested_at), whether the loaded
    # document is skipped as unchanged (the quarantined files are read again) or read again (--force).
    before = snapshot(wh)
    capsys.readouterr()
    assert cli.main(["ingest", str(bad_folder), "--warehouse", str(wh)]) == 2
    assert "1 unchanged" in capsys.readouterr().out
    assert snapshot(wh) == before
    assert cli.main(["ingest", str(bad_folder), "--warehouse", str(wh), "--force"]) == 2
    assert "1 loaded, 0 unchanged" in capsys.readouterr().out
    assert snapshot(wh) == before


def test_a_file_that_vanishes_mid_run_is_quarantined_and_the_others_load(tmp_path, monkeypatch, capsys):
    from assets import runner

    raw = tmp_path / "raw"
    raw.mkdir()
    for stem in ("jiaxing-npc-office-2024", "keqiao-npc-office-2020-performance"):
        shutil.copy(TEXT / f"{stem}.txt", raw / f"{stem}.txt")
    victim = raw / "jiaxing-npc-office-2024.txt"
    real_ingest = runner.ingest

    def ingest_and_delete(*args, **kwargs):
        victim.unlink()  # listed and hashed, gone before the run reads it
        return real_ingest(*args, **kwargs)

    monkeypatch.setattr(runner, "ingest", ingest_and_delete)
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    wh = tmp_path / "w.duckdb"
    assert cli.main(["ingest", str(raw), "--warehouse", str(wh)]) == 2
    docs = documents(wh)
    status, reason = docs[victim.name]
    assert status == "quarantined"
    assert "disappeared" in reason and "raw folder" in reason
    assert docs[GOOD.name] == ("loaded", None)
    assert "1 quarantined, 0 failed" in capsys.readouterr().out


def test_a_file_that_vanishes_between_sensor_and_run_is_quarantined(tmp_path, monkeypatch):
    """The Dagster path: the partition's run finds its file gone from the raw folder."""
    import dagster as dg

    from assets.definitions import defs
    from pipeline.ingest import sha256_of

    raw = tmp_path / "raw"
    raw.mkdir()
    doc = raw / "gone.txt"
    shutil.copy(GOOD, doc)
    key = sha256_of(doc)
    doc.unlink()
    wh = tmp_path / "w.duckdb"
    monkeypatch.setenv("BUDGET_WAREHOUSE", str(wh))
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    instance = dg.DagsterInstance.ephemeral()
    instance.add_dynamic_partitions("documents", [key])
    result = defs.resolve_job_def("ingest_documents").execute_in_process(
        instance=instance,
        run_config={"ops": {"plan_documents": {"config": {"paths": [f"{key}:{doc}"]}}},  # as the sensor asks
                    "loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    assert result.success
    status, reason = documents(wh)["gone.txt"]
    assert status == "quarantined" and "gone.txt disappeared" in reason


@pytest.mark.parametrize("failure", [RuntimeError("pdf parser exploded"), ImportError("No module named 'camelot'")])
def test_any_reader_failure_becomes_a_quarantine_not_a_failed_run(tmp_path, monkeypatch, capsys, failure):
    import pipeline.extract.pdf_reader as pdf_reader

    def broken(raw):
        raise failure

    monkeypatch.setattr(pdf_reader, "read_pdf", broken)
    raw = tmp_path / "raw"
    raw.mkdir()
    shutil.copy(GOOD, raw / GOOD.name)
    shutil.copy(PDF / "keqiao-npc-office-2020-performance.pdf", raw / "good-but-unreadable.pdf")
    monkeypatch.setenv("BUDGET_RAW_DIR", str(raw))
    wh = tmp_path / "w.duckdb"
    # --workers 1: the broken reader is patched into this process only
    assert cli.main(["ingest", str(raw), "--warehouse", str(wh), "--workers", "1"]) == 2
    status, reason = documents(wh)["good-but-unreadable.pdf"]
    assert status == "quarantined"
    assert "good-but-unreadable.pdf" in reason and str(failure) in reason
    assert ("Reinstall" in reason) if isinstance(failure, ImportError) else ("new copy" in reason)
    assert documents(wh)[GOOD.name][0] == "loaded"


def test_extract_wraps_unexpected_reader_errors(tmp_path, monkeypatch):
    from pipeline import ingest

    path = tmp_path / "x.txt"
    path.write_text("收支总表\n", encoding="utf-8")
    raw = ingest.describe(path)

    def boom(raw, data):
        raise ValueError("bad table grid")

    monkeypatch.setattr("pipeline.extract.text_reader.read_text", boom)  # extract() imports it when it reads
    with pytest.raises(QuarantineError, match=r"x\.txt could not be read by the text reader \(ValueError: bad"):
        ingest.extract(raw)
    path.unlink()
    with pytest.raises(QuarantineError, match="disappeared"):
        ingest.extract(raw)
    # describe() of a vanished file does not raise; discover() skips it.
    assert ingest.describe(path).document_id == ingest.VANISHED
    assert ingest.discover([path]) == []


# --- a load killed mid-transaction --------------------------------------------------------------

KILL_DOCS = ("jiaxing-npc-office-2024", "pingxiang-county-npc-2023", "keqiao-npc-office-2020-performance")
FRAME_TABLES = ("dim_document", "dim_unit", "dim_unit_alias", "fact_expenditure", "fact_income",
                "fact_performance_indicator")

CLI_CHILD = textwrap.dedent("""
    import os, sys, time
    import pipeline.warehouse.load as load
    import budget_cli.main as cli

    real_insert = load._insert
    marker = os.environ["KILL_TEST_MARKER"]

    def slow_insert(con, table, df):
        n = real_insert(con, table, df)
        if table == "fact_expenditure" and df.height:
            # Inside replace_document's transaction: the old rows are deleted, new ones half written.
            open(marker, "a").write(table + "\\n")
            time.sleep(60)
        return n

    load._insert = slow_insert
    sys.exit(cli.main(sys.argv[1:]))
""")

LOAD_CHILD = textwrap.dedent("""
    import sys
    from pathlib import Path
    import polars as pl
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import replace_document

    warehouse, frames_dir, marker = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3])
    docs = sorted(d for d in frames_dir.iterdir() if d.is_dir())
    con = open_writer(warehouse)
    marker.write_text("open")
    while True:  # re-load the same documents until killed: every commit leaves the same state
        for d in docs:
            replace_document(con, d.name, {f.stem: pl.read_parquet(f) for f in d.glob("*.parquet")})
""")


def _kill(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


def _wait_for(marker: Path, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert proc.poll() is None, f"the child exited ({proc.returncode}) before {what}"
        assert time.monotonic() < deadline, f"the child never reached {what}"
        time.sleep(0.02)


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> tuple[Path, Path, Path]:
    """Three disclosures (three departments: no shared unit alias, so re-loading any of them in any
    order changes nothing) loaded into a warehouse; their raw folder and per-document frames."""
    from ingest_steps import read_file

    from pipeline.quality import validate_reference
    from pipeline.reference.classification import load_subject_codes
    from pipeline.warehouse.connect import open_writer
    from pipeline.warehouse.load import load_subject_dimension, replace_document

    base = tmp_path_factory.mktemp("kill")
    raw, frames_dir, wh = base / "raw", base / "frames", base / "w.duckdb"
    raw.mkdir()
    con = open_writer(wh)
    try:
        # As the ingest's reference step does: the classification with its suite's outcomes.
        load_subject_dimension(con, validate_reference(load_subject_codes(), "fixture"))
        for stem in KILL_DOCS:
            shutil.copy(TEXT / f"{stem}.txt", raw / f"{stem}.txt")
            outcome = read_file(raw / f"{stem}.txt")
            assert outcome.status == "loaded", outcome.reason
            frames = {t: outcome.frames.table(t) for t in FRAME_TABLES}
            replace_document(con, outcome.raw.document_id, frames)
            (frames_dir / outcome.raw.document_id).mkdir(parents=True)
            for t, df in frames.items():
                df.write_parquet(frames_dir / outcome.raw.document_id / f"{t}.parquet")
    finally:
        con.close()
    return raw, frames_dir, wh


def test_ingest_killed_inside_replace_document_leaves_the_warehouse_as_it_was(loaded, tmp_path):
    raw, _, original = loaded
    wh = tmp_path / "w.duckdb"
    shutil.copy(original, wh)
    before = snapshot(wh)
    marker = tmp_path / "in-transaction"
    env = dict(os.environ, KILL_TEST_MARKER=str(marker), BUDGET_RAW_DIR=str(raw), PYTHONPATH=str(ROOT))
    # --force: the documents are loaded already, and only a re-read replaces them.
    proc = subprocess.Popen([sys.executable, "-c", CLI_CHILD, "ingest", str(raw), "--warehouse", str(wh), "--force",
                             "--workers", "1"],
                            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    try:
        _wait_for(marker, proc, "replace_document")
    finally:
        _kill(proc)
    assert proc.returncode == -signal.SIGKILL
    assert snapshot(wh) == before  # the half-done replacement is rolled back when DuckDB reopens the file


def test_load_killed_at_random_points_never_leaves_a_document_half_replaced(loaded, tmp_path):
    _, frames_dir, original = loaded
    wh = tmp_path / "w.duckdb"
    shutil.copy(original, wh)
    before = snapshot(wh)
    rng = random.Random(20240601)
    for i in range(6):
        marker = tmp_path / f"open-{i}"
        proc = subprocess.Popen([sys.executable, "-c", LOAD_CHILD, str(wh), str(frames_dir), str(marker)],
                                cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            _wait_for(marker, proc, "the load loop")
            time.sleep(rng.uniform(0.05, 1.0))
        finally:
            _kill(proc)
        assert proc.returncode == -signal.SIGKILL, f"kill #{i}: the load loop ended on its own"
        assert snapshot(wh) == before, f"kill #{i} changed the warehouse"
