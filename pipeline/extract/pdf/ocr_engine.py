"""The OCR engine: text boxes, their characters and confidences, read from a page image.

RapidOCR (``rapidocr-onnxruntime``) runs PaddleOCR's Chinese detection and recognition models on
onnxruntime; the models ship inside the wheel, so nothing is downloaded. Loading them takes a
fraction of a second and some memory, so one engine is made per process, on first use, and
reused for every page after.

The detector's boxes are turned rectangles fitted to the ink; on a short figure with specks
around it the fit can come out turned by degrees, and the recogniser then reads a sheared crop
('8.33' as '288'). A box read with low confidence is therefore read again from its upright
bounding rectangle, and the better reading is kept.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any

import numpy as np

_LOCK = threading.Lock()
_ENGINE: Any = None
# Boxes below this recognition score are dropped: specks, stamps, bits of ruling read as text.
MIN_SCORE = 0.5
# A box read with less confidence than this is read again from its upright rectangle.
_RETRY_BELOW = 0.95
_MARGIN = 4  # pixels around a box re-read on its own


@dataclass
class OcrChar:
    text: str
    x0: float
    x1: float
    score: float


@dataclass
class OcrBox:
    """One detected text box in image pixels (y grows down)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    score: float  # the recogniser's confidence for the whole box, 0..1
    chars: list[OcrChar] = field(default_factory=list)  # left to right, when the engine gives them

    @property
    def lowest(self) -> float:
        """The confidence of the least certain character (the box's when none are given)."""
        return min((c.score for c in self.chars), default=self.score)


def engine() -> Any:
    """The process's RapidOCR engine, made on first use (thread-safe)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            from rapidocr_onnxruntime import RapidOCR  # heavy: onnxruntime and the models

            _ENGINE = RapidOCR()
        return _ENGINE


def recognise(image: np.ndarray, reread: bool = True) -> list[OcrBox]:
    """Every text box the engine reads on ``image`` (a straight greyscale page); with ``reread``,
    unsure boxes are read again (:func:`reread_unsure`)."""
    rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image
    result, _ = engine()(rgb, use_cls=False, return_word_box=True, text_score=0.0)
    boxes = [b for b in (_box(item) for item in result or []) if b.text.strip()]
    return reread_unsure(image, boxes) if reread else boxes


def reread_unsure(image: np.ndarray, boxes: list[OcrBox]) -> list[OcrBox]:
    """Boxes read with less than :data:`_RETRY_BELOW` read again from their upright rectangle;
    boxes still under :data:`MIN_SCORE` dropped."""
    rgb = np.stack([image] * 3, axis=-1) if image.ndim == 2 else image
    out = []
    for box in boxes:
        if box.score < _RETRY_BELOW:
            box = _reread(rgb, box)
        if box.text.strip() and box.score >= MIN_SCORE:
            out.append(box)
    return out


def read_strip(image: np.ndarray, x0: float, top: float, x1: float, bottom: float) -> tuple[str, float]:
    """The text of one line's strip of ``image`` (no detection), and its confidence."""
    h, w = image.shape[:2]
    crop = image[max(0, int(top)):min(h, int(bottom) + 1), max(0, int(x0)):min(w, int(x1) + 1)]
    if crop.size == 0:
        return "", 0.0
    rgb = np.stack([crop] * 3, axis=-1) if crop.ndim == 2 else crop
    result, _ = engine()(np.ascontiguousarray(rgb), use_det=False, use_cls=False)
    if not result:
        return "", 0.0
    return str(result[0][0]), float(result[0][1])


def _box(item: list, dx: float = 0.0, dy: float = 0.0) -> OcrBox:
    points = item[0]
    xs, ys = [float(p[0]) + dx for p in points], [float(p[1]) + dy for p in points]
    box = OcrBox(str(item[1]), min(xs), min(ys), max(xs), max(ys), float(item[2]))
    if len(item) >= 6 and item[3] and len(item[4]) == len(item[3]) == len(item[5]):
        box.chars = [
            OcrChar(str(t), min(p[0] for p in quad) + dx, max(p[0] for p in quad) + dx, float(s))
            for quad, t, s in zip(item[3], item[4], item[5], strict=True)
        ]
    return box


def _reread(rgb: np.ndarray, box: OcrBox) -> OcrBox:
    """The box read again from its upright rectangle; whichever reading is surer."""
    h, w = rgb.shape[:2]
    x0, y0 = max(0, int(box.x0) - _MARGIN), max(0, int(box.top) - _MARGIN)
    x1, y1 = min(w, int(box.x1) + _MARGIN), min(h, int(box.bottom) + _MARGIN)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return box
    result, _ = engine()(np.ascontiguousarray(rgb[y0:y1, x0:x1]), use_cls=False, return_word_box=True,
                         text_score=0.0)
    again = [_box(item, x0, y0) for item in result or []]
    if len(again) == 1 and again[0].score > box.score:
        return again[0]
    return box
