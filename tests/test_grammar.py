"""Table-driven and property tests of the paragraph-list and location grammars."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from wgindex.grammar import (GrammarError, Location, ParaRef, format_locations,
                             format_paragraphs, parse_locations, parse_paragraphs)

PARAGRAPHS = [
    ("24、25、28 和 30", ["24", "25", "28", "30"]),
    ("9、18 和 23-25", ["9", "18", "23", "24", "25"]),
    ("7(d) 和 8(e) 及 (f)", ["7(d)", "8(e)", "8(f)"]),
    ("8(b)、(g)及(h) 和 10(e)", ["8(b)", "8(g)", "8(h)", "10(e)"]),
    ("3 and 4", ["3", "4"]),
    ("10 (a)", ["10(a)"]),
    ("43-51", [str(i) for i in range(43, 52)]),
    ("28-31、 36 和 37", ["28", "29", "30", "31", "36", "37"]),
    ("7和8(b)", ["7", "8(b)"]),
    ("5 与 6", ["5", "6"]),
    ("1、10 的 11", ["1", "10", "11"]),             # 的: a typo in the source, still a joiner
    ("8(a)、(b)、(d)、 (f)和 9", ["8(a)", "8(b)", "8(d)", "8(f)", "9"]),
    ("8(a)-(c)", ["8(a)", "8(b)", "8(c)"]),
    ("23至25", ["23", "24", "25"]),
]

LOCATIONS = [
    ("一.21", ["一.21"]),
    ("五.2.e", ["五.2.e"]),
    ("二.8.d", ["二.8.d"]),
    ("一.40- 48", [f"一.{i}" for i in range(40, 49)]),
    ("三.19-21", ["三.19", "三.20", "三.21"]),
    ("V.2.f", ["五.2.f"]),
    ("五.1.d、五.2.e 和 V.2.f", ["五.1.d", "五.2.e", "五.2.f"]),
    ("一.6、一.19、一.28 的一.36", ["一.6", "一.19", "一.28", "一.36"]),
    ("二.3、二.7、二.8、二.23 和 二.32", ["二.3", "二.7", "二.8", "二.23", "二.32"]),
    ("IV.3", ["四.3"]),
]


@pytest.mark.parametrize("text,expected", PARAGRAPHS)
def test_paragraph_lists(text, expected):
    assert [str(p) for p in parse_paragraphs(text)] == expected


@pytest.mark.parametrize("text,expected", LOCATIONS)
def test_locations(text, expected):
    assert [str(loc) for loc in parse_locations(text)] == expected


@pytest.mark.parametrize("bad", ["", "和", "abc", "5 和", "(a)", "30-20", "5(a)-7", "1、、2"])
def test_bad_paragraph_lists_raise(bad):
    with pytest.raises(GrammarError):
        parse_paragraphs(bad)


@pytest.mark.parametrize("bad", ["", "21", "一", "十一.5-3", "Q.3", "一.x"])
def test_bad_locations_raise(bad):
    with pytest.raises(GrammarError):
        parse_locations(bad)


def test_anchors():
    assert ParaRef(8, "e").anchor == "para-8-e"
    assert Location("三", 19).anchor == "loc-3-19"
    assert Location("五", 2, "f").anchor == "loc-5-2-f"


para_refs = st.lists(st.builds(ParaRef, st.integers(1, 300),
                               st.sampled_from(["", "", "a", "b", "k"])), min_size=1, max_size=8)
locations = st.lists(st.builds(Location, st.sampled_from(list("一二三四五六七八九十")),
                               st.integers(1, 300), st.sampled_from(["", "a", "e"])),
                     min_size=1, max_size=8)


@settings(max_examples=300, deadline=None)
@given(para_refs)
def test_paragraph_round_trip(refs):
    assert parse_paragraphs(format_paragraphs(refs)) == refs


@settings(max_examples=300, deadline=None)
@given(locations)
def test_location_round_trip(locs):
    assert parse_locations(format_locations(locs)) == locs


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=60))
def test_grammars_raise_only_grammar_errors(text):
    for parser in (parse_paragraphs, parse_locations):
        try:
            parser(text)
        except GrammarError:
            pass
