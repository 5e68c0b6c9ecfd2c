"""Annotated provisional agenda: items, sub-items, annotations, documents, schedule."""

from __future__ import annotations

import re
from datetime import date

from ..text.layout import NUM_START_RE, SUBITEM_RE, TERMINAL_RE
from ..text.model import Block
from ..numerals import MONTH_DAY_RE
from .report import _clean_title, agenda_from_items
from ..symbols import SYMBOL_RE

WEEKDAY_RE = re.compile(r"星期[一二三四五六日天]")
CONTINUED_RE = re.compile(r"\s*[（(]\s*续\s*[）)]\s*$")
ITEM_CELL_RE = re.compile(r"^\d{1,2}(?:\s*[（(]\s*[a-z]\s*[)）])?$")


def _is_heading(text: str, word: str) -> bool:
    return text.strip() == word


def _agenda_list(blocks: list[Block], start: int) -> tuple[list[dict], int]:
    """The numbered items and (a) sub-items after 临时议程, up to the first other block."""
    listed: list[dict] = []
    numbered = 0
    i = start
    while i < len(blocks):
        t = blocks[i].text.strip()
        m = NUM_START_RE.match(t)
        if m and int(m.group(1)) == numbered + 1:
            numbered += 1
        elif not (numbered and (m := SUBITEM_RE.match(t))):
            break
        listed.append({"label": m.group(1), "text": t[m.end():], "source": blocks[i].source.as_dict()})
        i += 1
    items = agenda_from_items(listed)
    for item in items:
        item["annotation"], item["documents"] = [], []
    return items, i


_SENTENCE_END_RE = re.compile(r"[。！？；：.!?;:][”’」』）)\]】]*[¹²³⁴⁵⁶⁷⁸⁹⁰*]*$")


def _title_like(text: str) -> bool:
    """An item heading: it does not end a sentence (a closing bracket may end it)."""
    return not _SENTENCE_END_RE.search(text)


def _document_entry(text: str, src: dict) -> dict | None:
    syms = SYMBOL_RE.findall(text)
    if not syms:
        return None
    desc = re.sub(r"[（(]\s*" + re.escape(syms[-1]) + r"\s*[）)]", "", text).strip()
    return {"symbol": syms[-1], "description": _clean_title(desc), "source": src}


def _title_then_text(t: str, m: re.Match, item: dict) -> tuple[str, str] | None:
    """``N. <item N's listed title><more text>``: the heading and the paragraph after it, run
    together where the heading ended a page and the paragraph began the next (no gap between
    them to tell them apart; the title as the list prints it does)."""
    title = item.get("title") or ""
    pattern = r"\s*".join(map(re.escape, re.sub(r"\s+", "", title)))
    head = re.match(pattern, t[m.end():]) if title else None
    if not head or not t[m.end() + head.end():].strip():
        return None
    cut = m.end() + head.end()
    return t[:cut], t[cut:].strip()


def _annotations(blocks: list[Block], start: int, items: list[dict]) -> int:
    """Walk the 说明 part; return the index of the annex heading (or the end)."""
    by_number = {it["number"]: it for it in items}
    item = None
    sub = None
    in_docs = False
    i = start
    while i < len(blocks):
        b = blocks[i]
        t = b.text.strip()
        src = b.source.as_dict()
        if t == "附件" or b.table:
            return i
        m = NUM_START_RE.match(t)
        following = m and m.group(1) in by_number \
            and (item is None or int(m.group(1)) == int(item["number"]) + 1)
        run_on = _title_then_text(t, m, by_number[m.group(1)]) \
            if following and not _title_like(t) else None
        if following and (_title_like(t) or run_on):
            item, sub, in_docs = by_number[m.group(1)], None, False
            item["heading"] = {"text": run_on[0] if run_on else t, "source": src}
            if run_on:
                item["annotation"].append({"subitem": None, "text": run_on[1], "heading": False,
                                           "source": src})
        elif item is not None and (m := SUBITEM_RE.match(t)) and not TERMINAL_RE.search(t):
            sub, in_docs = m.group(1), False
        elif item is not None and t in ("文件", "Documentation"):
            in_docs = True
        elif item is not None and in_docs and (doc := _document_entry(t, src)):
            item["documents"].append(doc)
        elif item is not None:
            heading = len(t) <= 60 and not TERMINAL_RE.search(t)
            item["annotation"].append({"subitem": sub, "text": t, "heading": heading,
                                       "source": src})
        i += 1
    return i


