"""Turn document text into HTML with links: symbols, citations, resolutions, agenda items and
the names of states and organisations.  Uses the one citation finder (``cite``)."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from .cite import find_citations
from .extract import AGENDA_ITEM_RE
from .sitepaths import entity_dir, para_anchor, relative, resolution_dir, symbol_dir


class TextLinker:
    def __init__(self, corpus, anchors: dict[str, set], dep=None):
        self.corpus = corpus
        self.anchors = anchors  # symbol -> anchors that exist on its page
        self.dep = dep or (lambda kind, args, value: value)  # records lookups for the memo
        names = sorted((n for n in corpus.entity_slugs if len(n) >= 2), key=len, reverse=True)
        self.names_re = re.compile("|".join(map(re.escape, names))) if names else None

    def lookup(self, kind: str, args: list) -> bool:
        """The corpus facts the linker depends on (recomputed by the render memo)."""
        if kind == "r":
            return args[0] in self.corpus.resolutions
        if kind == "s":
            return args[0] in self.corpus.symbols
        if kind == "a":
            return args[1] in self.anchors.get(args[0], set())
        raise ValueError(kind)

    def spans(self, text: str, page: str, meeting_dir: str | None, agenda_items: set[str]):
        out = []
        for c in find_citations(text):
            if c.kind == "resolution":
                if self.dep("r", [c.resolution], self.lookup("r", [c.resolution])):
                    out.append((c.start, c.end, relative(page, resolution_dir(c.resolution)), "res"))
                continue
            if not self.dep("s", [c.symbol], self.lookup("s", [c.symbol])):
                continue
            anchor = None
            if c.paragraphs:
                anchor = para_anchor(c.paragraphs[0])
            elif c.location or c.recommendation:
                anchor = c.anchor
            target = symbol_dir(c.symbol)
            if anchor and self.dep("a", [c.symbol, anchor], self.lookup("a", [c.symbol, anchor])):
                target += "#" + anchor
            out.append((c.start, c.end, relative(page, target), "sym"))
        if meeting_dir:
            for m in AGENDA_ITEM_RE.finditer(text):
                first = re.match(r"\d+", m.group(1)).group()
                if first in agenda_items:
                    out.append((m.start(), m.end(),
                                relative(page, f"{meeting_dir}#item-{first}"), "item"))
        if self.names_re:
            for m in self.names_re.finditer(text):
                slug = self.corpus.entity_slugs[m.group()]
                out.append((m.start(), m.end(), relative(page, entity_dir(slug)), "state"))
        out.sort(key=lambda s: (s[0], -s[1]))
        kept, end = [], -1
        for s in out:
            if s[0] >= end:
                kept.append(s)
                end = s[1]
        return kept

    def html(self, text: str, page: str, meeting_dir: str | None = None,
             agenda_items: set[str] | None = None) -> Markup:
        if not text:
            return Markup("")
        parts, pos = [], 0
        for start, end, href, cls in self.spans(text, page, meeting_dir, agenda_items or set()):
            parts.append(escape(text[pos:start]))
            parts.append(Markup('<a class="%s" href="%s">%s</a>') % (cls, href, text[start:end]))
            pos = end
        parts.append(escape(text[pos:]))
        return Markup("").join(parts)
