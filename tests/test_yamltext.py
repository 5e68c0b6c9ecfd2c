"""A record's YAML (``yamltext``) reads back as the record, with the loader wgindex uses."""

from __future__ import annotations

import datetime

import pytest
import yaml
from hypothesis import given, settings, strategies as st

from wgindex.records import from_yaml, jsonable, to_json, to_yaml
from wgindex.yamltext import Unsupported, dump, string

# strings YAML 1.1 would read as something else, or that need quotes or escapes
TRICKY = ["", " ", "yes", "No", "ON", "off", "True", "FALSE", "~", "null", "Null", "NULL", "1e3", "1.0e+3",
          ".5", "-.inf", ".NaN", "0x1F", "0o17", "017", "1_000", "+1", "-1", "1:20", "190:20:30",
          "2022-03-16", "2022-03-16 10:00:00", "<<", "=", "- a", "-", "a: b", "a:", "a #b", "a#b", " a",
          "a ", "---", "--- x", "...", "... x", "@x", "%x", "`x", "!x", "&x", "*x", "|x", ">x", "'x",
          '"x', "[x", "{x", "#x", "?x", "? x", ":x", ",x", "\t", "a\tb", "\u3000", "a\nb", "a\n", "\n",
          "a\r\nb", "\x85", "\u2028", "\u2029", "\ufeff", "\ufffe", "\x7f", "\x00", "\x1b",
          "😀", "𠀀", "a\\b", 'a"b', "a'b", "第 7/1 号决议", "CTOC/COP/WG.7/2022/1", "12", "12a",
          "a,b", "a[b]", "a{b}", "a: ", "a :b", "x\u00a0", "é"]

_CHARS = st.characters(exclude_categories=("Cs",)) | st.sampled_from(
    list("\x00\t\n\r\x85\u2028\u2029\ufeff :#-'\"\\") + ["\u3000", "😀"])
_STR = st.text(_CHARS, max_size=12) | st.sampled_from(TRICKY)
_SCALAR = (_STR | st.integers() | st.booleans() | st.none() | st.dates()
           | st.floats(allow_nan=False))
_VALUE = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=4)
                      | st.dictionaries(_STR | st.integers(), inner, max_size=4), max_leaves=25)


@pytest.mark.parametrize("s", TRICKY)
def test_tricky_strings_read_back(s):
    assert from_yaml(dump({"k": s})) == {"k": s}
    assert from_yaml(dump([s])) == [s]
    assert from_yaml(dump({s: 1})) == {s: 1}


@settings(max_examples=500, deadline=None)
@given(_VALUE)
def test_any_record_value_reads_back(value):
    assert from_yaml(dump(value)) == value


@settings(max_examples=200, deadline=None)
@given(st.lists(_VALUE, max_size=3))
def test_reads_back_with_pyyamls_own_loader_too(value):
    assert yaml.safe_load(dump(value)) == value


def test_nan_reads_back():
    v = from_yaml(dump({"x": float("nan")}))["x"]
    assert v != v


def test_text_stays_readable():
    """Chinese and English text is written as it is, not escaped; quotes only where needed."""
    assert to_yaml({"title": "偷运移民问题工作组", "n": 7, "symbol": "CTOC/COP/WG.7/2022/1"}) == \
        "title: 偷运移民问题工作组\nn: 7\nsymbol: CTOC/COP/WG.7/2022/1\n"
    assert string("12") == "'12'" and string("yes") == "'yes'" and string("it's: x") == "'it''s: x'"
    assert string("a\nb") == '"a\\nb"' and string("\t") == '"\\t"'
    assert dump({"a": [{"b": [1, 2], "c": {}}], "d": []}) == "a:\n- b:\n  - 1\n  - 2\n  c: {}\nd: []\n"


def test_records_read_back(seed_result):
    """Every seed record, and its YAML as the site serves it."""
    for r in seed_result.records:
        assert from_yaml(to_yaml(r)) == r
        assert to_json(r) == to_json(jsonable(r))  # a record's JSON is written without a round trip
        assert seed_result.serialized[r["id"]][0] == to_yaml(r)


def test_other_values_go_to_pyyaml():
    stamp = datetime.datetime(2022, 3, 16, 10, 0)
    with pytest.raises(Unsupported):
        dump({"at": stamp})
    assert from_yaml(to_yaml({"at": stamp, "n": [1]})) == {"at": stamp, "n": [1]}
    with pytest.raises(Unsupported):  # as before: no YAML loader reads a lone surrogate back
        dump({"x": "a\ud800"})
    with pytest.raises(yaml.representer.RepresenterError):
        to_yaml({"x": object()})