def _day_line(text: str) -> bool:
    """A schedule's day row read outside the table (left alone at a page's foot, the table
    going on over the page): the date and weekday, nothing else."""
    t = text.strip()
    return bool(len(t) <= 20 and MONTH_DAY_RE.match(t) and WEEKDAY_RE.search(t))


def _schedule(blocks: list[Block], start: int, year: int | None) -> list[dict]:
    rows: list[dict] = []
    day = weekday = slot = None
    for b in blocks[start:]:
        if not b.table and not _day_line(b.text):
            continue
        cells = [c.strip() for c in b.cells] + ["", "", ""] if b.table else [b.text.strip(), "", ""]
        first, item, title = cells[0], cells[1], cells[2]
        src = b.source.as_dict()
        md = MONTH_DAY_RE.search(first)
        if md and not item:
            day = date(year, int(md.group(1)), int(md.group(2))) if year else None
            wd = WEEKDAY_RE.search(first)
            weekday = wd.group() if wd else None
            slot = None
            continue
        if not ITEM_CELL_RE.match(item.replace(" ", "")):
            continue  # the header row, or a row that is not an agenda slot
        if first:
            slot = first
        continued = bool(CONTINUED_RE.search(title))
        rows.append({"date": day, "weekday": weekday, "slot": slot,
                     "item": re.sub(r"\s|（|）", lambda m: {"（": "(", "）": ")"}.get(m.group(), ""), item),
                     "title": CONTINUED_RE.sub("", title), "continued": continued,
                     "source": src})
    return rows


def _annotated_items(blocks: list[Block], start: int) -> list[dict]:
    """Items of an annotated agenda printed without a separate list: the numbered item
    headings (``1. Adoption of the agenda``, numbered in sequence, no closing full stop)."""
    listed: list[dict] = []
    for b in blocks[start:]:
        t = b.text.strip()
        if t in ("Annex", "附件"):
            break
        m = NUM_START_RE.match(t)
        body = ACTION_NOTE_RE.sub("", t[m.end():]).strip() if m else ""
        if m and int(m.group(1)) == len(listed) + 1 and body and _title_like(body) and len(body) <= 250:
            listed.append({"label": m.group(1), "text": body, "source": b.source.as_dict()})
    items = agenda_from_items(listed)
    for item in items:
        item["annotation"], item["documents"] = [], []
    return items


# the action an Executive Board is asked to take, printed after an item's title
ACTION_NOTE_RE = re.compile(r"\s+For (?:decision|information|discussion|action|review|approval|"
                            r"comment|guidance)(?:\s*\([^()]*\))?$")
ANNOTATED_TITLES = ("Provisional annotated agenda", "Annotated provisional agenda", "Annotations")


def parse_agenda(blocks: list[Block], year: int | None) -> dict:
    items: list[dict] = []
    schedule: list[dict] = []
    i = 0
    while i < len(blocks):
        t = blocks[i].text.strip()
        if not items and (_is_heading(t, "临时议程") or _is_heading(t, "Provisional agenda")):
            items, i = _agenda_list(blocks, i + 1)
            continue
        if not items and t in ANNOTATED_TITLES:
            items = _annotated_items(blocks, i + 1)
        if items and (_is_heading(t, "说明") or t in ANNOTATED_TITLES):
            i = _annotations(blocks, i + 1, items)
            continue
        if t == "附件" or (blocks[i].table and items):
            schedule = _schedule(blocks, i, year)
            break
        i += 1
    return {"agenda_items": items, "schedule": schedule}
