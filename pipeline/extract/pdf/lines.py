"""A PDF page's characters grouped into visual text lines, each split into words at cell gaps.

:mod:`document` opens and checks the file and hands each page (read with playa, the parser
camelot itself uses, so text and table cells agree) to :func:`read_page_lines`. The lines place
table titles, units and notes; their words are the cells of borderless tables.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field

import playa

from pipeline.extract.text_cleaning import clean_text_line
from pipeline.text import DECIMAL_FIGURE, MONEY_FIGURE, is_full_width

# A gap wider than this share of the font height between two characters is a word/cell break
# (the same share camelot is given as word_margin, so page text and cells space alike).
_SPACE_GAP = 0.3
# Chinese has no spaces between words: between two CJK characters only a gap of a whole
# character (two cells of a table row) is a break; smaller ones are justification or bad widths.
_CJK_SPACE_GAP = 1.0
# A figure with decimals never runs on into words: a cell of text set flush against an amount cell
# ('0.00做好…', an amount column and the 绩效目标 column touching) is two cells.
_UNIT_CHARS = "万元亿"
# Digits of one figure are set at one pitch (figures are of one width); the first digit of the next
# cell's code, set flush against a right-aligned amount, stands its cell padding further off.
_WIDER_DIGIT_PITCH = 1.25


@dataclass
class Word:
    """A run of characters of one line with no break-sized gap: a cell's text on that line."""

    text: str
    x0: float
    x1: float
    # the centre of each character of ``text`` where the text layer gives it (OCR boxes do not)
    centres: tuple[float, ...] = ()

    @property
    def is_figure(self) -> bool:
        """The word is one amount with its decimals (spaces a producer set inside it ignored)."""
        return bool(DECIMAL_FIGURE.match(self.text.replace(" ", "")))


