"""Walk the blocks of a report-like document: sections, subsections, numbered paragraphs.

The numbering rule: a paragraph number must follow its predecessor, so ``1.`` after
paragraph 5 is a heading (inside a recommendations section) or a list item, not a paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..text.layout import (NUM_START_RE, REC_LABEL_RE, SECTION_RE, SUBITEM_RE, SUBSECTION_RE,
                     TERMINAL_RE)
from ..text.model import Block
from ..numerals import section_numeral
from ..schema import warning
from .classify import masthead_symbol

MAX_GAP = 2  # a paragraph number may skip this many numbers (a source typo), with a warning


@dataclass
class Event:
    kind: str          # section | subsection | paragraph | heading | item | rec_label | text
    block: Block
    label: str | None = None
    text: str = ""


@dataclass
class Outline:
    events: list[Event] = field(default_factory=list)
    paragraphs: list[dict] = field(default_factory=list)
    sections: list[dict] = field(default_factory=list)
    titles: list[dict] = field(default_factory=list)
    texts: list[dict] = field(default_factory=list)   # unnumbered prose outside paragraphs
    warnings: list[dict] = field(default_factory=list)


def _is_title(text: str) -> bool:
    return len(text) <= 120 and not TERMINAL_RE.search(text)


EN_SUBSECTION_RE = re.compile(r"^([A-Z])\.\s+([A-Z\u2018\u201c\"'(].*)$")


def walk(blocks: list[Block], rec_section_re=re.compile("建议"), english: bool = False) -> Outline:
    """Sections, subsections and numbered paragraphs of a report.  ``english``: section
    numerals keep their printed (Roman) form, ``A. Title`` subsections are English, and short
    titles before the first section are kept as headings too."""
    if english:
        rec_section_re = re.compile(r"建议|[Rr]ecommendation")
    out = Outline()
    last = 0
    section = subsection = None
    in_recs = False
    current: dict | None = None
    started = False
    quoted = _quotations(blocks) if english else [None] * len(blocks)
    for b, quote in zip(blocks, quoted):
        t = b.text.strip()
        if b.table:
            out.events.append(Event("table", b, text=t))
            continue
        m_sec = SECTION_RE.match(t)
        if m_sec and _is_title(t) and section_numeral(m_sec.group(1)):
            started = True
            numeral = m_sec.group(1) if english and m_sec.group(1).isascii() else section_numeral(m_sec.group(1))
            section = {"numeral": numeral, "title": m_sec.group(2).strip(),
                       "source": b.source.as_dict(), "subsections": []}
            out.sections.append(section)
            subsection, current = None, None
            in_recs = bool(rec_section_re.search(section["title"]))
            out.events.append(Event("section", b, section["numeral"], section["title"]))
            continue
        m_sub = SUBSECTION_RE.match(t) or (EN_SUBSECTION_RE.match(t) if english else None)
        if m_sub and _is_title(t) and started:
            subsection = f"{m_sub.group(1)}. {m_sub.group(2).strip()}"
            if section is not None:
                section.setdefault("subsections", []).append(
                    {"label": m_sub.group(1), "title": m_sub.group(2).strip(),
                     "source": b.source.as_dict()})
            current = None
            out.events.append(Event("subsection", b, m_sub.group(1), m_sub.group(2).strip()))
            continue
        m_num = NUM_START_RE.match(t)
        if m_num:
            n = int(m_num.group(1))
            body = t[m_num.end():].strip()
            gap_ok = last < n <= last + 1 + MAX_GAP and len(body) >= 30 \
                and bool(TERMINAL_RE.search(body)) and n != 1
            if n == last + 1 or gap_ok:
                if n != last + 1:
                    out.warnings.append(warning(f"paragraph numbering jumps from {last} to {n}",
                                                **b.source.as_dict()))
                started = True
                last = n
                current = {"number": str(n), "text": body,
                           "section": f"{section['numeral']}. {section['title']}" if section else None,
                           "subsection": subsection, "subparagraphs": [],
                           "source": b.source.as_dict()}
                out.paragraphs.append(current)
                out.events.append(Event("paragraph", b, str(n), body))
                continue
            if in_recs and _is_title(body):
                current = None
                out.events.append(Event("heading", b, str(n), body))
                continue
            if current is not None:
                current["subparagraphs"].append({"label": str(n), "text": body,
                                                 "source": b.source.as_dict()})
            out.events.append(Event("item", b, str(n), body))
            continue
        if started and (m_rec := REC_LABEL_RE.match(t)):
            current = None
            out.events.append(Event("rec_label", b, m_rec.group(1), t))
            continue
        m_item = SUBITEM_RE.match(t)
        if m_item:
            body = t[m_item.end():].strip()
            if current is not None:
                current["subparagraphs"].append({"label": m_item.group(1), "text": body,
                                                 "source": b.source.as_dict()})
            out.events.append(Event("item", b, m_item.group(1), body))
            continue
        if quote and current is not None:
            # an indented block under a paragraph (a quoted draft text) belongs to it
            current["text"] += " " + t
            out.events.append(Event("text", b, None, t))
            continue
        if (started or (english and not _masthead_field(t))) and (
                b.heading or (len(t) <= (130 if english else 60) and not _ends_sentence(t, english))):
            # an unnumbered heading or title between paragraphs (e.g. a table's caption)
            current = None
            out.titles.append({"text": t.rstrip("*¹²³") if english else t, "source": b.source.as_dict()})
            out.events.append(Event("title", b, None, t))
            continue
        if quote is False:
            current = None  # prose back at the margin: the paragraph has ended
        if current is not None and english:
            # English reports indent quotations and draft texts inside a paragraph
            current["text"] += " " + t
        elif current is not None:
            current["subparagraphs"].append({"label": None, "text": t,
                                             "source": b.source.as_dict()})
        elif not _masthead_field(t):  # the masthead's fields are the record's metadata
            out.texts.append({"text": t, "source": b.source.as_dict()})
        out.events.append(Event("text", b, None, t))
    return out


QUOTE_INDENT = 1.5  # ems right of the text margin


def _quotations(blocks: list[Block]) -> list[bool | None]:
    """Which blocks are set as quotations: every line indented right of the page's text
    margin.  A one-line block counts when it sits beside a quotation indented no further (the
    addressee line "The Council," above an indented draft).  None where the reader gave no
    geometry (text and Markdown sources)."""
    flags: list[bool | None] = []
    for b in blocks:
        indents = [l.indent for l in b.lines] or [None]
        if any(i is None for i in indents):
            flags.append(None)
        else:
            flags.append(len(indents) > 1 and min(indents) >= QUOTE_INDENT)
    changed = True
    while changed:
        changed = False
        for k, b in enumerate(blocks):
            if flags[k] is not False or len(b.lines) != 1 or b.lines[0].indent < QUOTE_INDENT:
                continue
            for j in (k - 1, k + 1):
                if 0 <= j < len(blocks) and flags[j] and \
                        min(l.indent for l in blocks[j].lines) <= b.lines[0].indent + 0.3:
                    flags[k] = changed = True
                    break
    return flags


_MASTHEAD_FIELD_RE = re.compile(
    r"^(?:United Nations|Distr\.?\s*:.*|Original\s*:.*|\d{1,2} [A-Z][a-z]+ \d{4}|"
    r"(?:Arabic|Chinese|English|French|Russian|Spanish)(?:,? (?:and )?(?:Arabic|Chinese|English|French|Russian|Spanish))* only)$")


def _masthead_field(text: str) -> bool:
    """A line of the masthead's fixed fields (the symbol, Distr., the date, Original, the
    languages), which is no heading."""
    return bool(_MASTHEAD_FIELD_RE.match(text) or masthead_symbol(text))


_EN_SENTENCE_END_RE = re.compile(r"[.!?;:][\"”’)\]]*[¹²³⁴⁵⁶⁷⁸⁹⁰*]*$")


def _ends_sentence(text: str, english: bool) -> bool:
    if english:  # a heading may end in a bracket: "… names (item 9 (a))"
        return bool(_EN_SENTENCE_END_RE.search(text.rstrip()))
    return bool(TERMINAL_RE.search(text))
