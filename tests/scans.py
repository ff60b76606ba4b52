"""Make scans of PDFs in the tests: page images only, as a department's scanner would give them.

Each page is rendered by pdfium to a greyscale image at ``dpi``, turned by a fraction of a degree
(paper is never fed quite straight), speckled with noise if asked, and the pages are saved as an
image-only PDF with Pillow: no text layer at all, so the reader has to OCR them.

Generated disclosures use reportlab's CID font ``STSong-Light``, which the PDF only names; pdfium
draws it with a Chinese font of the system (Debian ``fonts-wqy-microhei``). Without one, their
characters render as nothing and a scan of them is blank where the text was:
:func:`require_cjk_font` says so up front instead of letting a test fail on empty pages.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

_FONT_DIRS = (Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts")
_CJK_FONT_HINTS = ("wqy", "noto", "cjk", "droid", "uming", "ukai", "hei", "song", "ming")


def require_cjk_font() -> None:
    """Fail with what to install when no Chinese font is there for pdfium to draw with."""
    for folder in _FONT_DIRS:
        if folder.is_dir() and any(
            any(h in f.name.lower() for h in _CJK_FONT_HINTS) for f in folder.rglob("*.tt[cf]")
        ):
            return
    raise RuntimeError(
        "No Chinese font is installed, so generated PDFs render without their characters. "
        "Install one: `apt-get install fonts-wqy-microhei` (make system-deps)."
    )


def page_images(source: Path, dpi: int, pages: Sequence[int] | None = None) -> list[Image.Image]:
    """Greyscale renderings of ``pages`` (1-based; all when None) of ``source``."""
    doc = pdfium.PdfDocument(str(source))
    try:
        numbers = list(pages) if pages is not None else list(range(1, len(doc) + 1))
        return [doc[n - 1].render(scale=dpi / 72).to_pil().convert("L") for n in numbers]
    finally:
        doc.close()


def scanned(image: Image.Image, degrees: float, noise: float, seed: int) -> Image.Image:
    """``image`` turned by ``degrees`` (white fill) with ``noise``: the share of pixels flipped to
    a random grey (dust, toner specks), plus a slight blur of the scanner's optics."""
    from PIL import ImageFilter

    turned = image.rotate(degrees, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    if noise <= 0:
        return turned
    rng = np.random.default_rng(seed)
    pixels = np.asarray(turned.filter(ImageFilter.GaussianBlur(0.6)), dtype=np.int16).copy()
    jitter = rng.normal(0, 12, pixels.shape).astype(np.int16)  # sensor noise everywhere
    specks = rng.random(pixels.shape) < noise
    pixels = pixels + jitter
    pixels[specks] = rng.integers(0, 256, int(specks.sum()))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")


def scan_pdf(
    source: Path,
    target: Path,
    *,
    dpi: int = 200,
    pages: Sequence[int] | None = None,
    degrees: float = 0.4,
    noise: float = 0.0,
    seed: int = 12,
) -> Path:
    """An image-only PDF of ``pages`` of ``source``: rendered, turned, noised, saved by Pillow.

    Successive pages turn alternately clockwise and anticlockwise by about ``degrees``.
    """
    images = page_images(source, dpi, pages)
    scans = [
        scanned(img, degrees * (1 if k % 2 == 0 else -0.8), noise, seed + k) for k, img in enumerate(images)
    ]
    scans[0].save(target, format="PDF", save_all=True, append_images=scans[1:], resolution=float(dpi))
    return target
