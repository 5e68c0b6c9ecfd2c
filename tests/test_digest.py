"""The digest a page is reused by (``digest._Digest``): equal contexts give equal digests,
however their objects are shared; any change, however deep, gives another; only data is taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from wgindex.site.page import Page
from wgindex.site.digest import _Digest


@dataclass
class Leaf:
    text: str


@dataclass
class Empty:
    pass


@dataclass
class Node:
    name: str
    leaves: list = field(default_factory=list)
    child: object = None
    tags: set = field(default_factory=set)
    when: date | None = None


def tree(text="a", tags=("x", "y"), depth=3):
    node = Node("root", [Leaf(text), Leaf("b"), Empty()], None, set(tags), date(2020, 1, 2))
    for n in range(depth):  # entries inside entries inside entries
        node = Node(f"n{n}", [Leaf(f"l{n}"), node], Node("side", [Leaf(text)]), {"t"})
    return node


def digest(*contexts, digester=None):
    d = digester or _Digest(SimpleNamespace(records=[]))
    return [d.page("base", Page(f"p{i}/index.html", "t.html", c)) for i, c in enumerate(contexts)]


def test_equal_contexts_give_equal_digests_however_objects_are_shared():
    shared = tree()
    one = digest({"a": shared, "b": shared, "m": Markup("<b>")})
    two = digest({"a": tree(), "b": tree(), "m": Markup("<b>")})
    assert one == two
    # the same entries met again, in another page of the same build, are named alike
    d = _Digest(SimpleNamespace(records=[]))
    first = digest({"a": tree()}, {"a": shared}, digester=d)
    assert first[1] == digest({"a": tree()}, {"a": tree()})[1]


@pytest.mark.parametrize("change", [
    lambda t: setattr(t.leaves[1].leaves[1].leaves[1].leaves[0], "text", "changed"),  # deepest leaf
    lambda t: t.leaves[1].leaves[1].leaves[1].tags.add("z"),
    lambda t: setattr(t.leaves[1].leaves[1].leaves[1], "when", date(2020, 1, 3)),
    lambda t: setattr(t.child.leaves[0], "text", "b"),
    lambda t: t.leaves[1].leaves.append(Empty()),
    lambda t: setattr(t, "name", "other"),
])
def test_any_change_however_deep_gives_another_digest(change):
    changed = tree()
    change(changed)
    assert digest({"a": tree()}) != digest({"a": changed})
    # and while other entries are being spelled out around it
    assert digest({"x": tree("q"), "a": tree(), "y": tree("r")}) != \
        digest({"x": tree("q"), "a": changed, "y": tree("r")})


def test_sets_are_digested_in_sorted_order():
    assert digest({"s": {"b", "a", "c"}}) == digest({"s": {"c", "b", "a"}})
    assert digest({"s": {"b", "a"}}) != digest({"s": {"b", "a", "c"}})


def test_an_entry_of_another_class_with_the_same_fields_differs():
    @dataclass
    class Other:
        text: str

    assert digest({"a": Leaf("x")}) != digest({"a": Other("x")})


@pytest.mark.parametrize("value", [lambda: 1, object(), SimpleNamespace(a=1), iter([1])])
def test_only_data_is_taken(value):
    with pytest.raises(TypeError, match="data only"):
        digest({"a": [1, {"b": value}]})
    with pytest.raises(TypeError, match="data only"):
        digest({"a": Node("n", [Leaf("x")], value)})


@dataclass
class Keyed:
    by: dict


def test_an_entry_json_cannot_spell_is_pickled_and_still_compared():
    # a dict keyed by tuples: JSON refuses it, the pickler spells the entry out
    one = digest({"a": Keyed({("WG.7", 1): Leaf("x")})})
    assert one == digest({"a": Keyed({("WG.7", 1): Leaf("x")})})
    assert one != digest({"a": Keyed({("WG.7", 2): Leaf("x")})})
    assert one != digest({"a": Keyed({("WG.7", 1): Leaf("y")})})


@pytest.mark.parametrize("value,other", [
    (b"ab", b"ac"), (Leaf, Empty), (frozenset({"a"}), frozenset({"b"})), (date(2020, 1, 1), "2020-01-01"),
    (1, 1.0), (1, True), (None, "null"), ([Leaf("x")], [{"text": "x"}]),
])
def test_inside_an_entry_values_json_would_confuse_stay_apart(value, other):
    assert digest({"a": Node("n", [value])}) != digest({"a": Node("n", [other])})


def test_a_page_digest_does_not_depend_on_the_pages_digested_before_it():
    # an entry met first inside another entry, or first on its own, is spelled alike: the
    # pages a worker happens to digest first (its chunk) never change another page's digest
    def pages(shared):
        return [{"in": Node("outer", [shared])}, {"alone": shared}, {"set": {"k": [shared, Leaf("z")]}}]

    forward = digest(*pages(tree()))
    d = _Digest(SimpleNamespace(records=[]))
    backward = [d.page("base", Page(f"p{i}/index.html", "t.html", c))
                for i, c in reversed(list(enumerate(pages(tree()))))]
    assert forward == backward[::-1]


def _variants(records):
    """The seed records, and each of them changed in a way that reaches symbol entries."""
    import copy
    index = next(r for r in records if r.get("index_rows"))
    report = next(r for r in records if r["kind"] == "report")
    agenda = next(r for r in records if r["kind"] == "agenda")

    def changed(rid, change):
        out = copy.deepcopy(records)
        change(next(r for r in out if r["id"] == rid))
        return out
    yield changed(index["id"], lambda r: r["index_rows"][3].update(topic="改过的专题"))
    yield changed(index["id"], lambda r: r["index_rows"][5]["paragraphs"].append("99"))
    yield changed(index["id"], lambda r: r.update(compilation=None))
    yield changed(report["id"], lambda r: r["paragraphs"][0].update(text=r["paragraphs"][0]["text"] + " 见 CTOC/COP/WG.7/2019/5"))
    yield changed(agenda["id"], lambda r: r["agenda_items"][1]["documents"][0].update(description="改过的说明"))
    yield changed(report["id"], lambda r: r.update(symbol=index["compilation"]))  # now in the corpus
    shared = [r for r in records if r["kind"] == "report"][-1]  # cites a symbol another record cites
    yield [r for r in records if r is not shared]


def test_an_entry_made_from_records_is_what_those_records_make(seed_result):
    """A symbol's entry is digested as its symbol, whether the corpus holds it, and the
    records it was made from (``made_from``), not spelled out (a topic's as its label, its
    parent and children, and its rows' records): so whenever two corpora give an entry equal
    such keys, the entries spelled out in full must be equal too."""
    from wgindex.corpus.link import build_corpus
    from wgindex.records import to_json
    from wgindex.site.digest import _entry_fields, _Entries

    def keys_and_spellings(records):
        digests = {r["id"]: to_json(r) for r in records}
        full = _Entries({})  # no records known: every entry spelled out
        out = {}
        c = build_corpus(records)
        for sym, e in [*c.symbols.items(), *(("topic:" + k, t) for k, t in c.topics.items())]:
            module, name, get = _entry_fields(type(e))
            key = (tuple(getattr(e, f) if f != "children" else tuple(e.children) for f in e.MADE_FROM_RECORDS_BUT),
                   tuple(e.made_from), tuple(digests[i] for i in e.made_from))
            out[sym] = (key, full.encode((module, name, get(e))))
        return out

    base = keys_and_spellings(seed_result.records)
    same = other = 0
    kinds_same, kinds_other = set(), set()
    for variant in _variants(seed_result.records):
        now = keys_and_spellings(variant)
        for sym in base.keys() & now.keys():
            kind = "topic" if sym.startswith("topic:") else "symbol"
            if base[sym][0] == now[sym][0]:
                assert base[sym][1] == now[sym][1], sym
                same += 1
                kinds_same.add(kind)
            else:
                other += 1
                kinds_other.add(kind)
    assert same > 100 and other > 10, (same, other)
    assert kinds_same == kinds_other == {"symbol", "topic"}, (kinds_same, kinds_other)


def test_a_page_holding_an_entry_made_from_records_follows_them(seed_result):
    from wgindex.site.lookups import SiteData
    from wgindex.site.pages import symbol

    def symbol_pages(records):
        data = SiteData(records)
        d = _Digest(data)
        return {sym: d.page("base", symbol(data, sym, ref)) for sym, ref in data.corpus.symbols.items()}

    base = symbol_pages(seed_result.records)
    changed = [sum(base[s] != d for s, d in symbol_pages(v).items() if s in base) for v in _variants(seed_result.records)]
    assert all(n > 0 for n in changed), changed


def _document_pages(records):
    """Each document page's digest as the memo makes it (its inputs) and of the context it
    makes, spelled out as a page holding that context would be."""
    from wgindex.errors import SymbolError
    from wgindex.site.lookups import SiteData
    from wgindex.site.pages import document

    data = SiteData(records)
    d = _Digest(data)
    out = {}
    for r in data.records:
        try:
            p = document(data, r)
        except SymbolError:  # a variant whose symbol no longer matches its id: no page
            continue
        out[r["id"]] = (d.page("base", p), d.page("base", Page(p.path, p.template, p.context)))
    return out


def test_a_made_page_is_what_its_inputs_make(seed_result):
    """A document's page is digested by its inputs (the record, its meeting, its symbol's
    entry, its language versions, the base URL: ``page.made``), not by its context: whenever
    two corpora give a document page equal inputs, the contexts made from them are equal too."""
    base = _document_pages(seed_result.records)
    same = other = 0
    for variant in _variants(seed_result.records):
        now = _document_pages(variant)
        for rid in base.keys() & now.keys():
            if base[rid][0] == now[rid][0]:
                assert base[rid][1] == now[rid][1], rid
                same += 1
            else:
                other += 1
    assert same > 10 and other > 3, (same, other)


def test_a_reused_document_page_makes_no_context(tmp_path, seed_result, monkeypatch):
    """A rebuild makes the contexts of the document pages it renders, not of those it reuses."""
    from wgindex.site import pages
    from wgindex.site.render import render_site
    from wgindex.site.write import Staging

    made = []
    make = pages.document_context
    monkeypatch.setattr(pages, "document_context", lambda r, *rest: made.append(r["id"]) or make(r, *rest))
    records, out = seed_result.records, tmp_path / "site"
    memo, previous = {}, None
    changed = [dict(r) for r in records]
    i = next(k for k, r in enumerate(changed) if r["kind"] == "agenda")
    changed[i]["title"] = changed[i]["title"] + "（改过）"
    serialized = {k: v for k, v in seed_result.serialized.items() if k != changed[i]["id"]}  # its text changed
    for recs in (records, changed):
        made.clear()
        with Staging(out) as staging:
            site = render_site(recs, "", serialized, 1, memo, previous, writer=staging)
            staging.commit()
        memo, previous = site.memo, out
    assert made == [changed[i]["id"]], made  # one process: what the parent made is all there is
