"""The search index (``search``'s format), made a document at a time.

The index is a function of its entries, and a record's entries are a function of the record
and its ``record_facets`` alone.  So each record is one segment of the index, keyed by the
digest of its JSON text and its facets; the entries that are no record's (topics, states,
symbols cited but not held) are one more, keyed by their own text.  With ``state`` (a file
in the build's cache) the previous build's index is kept there, and the next one takes it
apart instead of starting over: the entries of segments whose key did not change are taken
as they were written, their postings renumbered where other segments came or went, and only
the new segments' text is cut into bigrams; the two sets of postings are merged in one pass.
The files are the same bytes as an index made from nothing (the tests build both)."""

from __future__ import annotations

import hashlib
import json
import zlib
from pathlib import Path

from ..corpus.link import build_corpus
from ..records import to_json
from . import search
from .search import (CHUNK, SHARDS, corpus_entries, normalize, posting_arrays, record_entries, record_facets,
                     shard_of, spelled)
from .files import write_quietly

FORMAT = "wgindex-search-state/1"
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


class _State:
    """An index's segments (name, key, how many entries), its entries' JSON text (each
    followed by a comma) with where each starts, and its postings (``posting_arrays``' three
    arrays)."""

    def __init__(self, segments: list, text: bytes, starts: np.ndarray, grams: np.ndarray,
                 counts: np.ndarray, ids: np.ndarray):
        self.segments, self.text, self.starts = segments, text, starts
        self.grams, self.counts, self.ids = grams, counts, ids


def _empty() -> _State:
    import numpy as np
    return _State([], b"", np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64),
                  np.zeros(0, np.int32))


def _load(path: Path | None, salt: str) -> _State:
    """The state kept at ``path`` by a build with the same ``salt`` (the code, templates and
    base URL); an empty one when there is none, or it is unreadable, damaged or another's."""
    import numpy as np
    try:
        raw = path.read_bytes() if path is not None else b""
        cut = raw.index(b"\n") if raw else -1
        head = json.loads(raw[:cut]) if raw else None
    except (OSError, ValueError):
        return _empty()
    if not isinstance(head, dict) or head.get("format") != FORMAT or head.get("salt") != salt:
        return _empty()
    try:
        body = memoryview(raw)[cut + 1:]
        if zlib.crc32(body) != head["crc32"]:
            return _empty()
        n, g, p, t = head["entries"], head["grams"], head["pairs"], head["text"]
        at = 0
        arrays = []
        for dtype, size in ((np.int64, n + 1), (np.int64, g), (np.int64, g), (np.int32, p)):
            arrays.append(np.frombuffer(body, dtype, size, at))
            at += arrays[-1].nbytes
        text = body[at:at + t]
        segments = [tuple(s) for s in head["segments"]]
        starts, grams, counts, ids = arrays
        if at + t != len(body) or sum(s[2] for s in segments) != n or int(counts.sum()) != p \
                or int(starts[-1]) != t or (g and (counts.min() < 1 or np.any(grams[1:] <= grams[:-1]))) \
                or (p and (ids.min() < 0 or ids.max() >= n)):
            return _empty()
    except (KeyError, TypeError, ValueError, IndexError):
        return _empty()
    return _State(segments, text, *arrays)


def _save(path: Path, salt: str, state: _State) -> None:
    import numpy as np
    parts = [np.ascontiguousarray(a, dtype) for a, dtype in
             ((state.starts, np.int64), (state.grams, np.int64), (state.counts, np.int64), (state.ids, np.int32))]
    parts.append(state.text)
    crc = 0
    for part in parts:
        crc = zlib.crc32(part, crc)
    head = {"format": FORMAT, "salt": salt, "crc32": crc, "entries": len(state.starts) - 1,
            "grams": len(state.grams), "pairs": len(state.ids), "text": len(state.text),
            "segments": [list(s) for s in state.segments]}
    write_quietly(path, [json.dumps(head, ensure_ascii=False).encode("utf-8") + b"\n"] + parts)


def _json_digest(r: dict) -> str:
    return hashlib.sha256(to_json(r).encode("utf-8")).hexdigest()


def segments(records: list[dict], corpus, record_digest=_json_digest) -> list[tuple[str, str, object]]:
    """The index's segments in their order: (name, key, a function giving its entries)."""
    out: list[tuple[str, str, object]] = []
    for r in sorted(records, key=lambda r: r["id"]):
        facets = record_facets(corpus, r)
        key = hashlib.sha256(record_digest(r).encode("utf-8") + b"\0" + _ENCODE(facets).encode("utf-8"))
        out.append((r["id"], key.hexdigest(), lambda r=r, facets=facets: record_entries(r, facets)))
    rest = corpus_entries(corpus)
    out.append(("", hashlib.sha256(_ENCODE(rest).encode("utf-8")).hexdigest(), lambda: rest))
    return out


