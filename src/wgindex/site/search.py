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

from ..corpus.link import build_corpus
from .. import groups
from ..symbols import group_and_year
from .facets import group_and_year_of
from .labels import cite_prefix, doc_name, doc_title, meeting_label
from ..records import full_text
from ..corpus.urls import (doc_dir, entity_dir, footnote_ids, item_anchor, para_anchor, rec_anchor, row_anchor,
                          symbol_dir, topic_dir)

# numpy is imported by the functions that cut and merge postings, which run in the search
# index's worker: the build's own process, and a build that finds nothing changed, never load
# it (0.05 s of the CLI's 0.25 s of imports)

SHARDS = 64
CHUNK = 200  # entries per text chunk file
ONE_KEY = 1 << 62  # (bigram, text) pairs numbered below this are sorted as one integer


def normalize(text: str) -> str:
    """What search compares: lower-case, whitespace collapsed (the JS does the same).  As
    ``re.sub(r"\\s+", " ", text).strip().lower()`` does, for every character (the test checks
    them all), in less than half the time: the index normalizes six million characters."""
    return " ".join(text.split()).lower()


def bigrams(text: str) -> set[str]:
    return {text[i:i + 2] for i in range(len(text) - 1)}


def shard_of(gram: str) -> int:
    """Shard number of a bigram: the same arithmetic in search.js."""
    return (ord(gram[0]) * 31 + ord(gram[1])) % SHARDS


KINDS = ("doc", "para", "rec", "item", "fn", "row", "topic", "entity")  # the kind facet, in its order


def entries(records: list[dict], corpus=None) -> list[dict]:
    """Every unit a result opens at: URL ``u``, title ``t``, text ``x``, the document's name
    ``d``, its meeting ``m``, and the facets: kind ``k`` (``KINDS``), group ``g`` (``WG.7``),
    year ``y`` (of the meeting, else of issue).  Each record's entries, in the order of their
    ids, then the corpus's own (``corpus_entries``)."""
    corpus = corpus or build_corpus(records)
    out: list[dict] = []
    for r in sorted(records, key=lambda r: r["id"]):
        out += record_entries(r, record_facets(corpus, r))
    return out + corpus_entries(corpus)


def record_facets(corpus, r: dict) -> dict:
    """All that a record's entries take from the rest of the corpus (its meeting, group and
    year); the index made a document at a time (``searchindex``) keys them on it."""
    key = corpus.meeting_of_record(r)
    group, year = group_and_year_of(corpus, r)
    return {"doc": doc_name(r), "meeting": meeting_label(key) if key else "", "group": group, "year": year}


def _adder(out: list[dict]):
    def add(url: str, title: str, text: str, kind: str, doc: str = "", meeting: str = "",
            group: str = "", year: int | None = None) -> None:
        if text and text.strip():
            out.append({"u": url, "t": title, "x": text.strip(), "d": doc, "m": meeting, "k": kind,
                        "g": group, "y": year})
    return add


