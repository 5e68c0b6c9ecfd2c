"""The link targets of a corpus: every symbol's anchors, before any page is rendered, and the
sorted inventory written with the site (Sphinx's ``objects.inv``) that ``cite`` and ``note`` use."""

from __future__ import annotations

from ..symbols import sort_key
from .link import Corpus
from .urls import anchor_kind, anchor_sort_key, doc_anchors, loc_anchor, para_anchor, symbol_dir


def anchors(records: list[dict], corpus: Corpus) -> dict[str, set]:
    """symbol (or provisional id) -> every anchor its page will carry."""
    out: dict[str, set] = {}
    for r in records:
        if not r.get("symbol") or r["id"] == r["symbol"]:  # a symbol's page, not its …/en/ version
            out[r.get("symbol") or r["id"]] = doc_anchors(r)
    for sym, ref in corpus.symbols.items():
        a = out.setdefault(sym, set())
        a.update(para_anchor(p) for p in ref.paragraphs)
        a.update(x for x in (loc_anchor(l) for l in ref.locations) if x)
    return out


def inventory(targets: dict[str, set], corpus: Corpus) -> dict:
    """Every link target, sorted: documents, then their anchors in reading order."""
    rows = []
    for sym in sorted(targets, key=sort_key):
        in_corpus = sym in corpus.by_symbol or sym in corpus.docs
        base = symbol_dir(sym)
        rows.append({"symbol": sym, "kind": "document", "anchor": "", "url": base, "in_corpus": in_corpus})
        for a in sorted(targets[sym], key=anchor_sort_key):
            rows.append({"symbol": sym, "kind": anchor_kind(a), "anchor": a, "url": f"{base}#{a}",
                         "in_corpus": in_corpus})
    return {"format": "wgindex-inventory", "version": 1, "targets": rows,
            "resolutions": sorted(corpus.resolutions, key=lambda r: tuple(map(int, r.split("/"))))}
