"""Static full-text search that finds every occurrence (Chinese included), with no server.

An index of character bigrams is written at build time, split into small shard files that
the browser fetches on demand; candidates from the bigram intersection are then checked
against the entry text (exact substring), so recall and precision are both 100% by
construction — unlike word-segmenting engines, which lose substrings that cut across their
word boundaries (``移民问题``, ``联合调查``).

Entries are the units a result opens at: a paragraph (``#para-12``), a recommendation
(``#rec-3``), an agenda item, a footnote, an index row, a topic, a state, a document.
"""

from __future__ import annotations

import json
import operator
import re
import zlib
from collections import defaultdict

from ..corpus.link import build_corpus
from .. import groups
from ..symbols import group_and_year
from .facets import group_and_year_of
from .labels import cite_prefix, doc_name, doc_title, meeting_label
from ..records import full_text
from ..corpus.urls import (doc_dir, entity_dir, footnote_ids, item_anchor, para_anchor, rec_anchor, row_anchor,
                          symbol_dir, topic_dir)

SHARDS = 64
CHUNK = 200  # entries per text chunk file
_WS = re.compile(r"\s+")


def normalize(text: str) -> str:
    """What search compares: lower-case, whitespace collapsed (the JS does the same)."""
    return _WS.sub(" ", text).strip().lower()


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def shard_of(gram: str) -> int:
    """Shard number of a bigram: the same arithmetic in search.js."""
    return (ord(gram[0]) * 31 + ord(gram[1])) % SHARDS


KINDS = ("doc", "para", "rec", "item", "fn", "row", "topic", "entity")  # the kind facet, in its order


def entries(records: list[dict], corpus=None) -> list[dict]:
    """Every unit a result opens at: URL ``u``, title ``t``, text ``x``, the document's name
    ``d``, its meeting ``m``, and the facets: kind ``k`` (``KINDS``), group ``g`` (``WG.7``),
    year ``y`` (of the meeting, else of issue)."""
    corpus = corpus or build_corpus(records)
    out: list[dict] = []

    def add(url: str, title: str, text: str, kind: str, doc: str = "", meeting: str = "",
            group: str = "", year: int | None = None) -> None:
        if text and text.strip():
            out.append({"u": url, "t": title, "x": text.strip(), "d": doc, "m": meeting, "k": kind,
                        "g": group, "y": year})

    for r in sorted(records, key=lambda r: r["id"]):
        d = doc_dir(r)
        name = doc_name(r)
        key = corpus.meeting_of_record(r)
        group, year = group_and_year_of(corpus, r)
        facets = {"doc": name, "meeting": meeting_label(key) if key else "", "group": group, "year": year}
        prefix = cite_prefix(r)
        add(d, doc_title(r), " ".join(filter(None, [r.get("symbol"), name, doc_title(r), r.get("title")])),
            "doc", **facets)
        for p in r["paragraphs"]:
            add(d + "#" + para_anchor(p["number"]), f"{prefix}，第{p['number']}段", full_text(p), "para", **facets)
        for rec in r["recommendations"]:
            if rec.get("paragraph") is None:
                add(d + "#" + rec_anchor(rec["number"]), f"{prefix}，建议 {rec['number']}",
                    "\n".join(filter(None, [rec.get("heading"), rec["text"]])), "rec", **facets)
        for it in r["agenda_items"]:
            texts = [it["title"]] + [s["title"] for s in it["subitems"]] + \
                    [a["text"] for a in it["annotation"]] + \
                    [f"{x['description']}（{x['symbol']}）" for x in it["documents"]]
            add(d + "#" + item_anchor(it["number"]), f"{prefix}，议程项目 {it['number']}", "\n".join(texts),
                "item", **facets)
        for fn, fid in zip(r["footnotes"], footnote_ids(r["footnotes"])):
            add(d + "#" + fid, f"{prefix}，脚注 {fn['mark']}", fn["text"], "fn", **facets)
        for i, row in enumerate(r["index_rows"], 1):
            add(d + "#" + row_anchor(i), f"{prefix}，索引第 {i} 行",
                f"{row['topic'] or ''} {row['report']} 第{row['paragraphs_raw']}段 {row['locations_raw']}",
                "row", **facets)
    for label, slug in sorted(corpus.topic_slugs.items()):
        add(topic_dir(slug), f"专题：{label}", label, "topic")
    for n, slug in sorted(corpus.entity_slugs.items()):
        add(entity_dir(slug), n, n, "entity")
    for sym, ref in corpus.symbols.items():
        if not ref.in_corpus:
            gy = group_and_year(sym)
            add(symbol_dir(sym), sym, sym, "doc", sym, group=groups.short(gy[0]) if gy else "",
                year=gy[1] if gy else None)
    return out


