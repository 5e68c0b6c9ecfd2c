"""The record contract as types: every parsed record fits it, field order is YAML order, and a
record read back from disk that does not fit is refused with the field and the problem."""

from __future__ import annotations

import copy
import dataclasses
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from wgindex.records import jsonable, problems, revive_dates
from wgindex.schema import Record


def test_every_seed_record_fits_the_contract_in_field_order(seed_result):
    fields = [f.name for f in dataclasses.fields(Record)]
    for r in seed_result.records:
        assert problems(jsonable(r)) == []
        assert list(r) == [f for f in fields if f in r]


def test_problems_name_the_field_and_what_is_wrong(seed_result):
    r = jsonable(next(r for r in seed_result.records if r["paragraphs"]))
    bad = copy.deepcopy(r)
    bad["paragraphs"][0]["source"]["line"] = "x"
    del bad["title"]
    bad["titel"] = "typo"
    bad["kind"] = "minutes"
    bad["meeting"]["start"] = "2024-13-40"
    found = problems(bad)
    assert "paragraphs[0].source.line: expected a whole number or null, found 'x'" in found
    assert "title: missing" in found
    assert "titel: not a field of the record contract" in found
    assert "meeting.start: expected a date or null, found '2024-13-40'" in found
    assert any(p.startswith("kind: 'minutes' is not one of") for p in found)
    assert problems([]) == ["a record must be a mapping, not list"]


def test_dates_come_back_where_the_types_hold_dates(seed_result):
    for r in seed_result.records:
        assert revive_dates(json.loads(json.dumps(jsonable(r)))) == r


def test_render_refuses_a_record_that_does_not_fit(tmp_path, seed_result, capsys):
    from wgindex.cli.main import main
    from wgindex.records import to_yaml
    good, other = seed_result.records[0], copy.deepcopy(seed_result.records[1])
    other["paragraphs"] = "not a list"
    (tmp_path / "a.yaml").write_text(to_yaml(good), encoding="utf-8")
    (tmp_path / "b.yaml").write_text(to_yaml(other), encoding="utf-8")
    assert main(["render", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml"), "-o", str(tmp_path / "site")]) == 0
    err = capsys.readouterr().err
    assert f"b.yaml: ERROR: record skipped: {other['id']!r}: paragraphs: expected a list, found 'not a list'" in err
    assert (tmp_path / "site" / "index.html").exists()


def test_record_yaml_spells_every_value_out(seed_result):
    """No YAML anchors or aliases (``&id001`` / ``*id001``) in a record, though the report's
    recommendations share their source with the paragraphs they stand in."""
    import re
    from wgindex.records import from_yaml, to_yaml
    for r in seed_result.records:
        text = to_yaml(r)
        assert not re.search(r"[&*]id\d{3}", text)
        assert from_yaml(text) == r


def test_corpus_entries_are_typed(seed_corpus):
    """The linker's output is its typed entries, not dict literals (the pages read attributes)."""
    from wgindex.corpus import entries
    c = seed_corpus
    kinds = [(c.meetings, entries.MeetingEntry), (c.symbols, entries.SymbolEntry),
             (c.topics, entries.Topic), (c.entities, entries.Entity)]
    for table, cls in kinds:
        assert table and all(type(v) is cls for v in table.values()), cls.__name__
    assert c.recommendations and all(type(x) is entries.LinkedRecommendation for x in c.recommendations)
    assert all(type(x) is entries.RowRef for x in c.index_rows)
    refs = [x for s in c.symbols.values() for x in s.referenced_by]
    assert refs and all(type(x) is entries.Reference for x in refs)
    for e in c.entities.values():
        assert all(type(a) is entries.Attended for a in e.attended)
        assert all(type(s) is entries.Spoke for s in e.spoke)


_ODD = [None, "x", 1, True, 1.5, [], {}, "2024-01-01", "2024-13-40", [1], ["x"], {"a": 1}, [{}]]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_the_fast_verdict_agrees_with_the_field_by_field_check(seed_result, data):
    """``problems`` says [] at once when the compiled check passes; it must pass exactly when
    the field-by-field check finds nothing, whatever is changed wherever in a record."""
    from wgindex.records import _check_fields, _valid
    r = copy.deepcopy(jsonable(data.draw(st.sampled_from(seed_result.records))))
    node = r
    for _ in range(data.draw(st.integers(0, 4))):
        kids = [k for k, v in (node.items() if isinstance(node, dict) else enumerate(node))
                if isinstance(v, (dict, list)) and v]
        if not kids:
            break
        node = node[data.draw(st.sampled_from(kids))]
    keys = list(node) if isinstance(node, dict) else list(range(len(node)))
    if keys:
        key = data.draw(st.sampled_from(keys))
        what = data.draw(st.sampled_from(["set", "drop", "add"]))
        if what == "set":
            node[key] = data.draw(st.sampled_from(_ODD))
        elif what == "drop" and isinstance(node, dict):
            del node[key]
        elif isinstance(node, dict):
            node["not_a_field"] = 1
    full: list[str] = []
    _check_fields(r, Record, "", full)
    assert _valid(Record)(r) == (not full)