def update(old: _State, parts: list[tuple[str, str, object]]) -> _State:
    """The state of the index of ``parts``, taking from ``old`` each segment whose name and
    key it has (in the same order)."""
    import numpy as np
    was = {(name, key): k for k, (name, key, _) in enumerate(old.segments)}
    if len(was) != len(old.segments) or len({(name, key) for name, key, _ in parts}) != len(parts):
        was = {}  # names not unique: nothing is taken
    old_first = np.cumsum([0] + [s[2] for s in old.segments])
    table = np.full(len(old.starts) - 1, -1, np.int32)  # old entry number -> new one, or -1
    # the entries' text is gathered in one buffer: a bytes object for each of 50,000 entries,
    # held until the end, left the worker's heap 40 MB larger at 1,000 documents
    text = bytearray()
    lengths: list[np.ndarray] = []
    fresh: list[str] = []  # the new segments' entries, as the postings read them
    fresh_ids: list[np.ndarray] = []
    made, last, n = [], -1, 0
    for name, key, make in parts:
        k = was.get((name, key), -1)
        if k > last:  # taken as it was
            last, size = k, old.segments[k][2]
            lo, hi = int(old_first[k]), int(old_first[k + 1])
            table[lo:hi] = np.arange(n, n + size)
            text += old.text[old.starts[lo]:old.starts[hi]]
            lengths.append(np.diff(old.starts[lo:hi + 1]))
        else:
            items = make()
            size = len(items)
            sizes = np.empty(size, np.int64)
            for i, e in enumerate(items):
                before = len(text)
                text += _ENCODE(e).encode("utf-8")
                text += b","
                sizes[i] = len(text) - before
            lengths.append(sizes)
            fresh += [normalize(e["x"] + " " + e["t"]) for e in items]
            fresh_ids.append(np.arange(n, n + size, dtype=np.int32))
        made.append((name, key, size))
        n += size
    starts = np.concatenate([np.zeros(1, np.int64)] + lengths).cumsum()
    grams, counts, ids = posting_arrays(fresh)
    del fresh
    if len(ids):
        ids = np.concatenate(fresh_ids)[ids]
    if len(table):
        grams, counts, ids = _merge(old, table, n, grams, counts, ids)
    return _State(made, text, starts, grams, counts, ids.astype(np.int32, copy=False))


def _merge(old: _State, table: np.ndarray, n: int, grams, counts, ids):
    """``old``'s postings renumbered by ``table`` (-1: dropped), merged with the new ones
    (numbered already); both are sorted by bigram, then entry number, and so is the result.
    The numbers stay 32-bit; a 64-bit (bigram, entry) key is made once, to find where the new
    pairs go (an array of each pair's bigram, and keys for both sides, took the worker to
    326 MB above the build's memory at 1,000 documents)."""
    import numpy as np
    keep = (table >= 0)[old.ids]
    kept = table[old.ids][keep]
    first = np.cumsum(old.counts) - old.counts
    kept_counts = np.add.reduceat(keep, first, dtype=np.int64) if len(first) else first
    del keep
    vocab = np.union1d(old.grams, grams)  # a bigram no entry holds any more has no pairs: not written
    at_old, at_new = np.searchsorted(vocab, old.grams), np.searchsorted(vocab, grams)
    total = np.zeros(len(vocab), np.int64)
    total[at_old] = kept_counts
    total[at_new] += counts
    if len(vocab) * max(n, 1) < search.ONE_KEY:  # (bigram, entry) as one integer
        key = np.repeat(at_old, kept_counts)
        key *= n
        key += kept
        new_key = np.repeat(at_new, counts) * n + ids
        where = np.searchsorted(key, new_key)
        del key, new_key
        ids = np.insert(kept, where, ids)
    else:
        rank = np.concatenate([np.repeat(at_old, kept_counts), np.repeat(at_new, counts)])
        both = np.concatenate([kept, ids])
        ids = both[np.lexsort((both, rank))]
    live = total > 0
    return vocab[live], total[live], ids


def build_search_files(records: list[dict], corpus=None, *, state: Path | None = None, salt: str = "",
                       record_digest=_json_digest) -> dict[str, bytes]:
    """The search index's files (``search``).  With ``state``, the index is made from the one
    kept there where it can, and the new one is kept there in its place (``salt``: what else
    the index is made with, the code and base URL; another salt's state is not used)."""
    corpus = corpus or build_corpus(records)
    new = update(_load(state, salt), segments(records, corpus, record_digest))
    if state is not None:
        _save(state, salt, new)
    return search_files_of(new)


def search_files_of(s: _State) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    count = len(s.starts) - 1
    for k in range(0, count, CHUNK):
        lo, hi = int(s.starts[k]), int(s.starts[min(k + CHUNK, count)])
        files[f"search/text/{k // CHUNK:04d}.json"] = b"[" + s.text[lo:hi - 1] + b"]"
    grams, lists = spelled(s.grams, s.counts, s.ids)
    shards: dict[int, list[bytes]] = {}
    for g, ids in zip(grams, lists):  # in code-point order, so each shard's keys are sorted
        shards.setdefault(shard_of(g), []).append(json.dumps(g, ensure_ascii=False).encode("utf-8") + b":" + ids)
    del grams, lists
    for n in range(SHARDS):  # the bytes json.dumps(dict, separators=(",", ":")) would give
        files[f"search/idx/{n:02d}.json"] = b"{" + b",".join(shards.get(n, ())) + b"}"
    crc = 0
    for k in sorted(files):
        crc = zlib.crc32(files[k], crc)
    meta = {"entries": count, "shards": SHARDS, "chunk": CHUNK, "version": 1, "checksum": crc}
    files["search/meta.json"] = json.dumps(meta).encode("utf-8")
    return files