def build_index(items: list[dict]) -> tuple[dict[int, dict[str, list[int]]], list[list[dict]]]:
    postings: dict[str, list[int]] = defaultdict(list)
    for i, e in enumerate(items):
        text = normalize(e["x"] + " " + e["t"])
        for g in set(map(operator.add, text, text[1:])):  # its bigrams (C loops, not slices)
            postings[g].append(i)
    shards: dict[int, dict[str, list[int]]] = {}
    for g, ids in postings.items():
        shards.setdefault(shard_of(g), {})[g] = ids
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    return shards, chunks


def _delta(ids: list[int]) -> list[int]:
    return list(map(operator.sub, ids, [0] + ids[:-1]))


def build_search_files(records: list[dict], site_files: dict | None = None,
                       corpus=None) -> dict[str, bytes]:
    items = entries(records, corpus)
    shards, chunks = build_index(items)
    files: dict[str, bytes] = {}
    for n in range(SHARDS):
        grams = shards.get(n, {})
        data = {g: _delta(ids) for g, ids in sorted(grams.items())}
        files[f"search/idx/{n:02d}.json"] = json.dumps(data, ensure_ascii=False,
                                                       separators=(",", ":")).encode("utf-8")
    for k, chunk in enumerate(chunks):
        files[f"search/text/{k:04d}.json"] = json.dumps(chunk, ensure_ascii=False,
                                                        separators=(",", ":")).encode("utf-8")
    meta = {"entries": len(items), "shards": SHARDS, "chunk": CHUNK, "version": 1,
            "checksum": zlib.crc32(b"".join(files[k] for k in sorted(files)))}
    files["search/meta.json"] = json.dumps(meta).encode("utf-8")
    return files


def pieces(q: str) -> list[str]:
    """The parts of a normalised query a near match must hold close together (search.js does
    the same): each word of Latin text; Chinese cut into two-character pieces (证人保护 -> 证人,
    保护; an odd last character rides with the one before it).  Fewer than two: no near tier."""
    out: list[str] = []
    for w in q.split(" "):
        if len(w) < 2:
            continue
        if any(ord(ch) >= 0x2E80 for ch in w):
            out += [w[k:k + 2] for k in range(0, len(w) - 1, 2)]
            if len(w) % 2 and len(w) > 2:
                out.append(w[-2:])
        else:
            out.append(w)
    return out if len(out) > 1 else []


def near(text: str, parts: list[str], q: str) -> bool:
    """Whether every part occurs in ``text`` within a span of three times the query's length."""
    limit = max(3 * len(q), len(q) + 6)
    hits = []
    for n, part in enumerate(parts):
        k = text.find(part)
        if k < 0:
            return False
        while k >= 0:
            hits.append((k, k + len(part), n))
            k = text.find(part, k + 1)
    hits.sort()
    need, have, lo = len(set(range(len(parts)))), {}, 0
    for hi, (_, end, n) in enumerate(hits):
        have[n] = have.get(n, 0) + 1
        while len(have) == need:
            if max(e for _, e, _ in hits[lo:hi + 1]) - hits[lo][0] <= limit:
                return True
            m = hits[lo][2]
            have[m] -= 1
            if not have[m]:
                del have[m]
            lo += 1
    return False


def _candidates(files: dict[str, bytes], grams: set[str]) -> set[int]:
    candidates = None
    for g in sorted(grams):
        shard = json.loads(files[f"search/idx/{shard_of(g):02d}.json"])
        ids, acc = [], 0
        for delta in shard.get(g, []):
            acc += delta
            ids.append(acc)
        candidates = set(ids) if candidates is None else candidates & set(ids)
        if not candidates:
            return set()
    return candidates or set()


def _entries(files: dict[str, bytes], ids) -> list[tuple[int, dict]]:
    meta = json.loads(files["search/meta.json"])
    chunks: dict[int, list] = {}
    out = []
    for i in sorted(ids):
        c = i // meta["chunk"]
        if c not in chunks:
            chunks[c] = json.loads(files[f"search/text/{c:04d}.json"])
        out.append((i, chunks[c][i % meta["chunk"]]))
    return out


def search_files(files: dict[str, bytes], query: str) -> list[dict]:
    """The exact matches the browser finds, in Python (used by the recall tests)."""
    q = normalize(query)
    if len(q) < 2:
        return []
    return [e for _, e in _entries(files, _candidates(files, bigrams(q)))
            if q in normalize(e["x"] + " " + e["t"])]


def near_files(files: dict[str, bytes], query: str) -> list[dict]:
    """The browser's second tier: entries that hold the query's pieces close together but not
    the query itself (证人保护 finds 给予证人特别保护)."""
    q = normalize(query)
    parts = pieces(q)
    if not parts:
        return []
    grams = set().union(*(bigrams(x) for x in parts))
    out = []
    for _, e in _entries(files, _candidates(files, grams)):
        text = normalize(e["x"] + " " + e["t"])
        if q not in text and near(text, parts, q):
            out.append(e)
    return out
