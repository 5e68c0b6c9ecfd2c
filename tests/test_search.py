"""Search recall: for >= 50 query strings, results are exactly the entries (and pages) whose
text contains the string."""

from __future__ import annotations

import json as json_module
import random

import pytest
from hypothesis import given, settings, strategies as st

from wgindex.site.search import entries, normalize, search_files
from wgindex.site.searchindex import build_search_files

FIXED = ["移民问题", "联合调查", "证人保护", "私营部门合作", "偷运移民", "联合国", "工作组",
         "意大利", "委内瑞拉玻利瓦尔共和国", "欧洲联盟", "伊朗伊斯兰共和国", "CTOC/COP/WG.7/2017/1",
         "CTOC/COP/WG.4/2022/3", "第 7/1 号决议", "技术援助", "儿童", "刑事司法制度", "信息共享",
         "Francesco Testa", "covid-19", "混合形式", "审议机制", "犯罪所得", "调查程序", "会议开幕"]


@pytest.fixture(scope="module")
def search(seed_result):
    files = build_search_files(seed_result.records)
    items = entries(seed_result.records)
    return files, items


def _queries(items) -> list[str]:
    rng = random.Random(20261122)
    texts = [e["x"] for e in items if len(e["x"]) > 20]
    out = list(FIXED)
    while len(out) < 80:
        t = rng.choice(texts)
        n = rng.randint(2, 8)
        i = rng.randrange(0, len(t) - n)
        q = t[i:i + n]
        if len(normalize(q)) >= 2 and "\n" not in q:
            out.append(q)
    return out


def test_recall_and_precision_are_exact(search):
    files, items = search
    queries = _queries(items)
    assert len(queries) >= 50
    for q in queries:
        expected = [e for e in items if normalize(q) in normalize(e["x"] + " " + e["t"])]
        got = search_files(files, q)
        assert got == expected, q
        assert got, q  # every query occurs somewhere


def test_document_pages_are_all_found(search, seed_result):
    """Every document page whose text contains the query is among the results' pages."""
    from wgindex.records import full_text
    from wgindex.corpus.urls import doc_dir
    files, items = search
    for q in FIXED:
        pages = set()
        for r in seed_result.records:
            texts = [full_text(p) for p in r["paragraphs"]] + [x["text"] for x in r["recommendations"]]
            texts += [a["text"] for i in r["agenda_items"] for a in i["annotation"]]
            if any(normalize(q) in normalize(t) for t in texts):
                pages.add(doc_dir(r))
        found = {e["u"].split("#")[0] for e in search_files(files, q)}
        assert pages <= found, q


def test_results_open_at_the_paragraph(search):
    files, _ = search
    hits = search_files(files, "双边或多边协定建立联合调查小组")
    assert [h["u"] for h in hits] == ["doc/001_28d5586563dc01f3/#rec-8"]
    hits = search_files(files, "共举行了四场会议")
    assert [h["u"] for h in hits] == ["doc/003_1cd5f2748af19e84/#para-12"]
    assert search_files(files, "x") == []          # one character: asks for more
    assert search_files(files, "不存在的字符串") == []


def test_near_matches_hold_the_pieces_close_together(search):
    """The second tier: 证人保护 also finds 给予证人特别保护 (建议 6), and never an exact match again;
    every near hit holds each piece within three times the query's length."""
    from wgindex.site.search import near, near_files, pieces
    files, items = search
    hits = near_files(files, "证人保护")
    assert [e["t"] for e in hits] == ["偷运移民问题工作组第四次会议报告草稿，建议 6"]
    assert "给予证人特别保护" in hits[0]["x"]
    for q in FIXED:
        exact = {e["u"] for e in search_files(files, q)}
        for e in near_files(files, q):
            assert e["u"] not in exact and normalize(q) not in normalize(e["x"] + " " + e["t"])
            assert near(normalize(e["x"] + " " + e["t"]), pieces(normalize(q)), normalize(q))
    # the span rule itself: close pieces in any order match; pieces far apart do not
    assert near("保护证人", ["证人", "保护"], "证人保护")
    assert not near("证人" + "和" * 20 + "保护", ["证人", "保护"], "证人保护")
    assert pieces("证人保护") == ["证人", "保护"] and pieces("移民问题组") == ["移民", "问题", "题组"]
    assert pieces("smuggling of migrants") == ["smuggling", "of", "migrants"] and pieces("儿童") == []


def test_entries_carry_their_facets_and_human_names(search):
    from wgindex.site.search import KINDS
    _, items = search
    assert {e["k"] for e in items} <= set(KINDS)
    assert {e["k"] for e in items} >= {"doc", "para", "rec", "item", "fn", "row", "topic", "entity"}
    assert not [e for e in items if e["d"].startswith("doc/")]  # document names, never ids
    docs = [e for e in items if e["k"] not in ("topic", "entity")]
    assert all(e["g"] == "WG.7" or e["g"] == "WG.4" for e in docs if "/WG." in e["d"] or "工作组" in e["d"])
    assert {e["y"] for e in docs} >= {2017, 2019, 2020, 2022}


