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

The page stream (grids and lines in reading order, running headers and footers) comes from
:mod:`page_text`; a table while it is read is :mod:`table_build`'s ``OpenTable``.
"""

from __future__ import annotations

from pipeline.extract.layout import (
    append_to_last_cell,
    is_note,
    is_page_artefact,
    split_header,
)
from pipeline.extract.pdf.document import PdfPage
from pipeline.extract.pdf.grids import Fragment, join_lines
from pipeline.extract.pdf.lines import TextLine
from pipeline.extract.pdf.page_text import page_items, running_lines
from pipeline.extract.pdf.rows import (
    Row,
    align_columns,
    is_caption_row,
    is_cut_row,
    merge_cut_row,
    same_row,
    strip_meta_rows,
    take_unit,
)
from pipeline.extract.pdf.table_build import OpenTable, PendingTitle, join_repeated_titles, pad_rows
from pipeline.extract.titles import (
    SECTION_HEADING,
    classify_title,
    looks_like_table_title,
    parse_unit,
    wrapped_title,
)
from pipeline.model import ExtractedTable
from pipeline.text import squash

# Lines between a title and its grid are short ('单位名称：…'); a long line or many lines mean
# the "title" was a sentence of the narrative. The text reader uses the same limits.
MAX_CONTEXT_LINES = 8
MAX_CONTEXT_CHARS = 60


def assemble_tables(pages: list[PdfPage], fragments: list[Fragment]) -> list[ExtractedTable]:
    return _Assembler(pages).run(fragments)


class _Assembler:
    def __init__(self, pages: list[PdfPage]) -> None:
        self.pages = pages
        self.furniture = running_lines(pages)
        self.tables: list[ExtractedTable] = []
        self.pending: PendingTitle | None = None
        self.open: OpenTable | None = None
        self.loose: list[TextLine] = []  # lines since the last title or grid on this page
        self.above: TextLine | None = None  # the line just read, when nothing came between on the page

    def run(self, fragments: list[Fragment]) -> list[ExtractedTable]:
        by_page: dict[int, list[Fragment]] = {}
        for fragment in fragments:
            by_page.setdefault(fragment.page, []).append(fragment)
        for page in self.pages:
            self.loose = []
            self.above = None
            items = page_items(page, by_page.get(page.number, []))
            for k, item in enumerate(items):
                if item.line is not None:
                    following = next((it.line for it in items[k + 1 :] if it.line is not None), None)
                    self._on_line(page, item.line, following)
                elif item.fragment is not None:
                    self._on_fragment(item.fragment)
        self._finish()
        return join_repeated_titles(self.tables)

    # --- text lines ----------------------------------------------------------------------------

    def _on_line(self, page: PdfPage, line: TextLine, following: TextLine | None) -> None:
        text = line.text
        key = squash(text)
        if not key or is_page_artefact(text) or is_page_artefact(line.ink) or key in self.furniture:
            return
        above, self.above = self.above, line
        if self.open is not None:
            self.open.after_grid.append(line)
        if looks_like_table_title(text):
            # a numbered title ('2、…绩效目标表') may be a contents entry: like any title it
            # only counts if a grid follows
            self.pending = PendingTitle(title=_title_from(above, line), page=page.number)
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
        self.above = None
        current = self.open
        # a grid that prints its own title in its first row starts a table of its own
        own_title = strip_meta_rows(fragment.rows)[0].title
        if self.pending is not None:
            pending, self.pending = self.pending, None
            self._start(fragment, pending.title, pending.page, pending.unit, pending.context)
        elif current is not None and not own_title and current.continues and self._continues(current, fragment):
            self._extend(current, fragment)
        elif current is not None and self._under(current, fragment):
            self._append_grid(current, fragment)
        else:
            # a grid may hold its own title row; otherwise look just above it
            context = [] if own_title else _context_above(self.loose, fragment)
            unit = next((u for u in map(parse_unit, context) if u), None)
            self._start(fragment, "", fragment.page, unit, context)
        self.loose = []

    @staticmethod
    def _continues(current: OpenTable, fragment: Fragment) -> bool:
        last = current.last
        if fragment.page == last.page + 1:
            return True
        # two grids with nothing between on one page: one table drawn in two blocks
        return fragment.page == last.page and fragment.n_columns == last.n_columns

    @staticmethod
    def _under(current: OpenTable, fragment: Fragment) -> bool:
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
            header, _ = split_header(pad_rows(rows))
            if classify_title("", " ".join(c for row in header for c in row)) is None:
                return  # a grid that is not a disclosure table (a form, a signature box …)
        self.open = OpenTable(
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

    def _extend(self, current: OpenTable, fragment: Fragment) -> None:
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

    def _append_grid(self, current: OpenTable, fragment: Fragment) -> None:
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


def _title_from(above: TextLine | None, line: TextLine) -> str:
    """The title ending on ``line``, with its first part when it wraps: the line read just before it
    (whatever took it: a title waiting for its grid takes short lines as context), set as one with
    it: the same size, no wider gap than a line's spacing, centred alike or flush left alike."""
    if above is None:
        return line.text
    height = line.top - line.bottom
    gap = above.bottom - line.top
    same_size = height > 0 and abs((above.top - above.bottom) - height) <= 0.15 * height
    centred = abs((above.x0 + above.x1) - (line.x0 + line.x1)) / 2 <= height
    flush = abs(above.x0 - line.x0) <= height / 2
    if not (same_size and -0.2 * height <= gap <= 0.8 * height and (centred or flush)):
        return line.text
    return wrapped_title(above.text, line.text) or line.text
