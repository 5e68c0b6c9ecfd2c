"""Classify a document and read its metadata (kind, group, symbol, dates, meeting)."""

from __future__ import annotations

import re

from ..groups import all_names
from ..text.layout import NUM_START_RE, SECTION_RE
from ..text.model import Block
from ..numerals import (CN_NUMERAL, DATE_RANGE_RE, EN_DATE_RE, EN_RANGE_RE, cn_to_int,
                       date_range_from_match, parse_en_date, parse_en_range)
from ..symbols import SYMBOL_RE, UN_SYMBOL_RE

KIND_TITLES = [
    (re.compile(r"建议索引$"), "index"),
    (re.compile(r"^临时议程(说明)?$"), "agenda"),
    (re.compile(r"(报告草稿|报告)$"), "report"),
    # English titles (UN documents of any body)
    (re.compile(r"^(?:Thematic )?[Ii]ndex of recommendations\b"), "index"),
    (re.compile(r"^(?:Provisional (?:annotated )?agenda|Annotated provisional agenda|"
                r"Annotations to the provisional agenda)\b"), "agenda"),
    (re.compile(r"^(?:Draft report|Report of|Report on)\b"), "report"),
]
TITLE_MAX = {"zh": 60, "en": 130}
# "Report of the Secretary-General" is a document an official submits, not the report of a
# meeting: its kind comes from its other titles (a data table; extend it freely)
OFFICIAL_REPORT_RE = re.compile(
    r"^Report of the (?:Secretary-General|Administrator|(?:Managing|Executive|Regional) Director|"
    r"Director-General|High Commissioner|Special Rapporteur|Independent Expert|Executive Secretary|"
    r"Special Representative|Special Envoy|Ombudsperson|Auditors?)\b")
DISTR_RE = re.compile(r"Distr\.?\s*:\s*(General|Limited|Restricted)", re.I)
ORIGINAL_RE = re.compile(r"^Original\s*:\s*([A-Za-z]+)$")
LANGUAGES = {"Chinese", "English", "French", "Spanish", "Russian", "Arabic"}
VENUE_LINE_RE = re.compile(r"^(?P<dates>.*日)\s*[，,]\s*(?P<venue>[^\s，,。]{1,12})$")
FILED_UNDER_RE = re.compile(r"临时议程\s*(\*+|[¹²³⁴⁵⁶⁷⁸⁹]+)?\s*项目\s*(\d+)")
REISSUED_RE = re.compile(r"于\s*(" + DATE_RANGE_RE.pattern + r")\s*重新印发")


def header_blocks(blocks: list[Block]) -> list[Block]:
    """The masthead: blocks before the first numbered paragraph, section heading or table
    (at most the first page's worth)."""
    out = []
    for b in blocks:
        if NUM_START_RE.match(b.text) or SECTION_RE.match(b.text) or b.table or len(out) >= 60:
            break
        out.append(b)
    return out


_HAN_RE = re.compile("[\u4e00-\u9fff]")
_ASCII_LETTER_RE = re.compile("[A-Za-z]")


def detect_language(blocks: list[Block]) -> str:
    """Chinese or English, by the script most letters of the text are in."""
    text = "".join(b.text for b in blocks[:200])
    cjk, latin = len(_HAN_RE.findall(text)), len(_ASCII_LETTER_RE.findall(text))
    return "Chinese" if cjk >= latin / 3 else "English"


def detect_kind(blocks: list[Block]) -> tuple[str, bool]:
    """(kind, draft-by-title).  Only title lines of the masthead decide."""
    for b in header_blocks(blocks):
        t = b.text.strip()
        if len(t) > TITLE_MAX["en" if t.isascii() or t[:1].isascii() else "zh"]:
            continue
        if OFFICIAL_REPORT_RE.match(t):
            continue
        for pattern, kind in KIND_TITLES:
            if pattern.search(t):
                return kind, "草稿" in t or t.startswith("Draft report")
    if any(b.table and b.cells and b.cells[0] == "专题" for b in blocks):
        return "index", False
    return "other", False


def detect_group(blocks: list[Block]) -> str | None:
    """The working group whose name appears first in the text (masthead before body)."""
    names = all_names()
    for b in blocks:
        best = None
        for name, group in names:
            i = b.text.find(name)
            if i >= 0 and (best is None or i < best[0]):
                best = (i, group)
        if best:
            return best[1]
    return None


def detect_meeting_number(blocks: list[Block], group_names: list[str]) -> int | None:
    """The meeting this document belongs to.

    ``<group name>第N次会议`` (the group named in full) wins over a bare ``工作组第N次会议``,
    which in a report's introduction is usually the history of earlier meetings.
    """
    text = "\n".join(b.text for b in blocks)
    for name in group_names:
        m = re.search(re.escape(name) + rf"\s*第\s*({CN_NUMERAL}|\d+)\s*次会议", text)
        if m:
            return cn_to_int(m.group(1))
    m = re.search(rf"工作组\s*第\s*({CN_NUMERAL}|\d+)\s*次会议", text)
    return cn_to_int(m.group(1)) if m else None


