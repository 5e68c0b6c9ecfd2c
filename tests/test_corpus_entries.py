"""The linked corpus's entries: shortcuts taken for speed give what the dataclass API gives."""

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
