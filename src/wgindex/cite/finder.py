"""The citation finder: one function used by the CLI, briefing notes and the site.

``find_citations(text)`` returns typed citations with their spans (eyecite's tokens ->
citations); ``Resolver.resolve`` attaches a target URL or the reason there is none (never
drops a citation).  Forms, with full-width or ASCII punctuation and optional spaces:

* a symbol: ``CTOC/COP/WG.7/2015/6``, ``CTOC/COP/WG.7/2017/INF.1/Rev.1``;
* symbol + paragraphs: ``…，第23段``, ``第 23-25 段``, ``第23至25段``, ``第23和24段``,
  ``第8(e)段``, ``, para. 23``, ``, paras. 23-25``, ``, paragraph 8 (e)``,
  ``paragraph 23 of CTOC/…``;
* a compilation location: ``CTOC/COP/WG.7/2019/5 三.19``, ``… 五.2.e``;
* a recommendation: ``…，建议 3``, ``recommendation 3 of CTOC/…``;
* an agenda item: ``…，议程项目 2``, ``…，议程项目 3(a)``, ``…, agenda item 2`` (in a report:
  the item of the agenda it adopted);
* a COP resolution: ``第 7/1 号决议``, ``resolution 7/1``.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from ..grammar import GrammarError, parse_locations, parse_paragraphs
from ..corpus.urls import item_anchor, loc_anchor, para_anchor, rec_anchor, resolution_dir, symbol_dir
from ..errors import SymbolError
from ..symbols import SYMBOL_RE

_SUB = r"(?:\s*[(（]\s*[a-z]{1,2}\s*[)）])"
_PARA = rf"\d{{1,3}}{_SUB}?"
_PLIST = rf"{_PARA}(?:\s*(?:-|–|至|到|和|及|与|、|,|，|and|&)\s*(?:{_PARA}|{_SUB}))*"
_SEC = r"(?:[一二三四五六七八九十]+|(?=[IVX])X?(?:IX|IV|V?I{0,3}))"
_LOC = rf"{_SEC}\s*\.\s*\d{{1,3}}(?:\s*\.\s*[a-z])?(?:\s*-\s*\d{{1,3}})?"
_ITEM = r"\d{1,2}(?:\s*[(（]\s*[a-z]\s*[)）])?"
SYM = SYMBOL_RE.pattern

# The one vocabulary of what resolving a citation found (``cite --json``, notes, the site).
STATUSES = {
    "in_corpus": "the document is in the corpus and has the paragraph, recommendation or item",
    "referenced_only": "the document is not in the corpus, but the corpus cites that place in it: "
                       "its page exists and lists where",
    "unknown_symbol": "no document of that symbol is in the corpus or cited by it",
    "no_such_paragraph": "the document has no such paragraph (or compilation location)",
    "no_such_recommendation": "the document has no such recommendation",
    "no_such_agenda_item": "the document has no such agenda item (provisional or adopted)",
    "unknown_resolution": "the corpus mentions no such resolution",
}
LINKED = ("in_corpus", "referenced_only")

CITATION_RE = re.compile(
    rf"(?:(?P<en_pre_kind>paragraphs?|paras?\.|recommendation)\s+(?P<en_pre_num>{_PLIST})\s+of\s+)?"
    rf"(?P<symbol>{SYM})"
    rf"(?:"
    rf"\s*(?:[，,、]\s*)?第\s*(?P<zh_paras>{_PLIST})\s*段"
    rf"|\s*[，,]\s*(?:paras?\.|paragraphs?)\s*(?P<en_paras>{_PLIST})"
    rf"|\s*[，,]\s*建议\s*(?P<zh_rec>\d{{1,3}})"
    rf"|\s*[，,]\s*recommendation\s+(?P<en_rec>\d{{1,3}})"
    rf"|\s*[，,]\s*议程项目\s*(?P<zh_item>{_ITEM})"
    rf"|\s*[，,]\s*agenda\s+item\s+(?P<en_item>{_ITEM})"
    rf"|[ \t\u3000]*(?:[，,][ \t\u3000]*)?(?P<loc>{_LOC})(?![\d.])"
    rf")?",
    re.I,
)
RESOLUTION_CITE_RE = re.compile(r"第\s*(?P<a>\d{1,2})\s*/\s*(?P<b>\d{1,2})\s*号决议"
                                r"|(?<![A-Za-z])resolution\s+(?P<c>\d{1,2})/(?P<d>\d{1,2})(?![\d/])", re.I)


@dataclass
class Citation:
    kind: str                  # symbol | paragraph | location | recommendation | agenda_item | resolution
    text: str
    start: int
    end: int
    symbol: str | None = None
    paragraphs: list[str] = field(default_factory=list)
    location: list[str] = field(default_factory=list)
    recommendation: str | None = None
    agenda_item: str | None = None  # "2", "2(a)"
    resolution: str | None = None
    # filled by resolution
    url: str | None = None
    status: str | None = None  # one of STATUSES
    reason: str | None = None

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def anchor(self) -> str | None:
        if self.paragraphs:
            return para_anchor(self.paragraphs[0])
        if self.location:
            return loc_anchor(self.location[0])
        if self.recommendation:
            return rec_anchor(self.recommendation)
        if self.agenda_item:
            number, _, sub = self.agenda_item.partition("(")
            return item_anchor(number, sub.rstrip(")") or None)
        return None


def _paras(text: str) -> list[str]:
    return [str(p) for p in parse_paragraphs(re.sub(r"\s+", " ", text))]


def find_citations(text: str) -> list[Citation]:
    """Every citation in ``text``, in order, non-overlapping."""
    found: list[Citation] = []
    for m in CITATION_RE.finditer(text):
        c = Citation("symbol", m.group(), m.start(), m.end(), symbol=m.group("symbol"))
        try:
            if m.group("zh_paras") or m.group("en_paras"):
                c.kind, c.paragraphs = "paragraph", _paras(m.group("zh_paras") or m.group("en_paras"))
            elif m.group("zh_rec") or m.group("en_rec"):
                c.kind, c.recommendation = "recommendation", m.group("zh_rec") or m.group("en_rec")
            elif m.group("zh_item") or m.group("en_item"):
                c.kind = "agenda_item"
                c.agenda_item = re.sub(r"\s|[(（]|[)）]", lambda x: "(" if x.group() in "(（" else
                                       ")" if x.group() in ")）" else "", m.group("zh_item") or m.group("en_item"))
            elif m.group("loc"):
                c.kind, c.location = "location", [str(l) for l in parse_locations(m.group("loc"))]
            if m.group("en_pre_kind"):
                if m.group("en_pre_kind").lower().startswith("rec"):
                    c.kind, c.recommendation = "recommendation", m.group("en_pre_num").strip()
                else:
                    c.kind, c.paragraphs = "paragraph", _paras(m.group("en_pre_num"))
        except GrammarError:
            # the tail did not parse: keep the bare symbol, end the citation at the symbol
            c = Citation("symbol", m.group("symbol"), m.start("symbol"), m.end("symbol"),
                         symbol=m.group("symbol"))
        found.append(c)
    for m in RESOLUTION_CITE_RE.finditer(text):
        a, b = (m.group("a"), m.group("b")) if m.group("a") else (m.group("c"), m.group("d"))
        found.append(Citation("resolution", m.group(), m.start(), m.end(), resolution=f"{int(a)}/{int(b)}"))
    found.sort(key=lambda c: (c.start, -c.end))
    out: list[Citation] = []
    for c in found:
        if out and c.start < out[-1].end:
            continue
        out.append(c)
    return out


def _page_dir(symbol: str) -> str:
    try:
        return symbol_dir(symbol)
    except SymbolError:  # not a symbol a page can have: the link is to nothing (reported)
        return symbol + "/"


class Resolver:
    """Resolve citations against an inventory (``inventory.json`` of a built site, or the
    one a build computes).  ``base_url`` is prefixed to the site-relative paths."""

    def __init__(self, inventory: dict, base_url: str = "", file_links: bool = False):
        self.base_url = base_url.rstrip("/") + "/" if base_url else ""
        # links into a site on disk name index.html (a folder link would open a listing)
        self.index = "index.html" if file_links else ""
        self.targets: dict[str, dict] = {}
        for t in inventory.get("targets", []):
            self.targets.setdefault(t["symbol"] or "", {"doc": None, "anchors": set()})
            entry = self.targets[t["symbol"] or ""]
            if t["kind"] == "document":
                entry["doc"] = t
            else:
                entry["anchors"].add(t["anchor"])
        self.resolutions = set(inventory.get("resolutions", []))

    def resolve(self, c: Citation) -> Citation:
        if c.kind == "resolution":
            c.url = self.base_url + resolution_dir(c.resolution) + self.index
            c.status = "in_corpus" if c.resolution in self.resolutions else "unknown_resolution"
            if c.status != "in_corpus":
                c.reason = f"resolution {c.resolution} is not mentioned in the corpus"
            return c
        entry = self.targets.get(c.symbol)
        page = self.base_url + _page_dir(c.symbol) + self.index
        if entry is None or entry["doc"] is None:
            c.url = page + (f"#{c.anchor}" if c.anchor else "")
            c.status, c.reason = "unknown_symbol", f"{c.symbol} is neither in the corpus nor referenced by it"
            return c
        in_corpus = entry["doc"]["in_corpus"]
        anchor = c.anchor
        if anchor and c.kind == "agenda_item" and anchor not in entry["anchors"] \
                and "adopted-" + anchor in entry["anchors"]:
            anchor = "adopted-" + anchor  # a report: the item of the agenda it adopted
        c.url = page + (f"#{anchor}" if anchor else "")
        if anchor and anchor not in entry["anchors"]:
            what = (f"paragraph {c.paragraphs[0]}" if c.paragraphs else
                    f"location {c.location[0]}" if c.location else
                    f"agenda item {c.agenda_item}" if c.agenda_item else
                    f"recommendation {c.recommendation}")
            c.status = {"recommendation": "no_such_recommendation",
                        "agenda_item": "no_such_agenda_item"}.get(c.kind, "no_such_paragraph")
            c.reason = (f"{c.symbol} has no {what}" if in_corpus else
                        f"{c.symbol} is not in the corpus and nothing references its {what}")
            return c
        c.status = "in_corpus" if in_corpus else "referenced_only"
        return c
