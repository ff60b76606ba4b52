"""Text helpers every reader and check shares: whitespace, the width of CJK characters, the shapes of a
printed figure. Declared once here; the words of the disclosures are in :mod:`pipeline.vocabulary`."""

from __future__ import annotations

import re
import unicodedata

# A printed amount as a whole cell: thousands separators or plain digits, decimals optional
# ('1,234.56', '1234.56', '1234'), a minus sign of either kind.
FIGURE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
# The same with its decimals required: what a table of money prints, where a whole number may be a
# code or a count ('1,234.56', never '201').
DECIMAL_FIGURE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d+$")
# An amount of money as tables print it: to the fen, two decimals ('1,234.56').
MONEY_FIGURE = re.compile(r"^[-−]?(?:\d{1,3}(?:,\d{3})+|\d+)\.\d{2}$")
# A figure as a recogniser may read it: digits with commas and dots anywhere ('1.234,56', '12345.6.').
FIGURE_LIKE = re.compile(r"^[-−]?[\d,.]*\d[\d,.]*$")
# A subject code as printed: 3 (类), 5 (款) or 7 (项) digits, or a truncated one in between.
PRINTED_CODE = re.compile(r"^\d{3,7}$")
# Punctuation inside or at the end of a sentence: a line holding one is prose, not a row of cells.
SENTENCE_MARK = re.compile(r"[，。；！？]")
# The enumeration a label opens with ('一、', '（三）', '2.'): a new item, never a wrapped label's rest.
ENUMERATION = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．](?!\d))\s*")
# A bracketed remark at the end of a name or heading ('单位名称（盖章）', '部门（单位）').
BRACKETED_TAIL = re.compile(r"[（(][^（()）]*[)）]$")
# A figure inside running text, decimals optional ('项目支出12万元', '1,234.56').
FIGURE_IN_TEXT = re.compile(r"[0-9][0-9,]*(?:\.[0-9]+)?")
# Figures with decimals inside running text, not glued to another figure.
DECIMAL_FIGURE_IN_TEXT = re.compile(r"(?<![\d.,])-?\d{1,3}(?:,\d{3})*\.\d+|(?<![\d.,])-?\d+\.\d+")


def squash(text: str | None) -> str:
    """The text without any whitespace (ideographic spaces included): titles, header words and labels
    are compared this way, whatever spacing a producer printed."""
    return "".join((text or "").split())


def is_wide(ch: str) -> bool:
    """A character set full-width in CJK text: ideographs, full-width punctuation and the curly quotes
    and other East Asian ambiguous-width signs CJK fonts print wide. Lines of such text join without
    a space."""
    return unicodedata.east_asian_width(ch) in ("W", "F", "A")


def is_full_width(ch: str) -> bool:
    """A character of full width for certain (East Asian wide or full-width), not one of the ambiguous
    signs :func:`is_wide` counts too: a gap between two of these is a CJK gap, and a line breaks into
    words only at a whole character's width there."""
    return unicodedata.east_asian_width(ch[0]) in ("W", "F")


def is_ideograph(ch: str) -> bool:
    """A CJK unified ideograph (汉字), not punctuation or a full-width letter."""
    return "\u4e00" <= ch <= "\u9fff"


def clip(text: str | None, limit: int = 160) -> str | None:
    """The text on one line, cut to ``limit`` characters with an ellipsis."""
    if text is None:
        return None
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def join_details(pieces: dict[str, object]) -> str:
    """``key: value`` pieces joined by ``; ``, skipping empty values."""
    return "; ".join(f"{k}: {v}" for k, v in pieces.items() if v is not None and v != "")
