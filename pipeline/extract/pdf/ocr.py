"""Scanned pages: read their text with OCR into the same text lines a text layer gives.

A page without a usable text layer whose area is mostly an image (:attr:`PdfPage.looks_scanned`)
is rendered with pdfium at :data:`DPI`, read by the OCR engine (:mod:`ocr_engine`), straightened,
and its text boxes become :class:`TextLine` / :class:`Word` in PDF points, exactly what
:mod:`document` gives for a text page. From there the page goes where an unruled text page
goes: the word-position table reader (:mod:`words`), titles, units, page joins. The
rules drawn on the image (:mod:`ocr_rules`) cut a box that runs over a cell border, so every
word lies in one cell, as on a text page.

Each amount keeps the engine's confidence for it (the lowest of its characters); the reader puts
them on the facts (``confidence``), and the seconds each page took are kept for reporting.
"""

from __future__ import annotations

import re
import statistics
import time
from dataclasses import dataclass, field

import numpy as np

from pipeline.extract.pdf.document import PdfFile, PdfPage
from pipeline.extract.pdf.lines import TextLine, Word
from pipeline.extract.pdf.ocr_engine import OcrBox, OcrChar, read_strip, recognise, reread_unsure
from pipeline.extract.pdf.ocr_image import Rule, find_rules, skew_degrees, straighten_image
from pipeline.extract.pdf.word_columns import VRule
from pipeline.extract.text_cleaning import clean_cell, clean_text_line
from pipeline.text import FIGURE_LIKE, is_ideograph, squash

# Render resolution: 200 dpi keeps an 8-point table digit about 20 pixels high, which the
# recogniser reads reliably; more costs time and gains little.
DPI = 200
# The detector's boxes are its text kernels grown by an unclip ratio of 1.6: the ink is about
# this share of a box's height. Heights drive the table reader's gaps, so they must be the ink's.
_INK_SHARE = 0.72
# Two characters of one box further apart than this many text heights are two cells (a box the
# detector ran across a narrow gap).
_SPLIT_GAP = 1.2
# OCR's way of printing a figure: full-width digits and separators, or a comma for the point.
_FULLWIDTH = str.maketrans("０１２３４５６７８９，．－", "0123456789,.-")
# A decimal point the recogniser took for a colon or a full stop ('8:33', '8。33'): a budget
# table prints no times or sentences between digits. Wrong repairs fail the table's own sums.
_POINT = re.compile(r"^([-−]?[\d,]*\d)[:：。·]([\d]{1,2})$")
# ... or for a comma: a thousands group has three digits, so ',18' at the end is the point.
_COMMA_POINT = re.compile(r"^([-−]?[\d,]*\d),(\d{2})$")
# A figure with thousands separators, as budget tables print large amounts: 3,216,400.00.
_GROUPED = re.compile(r"^[-−]?\d{1,3}(?:,\d{3})+\.\d{2}$")


@dataclass
class OcrReading:
    """What OCR gave for the scanned pages of one document."""

    seconds: dict[int, float] = field(default_factory=dict)  # page → seconds to render and read it
    confidence: dict[tuple[int, str], float] = field(default_factory=dict)  # (page, text) → lowest score
    skew: dict[int, float] = field(default_factory=dict)  # page → degrees the scan was turned
    rules: dict[int, list[VRule]] = field(default_factory=dict)  # page → vertical rules in points

    @property
    def pages(self) -> list[int]:
        return sorted(self.seconds)

    def add_confidence(self, page: int, text: str, score: float) -> None:
        key = (page, squash(text))
        self.confidence[key] = min(score, self.confidence.get(key, 1.0))


def ocr_pages(pdf: PdfFile, pages: list[PdfPage], dpi: int = DPI) -> OcrReading:
    """Read ``pages`` (scans without a text layer) with OCR, filling their lines and characters."""
    reading = OcrReading()
    for page in pages:
        start = time.perf_counter()
        gray = np.asarray(pdf.render(page.number, dpi).convert("L"))
        _read_page(page, gray, dpi / 72.0, reading)
        reading.seconds[page.number] = time.perf_counter() - start
    return reading


