"""The PDF path and the text path agree: each corpus PDF gives its text version's tables
(titles, units, context, rows, notes) and narrative amounts."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest

from pipeline.extract.narrative import narrative_amounts
from pipeline.extract.text_reader import read_text
from pipeline.model import ExtractedDocument
from pipeline.text import squash
from tests.pdf_corpus import PDF_DIR, TEXT_DIR, corpus_reader, raw_document


@pytest.fixture(scope="module")
def corpus() -> Callable[[str], ExtractedDocument]:
    return corpus_reader()



def _cells(rows: list[list[str]]) -> list[list[str]]:
    """Rows compared without whitespace, trailing blanks, or the '**' placeholders a text
    version puts in numbering rows (the PDF prints nothing there)."""
    out = []
    for r in rows:
        cells = [squash(c).replace("**", "") for c in r]
        while cells and not cells[-1]:
            cells.pop()
        out.append(cells)
    return out


# What the PDFs themselves lack: keqiao 2020's title line is not in its PDF (a blank first page),
# and a column of dongxihu's 部门支出总表 runs off the PDF page.
PDF_ONLY_DIFFERENCES = {
    ("keqiao-npc-office-2020-performance", 0): {"title"},
    ("dongxihu-npc-office-2022", 2): {"header", "columns"},
}


@pytest.mark.parametrize("stem", sorted(p.stem for p in PDF_DIR.glob("*.pdf")))
def test_same_tables_as_text_reader(corpus: Callable[[str], ExtractedDocument], stem: str) -> None:
    """The PDF path gives the text path's tables: titles, units, context, rows, notes."""
    text_doc = read_text(raw_document(TEXT_DIR / f"{stem}.txt"))
    pdf_doc = corpus(stem)
    assert len(pdf_doc.tables) == len(text_doc.tables)
    for pdf_table, text_table in zip(pdf_doc.tables, text_doc.tables, strict=True):
        allowed = PDF_ONLY_DIFFERENCES.get((stem, pdf_table.index), set())
        where = f"{stem} table {pdf_table.index} {text_table.title!r}"
        if "title" not in allowed:
            assert squash(pdf_table.title) == squash(text_table.title), where
        assert pdf_table.unit_label == text_table.unit_label, where
        assert [squash(c) for c in pdf_table.context_lines] == [squash(c) for c in text_table.context_lines], where
        if "header" not in allowed:
            assert _cells(pdf_table.header_rows) == _cells(text_table.header_rows), where
        assert _cells(pdf_table.body_rows) == _cells(text_table.body_rows), where
        assert [squash(n) for n in pdf_table.notes] == [squash(n) for n in text_table.notes], where
        if "columns" not in allowed:
            assert pdf_table.n_columns == text_table.n_columns, where


@pytest.mark.parametrize("stem", sorted(p.stem for p in PDF_DIR.glob("*.pdf")))
def test_same_narrative_amounts_as_text_reader(corpus: Callable[[str], ExtractedDocument], stem: str) -> None:
    """The plain text keeps sentences whole and table rows tab-separated, as the text path does."""

    def stated(doc: ExtractedDocument) -> Counter[tuple[str, object, str]]:
        return Counter((n.line_item, n.amount, n.unit_label) for n in narrative_amounts(doc.text))

    assert stated(corpus(stem)) == stated(read_text(raw_document(TEXT_DIR / f"{stem}.txt")))