def record_entries(r: dict, facets: dict) -> list[dict]:
    """The entries of one record: a function of the record and its ``record_facets`` alone
    (no corpus is passed, so none can be read)."""
    out: list[dict] = []
    add = _adder(out)
    d = doc_dir(r)
    prefix = cite_prefix(r)
    add(d, doc_title(r), " ".join(filter(None, [r.get("symbol"), facets["doc"], doc_title(r), r.get("title")])),
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
    return out


def corpus_entries(corpus) -> list[dict]:
    """The entries that are no record's: topics, states and cited symbols not in the corpus."""
    out: list[dict] = []
    add = _adder(out)
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


def postings(texts: list[str]) -> tuple[list[str], list[bytes]]:
    """Every bigram of ``texts`` in code-point order, and for each the numbers of the texts
    that hold it, as gaps (the first number, then the difference to the one before), in a
    JSON array (``b"[0,3,1]"``)."""
    return spelled(*posting_arrays(texts))


GRAM_SHIFT = 21  # a bigram as one integer: first code point << 21 | second (code points < 2**21)


def posting_arrays(texts: list[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The postings of ``texts`` as three arrays: the bigrams they hold, rising (each as
    ``first << GRAM_SHIFT | second``), how many texts hold each, and those texts' numbers,
    rising within each bigram's run.

    Done as one sort of integers: each (bigram, text) pair is a number, its two characters
    ranked among the characters the corpus uses, so a million entries' worth of text is
    sorted by numpy at C speed instead of set by set in Python."""
    import numpy as np
    n = len(texts)
    lens = np.fromiter(map(len, texts), np.int64, n)
    m = int(np.maximum(lens - 1, 0).sum())  # how many (character, next character) pairs
    if not m:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int32)
    groups = range(0, n, _TEXTS)
    used = np.zeros(0x110000, dtype=bool)
    for lo in groups:
        used[_codes(texts[lo:lo + _TEXTS])] = True
    chars = np.flatnonzero(used)  # the characters the corpus uses, in code-point order
    rank = np.cumsum(used, dtype=np.int32) - 1
    del used
    k = len(chars)
    one_key = k * k * n < ONE_KEY  # (bigram, text) numbered as one integer: one sort
    # the pairs are numbered a group of texts at a time into one array (the forked worker that
    # runs this holds the build's memory too: no step holds a second array of the pairs)
    key = np.empty(m, dtype=np.int64)
    ids = None if one_key else np.empty(m, dtype=np.int32)
    w = 0
    for lo in groups:
        r = rank[_codes(texts[lo:lo + _TEXTS])]
        t = np.repeat(np.arange(lo, min(lo + _TEXTS, n), dtype=np.int64), lens[lo:lo + _TEXTS])
        here = t[:-1] == t[1:]  # the two characters are of one text
        part = np.multiply(r[:-1][here], k, dtype=np.int64)
        part += r[1:][here]
        if one_key:
            part *= n
            part += t[:-1][here]
        else:
            ids[w:w + len(part)] = t[:-1][here]
        key[w:w + len(part)] = part
        w += len(part)
    del rank, r, t, here, part
    if one_key:
        key.sort()
        w, last = 0, -1
        for lo in range(0, m, _BLOCK):  # repeats dropped in place, block by block
            part = key[lo:lo + _BLOCK]
            new = np.empty(len(part), dtype=bool)
            new[0] = part[0] != last
            np.not_equal(part[1:], part[:-1], out=new[1:])
            last, part = int(part[-1]), part[new]
            key[w:w + len(part)] = part
            w += len(part)
        key = key[:w]
        ids = np.empty(w, dtype=np.int32)
        np.remainder(key, n, out=ids, casting="unsafe")
        key //= n
        gram = key
    else:  # too many characters times texts for one integer: a sort on two keys
        order = np.lexsort((ids, key))
        gram, ids = key[order], ids[order]
        keep = np.r_[True, (gram[1:] != gram[:-1]) | (ids[1:] != ids[:-1])]
        gram, ids = gram[keep], ids[keep]
    del key
    starts = np.flatnonzero(np.r_[True, gram[1:] != gram[:-1]])
    first = gram[starts]
    del gram
    counts = np.diff(starts, append=len(ids))
    return (chars[first // k].astype(np.int64) << GRAM_SHIFT) | chars[first % k], counts, ids


def spelled(grams: np.ndarray, counts: np.ndarray, ids: np.ndarray) -> tuple[list[str], list[bytes]]:
    """``posting_arrays``' arrays as the index writes them: each bigram as text, and its
    texts' numbers as gaps in a JSON array (the arrays' digits are written by numpy: ``json``
    spent 0.65 s on the 4.4 million numbers of 1,000 documents)."""
    import numpy as np
    if not len(grams):
        return [], []
    starts = np.cumsum(counts) - counts
    gaps = np.diff(ids, prepend=np.int32(0))
    gaps[starts] = ids[starts]
    low = (1 << GRAM_SHIFT) - 1
    text = list(map(operator.add, map(chr, (grams >> GRAM_SHIFT).tolist()), map(chr, (grams & low).tolist())))
    return text, json_int_lists(gaps, starts)


def _codes(texts: list[str]) -> np.ndarray:
    import numpy as np
    return np.frombuffer("".join(texts).encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


def json_int_lists(values: np.ndarray, starts: np.ndarray) -> list[bytes]:
    """``values[starts[i]:starts[i + 1]]`` (integers >= 0; ``starts`` rising from 0, each below
    ``len(values)``) as JSON arrays, the bytes ``json.dumps(…, separators=(",", ":"))`` gives,
    each digit placed by numpy."""
    import numpy as np
    if not len(values):
        return [b"[]"] * len(starts)
    digits = np.ones(len(values), dtype=np.int8)
    bound = 10
    while bound <= values.max():
        digits += values >= bound
        bound *= 10
    end = np.cumsum(digits + 1, dtype=np.int32 if len(values) < 1 << 26 else np.int64)  # each number, its comma
    buf = np.full(int(end[-1]), ord(","), dtype=np.uint8)
    for lo in range(0, len(values), _BLOCK):  # in blocks: a few MB of temporaries, not 100s
        v, d, last = values[lo:lo + _BLOCK].astype(np.int64), digits[lo:lo + _BLOCK], end[lo:lo + _BLOCK] - 2
        for place in range(int(d.max())):
            live = np.flatnonzero(d > place)
            buf[last[live] - place] = 48 + v[live] // 10 ** place % 10
    data = memoryview(buf)
    cuts = (end[starts] - digits[starts] - 1).tolist() + [len(buf)]  # where each array's first number starts
    return [b"[" + data[cuts[i]:cuts[i + 1] - 1] + b"]" for i in range(len(starts))]


_BLOCK = 1 << 18  # numbers at a time
_TEXTS = 1 << 12  # texts at a time


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