def _read_page(page: PdfPage, gray: np.ndarray, scale: float, reading: OcrReading) -> None:
    gray, boxes, degrees = _upright(page, gray)
    rules = find_rules(gray).vertical if boxes else []
    for box in boxes:
        _recover_leading_strokes(gray, box, boxes, rules)
    pieces: list[_Piece] = []
    for box in boxes:
        mid, half = (box.top + box.bottom) / 2, (box.bottom - box.top) * _INK_SHARE / 2
        top, bottom = page.height - (mid - half) / scale, page.height - (mid + half) / scale
        for text, x0, x1, score in _split_box(box, rules):
            text = _normalise(text)
            if text:
                x0, x1 = _inside_rules(x0, x1, box, rules)
                pieces.append(_Piece(Word(text, x0 / scale, x1 / scale), top, bottom, score))
    page.lines = []
    for band in _bands(pieces):
        band = _join_split_figures(band)
        page.lines.append(_line(band))
        for piece in band:
            reading.add_confidence(page.number, piece.word.text, piece.score)
    page.n_chars = sum(len(squash(ln.text)) for ln in page.lines)
    reading.skew[page.number] = degrees
    reading.rules[page.number] = [
        (r.at / scale, page.height - r.start / scale, page.height - r.end / scale) for r in rules
    ]


def _upright(page: PdfPage, gray: np.ndarray) -> tuple[np.ndarray, list[OcrBox], float]:
    """The page levelled and its boxes; a page scanned sideways (a landscape table fed in upright)
    is turned a quarter so its text reads left to right, and ``page`` takes the turned size."""
    degrees = skew_degrees(gray)
    straight = straighten_image(gray, degrees)
    boxes = recognise(straight, reread=False)
    tall = [b for b in boxes if b.bottom - b.top > 1.5 * (b.x1 - b.x0)]
    wide = [b for b in boxes if b.x1 - b.x0 > 1.5 * (b.bottom - b.top)]
    if len(tall) < 3 or len(tall) <= 2 * len(wide):
        return straight, reread_unsure(straight, boxes), degrees
    # the recogniser turns a tall crop a quarter anticlockwise: if it read them well, so is the page
    turns = 1 if statistics.mean(b.score for b in tall) >= 0.8 else 3
    turned = np.ascontiguousarray(np.rot90(gray, turns))
    degrees = skew_degrees(turned)
    turned = straighten_image(turned, degrees)
    page.width, page.height = page.height, page.width
    return turned, recognise(turned), degrees


def _recover_leading_strokes(gray: np.ndarray, box: OcrBox, boxes: list[OcrBox], rules: list[Rule]) -> None:
    """'一' is one flat stroke: the detector often leaves it (and a '、' after it) out of a box, so
    '一般公共预算' reads '般公共预算', '一、一般…收入' '般…收入'. Where ink lies just left of a box
    that no other box or rule claims, the widened strip is read again; only a reading that adds
    '一' and '、' in front of the box's own text is taken."""
    if not box.text or not is_ideograph(box.text[0]):
        return
    h = box.bottom - box.top
    left = box.x0 - 3 * h
    for r in rules:
        if left < r.at < box.x0 and r.start <= box.bottom and r.end >= box.top:
            left = r.at + 3
    for other in boxes:
        if other is not box and other.x1 <= box.x0 + 2 and min(other.bottom, box.bottom) - max(other.top, box.top) > h / 2:
            left = max(left, other.x1 + 1)
    mid = (box.top + box.bottom) / 2
    strip = gray[int(mid - 0.25 * h):int(mid + 0.25 * h) + 1, max(0, int(left)):max(0, int(box.x0) - 1)]
    inked = np.flatnonzero(strip.min(axis=0) < 110) if strip.size else np.array([])
    if inked.size == 0:
        return
    start = max(0, int(left)) + int(inked[0])
    text, score = read_strip(gray, start - 0.3 * h, box.top, box.x1, box.bottom)
    prefix = text[: len(text) - len(box.text)] if text.endswith(box.text) else ""
    if prefix and set(prefix) <= set("一、") and score >= 0.8:
        box.text, box.x0, box.chars = text, float(start), []




def _inside_rules(x0: float, x1: float, box: OcrBox, rules: list[Rule]) -> tuple[float, float]:
    """A word's stretch clipped to the cell it lies in, where it pokes over a rule by a sliver
    (the recogniser's character boxes are a few pixels wide of the ink)."""
    for r in rules:
        if x0 < r.at < x1 and r.start <= box.bottom and r.end >= box.top:
            if r.at - x0 < 0.3 * (x1 - x0):
                x0 = r.at + 1
            elif x1 - r.at < 0.3 * (x1 - x0):
                x1 = r.at - 1
    return x0, x1


