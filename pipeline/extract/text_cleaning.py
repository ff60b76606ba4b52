"""Stripping the left-overs document converters put into disclosure text.

Converters emit markdown (``**``, ``##``, ``- `` bullets), LaTeX for signs (``$\\geq 95\\%$``),
HTML (``<input type="checkbox"/>``, ``<ol …>``) and markdown table rulers (``---|---``).
None of it is content; removing it here keeps every later rule simple.
"""

from __future__ import annotations

import re

_LATEX = [
    (re.compile(r"\\geq?\b|\\geqslant\b"), "≥"),
    (re.compile(r"\\leq?\b|\\leqslant\b"), "≤"),
    (re.compile(r"\\%"), "%"),
    (re.compile(r"\\times\b"), "×"),
    (re.compile(r"\\sim\b"), "~"),
]
_DOLLAR_MATH = re.compile(r"\$([^$\n]{1,80})\$")
_CHECKBOX = re.compile(r"<input[^>]*type=[\"']?checkbox[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>\n]{0,200}>")
_HEADING = re.compile(r"^\s*#{1,6}\s+")
_BOLD = re.compile(r"\*\*(?=\S)|(?<=\S)\*\*")
_BULLET = re.compile(r"^\s*[-*+•]\s+(?=\S)")
_RULER = re.compile(r"^[\s|:\-–—]+$")


def _unlatex(match: re.Match[str]) -> str:
    s = match.group(1)
    for pattern, repl in _LATEX:
        s = pattern.sub(repl, s)
    s = s.replace("{", "").replace("}", "").replace("\\", "")
    return s.replace(" ", "")


def clean_cell(cell: str) -> str:
    """One cell or text line: markup removed, inner whitespace collapsed."""
    s = _DOLLAR_MATH.sub(_unlatex, cell)
    s = _CHECKBOX.sub("□", s)
    s = _HTML_TAG.sub(" ", s)
    # A cell that is only '**' is a numbering placeholder in the header: keep it.
    if s.strip() != "**":
        s = _BOLD.sub("", s)
    s = s.replace("\u3000", " ").replace("\xa0", " ")
    return re.sub(r"\s+", " ", s).strip()


def clean_text_line(line: str) -> str:
    """A narrative line: heading marks and bullets removed as well."""
    s = _HEADING.sub("", line)
    s = _BULLET.sub("", s)
    return clean_cell(s)


def is_ruler(line: str) -> bool:
    """A markdown table ruler ('------\t--\t---'): no content."""
    return bool(line.strip()) and bool(_RULER.match(line.replace("\t", " ")))