def _postings_by_sets(texts: list[str]) -> tuple[list[str], list[list[int]]]:
    """The index as the browser reads it, by the definition: each text's set of bigrams."""
    where: dict[str, list[int]] = {}
    for i, t in enumerate(texts):
        for g in {t[j:j + 2] for j in range(len(t) - 1)}:
            where.setdefault(g, []).append(i)
    grams = sorted(where)
    return grams, [[ids[0]] + [b - a for a, b in zip(ids, ids[1:])] for ids in (where[g] for g in grams)]


def _as_json(found: tuple[list[str], list[list[int]]]) -> tuple[list[str], list[bytes]]:
    grams, ids = found
    return grams, [json_module.dumps(x, separators=(",", ":")).encode() for x in ids]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(0, 2**62) | st.integers(0, 12), min_size=1, max_size=40), st.data())
def test_numbers_are_written_as_json_writes_them(values, data):
    import numpy as np
    from wgindex.site.search import json_int_lists
    cuts = sorted(set(data.draw(st.lists(st.integers(1, len(values) - 1), max_size=8)))) if len(values) > 1 else []
    starts = [0] + cuts
    want = [json_module.dumps(values[a:b], separators=(",", ":")).encode()
            for a, b in zip(starts, starts[1:] + [len(values)])]
    assert json_int_lists(np.array(values, dtype=np.int64), np.array(starts)) == want


_TEXT = st.text(alphabet=st.sampled_from("ab 移民问题\0\"\\é𠀀😀" + chr(0xD800) + chr(0x10FFFF)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=30))
def test_postings_are_each_texts_bigrams(texts):
    from wgindex.site.search import postings
    assert postings(texts) == _as_json(_postings_by_sets(texts))


@settings(max_examples=100, deadline=None)
@given(st.lists(_TEXT, max_size=30))
def test_postings_when_pairs_do_not_fit_one_integer(texts):
    import wgindex.site.search as search_module
    old, search_module.ONE_KEY = search_module.ONE_KEY, 0  # the sort on two keys
    try:
        assert search_module.postings(texts) == _as_json(_postings_by_sets(texts))
    finally:
        search_module.ONE_KEY = old


@settings(max_examples=200, deadline=None)
@given(st.lists(_TEXT, max_size=30), st.lists(st.integers(0, 10**12), min_size=1, max_size=30))
def test_postings_made_in_many_blocks(texts, values):
    """The arrays are made block by block (a quarter of a million numbers, 4,096 texts each);
    blocks of three numbers and two texts exercise every boundary."""
    import numpy as np
    import wgindex.site.search as search_module
    old = search_module._BLOCK, search_module._TEXTS
    search_module._BLOCK, search_module._TEXTS = 3, 2
    try:
        assert search_module.postings(texts) == _as_json(_postings_by_sets(texts))
        assert search_module.json_int_lists(np.array(values, dtype=np.int64), np.array([0])) == \
            [json_module.dumps(values, separators=(",", ":")).encode()]
    finally:
        search_module._BLOCK, search_module._TEXTS = old


def test_index_of_the_seeds_is_the_definition(search):
    """The shard files hold, for each bigram, exactly the entries whose text holds it."""
    from wgindex.site.search import SHARDS, shard_of
    files, items = search
    grams, gaps = _postings_by_sets([normalize(e["x"] + " " + e["t"]) for e in items])
    want: dict[int, dict] = {}
    for g, ids in zip(grams, gaps):
        want.setdefault(shard_of(g), {})[g] = ids
    for n in range(SHARDS):
        assert files[f"search/idx/{n:02d}.json"] == json_module.dumps(
            want.get(n, {}), ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def test_normalize_collapses_exactly_the_whitespace_a_regex_does():
    """``normalize`` splits on whitespace instead of a regex; for every character, alone,
    doubled and at either end, it gives what ``re.sub(r"\\s+", " ", …).strip().lower()`` gives."""
    import re
    import sys
    from wgindex.site.search import normalize
    spaces = re.compile(r"\s+")
    chars = [chr(i) for i in range(sys.maxunicode + 1)]
    every = "A".join(f"b{c}b{c}{c}b" for c in chars)  # each character between others, alone and doubled
    assert normalize(every) == spaces.sub(" ", every).strip().lower()
    for c in chars:
        if c.isspace() or spaces.fullmatch(c):
            text = f"{c}{c}A{c}"
            assert normalize(text) == spaces.sub(" ", text).strip().lower(), hex(ord(c))