def _normalise(text: str) -> str:
    text = clean_cell(text)
    figure = _POINT.sub(r"\1.\2", text.translate(_FULLWIDTH).replace(" ", ""))
    figure = _COMMA_POINT.sub(r"\1.\2", figure)
    if not FIGURE_LIKE.match(figure):
        return text
    # a speck beside a figure read as a point ('.96.55', '96.55.'): the figure has its own
    core = figure.strip(".,")
    return core if "." in core and core != figure and FIGURE_LIKE.match(core) else figure


def _split_box(box: OcrBox, rules: list[Rule]) -> list[tuple[str, float, float, float]]:
    """The box's text as words (text, x0, x1, lowest score): cut where a vertical rule crosses
    it or its characters leave a gap as wide as a cell border's padding. A word spans its
    characters' ink (the detector's box is wider by its margin on both sides)."""
    margin = (box.bottom - box.top) * (1 - _INK_SHARE) / 2
    chars = box.chars
    if len(chars) < 2:
        return [(box.text, box.x0 + margin, box.x1 - margin, box.lowest)]
    height = (box.bottom - box.top) * _INK_SHARE
    cuts = [r.at for r in rules if box.x0 < r.at < box.x1 and r.start <= box.bottom and r.end >= box.top]
    groups: list[list[OcrChar]] = [[chars[0]]]
    for prev, char in zip(chars, chars[1:], strict=False):
        ruled = any(prev.x1 <= at + 1 and char.x0 >= at - 1 for at in cuts)
        if ruled or char.x0 - prev.x1 > _SPLIT_GAP * height:
            groups.append([])
        groups[-1].append(char)
    if len(groups) == 1:
        return [(box.text, chars[0].x0, chars[-1].x1, box.lowest)]
    return [("".join(c.text for c in g), g[0].x0, g[-1].x1, min(c.score for c in g)) for g in groups]


@dataclass
class _Piece:
    """A word OCR read, with its line's ink top and bottom (points) and its lowest confidence."""

    word: Word
    top: float
    bottom: float
    score: float

    @property
    def mid(self) -> float:
        return (self.top + self.bottom) / 2


def _bands(pieces: list[_Piece]) -> list[list[_Piece]]:
    """Words into visual lines by their vertical middle, as the text-layer reader groups glyphs;
    top to bottom, each left to right."""
    bands: list[list[_Piece]] = []
    for piece in sorted(pieces, key=lambda p: -p.mid):
        if bands and abs(statistics.median(p.mid for p in bands[-1]) - piece.mid) <= (piece.top - piece.bottom) / 3:
            bands[-1].append(piece)
        else:
            bands.append([piece])
    for band in bands:
        band.sort(key=lambda p: p.word.x0)
    return bands


def _line(band: list[_Piece]) -> TextLine:
    words = [p.word for p in band]
    text = clean_text_line(" ".join(w.text for w in words))
    top, bottom = max(p.top for p in band), min(p.bottom for p in band)
    return TextLine(text, words[0].x0, bottom, max(w.x1 for w in words), top, words)


def _join_split_figures(band: list[_Piece]) -> list[_Piece]:
    """One figure the detector cut in two boxes ('3,216,4' + '400.00', the boxes overlapping on
    the '4'; '3,268,' + '700.00') joined again, when the joint reads as a figure whose thousands
    groups all have three digits. Cells of two columns are further apart than half a text height."""
    out: list[_Piece] = []
    for piece in band:
        prev = out[-1] if out else None
        height = piece.top - piece.bottom
        if prev is not None and piece.word.x0 - prev.word.x1 < 0.5 * height:
            joined = _joined_figure(prev.word, piece.word)
            if joined is not None:
                word = Word(joined, prev.word.x0, max(prev.word.x1, piece.word.x1))
                out[-1] = _Piece(word, max(prev.top, piece.top), min(prev.bottom, piece.bottom),
                                 min(prev.score, piece.score))
                continue
        out.append(piece)
    return out


def _joined_figure(left: Word, right: Word) -> str | None:
    """``left`` and ``right`` as one grouped figure, dropping the characters both boxes read
    where they overlap; None when no such joint reads as a figure."""
    if not (FIGURE_LIKE.match(left.text) and FIGURE_LIKE.match(right.text)):
        return None
    for drop in range(0, min(3, len(right.text))):
        if drop and not left.text.endswith(right.text[:drop]):
            continue
        joined = left.text + right.text[drop:]
        if _GROUPED.match(joined):
            return joined
    return None
