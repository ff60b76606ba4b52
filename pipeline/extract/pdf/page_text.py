"""A PDF page as a stream: its grids and the text lines outside them, top to bottom.

The table assembler (:mod:`assemble`) walks this stream, leaving out the running headers and
footers :func:`running_lines` finds; :func:`plain_page_text` writes it out as the text reader
would see the page, for the narrative rules.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from pipeline.extract.pdf.document import PdfPage
from pipeline.extract.pdf.grids import Fragment
from pipeline.extract.pdf.lines import TextLine
from pipeline.extract.titles import looks_like_table_title
from pipeline.text import is_wide, squash

# Running headers/footers: the same line near the top or bottom edge of many pages.
_EDGE_SHARE = 0.08


@dataclass
class PageItem:
    """One grid, or one text line outside every grid, at its height on the page."""

    top: float
    line: TextLine | None = None
    fragment: Fragment | None = None


def plain_page_text(page: PdfPage, fragments: list[Fragment]) -> str:
    """A page as the text reader gives a document: narrative lines, then grid rows with their
    cells tab-separated (narrative rules skip tab rows), in reading order.

    Lines a paragraph wrapped at the right margin are joined again, so a sentence ('项目支出' …
    '680.00 万元') is on one line as in the text version.
    """
    items = page_items(page, [f for f in fragments if f.page == page.number])
    narrative = [it.line for it in items if it.line is not None]
    left = min((ln.x0 for ln in narrative), default=0.0)
    right = max((ln.x1 for ln in narrative), default=0.0)
    out: list[str] = []
    previous: TextLine | None = None
    for item in items:
        if item.fragment is not None:
            out.extend("\t".join(row) for row in item.fragment.rows if any(row))
            previous = None
        elif item.line is not None:
            line = item.line
            if previous is not None and _continues_paragraph(previous, line, left, right):
                out[-1] = _join_wrapped(out[-1], line.text)
            else:
                out.append(line.text)
            previous = line
    return "\n".join(out)


def _join_wrapped(text: str, more: str) -> str:
    """Chinese runs on without a space; figures and words keep theirs ('项目支出 680.00 万元')."""
    if is_wide(text[-1]) and is_wide(more[0]):
        return text + more
    return f"{text} {more}"


def _continues_paragraph(previous: TextLine, line: TextLine, left: float, right: float) -> bool:
    """``line`` goes on with the paragraph ``previous`` wrapped: that one ran to the right margin,
    this one starts at the left margin right below it."""
    height = previous.top - previous.bottom
    return (
        right - previous.x1 <= 1.5 * height
        and line.x0 - left <= 0.5 * height
        and 0 <= previous.bottom - line.top <= height
        and not looks_like_table_title(previous.text)
        and not looks_like_table_title(line.text)
    )


def page_items(page: PdfPage, fragments: list[Fragment]) -> list[PageItem]:
    """Grids and the text lines outside them, top to bottom."""
    items = [PageItem(top=f.top, fragment=f) for f in fragments]
    for line in page.lines:
        if not any(_inside(line, f) for f in fragments):
            items.append(PageItem(top=line.top, line=line))
    items.sort(key=lambda it: -it.top)
    return items


def _inside(line: TextLine, fragment: Fragment) -> bool:
    x0, bottom, x1, top = fragment.bbox
    return bottom - 1 <= line.y_mid <= top + 1 and line.x1 > x0 and line.x0 < x1


def running_lines(pages: list[PdfPage]) -> set[str]:
    """Headers and footers: a line repeated near the top or bottom edge of many pages."""
    if len(pages) < 3:
        return set()
    counts: Counter[str] = Counter()
    for page in pages:
        edge = page.height * _EDGE_SHARE
        keys = {
            squash(ln.text)
            for ln in page.lines
            if ln.top >= page.height - edge or ln.bottom <= edge
        }
        counts.update(k for k in keys if k)
    needed = max(3, int(0.3 * len(pages)))
    return {k for k, n in counts.items() if n >= needed}
