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


def test_the_collector_is_paused_only_inside_and_left_as_it_was():
    import gc
    import pytest
    from wgindex.gcpause import paused
    assert gc.isenabled()
    with paused():
        assert not gc.isenabled()
        with paused():
            assert not gc.isenabled()
        assert not gc.isenabled()  # an inner pause does not end the outer one
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with paused():
            raise ValueError
    assert gc.isenabled()
    gc.disable()
    try:
        with paused():
            pass
        assert not gc.isenabled()  # off before, off after
    finally:
        gc.enable()


def test_a_build_leaves_the_collector_on(tmp_path):
    import gc
    import shutil
    import wgindex
    from pathlib import Path
    src = shutil.copytree(Path(__file__).resolve().parents[1] / "seeds", tmp_path / "src")
    wgindex.build([src], tmp_path / "site", cache_dir=tmp_path / "c")
    wgindex.build([src], tmp_path / "site", cache_dir=tmp_path / "c")  # the records from the cache
    assert gc.isenabled() and gc.get_freeze_count() == 0
