"""A scanned page's geometry: its skew, undone before OCR, and the ruling lines of its tables.

A scan is rarely straight. :func:`skew_degrees` finds the turn that makes the page's rows of ink
most sharply separated (the projection-profile method: the row sums of a straight page alternate
between full lines and empty gaps, a turned page smears them), and :func:`straighten_image` undoes
it, so the OCR's boxes are level and the boxes of one printed line share a height.

Rules are found with OpenCV.
The idea is camelot's image-based lattice: threshold the image so ink is white, then keep only
what survives an opening with a long thin kernel (a run of ink at least ``1/_SCALE`` of the page
long, one pixel thick), once horizontal and once vertical. Text does not survive it, rules do.
The page is straightened first, so a rule is a row or column of pixels, not a slope.
"""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

# A rule is at least 1/_SCALE of the page's width (horizontal) or height (vertical): the shortest
# cell border of a budget table is longer than that, the longest stroke of a character shorter.
_SCALE = 40
# Ink darker than the local mean by this much (the threshold camelot's lattice uses).
_C = -2
_BLOCK = 15
# Paper fed by hand is off by a degree or two at most; a page turned further is not a skew.
_MAX_SKEW = 3.0


@dataclass(frozen=True)
class Rule:
    """One ruling line in image pixels: ``at`` is its y (horizontal) or x (vertical)."""

    at: float
    start: float
    end: float


@dataclass
class Rules:
    horizontal: list[Rule]
    vertical: list[Rule]


def skew_degrees(gray: np.ndarray, limit: float = _MAX_SKEW) -> float:
    """The turn in degrees (counter-clockwise positive, within ``±limit``) that levels the page."""
    ink = _small_ink(gray)
    best = _best_angle(ink, np.arange(-limit, limit + 1e-9, 0.2))
    return _best_angle(ink, np.arange(best - 0.2, best + 0.2 + 1e-9, 0.04))


def _small_ink(gray: np.ndarray) -> np.ndarray:
    """The page's ink at about 1000 pixels high: enough to see lines, cheap to turn 30 times."""
    factor = max(1, gray.shape[0] // 1000)
    small = cv2.resize(gray, (gray.shape[1] // factor, gray.shape[0] // factor), interpolation=cv2.INTER_AREA)
    _, ink = cv2.threshold(small, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    return ink


def _best_angle(ink: np.ndarray, angles: np.ndarray) -> float:
    h, w = ink.shape
    scores = []
    for angle in angles:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), float(angle), 1.0)
        turned = cv2.warpAffine(ink, matrix, (w, h), flags=cv2.INTER_NEAREST, borderValue=0)
        rows = turned.sum(axis=1, dtype=np.float64)
        scores.append(float(np.square(np.diff(rows)).sum()))
    return float(angles[int(np.argmax(scores))])


def straighten_image(gray: np.ndarray, degrees: float) -> np.ndarray:
    """``gray`` turned by ``degrees`` around its centre (the scan levelled), white fill."""
    if abs(degrees) < 0.01:
        return gray
    h, w = gray.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), degrees, 1.0)
    return cv2.warpAffine(gray, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def find_rules(gray: np.ndarray) -> Rules:
    """Horizontal and vertical rules of a straight greyscale page image."""
    ink = cv2.adaptiveThreshold(
        cv2.bitwise_not(gray), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY, _BLOCK, _C
    )
    h, w = ink.shape
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (w // _SCALE, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, h // _SCALE)))
    # a rule broken by noise or a stroke of text is one rule: close small gaps along it
    across = cv2.dilate(across, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 1)))
    down = cv2.dilate(down, cv2.getStructuringElement(cv2.MORPH_RECT, (1, 9)))
    return Rules(_segments(across, horizontal=True), _segments(down, horizontal=False))


def _segments(mask: np.ndarray, horizontal: bool) -> list[Rule]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    rules = []
    for k in range(1, n):
        x, y, w, h = (int(v) for v in stats[k][:4])
        if horizontal:
            rules.append(Rule(y + h / 2, x, x + w))
        else:
            rules.append(Rule(x + w / 2, y, y + h))
    return sorted(rules, key=lambda r: (r.at, r.start))