def read_header(blocks: list[Block]) -> dict:
    """Masthead facts: distribution, issue date, languages, printed symbol, dates, venue."""
    out: dict = {"distribution": None, "issue_date": None, "language": None,
                 "original_language": None, "symbol": None, "start": None, "end": None,
                 "venue": None}
    for b in header_blocks(blocks):
        t = b.text.strip()
        if out["distribution"] is None and (m := DISTR_RE.search(t)):
            out["distribution"] = m.group(1).capitalize()
        elif out["issue_date"] is None and EN_DATE_RE.fullmatch(t):
            out["issue_date"] = parse_en_date(t)
        elif t in LANGUAGES and out["language"] is None:
            out["language"] = t
        elif m := ORIGINAL_RE.match(t):
            out["original_language"] = m.group(1)
        elif out["symbol"] is None and (sym := masthead_symbol(t)):
            out["symbol"] = sym
        elif out["start"] is None and (m := VENUE_LINE_RE.match(t)) \
                and (d := DATE_RANGE_RE.search(m.group("dates"))):
            out["start"], out["end"] = date_range_from_match(d)
            out["venue"] = m.group("venue")
    if out["symbol"] is None:  # a masthead whose lines ran together: its first symbol
        for b in header_blocks(blocks)[:12]:
            for tok in b.text.split():
                if (sym := masthead_symbol(tok)) and "/" in sym:
                    out["symbol"] = sym
                    break
            if out["symbol"]:
                break
    if out["start"] is None:
        found = english_meeting(header_blocks(blocks), out["issue_date"])
        if found:
            out["start"], out["end"], out["venue"] = found
    return out


_JOINT_RE = re.compile(r"\s*[-–]\s*")


def masthead_symbol(text: str) -> str | None:
    """The symbol a masthead line prints: ``A/HRC/59/60``, ``E/2025/70*`` (a footnote mark
    after it), ``A/80/74/Add.1-E/2025/53/Add.1`` (a joint document: the first symbol)."""
    t = text.strip().rstrip("*¹²³")
    if SYMBOL_RE.fullmatch(t) or UN_SYMBOL_RE.fullmatch(t):
        return t
    parts = _JOINT_RE.split(t)
    if len(parts) == 2 and all(UN_SYMBOL_RE.fullmatch(p) for p in parts):
        return parts[0]
    return None


def english_meeting(blocks: list[Block], issued):
    """Dates and place of the meeting an English document belongs to, from its masthead:
    ``(New York, 28 April–2 May 2025)`` under the title first, then a ``Geneva, 2–5 June
    2025`` line, then a bare ``10–13 June 2025`` range."""
    ranked = []
    for b in blocks:
        t = b.text.strip()
        if len(t) > 80 or not t.isascii() and not any(c in t for c in "–—"):
            continue
        r = parse_en_range(t)
        if r is None:
            continue
        inner = t[1:-1] if t.startswith("(") and t.endswith(")") else t
        place = next((p.strip() for p in inner.split(",") if p.strip() and parse_en_range(p) is None
                      and not any(ch.isdigit() for ch in p)), None)
        if t.startswith("(") and t.endswith(")"):
            ranked.append((0, r, place))
        elif place and len(inner.split(",")) >= 2:
            ranked.append((1, r, place))
        elif r[0] != r[1] and EN_RANGE_RE.fullmatch(t):
            ranked.append((2, r, None))
    if not ranked:
        return None
    _, (start, end), place = min(ranked, key=lambda x: x[0])
    return start, end, place


_REPORTED_BODY_RES = (re.compile(r"^Report of the (?P<n>[A-Z][^,;]+?)(?: on its .*)?$"),
                      re.compile(r"\bsession of the (?P<n>[A-Z][^,;]+?)$"))


def english_held(blocks: list[Block]):
    """The dates of the meeting an English report is about, when its text says so (``The
    Credentials Committee held one meeting, on 12 June 2025``; ``the Forum …, held in a hybrid
    format from 25 to 27 November 2024``): the body is the one the title names.  The masthead's
    session line may be its parent organ's (a Council's session, a conference's dates)."""
    header = header_blocks(blocks)
    names = {m.group("n").strip() for b in header for rx in _REPORTED_BODY_RES
             if (m := rx.search(b.text.strip()))}
    if not names:
        return None
    text = " ".join(b.text for b in blocks[:len(header) + 40])
    for name in sorted(names, key=len, reverse=True):
        m = re.search(re.escape(name) + r"[^.;]{0,40}?\bheld\b([^.;]{0,60})", text)
        if m and (r := parse_en_range(m.group(1))):
            return r
    return None


def meeting_from_body(blocks: list[Block], group_names: list[str], number: int | None):
    """Dates and venue from ``…第N次会议于 <dates> 在<venue>举行``."""
    if number is None:
        return None
    text = "\n".join(b.text for b in blocks)
    for name in group_names + ["工作组"]:
        pat = (re.escape(name) + rf"\s*第\s*(?:{CN_NUMERAL}|\d+)\s*次会议(?:将)?于\s*"
               rf"(?P<d>{DATE_RANGE_RE.pattern})\s*(?:在\s*(?P<v>[^\s，。]{{1,12}}?)\s*)?举行")
        for m in re.finditer(pat, text):
            num = re.search(rf"第\s*({CN_NUMERAL}|\d+)\s*次", m.group())
            if num and cn_to_int(num.group(1)) == number:
                start, end = date_range_from_match(DATE_RANGE_RE.search(m.group("d")))
                return start, end, m.group("v")
    return None


def filed_under(blocks: list[Block]) -> str | None:
    for b in header_blocks(blocks):
        if m := FILED_UNDER_RE.search(b.text):
            return m.group(2)
    return None


def reissued(blocks: list[Block]):
    for b in blocks:
        if m := REISSUED_RE.search(b.text):
            return date_range_from_match(DATE_RANGE_RE.search(m.group(1)))[0]
    return None
