"""Bad inputs become `quarantined` rows with an actionable reason; the rest of the run still loads.

Each bad file is generated here from the corpus (truncated and encrypted copies of a corpus PDF,
an image-only "scan", a letter that is no budget disclosure, ...). A load killed mid-transaction
is tested in test_killed_load.
"""

from __future__ import annotations

import io
import random
import shutil
from pathlib import Path

import duckdb
import pytest

import budget_cli.main as cli
from pipeline.model import QuarantineError
from tests.conftest import PDF, TEXT
from tests.warehouse_snapshot import snapshot

GOOD = TEXT / "keqiao-npc-office-2020-performance.txt"  # the smallest disclosure: a fast load


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

    # Idempotent: the same folder again changes nothing (not even ingested_at). Nothing is read: the
    # loaded document is unchanged and the quarantined ones are quarantined with the reason recorded
    # when they were read (as the sensor skips them); --retry-quarantined reads those again, --force all.
    before = snapshot(wh)
    capsys.readouterr()
    import assets.runner

    def no_run(*args, **kwargs):
        raise AssertionError("a run started though every file's content is known")

    with monkeypatch.context() as m:
        m.setattr(assets.runner, "ingest", no_run)
        assert cli.main(["ingest", str(bad_folder), "--warehouse", str(wh)]) == 2
    out = capsys.readouterr().out
    assert f"0 loaded, 1 unchanged, {len(BAD_FILES)} quarantined" in out
    assert out.count("(quarantined when it was first read; --retry-quarantined reads it again)") == len(BAD_FILES)
    for name, (_, words) in BAD_FILES.items():
        assert all(w in out for w in words), name  # the recorded reason, as the first run gave it
    assert snapshot(wh) == before
    assert cli.main(["ingest", str(bad_folder), "--warehouse", str(wh), "--retry-quarantined"]) == 2
    out = capsys.readouterr().out
    assert f"0 loaded, 1 unchanged, {len(BAD_FILES)} quarantined" in out and "first read" not in out
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
    import pipeline.extract.pdf.reader as pdf_reader

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
