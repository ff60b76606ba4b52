"""Reading a disclosure that arrives as text (the output of a document converter).

Two layouts occur: tab-separated rows (one table row per line), and one cell per line, where
each cell line starts with a tab and a blank line ends the row. Both become the same
:class:`Item` stream, and :func:`build_tables` does the rest.
"""

from __future__ import annotations

from pipeline.extract.layout import Item, build_tables
from pipeline.extract.text_cleaning import clean_cell, clean_text_line, is_ruler
from pipeline.model import ExtractedDocument, QuarantineError, RawDocument

_ENCODINGS = ("utf-8-sig", "gb18030", "utf-16")


def decode_text(data: bytes, file_name: str) -> str:
    """Bytes to text, refusing binary files with a reason a person can act on."""
    if not data.strip():
        raise QuarantineError(f"{file_name} is empty: there is nothing to ingest; replace it with the full disclosure.")
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise QuarantineError(
            f"{file_name} is a binary file, not text: save the disclosure as UTF-8 text or PDF and drop it again."
        )
    for enc in _ENCODINGS:
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise QuarantineError(f"{file_name} is not readable text (neither UTF-8 nor GB18030): re-export it as UTF-8.")


def is_cell_per_line(lines: list[str]) -> bool:
    """True when most tabbed lines hold exactly one cell behind a leading tab."""
    single = sum(1 for ln in lines if ln.startswith("\t") and "\t" not in ln[1:])
    multi = sum(1 for ln in lines if "\t" in ln.lstrip("\t") or ln.count("\t") > 1)
    return single > 20 and single > 2 * multi


def _tabbed_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    for ln in lines:
        if not ln.strip():
            items.append(Item("blank"))
        elif is_ruler(ln):
            continue
        elif "\t" in ln:
            items.append(Item("row", cells=[clean_cell(c) for c in ln.split("\t")]))
        else:
            items.append(Item("text", text=clean_text_line(ln)))
    return items


def _cell_per_line_items(lines: list[str]) -> list[Item]:
    items: list[Item] = []
    cells: list[str] = []

    def flush() -> None:
        if cells:
            items.append(Item("row", cells=[clean_cell(c) for c in cells]))
            cells.clear()

    for ln in lines:
        if not ln.strip() and not ln.startswith("\t"):
            flush()
            items.append(Item("blank"))
        elif ln.startswith("\t"):
            cells.append(ln[1:])
        elif cells:
            cells[-1] += " " + ln  # a cell's text running on to the next line
        else:
            items.append(Item("text", text=clean_text_line(ln)))
    flush()
    return items


def text_items(text: str) -> list[Item]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if is_cell_per_line(lines):
        return _cell_per_line_items(lines)
    return _tabbed_items(lines)


def read_text(raw: RawDocument, data: bytes | None = None) -> ExtractedDocument:
    """Read a text disclosure into tables and plain narrative text."""
    if data is None:
        data = raw.path.read_bytes()
    text = decode_text(data, raw.file_name)
    items = text_items(text)
    plain = "\n".join(it.text if it.kind == "text" else "\t".join(it.cells) for it in items if it.kind != "blank")
    return ExtractedDocument(raw=raw, text=plain, tables=build_tables(items), page_count=None, page_texts=[plain])
