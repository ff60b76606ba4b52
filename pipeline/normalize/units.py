"""Budget units (预算单位): the publishing department, its subordinate units and their spellings.

A unit's id is derived from its canonical full name, so it is stable across runs, re-ingests
and documents: the same department in two years' disclosures is one unit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher

from pipeline.text import squash
from pipeline.vocabulary import PARTY_PREFIXES

# Administrative-area prefix: up to three place names (province, city, district/county), each
# ending in its level, before the body's own name.
_PLACE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:省|自治区|市|自治州|地区|盟|区|县|旗)")
# Words that end like a place but name something else ('某市城市管理局' is in 某市, not in 某市城市).
_NOT_PLACES = {
    "城市", "都市", "超市", "社区", "园区", "景区", "街区", "校区", "郊区", "市区", "城区", "辖区",
    "山区", "片区", "林区", "牧区", "矿区", "灾区", "学区", "地区",
}
_ORG_SUFFIX = (
    "办公室", "委员会", "常委会", "中心", "局", "院", "所", "站", "处", "厅", "部", "办", "机关",
    "本级", "会", "队", "馆", "室", "校", "社", "场", "园", "台", "团", "厂",
)
# A second name in brackets after the first: '某研究院（某数据管理中心）'.
_BRACKETED_TAIL = re.compile(r"[（(][^（()）]{2,40}[)）]$")
_LEADING_CODE = re.compile(r"^\d{1,9}\s*[-—－]?\s*")
# A cover that sets the year before the name ('2026年度某市公安局'): the year is no part of it.
_LEADING_YEAR = re.compile(r"^(?:19|20)\d{2}年度?")
_TRAILING_NOTE = re.compile(r"[（(](?:部门|本级|单位)[)）]$")


_ABBREVIATIONS = (
    ("人民代表大会常务委员会", "人大常委会"),
    ("人民代表大会", "人大"),
    ("常务委员会", "常委会"),
    ("人民政府", "政府"),
)


def abbreviate(name: str) -> str:
    """The short official spelling: 人民代表大会常务委员会 → 人大常委会."""
    for long, short in _ABBREVIATIONS:
        name = name.replace(long, short)
    return name


def unit_id_for(canonical_name: str) -> str:
    return "u_" + hashlib.sha256(canonical_name.encode("utf-8")).hexdigest()[:12]


def clean_unit_name(text: str) -> str:
    """'001-某市…办公室（部门）' → '某市…办公室'; '101某县…' → '某县…'; '2026年度某局' → '某局'."""
    s = squash(text)
    s = re.sub(r"^(?:单位名称|部门名称|填报部门|填报单位|预算单位)(?:（盖章）|\(盖章\))?[:：]?", "", s)
    s = _LEADING_CODE.sub("", _LEADING_YEAR.sub("", s))
    s = _TRAILING_NOTE.sub("", s)
    return s.strip("：:")


def looks_like_unit_name(text: str) -> bool:
    s = clean_unit_name(text)
    s = _BRACKETED_TAIL.sub("", s) or s
    if len(s) < 3 or re.search(r"\d", s):
        return False
    return s.endswith(_ORG_SUFFIX) and not s.endswith(("支出", "经费", "费"))


def region_parts(name: str) -> list[str]:
    """'甲市乙区人民代表大会常务委员会办公室' → ['甲市', '乙区']: the places (up to three) a name opens with,
    after a Party committee's prefix ('中共某市委宣传部' → ['某市']); '某市城市管理局' → ['某市']."""
    body = next((name[len(p):] for p in PARTY_PREFIXES if name.startswith(p)), name)
    parts: list[str] = []
    pos = 0
    for _ in range(3):
        m = _PLACE.match(body, pos)
        if not m or m.group(0) in _NOT_PLACES or m.end() >= len(body):
            break
        parts.append(m.group(0))
        pos = m.end()
    return parts


def region_of(name: str) -> str | None:
    """'甲市乙区人民代表大会常务委员会办公室' → '甲市乙区'; '某市城市管理局' → '某市'."""
    return "".join(region_parts(name)) or None


def _names_its_place(name: str, region: str) -> bool:
    """'某某教育电视台' in 某某市: the name opens with a place of the region without its level word
    (某某, two characters at least), so it needs no region put before it."""
    places = [m.group(0) for m in _PLACE.finditer(region)]
    return any(len(p) >= 3 and name.startswith(p[:-1]) for p in places if p.endswith(("市", "区", "县", "旗")))


