"""Generated PDFs that are not drawn tables, for the PDF reader's tests and benchmark: scans (every
page a picture, with or without an OCR text layer) and files a reader must refuse (encrypted, no
pages, cut short). :mod:`tests.pdfgen` re-exports every builder, so callers keep ``pdfgen.build_*``.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.pdfgen import TableSpec


def _draw_as_pictures(canvas: Any, src: Any, dpi: int) -> None:
    """Every page of the pdfium document ``src`` onto ``canvas`` as a greyscale picture; closes ``src``."""
    from reportlab.lib.utils import ImageReader

    try:
        for i in range(len(src)):
            page = src[i]
            width, height = page.get_size()
            image = page.render(scale=dpi / 72).to_pil().convert("L")
            buf = io.BytesIO()
            image.save(buf, format="PNG")
            buf.seek(0)
            canvas.setPageSize((width, height))
            canvas.drawImage(ImageReader(buf), 0, 0, width=width, height=height)
            canvas.showPage()
    finally:
        src.close()


def build_scan_pdf(path: Path, source_pdf: Path, dpi: int = 100) -> Path:
    """A scan look-alike: every page of ``source_pdf`` as a picture, no text layer at all."""
    import pypdfium2 as pdfium
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(str(path))
    _draw_as_pictures(canvas, pdfium.PdfDocument(str(source_pdf)), dpi)
    canvas.save()
    return path


def build_ocr_scan_pdf(path: Path, tables: Sequence[TableSpec], dpi: int = 150) -> Path:
    """A scanned page with an OCR text layer: ruling lines exist only as pixels of the picture.

    The picture is the ruled layout rendered by pdfium; the text layer is the same layout drawn
    without rules, laid over it (same flowables, so every word sits where the picture has it).
    """
    import pypdfium2 as pdfium
    from pypdf import PdfReader, PdfWriter
    from reportlab.pdfgen.canvas import Canvas

    from tests.pdfgen import build_tables_pdf  # here, not at the top: pdfgen re-exports this module

    ruled, plain = io.BytesIO(), io.BytesIO()
    build_tables_pdf(ruled, tables, layout="ruled")  # type: ignore[arg-type]
    build_tables_pdf(plain, tables, layout="plain")  # type: ignore[arg-type]
    pictures = io.BytesIO()
    canvas = Canvas(pictures)
    _draw_as_pictures(canvas, pdfium.PdfDocument(ruled.getvalue()), dpi)
    canvas.save()
    writer = PdfWriter(clone_from=PdfReader(pictures))
    for picture, text in zip(writer.pages, PdfReader(plain).pages, strict=True):
        picture.merge_page(text)
    with Path(path).open("wb") as fh:
        writer.write(fh)
    return Path(path)


def build_encrypted_pdf(path: Path, source_pdf: Path, user_password: str = "secret") -> Path:
    """``source_pdf`` encrypted with pypdf; an empty ``user_password`` gives an owner-only lock."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(str(source_pdf)))
    writer.encrypt(user_password=user_password, owner_password="owner-" + user_password)
    with path.open("wb") as fh:
        writer.write(fh)
    return path


def build_zero_page_pdf(path: Path) -> Path:
    """A syntactically valid PDF whose page tree is empty."""
    from pypdf import PdfWriter

    with path.open("wb") as fh:
        PdfWriter().write(fh)
    return path


def build_truncated_pdf(path: Path, source_pdf: Path, keep: float = 0.4) -> Path:
    """The first ``keep`` share of ``source_pdf``'s bytes: a download cut short."""
    data = source_pdf.read_bytes()
    path.write_bytes(data[: int(len(data) * keep)])
    return path
