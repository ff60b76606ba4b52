"""Vega-Lite specs of the site's charts, rendered to inline SVG by vl-convert (no script, no network).

Bars are drawn from floats (万元); every figure a person reads exactly is in the tables beside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import vl_convert
from markupsafe import Markup

from budget_cli.site.chart_data import Execution, Point
from budget_cli.site.fmt import WAN

WIDTH = 640
BAR_STEP = 22
LABEL_LIMIT = 320
MAX_BARS = 60
MAX_SERIES = 10
# vl-convert measures text with the fonts it finds; the browser draws it with its own CJK fallback.
FONT = "WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, PingFang SC, Microsoft YaHei, sans-serif"
CONFIG = {
    "font": FONT,
    "axis": {"labelFontSize": 12, "titleFontSize": 12},
    "legend": {"labelFontSize": 12, "titleFontSize": 12, "orient": "bottom", "columns": 3, "labelLimit": 360},
    "view": {"stroke": None},
}
# Inline SVG in HTML needs no namespace declarations; dropping them keeps every page free of URLs.
_XMLNS = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')


@dataclass(frozen=True)
class Chart:
    title: str
    svg: Markup | None  # None: nothing to draw
    empty_note: str
    note: str = ""  # what the drawing leaves out, if anything


def render(spec: dict) -> Markup:
    """The spec as an inline <svg> element."""
    svg = vl_convert.vegalite_to_svg(spec)
    return Markup(_XMLNS.sub("", svg, count=2))


def _wan(amount) -> float:
    return float(amount / WAN)


def stacked_bars(points: list[Point], x_title: str, color_title: str | None,
                 series_order: list[str] | None = None) -> dict:
    """Horizontal bars, one per label (in the order of the points), stacked by series, with the
    bar's total at its end."""
    labels = list(dict.fromkeys(p.label for p in points))
    present = {p.series for p in points}
    series = [s for s in series_order or [] if s in present] + sorted(present - set(series_order or []))
    values = [{"label": p.label, "series": p.series, "wan": _wan(p.amount_yuan)} for p in points]
    y = {"field": "label", "type": "nominal", "sort": labels, "title": None,
         "axis": {"labelLimit": LABEL_LIMIT}}
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "width": WIDTH,
        "height": {"step": BAR_STEP},
        "data": {"values": values},
        "layer": [
            {"mark": {"type": "bar"},
             "encoding": {"y": y,
                          "x": {"field": "wan", "type": "quantitative", "aggregate": "sum", "title": x_title},
                          "color": {"field": "series", "type": "nominal", "sort": series, "title": color_title}}},
            {"transform": [{"aggregate": [{"op": "sum", "field": "wan", "as": "total"}], "groupby": ["label"]}],
             "mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "color": "#333"},
             "encoding": {"y": y, "x": {"field": "total", "type": "quantitative"},
                          "text": {"field": "total", "type": "quantitative", "format": ",.2f"}}},
        ],
    }


def execution_bars(lines: list[Execution]) -> dict:
    """Budget and final side by side for each unit, year and line."""
    values = []
    for ln in lines:
        label = f"{ln.scope} · {ln.line}"
        values.append({"label": label, "kind": "预算", "wan": _wan(ln.budget_yuan)})
        values.append({"label": label, "kind": "决算", "wan": _wan(ln.final_yuan)})
    labels = list(dict.fromkeys(v["label"] for v in values))
    kinds = ["预算", "决算"]
    # One panel per line, each with its own scale: a 三公 total beside a department's 合计 would be
    # a sliver on a shared axis.
    return {
        "$schema": "https://vega.github.io/schema/vega-lite/v5.json",
        "config": CONFIG,
        "data": {"values": values},
        "facet": {"row": {"field": "label", "type": "nominal", "sort": labels, "title": None,
                          "header": {"labelAngle": 0, "labelAlign": "left", "labelOrient": "top",
                                     "labelFontSize": 12, "labelLimit": 600}}},
        "spacing": 16,
        "resolve": {"scale": {"x": "independent"}},
        "spec": {
            "width": WIDTH,
            "height": {"step": BAR_STEP},
            "layer": [
                {"mark": {"type": "bar"},
                 "encoding": {
                     "y": {"field": "kind", "type": "nominal", "sort": kinds, "title": None},
                     "x": {"field": "wan", "type": "quantitative", "title": "万元"},
                     "color": {"field": "kind", "type": "nominal", "sort": kinds, "title": None, "legend": None,
                               "scale": {"range": ["#9ecae1", "#08519c"]}}}},
                {"mark": {"type": "text", "align": "left", "dx": 4, "fontSize": 11, "color": "#333"},
                 "encoding": {
                     "y": {"field": "kind", "type": "nominal", "sort": kinds},
                     "x": {"field": "wan", "type": "quantitative"},
                     "text": {"field": "wan", "type": "quantitative", "format": ",.2f"}}},
            ],
        },
    }


def chart(title: str, spec: dict | None, empty_note: str, note: str = "") -> Chart:
    return Chart(title, render(spec) if spec else None, empty_note, note)


def _totals(points: list[Point], key: str) -> dict[str, float]:
    out: dict[str, float] = {}
    for p in points:
        out[getattr(p, key)] = out.get(getattr(p, key), 0.0) + abs(_wan(p.amount_yuan))
    return out


def drawable(points: list[Point], max_bars: int = MAX_BARS, max_series: int = MAX_SERIES) -> tuple[list[Point], str]:
    """At most ``max_bars`` bars (the largest) and ``max_series`` colours (the largest, the rest as one),
    so a warehouse of thousands of documents still draws a chart one can read; and a note saying so."""
    notes = []
    bars = _totals(points, "label")
    if len(bars) > max_bars:
        keep = set(sorted(bars, key=bars.get, reverse=True)[:max_bars])
        points = [p for p in points if p.label in keep]
        notes.append(f"the {max_bars} largest of {len(bars)} bars are drawn")
    series = _totals(points, "series")
    if len(series) > max_series:
        keep = set(sorted(series, key=series.get, reverse=True)[:max_series - 1])
        rest = f"其他 {len(series) - len(keep)} 项"
        points = [p if p.series in keep else replace(p, series=rest) for p in points]
        notes.append(f"the {max_series - 1} largest of {len(series)} colours are named, the rest drawn as “{rest}”")
    return points, ("In this chart " + "; ".join(notes) + "; the tables give the exact figures.") if notes else ""
