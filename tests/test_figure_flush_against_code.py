"""A right-aligned amount set flush against the next cell's left-aligned code: two words, by the
pitch of the figure's digits (an office suite's borderless print leaves only its cell padding)."""

from __future__ import annotations

from pipeline.extract.pdf.lines import _band_to_line, _Char

DIGIT = 5.0  # advance of one figure glyph, points
HEIGHT = 10.0


def _set(text: str, x: float, advances: dict[int, float] | None = None) -> list[_Char]:
    """Glyphs of ``text`` from ``x``; ``advances`` widens the step before the k-th character."""
    chars = []
    for k, ch in enumerate(text):
        x += (advances or {}).get(k, 0.0)
        width = 2.5 if ch in ",." else (DIGIT if ch.isascii() else HEIGHT)
        chars.append(_Char(ch, x, 0.0, x + width, HEIGHT))
        x += width
    return chars


def _words(chars: list[_Char]) -> list[str]:
    return [w.text for w in _band_to_line(chars).words]


def test_a_code_flush_against_an_amount_is_a_word_of_its_own():
    # '2,070.44' then '201' two points further off than the figure's digits stand from each other
    assert _words(_set("2,070.44201一般公共服务", 100.0, {8: 2.0})) == ["2,070.44", "201一般公共服务"]


def test_a_figure_set_solid_is_one_word():
    # the same characters at one pitch: a figure with more decimals, not two cells
    assert _words(_set("2,070.44201", 100.0)) == ["2,070.44201"]
