"""Shortcuts taken for speed: a linked corpus entry copied by hand is what the dataclass API
makes; the garbage collector paused while long-lived objects are made is left as it was."""

from __future__ import annotations

import dataclasses

from wgindex.corpus.entries import RowRef


def test_a_row_citing_fewer_paragraphs_is_dataclasses_replace():
    row = RowRef("doc", 3, "专题", "CTOC/COP/WG.7/2017/5", ["7", "8"], ["三.19", "三.20"],
                 {"file": "f.txt", "page": None, "line": 4})
    one = row.citing(["8"])
    assert one == dataclasses.replace(row, paragraphs=["8"])
    assert dataclasses.asdict(one) == {**dataclasses.asdict(row), "paragraphs": ["8"]}
    assert type(one) is RowRef and row.paragraphs == ["7", "8"]  # the row itself unchanged
    assert one.source is row.source  # the record's part, shared as replace shares it


def test_what_a_long_lived_block_makes_is_frozen_and_the_collector_left_as_it_was():
    import gc
    import pytest
    from wgindex.gcpause import long_lived
    assert gc.isenabled() and gc.get_freeze_count() == 0
    try:
        with long_lived():
            assert not gc.isenabled()
            kept = [[i] for i in range(1000)]
            with long_lived():
                assert not gc.isenabled()
            assert not gc.isenabled()  # an inner block does not end the outer one
        assert gc.isenabled() and gc.get_freeze_count() >= len(kept)
        with pytest.raises(ValueError):
            with long_lived():
                raise ValueError
        assert gc.isenabled()
        gc.disable()
        with long_lived():
            pass
        assert not gc.isenabled()  # off before, off after
        gc.enable()
    finally:
        gc.unfreeze()
        gc.enable()


def test_parse_and_build_leave_the_collector_on_and_nothing_frozen(tmp_path):
    import gc
    import shutil
    import wgindex
    from pathlib import Path
    from wgindex.cache import ParseCache
    src = shutil.copytree(Path(__file__).resolve().parents[1] / "seeds", tmp_path / "src")
    wgindex.build([src], tmp_path / "site", cache_dir=tmp_path / "c")
    wgindex.build([src], tmp_path / "site", cache_dir=tmp_path / "c")  # the records from the cache
    assert gc.isenabled() and gc.get_freeze_count() == 0
    assert wgindex.parse([src], cache=ParseCache(tmp_path / "c")).cached == 5
    assert gc.isenabled() and gc.get_freeze_count() == 0
    (src / "000_a77c370a0a5c2167.txt").write_text("", encoding="utf-8")  # a warning, under --strict
    assert wgindex.build([src], tmp_path / "site", cache_dir=tmp_path / "c", strict=True).status == "strict_failed"
    assert gc.isenabled() and gc.get_freeze_count() == 0  # it stopped before the render


def test_to_json_with_its_one_c_encoder_equals_the_json_encoder():
    """``records.to_json`` calls one C encoder made once; it gives what the ``JSONEncoder``
    gives (dates as ISO text, non-ASCII as it is, NaN, nesting), containers or not."""
    import math
    from datetime import date
    from wgindex.records import _ENCODER, to_json
    values = [{"id": "CTOC/COP/WG.7/2019/5", "t": "段落\"引号\"\n\u2028", "d": date(2020, 1, 2),
               "x": [1.5, None, True, math.nan, -0.0, 10**20], "n": {"k": [[], {}]}},
              [date(2019, 5, 1), "文字"], "只是文字", 3, None, {}, []]
    for v in values:
        assert to_json(v) == _ENCODER.encode(v)