def without_city(name: str) -> str | None:
    """'甲市乙区人大信息中心' → '乙区人大信息中心' (the spelling without the city)."""
    m = re.match(r"^[\u4e00-\u9fff]{2,8}?市(?=[\u4e00-\u9fff]{1,8}?(?:区|县))", name)
    return name[m.end():] if m else None


def _is_short_form(label: str, full: str) -> bool:
    """'区人大办' for '…区人大常委会办公室': a short name whose characters occur in order in the full one.

    Short names start with the administrative level (区/市/县) and keep the body's key characters;
    a subordinate unit's name adds characters the department's name does not have.
    """
    if not (3 <= len(label) <= 8) or label[0] not in "省市区县旗州" or len(label) >= len(full):
        return False
    it = iter(full[full.find(label[0]):] if label[0] in full else "")
    return all(ch in it for ch in label[1:])


def _spelt_alike(name: str, other: str) -> bool:
    """One name spelt otherwise: characters left out ('中共某市委宣传部' | '某市委宣传部') or misread within it
    (OCR), the body it names, its last word, the same. Not another unit whose name differs in that word
    ('…政府公报室' is not '…政府办公室', though 87 % alike)."""
    short, long = sorted((name, other), key=len)
    rest = iter(long)
    abridged = all(ch in rest for ch in short)
    return SequenceMatcher(None, name, other).ratio() >= 0.85 and (abridged or name[-2:] == other[-2:])


@dataclass
class Unit:
    unit_id: str
    unit_name: str
    unit_code: str | None
    parent_unit_id: str | None
    region: str | None
    aliases: set[str] = field(default_factory=set)


@dataclass
class UnitRegistry:
    """The units of one document, resolving every spelling a table prints."""

    department: Unit
    units: dict[str, Unit] = field(default_factory=dict)
    alias_index: dict[str, str] = field(default_factory=dict)

    @classmethod
    def for_department(cls, name: str, code: str | None = None, aliases: set[str] | None = None) -> UnitRegistry:
        dept = Unit(unit_id_for(name), name, code, None, region_of(name))
        reg = cls(department=dept)
        reg.units[dept.unit_id] = dept
        reg._add_alias(dept, name)
        short = without_city(name)
        if short:
            reg._add_alias(dept, short)
        for a in aliases or set():
            reg._add_alias(dept, a)
        return reg

    def _add_alias(self, unit: Unit, alias: str) -> None:
        alias = squash(alias)
        if alias:
            unit.aliases.add(alias)
            self.alias_index.setdefault(alias, unit.unit_id)

    def resolve(self, label: str, code: str | None = None, create: bool = True, vouched: bool = False) -> Unit | None:
        """The unit a row label names; a new subordinate unit when it names none known. ``vouched``:
        the table's own sums show the row opens a unit's section, whatever its name ends with."""
        name = clean_unit_name(label)
        if not name:
            return None
        for candidate in (name, name.removesuffix("本级")):
            if candidate in self.alias_index:
                unit = self.units[self.alias_index[candidate]]
                self._add_alias(unit, name)
                if code and not unit.unit_code:
                    unit.unit_code = code
                return unit
        dept = self.department
        base = abbreviate(name.removesuffix("本级"))
        full = abbreviate(dept.unit_name)
        spellings = [full] + [s for s in [without_city(full)] if s]
        if any(
            (sp.startswith(base) and len(base) >= 6) or _spelt_alike(base, sp) for sp in spellings
        ) or _is_short_form(base, full):
            self._add_alias(dept, name)
            return dept
        if not create or not (vouched or looks_like_unit_name(name)):
            return None
        canonical, region = name, region_of(name)
        if not region and dept.region and _names_its_place(name, dept.region):
            region = dept.region  # '某某教育电视台' under 某某市 is named as printed, in 某某市
        elif not region and dept.region:
            # '区人大信息中心' under 甲市乙区 is 甲市乙区人大信息中心, not …区区….
            canonical = dept.region + (name[1:] if name[0] == dept.region[-1] else name)
            region = region_of(canonical)
        unit = Unit(unit_id_for(canonical), canonical, code, dept.unit_id, region)
        self.units[unit.unit_id] = unit
        self._add_alias(unit, canonical)
        self._add_alias(unit, name)
        short = without_city(canonical)
        if short:
            self._add_alias(unit, short)
        return unit
