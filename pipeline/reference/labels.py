"""A row's label against the official name of its printed code: the label is a witness of placement.

Producers print the names with their own wording: numbering (一、), brackets of either width, a 类/款
tail, 支出 or 费 left off, 其他X支出 as 其他X. Those are the same subject. A label that names another
subject (基本工资 on the row of 30102 津贴补贴) is not: the row is misplaced, or the code misprinted.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from pipeline.reference.classification import classification_of
from pipeline.text import ENUMERATION, squash

_NOISE = re.compile(r"[（）()\[\]【】〔〕“”\"'‘’、，,.．：:;；\s·•]")
_TAIL = re.compile(r"(?:类|款|项)$")
_SUFFIXES = ("支出", "经费", "费用", "费")
# Beyond this share of common characters two names are one subject worded differently.
SIMILAR = 0.6


def name_key(name: str) -> str:
    """The wording-free key of a subject name: '一、其他工资福利支出（款）' → '其他工资福利'."""
    s = ENUMERATION.sub("", squash(name))
    s = _NOISE.sub("", s)
    s = _TAIL.sub("", s)
    for suffix in _SUFFIXES:
        if len(s) > len(suffix) + 1 and s.endswith(suffix):
            s = s[: -len(suffix)]
            break
    return s


def labels_agree(official: str, label: str) -> bool:
    """True when ``label`` names the subject ``official`` names, whatever the wording."""
    a, b = name_key(official), name_key(label)
    if not a or not b or a == b:
        return True
    if a in b or b in a:
        return True
    return SequenceMatcher(None, a, b).ratio() >= SIMILAR


def well_formed_printed_code(printed: str | None) -> str | None:
    """The code a printed code cell spells ('201 13 01' → '2011301'), when it has the shape of a code of
    the function or economic classification (a 7-digit economic code is a local sub-code); else None."""
    if not printed:
        return None
    digits = re.sub(r"\s+", "", printed)
    if not digits.isdigit():
        return None
    if classification_of(digits) or (len(digits) == 7 and digits.startswith("3")):
        return digits
    return None
