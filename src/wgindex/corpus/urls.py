"""The site's one URL and anchor scheme: a page's path depends only on its own identity
(spec §6); pages, search, the inventory and the citation resolver all take theirs from here."""

from __future__ import annotations

import functools
import re

from .. import groups
from ..errors import SymbolError
from ..grammar import GrammarError, parse_locations
from ..schema import LANG_CODES
from ..symbols import page_symbol, validate

_PROVISIONAL_RE = re.compile(r"doc/[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9_-]+)*")


@functools.lru_cache(maxsize=1 << 16)  # asked for every link of every page (~400 a page)
def key_dir(key: str) -> str:
    """The page folder of a symbol or of a provisional id ``doc/<stem>``."""
    if key.startswith("doc/"):
        if not _PROVISIONAL_RE.fullmatch(key) or len(key) > 160:
            raise SymbolError(f"not a valid provisional id: {key!r}")
        return key + "/"
    return page_symbol(validate(key)) + "/"


def doc_dir(record: dict) -> str:
    """``CTOC/COP/WG.7/2017/5/`` or ``doc/<stem>/``; a further language version of a document
    (id ``<symbol>/en``, see ``collect``) under its symbol's folder: ``CTOC/COP/WG.7/2017/5/en/``."""
    symbol = record.get("symbol")
    if symbol and record["id"] != symbol:
        code = record["id"][len(symbol) + 1:]
        if not record["id"].startswith(symbol + "/") or code not in LANG_CODES.values():
            raise SymbolError(f"not a language version of {symbol}: id {record['id']!r}")
        return key_dir(symbol) + code + "/"
    return key_dir(symbol or record["id"])


def symbol_dir(symbol: str) -> str:
    return key_dir(symbol)


def meeting_dir(group: str, number: int) -> str:
    return f"meetings/{groups.short(group)}/{int(number)}/"


def topic_dir(slug: str) -> str:
    return f"topics/{slug}/"


def entity_dir(slug: str) -> str:
    return f"states/{slug}/"


def resolution_dir(res: str) -> str:
    a, b = res.split("/")
    return f"resolutions/{int(a)}-{int(b)}/"


def page_file(directory: str) -> str:
    return directory + "index.html" if directory.endswith("/") or not directory else directory


def up_from(from_file: str) -> str:
    """The way up from the page file ``from_file`` to the site's root (``""`` at the root)."""
    return "../" * from_file.count("/")


def relative(from_file: str, to: str, up: str | None = None) -> str:
    """Relative link from the page file ``from_file`` to ``to`` (a directory gets index.html,
    so the site works opened from disk).  Site paths are normalised, so the link is the way up
    to the root followed by the target (fast: this runs for every link of every page; a
    caller making many links from one page passes the way up, ``up_from(from_file)``)."""
    anchor = ""
    if "#" in to:
        to, anchor = to.split("#", 1)
        anchor = "#" + anchor
    if to == "" and anchor:
        return anchor
    target = page_file(to)
    if up is None:
        up = up_from(from_file)
    if not up and not target:
        return "./"
    return up + target + anchor


def para_anchor(number: str) -> str:
    """``8(e)`` -> ``para-8-e``; ``12`` -> ``para-12``."""
    n = number.replace("(", "-").replace(")", "").replace(" ", "")
    return f"para-{n}"


def rec_anchor(number: str) -> str:
    return f"rec-{number}"


def item_anchor(number: str, sub: str | None = None, adopted: bool = False) -> str:
    """``item-2``, ``item-2-a``; ``adopted-item-2`` in a report's adopted agenda."""
    return ("adopted-item-" if adopted else "item-") + str(number) + (f"-{sub}" if sub else "")


def row_anchor(index: int) -> str:
    """The anchor of an index table's row (1-based)."""
    return f"row-{index}"


def footnote_ids(footnotes: list[dict]) -> list[str]:
    """Anchors of a document's footnotes: ``fn-1``; ``*`` marks become ``x``; a mark used
    twice in one document gets ``fn-1-2`` the second time."""
    seen: dict[str, int] = {}
    ids = []
    for fn in footnotes:
        mark = "".join(ch if ch.isalnum() else "x" for ch in fn["mark"]) or "x"
        seen[mark] = seen.get(mark, 0) + 1
        ids.append(f"fn-{mark}" if seen[mark] == 1 else f"fn-{mark}-{seen[mark]}")
    return ids


@functools.lru_cache(maxsize=65536)
def loc_anchor(loc: str) -> str | None:
    """``II.B.12(c)`` (a location in a compilation) -> its anchor, or None when not one."""
    try:
        return parse_locations(loc)[0].anchor
    except (GrammarError, IndexError):
        return None


def doc_anchors(r: dict) -> set[str]:
    """Every anchor the page of record ``r`` carries (the one place anchors are named)."""
    a = set()
    for p in r["paragraphs"]:
        a.add(para_anchor(p["number"]))
        for sp in p.get("subparagraphs", []):
            if sp["label"] and not sp["label"].isdigit():
                a.add(para_anchor(f"{p['number']}({sp['label']})"))
    for rec in r["recommendations"]:
        a.add(rec_anchor(rec["number"]))
    for it in r["agenda_items"] + r["adopted_agenda"]:
        adopted = it not in r["agenda_items"]
        a.add(item_anchor(it["number"], adopted=adopted))
        for s in it["subitems"]:
            a.add(item_anchor(it["number"], s["label"], adopted))
    for fid in footnote_ids(r["footnotes"]):
        a.add(fid)
    for i, _ in enumerate(r["index_rows"], 1):
        a.add(row_anchor(i))
    return a


ANCHOR_KINDS = {"para": "paragraph", "rec": "recommendation", "item": "agenda_item",
                "adopted": "agenda_item", "fn": "footnote", "loc": "location", "row": "index_row"}


@functools.lru_cache(maxsize=1 << 16)  # the same few thousand anchors in every document
def anchor_kind(anchor: str) -> str:
    """What an anchor names: ``para-8-e`` -> subparagraph, ``rec-3`` -> recommendation …"""
    kind = ANCHOR_KINDS.get(anchor.split("-", 1)[0], "anchor")
    if kind == "paragraph" and anchor.count("-") == 2:
        kind = "subparagraph"
    return kind


@functools.lru_cache(maxsize=1 << 16)  # 80,000 anchors sorted a build at 1,000 documents
def anchor_sort_key(anchor: str):
    parts = anchor.split("-")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)
