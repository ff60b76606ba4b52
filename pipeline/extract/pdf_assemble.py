"""Turn page grids into disclosure tables: titles, units, context, notes, page continuations.

Pages are read top to bottom as a stream of text lines (outside any grid) and grids:

* a title line (``looks_like_table_title``) waits for the next grid, collecting the unit
  ('单位：万元') and context lines ('001-某市…（部门）') between; a title no grid follows is
  dropped (a table-of-contents entry, or a table the publisher left out);
* a grid with no title waiting continues the table above when nothing but page furniture
  separates them (the table ran over the page break): its repeated header rows are dropped and a
  row cut in two by the break is joined again;
* a grid a few short lines under a table (one title over a 绩效目标 box and an indicator grid)
  continues that table, the lines between running on in its last cell, as a text converter
  writes them;
* lines right after a table that read like notes ('注：…故本表无数据') become its notes;
* a grid with neither a title nor a table to continue is kept only if its header names a known
  table kind (a producer may leave the title out of the PDF).

Header rows, context rows and notes are recognised with the text reader's own rules
(:mod:`pipeline.extract.layout`), and a table's rows are split into header and body once, over
all its grids, so a PDF and its text version split a table alike.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass, field

from pipeline.extract.layout import (
    SECTION_HEADING,
    append_to_last_cell,
    is_note,
    is_page_artefact,
    split_header,
)
from pipeline.extract.pdf_pages import PdfPage, TextLine
from pipeline.extract.pdf_rows import (
    Row,
    align_columns,
    is_caption_row,
    is_cut_row,
    merge_cut_row,
    same_row,
    strip_meta_rows,
    take_unit,
)
from pipeline.extract.pdf_tables import Fragment, join_lines
from pipeline.extract.titles import classify_title, looks_like_table_title, parse_unit, squash
from pipeline.model import ExtractedTable

# Lines between a title and its grid are short ('单位名称：…'); a long line or many lines mean
# the "title" was a sentence of the narrative. The text reader uses the same limits.
MAX_CONTEXT_LINES = 8
MAX_CONTEXT_CHARS = 60
# Running headers/footers: the same line near the top or bottom edge of many pages.
_EDGE_SHARE = 0.08


@dataclass
class _Pending:
    """A title waiting for its grid."""

    title: str
    page: int
    unit: str | None = None
    context: list[str] = field(default_factory=list)


@dataclass
class _Build:
    """A table being read: its rows so far, the page of each, and how it may go on."""

    title: str
    page: int
    unit: str | None
    context: list[str]
    rows: list[Row]
    pages: list[int]
    last: Fragment
    meta_rows: list[Row] = field(default_factory=list)  # title/context rows taken off its grid
    notes: list[str] = field(default_factory=list)
    continues: bool = True  # nothing but furniture since its last grid
    takes_notes: bool = True
    last_note: tuple[int, TextLine] | None = None  # (page, line) of the latest note line
    notes_at_grid: int = 0  # notes taken before the latest grid
    after_grid: list[TextLine] = field(default_factory=list)  # every line since the latest grid

    def header_rows(self) -> list[Row]:
        return split_header(_pad(self.rows))[0]

    def add_rows(self, rows: list[Row], page: int, fragment: Fragment) -> None:
        self.rows.extend(rows)
        self.pages.extend([page] * len(rows))
        self.last = fragment
        self.continues = self.takes_notes = True
        self.last_note = None
        self.notes_at_grid = len(self.notes)
        self.after_grid = []

    def finish(self, index: int) -> ExtractedTable:
        rows = _pad(self.rows)
        header, body = split_header(rows)
        header, body = _numbering_tail(header, body)
        return ExtractedTable(
            index=index,
            title=self.title,
            unit_label=self.unit,
            header_rows=header,
            body_rows=body,
            row_pages=list(self.pages[len(header) :]),
            page=self.page,
            context_lines=self.context,
            notes=self.notes,
        )


@dataclass
class _Item:
    top: float
    line: TextLine | None = None
    fragment: Fragment | None = None


def assemble_tables(pages: list[PdfPage], fragments: list[Fragment]) -> list[ExtractedTable]:
    return _Assembler(pages).run(fragments)


def plain_page_text(page: PdfPage, fragments: list[Fragment]) -> str:
    """A page as the text reader gives a document: narrative lines, then grid rows with their
    cells tab-separated (narrative rules skip tab rows), in reading order.

    Lines a paragraph wrapped at the right margin are joined again, so a sentence ('项目支出' …
    '680.00 万元') is on one line as in the text version.
    """
    items = _page_items(page, [f for f in fragments if f.page == page.number])
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
    if _is_wide(text[-1]) and _is_wide(more[0]):
        return text + more
    return f"{text} {more}"


def _is_wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


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


class _Assembler:
    def __init__(self, pages: list[PdfPage]) -> None:
        self.pages = pages
        self.furniture = _running_lines(pages)
        self.tables: list[ExtractedTable] = []
        self.pending: _Pending | None = None
        self.open: _Build | None = None
        self.loose: list[TextLine] = []  # lines since the last title or grid on this page

    def run(self, fragments: list[Fragment]) -> list[ExtractedTable]:
        by_page: dict[int, list[Fragment]] = {}
        for fragment in fragments:
            by_page.setdefault(fragment.page, []).append(fragment)
        for page in self.pages:
            self.loose = []
            items = _page_items(page, by_page.get(page.number, []))
            for k, item in enumerate(items):
                if item.line is not None:
                    following = next((it.line for it in items[k + 1 :] if it.line is not None), None)
                    self._on_line(page, item.line, following)
                elif item.fragment is not None:
                    self._on_fragment(item.fragment)
        self._finish()
        return self.tables

    # --- text lines ----------------------------------------------------------------------------

    def _on_line(self, page: PdfPage, line: TextLine, following: TextLine | None) -> None:
        text = line.text
        key = squash(text)
        if not key or is_page_artefact(text) or key in self.furniture:
            return
        if self.open is not None:
            self.open.after_grid.append(line)
        if looks_like_table_title(text):
            # a numbered title ('2、…绩效目标表') may be a contents entry: like any title it
            # only counts if a grid follows
            self.pending = _Pending(title=text, page=page.number)
            self._close()
            self.loose = []
            return
        if self.pending is not None and self._pending_line(text, following):
            return
        if self.open is not None and self.open.takes_notes and self._note_line(page, line):
            return
        self._close()
        self.loose.append(line)

    def _pending_line(self, text: str, following: TextLine | None) -> bool:
        """Unit and context lines between a title and its grid (the unit line is context too)."""
        pending = self.pending
        assert pending is not None
        if len(pending.context) >= MAX_CONTEXT_LINES or len(squash(text)) > MAX_CONTEXT_CHARS:
            self.pending = None  # it was not a table title after all, or its table is missing
            return False
        if pending.unit is None:
            # '单位：万' broken before '元' on the next line still declares 万元
            pending.unit = parse_unit(text, following.text if following else None)
        pending.context.append(text)
        return True

    def _note_line(self, page: PdfPage, line: TextLine) -> bool:
        current = self.open
        assert current is not None
        if is_note(line.text):
            current.notes.append(line.text)
            current.last_note = (page.number, line)
            current.continues = False
            return True
        if current.last_note is not None:
            note_page, note_line = current.last_note
            if note_page == page.number and _wraps_into(note_line, line, page):
                current.notes[-1] = join_lines([current.notes[-1], line.text])
                current.last_note = (page.number, line)
                return True
        current.takes_notes = False
        return False

    # --- grids ---------------------------------------------------------------------------------

    def _on_fragment(self, fragment: Fragment) -> None:
        current = self.open
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self._start(fragment, pending.title, pending.page, pending.unit, pending.context)
        elif current is not None and current.continues and self._continues(current, fragment):
            self._extend(current, fragment)
        elif current is not None and self._under(current, fragment):
            self._append_grid(current, fragment)
        else:
            # a borderless grid may hold its own title row; otherwise look just above it
            has_title = strip_meta_rows(fragment.rows)[0].title is not None
            context = [] if has_title else _context_above(self.loose, fragment)
            unit = next((u for u in map(parse_unit, context) if u), None)
            self._start(fragment, "", fragment.page, unit, context)
        self.loose = []

    @staticmethod
    def _continues(current: _Build, fragment: Fragment) -> bool:
        last = current.last
        if fragment.page == last.page + 1:
            return True
        # two grids with nothing between on one page: one table drawn in two blocks
        return fragment.page == last.page and fragment.n_columns == last.n_columns

    @staticmethod
    def _under(current: _Build, fragment: Fragment) -> bool:
        """A grid a few short lines below the table, with no title or section heading between."""
        between = current.after_grid
        return (
            fragment.page - current.last.page in (0, 1)
            and len(between) <= MAX_CONTEXT_LINES
            and not strip_meta_rows(fragment.rows)[0].title
            and all(
                len(squash(ln.text)) <= MAX_CONTEXT_CHARS
                and not SECTION_HEADING.match(ln.text)
                and not looks_like_table_title(ln.text)
                for ln in between
            )
        )

    def _start(self, fragment: Fragment, title: str, page: int, unit: str | None, context: list[str]) -> None:
        self._finish()
        meta, rows = strip_meta_rows(fragment.rows)
        meta_rows = fragment.rows[: len(fragment.rows) - len(rows)]
        rows = [list(r) for r in rows]
        title = title or meta.title or ""
        declared = take_unit(rows)  # blanks a '单位：万元' heading cell, as the text reader does
        unit = unit or meta.unit or declared
        if not title:
            header, _ = split_header(_pad(rows))
            if classify_title("", " ".join(c for row in header for c in row)) is None:
                return  # a grid that is not a disclosure table (a form, a signature box …)
        self.open = _Build(
            title=title,
            page=page,
            unit=unit,
            context=list(context) + meta.context,
            rows=[],
            pages=[],
            last=fragment,
            meta_rows=meta_rows,
        )
        self.open.add_rows(rows, fragment.page, fragment)

    def _extend(self, current: _Build, fragment: Fragment) -> None:
        """The table goes on over a page break (or in a second block on the same page)."""
        rows: list[Row] = [list(r) for r in fragment.rows]
        same_columns = fragment.n_columns == current.last.n_columns
        if not same_columns:
            rows = align_columns(rows, fragment.col_spans, current.last.col_spans)
        # drop what the page repeats at its top (the header, the grid's caption rows) and an
        # empty strip: what the page break left of the row above
        header = current.header_rows()
        repeated = header + current.meta_rows
        while rows and (
            not any(rows[0]) or is_caption_row(rows[0]) or any(same_row(rows[0], h) for h in repeated)
        ):
            rows = rows[1:]
        if (
            rows
            and same_columns
            and len(current.rows) > len(header)
            and is_cut_row(current.last.raw_rows[-1], rows[0], current.last.raw_rows)
        ):
            current.rows[-1] = merge_cut_row(current.rows[-1], rows[0])
            rows = rows[1:]
        current.add_rows(rows, fragment.page, fragment)

    def _append_grid(self, current: _Build, fragment: Fragment) -> None:
        """A second grid under the same title: lines between run on in the last cell."""
        del current.notes[current.notes_at_grid :]  # they were lines between, not notes
        last = current.rows[-1] if current.rows else None
        for line in current.after_grid:
            if last is not None:
                append_to_last_cell(last, line.text)
        current.add_rows([list(r) for r in fragment.rows], fragment.page, fragment)

    # --- bookkeeping -------------------------------------------------------------------------

    def _close(self) -> None:
        if self.open is not None:
            self.open.continues = False
            self.open.takes_notes = False

    def _finish(self) -> None:
        if self.open is not None:
            self.tables.append(self.open.finish(len(self.tables)))
            self.open = None


def _pad(rows: list[Row]) -> list[Row]:
    width = max((len(r) for r in rows), default=0)
    return [list(r) + [""] * (width - len(r)) for r in rows]


def _numbering_tail(header: list[Row], body: list[Row]) -> tuple[list[Row], list[Row]]:
    """A column-number row with a single number ('1' under one amount column) ends the header.

    The shared rule wants two numbered cells; a text version often pads such a row with '**'
    placeholders a PDF does not print.
    """
    if header and body:
        cells = [squash(c) for c in body[0] if squash(c)]
        if cells == ["1"]:
            return header + body[:1], body[1:]
    return header, body


def _page_items(page: PdfPage, fragments: list[Fragment]) -> list[_Item]:
    """Grids and the text lines outside them, top to bottom."""
    items = [_Item(top=f.top, fragment=f) for f in fragments]
    for line in page.lines:
        if not any(_inside(line, f) for f in fragments):
            items.append(_Item(top=line.top, line=line))
    items.sort(key=lambda it: -it.top)
    return items


def _inside(line: TextLine, fragment: Fragment) -> bool:
    x0, bottom, x1, top = fragment.bbox
    return bottom - 1 <= line.y_mid <= top + 1 and line.x1 > x0 and line.x0 < x1


def _running_lines(pages: list[PdfPage]) -> set[str]:
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


def _context_above(lines: list[TextLine], fragment: Fragment) -> list[str]:
    """Short lines set tight above an untitled grid ('填报部门（盖章）…', '单位：万元')."""
    context: list[str] = []
    below = fragment.top
    for line in reversed(lines[-3:]):
        height = line.top - line.bottom
        if len(squash(line.text)) > MAX_CONTEXT_CHARS or line.bottom - below > 2.5 * height:
            break
        context.insert(0, line.text)
        below = line.top
    return context


def _wraps_into(previous: TextLine, line: TextLine, page: PdfPage) -> bool:
    """``line`` continues a note that ran to the right edge of the text block."""
    right = max((ln.x1 for ln in page.lines), default=previous.x1)
    height = previous.top - previous.bottom
    return (
        right - previous.x1 <= 2 * height
        and 0 < previous.bottom - line.top <= height
        and not looks_like_table_title(line.text)
    )
