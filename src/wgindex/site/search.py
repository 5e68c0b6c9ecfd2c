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
import re
import zlib

from ..corpus.link import build_corpus
from .labels import cite_prefix, doc_title, meeting_label
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


def entries(records: list[dict], corpus=None) -> list[dict]:
    corpus = corpus or build_corpus(records)
    out: list[dict] = []

    def add(url: str, title: str, text: str, doc: str = "", meeting: str = "") -> None:
        if text and text.strip():
            out.append({"u": url, "t": title, "x": text.strip(), "d": doc, "m": meeting})

    for r in sorted(records, key=lambda r: r["id"]):
        d = doc_dir(r)
        name = r.get("symbol") or r["id"]
        key = corpus.meeting_of_record(r)
        mlabel = meeting_label(key) if key else ""
        prefix = cite_prefix(r)
        add(d, doc_title(r), " ".join(filter(None, [name, doc_title(r), r.get("title") or ""])), name, mlabel)
        for p in r["paragraphs"]:
            add(d + "#" + para_anchor(p["number"]), f"{prefix}，第{p['number']}段", full_text(p), name, mlabel)
        for rec in r["recommendations"]:
            if rec.get("paragraph") is None:
                add(d + "#" + rec_anchor(rec["number"]), f"{prefix}，建议 {rec['number']}",
                    "\n".join(filter(None, [rec.get("heading"), rec["text"]])), name, mlabel)
        for it in r["agenda_items"]:
            texts = [it["title"]] + [s["title"] for s in it["subitems"]] + \
                    [a["text"] for a in it["annotation"]] + \
                    [f"{x['description']}（{x['symbol']}）" for x in it["documents"]]
            add(d + "#" + item_anchor(it["number"]), f"{prefix}，议程项目 {it['number']}", "\n".join(texts), name, mlabel)
        for fn, fid in zip(r["footnotes"], footnote_ids(r["footnotes"])):
            add(d + "#" + fid, f"{prefix}，脚注 {fn['mark']}", fn["text"], name, mlabel)
        for i, row in enumerate(r["index_rows"], 1):
            add(d + "#" + row_anchor(i), f"{prefix}，索引第 {i} 行",
                f"{row['topic'] or ''} {row['report']} 第{row['paragraphs_raw']}段 {row['locations_raw']}",
                name, mlabel)
    for label, slug in sorted(corpus.topic_slugs.items()):
        add(topic_dir(slug), f"专题：{label}", label)
    for n, slug in sorted(corpus.entity_slugs.items()):
        add(entity_dir(slug), n, n)
    for sym, ref in corpus.symbols.items():
        if not ref.in_corpus:
            add(symbol_dir(sym), sym, sym, sym)
    return out


def build_index(items: list[dict]) -> tuple[dict[int, dict[str, list[int]]], list[list[dict]]]:
    postings: dict[str, list[int]] = {}
    for i, e in enumerate(items):
        text = normalize(e["x"] + " " + e["t"])
        for g in {text[k:k + 2] for k in range(len(text) - 1)}:
            lst = postings.get(g)
            if lst is None:
                postings[g] = [i]
            else:
                lst.append(i)
    shards: dict[int, dict[str, list[int]]] = {}
    for g, ids in postings.items():
        shards.setdefault(shard_of(g), {})[g] = ids
    chunks = [items[i:i + CHUNK] for i in range(0, len(items), CHUNK)]
    return shards, chunks


def _delta(ids: list[int]) -> list[int]:
    prev, out = 0, []
    for i in ids:
        out.append(i - prev)
        prev = i
    return out


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


def search_files(files: dict[str, bytes], query: str) -> list[dict]:
    """The search the browser runs, in Python (used by the recall tests)."""
    q = normalize(query)
    if len(q) < 2:
        return []
    meta = json.loads(files["search/meta.json"])
    candidates = None
    for g in sorted(bigrams(q)):
        shard = json.loads(files[f"search/idx/{shard_of(g):02d}.json"])
        ids, acc = [], 0
        for delta in shard.get(g, []):
            acc += delta
            ids.append(acc)
        candidates = set(ids) if candidates is None else candidates & set(ids)
        if not candidates:
            return []
    out = []
    chunks: dict[int, list] = {}
    for i in sorted(candidates):
        c = i // meta["chunk"]
        if c not in chunks:
            chunks[c] = json.loads(files[f"search/text/{c:04d}.json"])
        e = chunks[c][i % meta["chunk"]]
        if q in normalize(e["x"] + " " + e["t"]):
            out.append(e)
    return out
