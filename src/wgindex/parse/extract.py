"""Small extractors shared by the parsers: footnotes, mentions, name lists."""

from __future__ import annotations

import re

from ..grammar import AGENDA_ITEM_RE
from ..symbols import SYMBOL_RE, sort_key
from ..text.clean import FROM_SUPERSCRIPT
from ..text.layout import FOOTNOTE_RE
from ..text.model import Block

RESOLUTION_RE = re.compile(r"第\s*(\d{1,2}\s*/\s*\d{1,2})\s*号决议")
PLACEHOLDER_RE = re.compile(r"\[\s*[.…·。]+\s*\]")


def footnote_mark(mark: str) -> str:
    return mark.translate(FROM_SUPERSCRIPT)


def split_footnotes(blocks: list[Block]) -> tuple[list[dict], list[Block]]:
    """Separate footnote definitions (``¹ text``, ``* text``) from the running text."""
    notes, rest = [], []
    for b in blocks:
        m = FOOTNOTE_RE.match(b.text)
        if m and not b.table:
            notes.append({"mark": footnote_mark(m.group(1)), "text": b.text[m.end():].strip(),
                          "source": b.source.as_dict()})
        else:
            rest.append(b)
    return notes, rest


def agenda_item_numbers(text: str) -> list[str]:
    """``议程项目 2 和 3`` -> ["2", "3"]."""
    out: list[str] = []
    for m in AGENDA_ITEM_RE.finditer(text):
        for n in re.findall(r"\d{1,2}", re.sub(r"[(（][a-z][)）]", "", m.group(1))):
            if n not in out:
                out.append(n)
    return out


def mentions(texts: list[str]) -> dict:
    """Symbols, COP resolutions and agenda items mentioned anywhere in ``texts``."""
    symbols, resolutions, items = set(), set(), set()
    for t in texts:
        symbols.update(m.group() for m in SYMBOL_RE.finditer(t))
        resolutions.update(re.sub(r"\s", "", m.group(1)) for m in RESOLUTION_RE.finditer(t))
        items.update(agenda_item_numbers(t))
    return {
        "symbols": sorted(symbols, key=sort_key),
        "resolutions": sorted(resolutions, key=lambda r: tuple(int(x) for x in r.split("/"))),
        "agenda_items": sorted(items, key=int),
    }


def split_names(text: str) -> tuple[list[str], bool]:
    """A printed list of names -> (names, incomplete).

    Separators are ``、`` ``，`` ``,`` ``;`` outside brackets; ``[……]`` placeholders of a
    draft are removed and make the list incomplete.
    """
    incomplete = bool(PLACEHOLDER_RE.search(text))
    text = PLACEHOLDER_RE.sub("", text).strip().rstrip("。.；;")
    names, depth, cur = [], 0, ""
    for ch in text:
        if ch in "（(《[":
            depth += 1
        elif ch in "）)》]":
            depth = max(0, depth - 1)
        if depth == 0 and ch in "、，,；;":
            names.append(cur)
            cur = ""
        else:
            cur += ch
    names.append(cur)
    names = [n.strip() for n in names]
    names = [re.sub(r"^(?:以及|及|和)", "", n).strip() for n in names]
    return [n for n in names if n], incomplete
