"""Turn document text into HTML with links: symbols, citations, resolutions, agenda items and
the names of states and organisations.  Uses the one citation finder (``cite``)."""

from __future__ import annotations

import re

from markupsafe import Markup

from ..cite.finder import find_citations
from ..grammar import AGENDA_ITEM_RE
from ..text.clean import FROM_SUPERSCRIPT
from ..corpus.urls import entity_dir, item_anchor, para_anchor, resolution_dir, symbol_dir
from .fastjinja import escaped_text


NOTE_MARK_RE = re.compile(r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+")


class TextLinker:
    """Links in one page's text; every corpus fact it uses is asked of ``lookups`` (recorded)."""

    def __init__(self, lookups):
        self.lookups = lookups

    def spans(self, text: str, meeting_dir: str | None, agenda_items: set[str],
              notes: dict | None = None):
        ask, link = self.lookups.ask, self.lookups.u
        out = []
        if notes:  # a superscript mark (¹, ²³) that is one of this document's footnotes
            for m in NOTE_MARK_RE.finditer(text):
                fid = notes.get(m.group().translate(FROM_SUPERSCRIPT))
                if fid:
                    out.append((m.start(), m.end(), "#" + fid, "fn"))
        for c in find_citations(text):
            if c.kind == "resolution":
                if ask("resolution", c.resolution):
                    out.append((c.start, c.end, link(resolution_dir(c.resolution)), "res"))
                continue
            if not ask("symbol", c.symbol):
                continue
            anchor = None
            if c.paragraphs:
                anchor = para_anchor(c.paragraphs[0])
            elif c.location or c.recommendation:
                anchor = c.anchor
            target = symbol_dir(c.symbol)
            if anchor and ask("anchor", c.symbol, anchor):
                target += "#" + anchor
            out.append((c.start, c.end, link(target), "sym"))
        if meeting_dir:
            for m in AGENDA_ITEM_RE.finditer(text):
                first = re.match(r"\d+", m.group(1)).group()
                if first in agenda_items:
                    out.append((m.start(), m.end(),
                                link(f"{meeting_dir}#{item_anchor(first)}"), "item"))
        names_re, slugs = self.lookups.names()
        if names_re:
            for m in names_re.finditer(text):
                slug = slugs[m.group()]
                out.append((m.start(), m.end(), link(entity_dir(slug)), "state"))
        out.sort(key=lambda s: (s[0], -s[1]))
        kept, end = [], -1
        for s in out:
            if s[0] >= end:
                kept.append(s)
                end = s[1]
        return kept

    def html(self, text: str, meeting_dir: str | None = None,
             agenda_items: set[str] | None = None, notes: dict | None = None) -> Markup:
        if not text:
            return Markup("")
        # escaped as ``Markup('<a class="%s" …>') % …`` would, by markupsafe's own function,
        # and made ``Markup`` once: a Markup a piece was a fifth of the linking's time
        parts, pos = [], 0
        for start, end, href, cls in self.spans(text, meeting_dir, agenda_items or set(), notes):
            parts.append(escaped_text(text[pos:start]))
            parts.append(f'<a class="{escaped_text(cls)}" href="{escaped_text(href)}">'
                         f'{escaped_text(text[start:end])}</a>')
            pos = end
        parts.append(escaped_text(text[pos:]))
        return Markup("".join(parts))