@dataclass
class TextLine:
    """One visual line of text; coordinates are PDF points, origin bottom-left (y grows up)."""

    text: str
    x0: float
    bottom: float
    x1: float
    top: float
    words: list[Word] = field(default_factory=list)  # left to right; borderless tables use them

    @property
    def y_mid(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def ink(self) -> str:
        """The line's words as printed: ``text`` drops a leading '- ' as markup ('- 12 -' → '12 -')."""
        return "".join(w.text for w in self.words) if self.words else self.text


@dataclass
class _Char:
    ch: str
    left: float
    bottom: float
    right: float
    top: float


def read_page_lines(page: playa.Page) -> tuple[list[TextLine], int]:
    """The page's visual lines, top to bottom, and its count of readable (non-space) characters."""
    chars = _upright_chars(page)
    n_readable = sum(1 for c in chars if not c.ch.isspace() and _is_readable(c.ch))
    return _group_lines(chars), n_readable


def _upright_chars(page: playa.Page) -> list[_Char]:
    """The page's characters in the coordinates where its text reads left to right.

    A page turned by /Rotate, or a table printed sideways, has vertical text; it is turned the
    way camelot turns it before finding tables, so text lines and table grids line up.
    """
    glyphs = [g for g in page.glyphs if g.text and g.bbox[3] > g.bbox[1]]
    clockwise = sum(1 for g in glyphs if g.matrix[1] < 0 and g.matrix[2] > 0)
    anticlockwise = sum(1 for g in glyphs if g.matrix[1] > 0 and g.matrix[2] < 0)
    if clockwise + anticlockwise > len(glyphs) / 2:
        turn = 90 if anticlockwise > clockwise else -90
        page.set_initial_ctm(page.space, page.rotate + turn)
        turned = [_Char(g.text, *g.bbox) for g in page.glyphs if g.text and g.bbox[3] > g.bbox[1]]
        page.set_initial_ctm(page.space, page.rotate)  # as opened: camelot turns it on its own
        return turned
    return [_Char(g.text, *g.bbox) for g in glyphs]


def _is_readable(ch: str) -> bool:
    # U+FFFD and the private-use area are what fonts without a Unicode map extract as.
    code = ord(ch[0])
    return code != 0xFFFD and not 0xE000 <= code <= 0xF8FF and ch.isprintable()


def _group_lines(chars: list[_Char]) -> list[TextLine]:
    """Cluster characters into visual lines by their vertical middle, each read left to right.

    A character joins a line when its middle is within a third of the line's height of the
    line's middle; glyph boxes of neighbouring lines overlap, so overlap alone would chain them.
    """
    chars = sorted(chars, key=lambda c: -(c.top + c.bottom))
    bands: list[list[_Char]] = []
    mids: list[float] = []
    limits: list[float] = []
    for c in chars:
        if c.ch.isspace():
            continue
        mid = (c.top + c.bottom) / 2
        if bands and abs(mids[-1] - mid) <= limits[-1]:
            bands[-1].append(c)
        else:
            bands.append([c])
            mids.append(mid)
            limits.append((c.top - c.bottom) / 3)
    for c in chars:  # typed spaces go to the line they sit on
        if c.ch == " ":
            mid = (c.top + c.bottom) / 2
            for band, band_mid, limit in zip(bands, mids, limits, strict=True):
                if abs(band_mid - mid) <= limit:
                    band.append(c)
                    break
    lines = [_band_to_line(band) for band in bands]
    lines.sort(key=lambda ln: -ln.top)
    return lines


def _band_to_line(band: list[_Char]) -> TextLine:
    band.sort(key=lambda c: (c.left, c.ch != " "))
    glyphs = [c for c in band if c.ch != " "]
    bottom, top = min(c.bottom for c in glyphs), max(c.top for c in glyphs)
    height = top - bottom
    parts: list[str] = []
    words: list[list[_Char]] = []  # split where a gap (not a typed space) breaks the line
    prev: _Char | None = None
    for c in band:
        if c.ch == " ":
            parts.append(" ")
            if words:
                words[-1].append(c)  # a typed space stays inside its cell ('项 目')
            continue
        if prev is not None:
            both_cjk = is_full_width(prev.ch) and is_full_width(c.ch)
            if c.left - prev.right > (_CJK_SPACE_GAP if both_cjk else _SPACE_GAP) * height or _runs_on(words, c):
                parts.append(" ")
                words.append([])
        if not words:
            words.append([])
        words[-1].append(c)
        parts.append(c.ch)
        prev = c
    # converter left-overs ('## ', '- ', '**') go as in the text reader
    text = clean_text_line("".join(parts))
    boxes = [_word(w) for w in words]
    return TextLine(text, glyphs[0].left, bottom, max(c.right for c in glyphs), top, boxes)


def _runs_on(words: list[list[_Char]], c: _Char) -> bool:
    """``c`` is another cell's text set flush against the figure the current word holds: words, or
    the digits of a code left-aligned in the next cell (a right-aligned amount touching it,
    '3,456.78' + '201'), which stand apart by more than the figure's own digits do."""
    if not words:
        return False
    held = "".join(ch.ch for ch in words[-1] if ch.ch != " ")
    if c.ch.isdigit():
        return bool(MONEY_FIGURE.match(held)) and _wider_than_digits(words[-1], c)
    if not is_full_width(c.ch) or c.ch in _UNIT_CHARS:
        return False
    return bool(DECIMAL_FIGURE.match(held))


def _centre(c: _Char) -> float:
    return (c.left + c.right) / 2


def _wider_than_digits(word: list[_Char], c: _Char) -> bool:
    """``c`` stands further from the word's last digit than its digits stand from each other."""
    pitches = [_centre(b) - _centre(a) for a, b in zip(word, word[1:], strict=False)
               if a.ch.isdigit() and b.ch.isdigit()]
    if not pitches:
        return False
    last_digit = next(ch for ch in reversed(word) if ch.ch.isdigit())
    return _centre(c) - _centre(last_digit) > _WIDER_DIGIT_PITCH * statistics.median(pitches)


def _word(chars: list[_Char]) -> Word:
    ink = [c for c in chars if c.ch != " "]
    text = " ".join("".join(c.ch for c in chars).split())
    centres = tuple(_centre(c) for c in ink) if " " not in text else ()
    return Word(text, ink[0].left, max(c.right for c in ink), centres)


def median_height(lines: Sequence[TextLine]) -> float:
    """The usual height of the lines' text (1 point when there are none)."""
    return statistics.median(ln.top - ln.bottom for ln in lines) if lines else 1.0


def has_amount(line: TextLine) -> bool:
    """The line holds an amount with its decimals: a row of a table of money."""
    return any(w.is_figure for w in line.words)
