"""The search index made a document at a time equals the index made from nothing, byte for
byte, whatever came, went or changed between the two builds; a kept state that is damaged,
another build's or missing is not used."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import wgindex.site.search as search_module
from wgindex.site import searchindex
from wgindex.site.searchindex import _empty, _load, _save, build_search_files, search_files_of, update

ROOT = Path(__file__).resolve().parents[1]

# (no lone surrogate: an entry is written as UTF-8, as records are)
_TEXT = st.text(alphabet=st.sampled_from("ab 移民问题\0\"\\é𠀀😀" + chr(0x10FFFF)), max_size=10)
_SEGMENT = st.lists(_TEXT, max_size=6)  # a segment's entries, as their texts


def _parts(segments: dict[str, list[str]]) -> list:
    """``searchindex.segments``' form for made-up segments: sorted by name, the corpus's last."""
    out = []
    for name in sorted(segments, key=lambda n: (n == "", n)):
        texts = segments[name]
        key = hashlib.sha256(json.dumps(texts).encode()).hexdigest()
        items = [{"u": f"{name}#{i}", "t": name, "x": x, "d": name, "m": "", "k": "para", "g": "", "y": None}
                 for i, x in enumerate(texts)]
        out.append((name, key, lambda items=items: items))
    return out


@st.composite
def _two_builds(draw):
    names = st.sampled_from(["", "a", "b", "c", "d", "e", "f", "g"])
    first = draw(st.dictionaries(names, _SEGMENT, max_size=7))
    second = {}
    for name, texts in first.items():
        what = draw(st.sampled_from(["keep", "keep", "change", "drop"]))
        if what == "keep":
            second[name] = texts
        elif what == "change":
            second[name] = draw(_SEGMENT)
    second.update(draw(st.dictionaries(names, _SEGMENT, max_size=3)))
    return first, second


@settings(max_examples=300, deadline=None)
@given(_two_builds())
def test_an_index_made_from_the_last_one_is_the_index_made_from_nothing(builds):
    first, second = builds
    old = update(_empty(), _parts(first))
    assert search_files_of(old) == search_files_of(update(_empty(), _parts(first)))
    assert search_files_of(update(old, _parts(second))) == search_files_of(update(_empty(), _parts(second)))


@settings(max_examples=100, deadline=None)
@given(_two_builds())
def test_the_merge_on_two_keys_gives_the_same(builds):
    """When (bigram, entry) does not fit one integer, the merge sorts on two keys."""
    first, second = builds
    old = update(_empty(), _parts(first))
    saved, search_module.ONE_KEY = search_module.ONE_KEY, 0
    try:
        got = search_files_of(update(old, _parts(second)))
    finally:
        search_module.ONE_KEY = saved
    assert got == search_files_of(update(_empty(), _parts(second)))


def test_only_new_segments_are_made(tmp_path):
    made = []

    def parts(segments):
        return [(name, key, lambda make=make, name=name: made.append(name) or make())
                for name, key, make in _parts(segments)]

    state = tmp_path / "s"
    first = {"a": ["移民问题"], "b": ["联合调查", "b text"], "c": ["证人保护"], "": ["专题"]}
    _save(state, "salt", update(_empty(), parts(first)))
    made.clear()
    second = {**first, "b": ["联合调查 changed"], "bb": ["new one"]}
    del second["c"]
    new = update(_load(state, "salt"), parts(second))
    assert made == ["b", "bb"]
    assert search_files_of(new) == search_files_of(update(_empty(), _parts(second)))


@pytest.mark.parametrize("damage", ["missing", "truncated", "flipped", "salt", "garbage", "header", "lengths",
                                    "numbers"])
def test_a_state_that_cannot_be_trusted_is_not_used(tmp_path, damage):
    state = tmp_path / "s"
    first = {"a": ["移民问题"], "b": ["联合调查", "b text"], "": ["专题"]}
    _save(state, "salt", update(_empty(), _parts(first)))
    assert len(_load(state, "salt").segments) == 3
    raw = state.read_bytes()
    cut = raw.index(b"\n")
    head = json.loads(raw[:cut])
    if damage == "missing":
        state.unlink()
    elif damage == "truncated":
        state.write_bytes(raw[:-5])
    elif damage == "flipped":
        state.write_bytes(raw[:-3] + bytes([raw[-3] ^ 1]) + raw[-2:])
    elif damage == "garbage":
        state.write_bytes(b"\xff\xfe not a state")
    elif damage == "header":
        state.write_bytes(b"[1, 2]\n" + raw[cut + 1:])
    elif damage == "lengths":  # a header whose counts do not fit the body (its checksum does)
        head["segments"][0][2] += 1
        state.write_bytes(json.dumps(head).encode() + b"\n" + raw[cut + 1:])
    elif damage == "numbers":  # an entry number past the last entry, the checksum made anew
        import zlib
        body = bytearray(raw[cut + 1:])
        at = 8 * (head["entries"] + 1 + 2 * head["grams"])
        body[at:at + 4] = head["entries"].to_bytes(4, "little")
        head["crc32"] = zlib.crc32(body)
        state.write_bytes(json.dumps(head).encode() + b"\n" + bytes(body))
    loaded = _load(state, "other salt" if damage == "salt" else "salt")
    assert not loaded.segments and not loaded.text and len(loaded.grams) == 0 and list(loaded.starts) == [0]
    second = {**first, "c": ["证人保护"]}
    assert search_files_of(update(loaded, _parts(second))) == search_files_of(update(_empty(), _parts(second)))


def test_the_seeds_index_from_a_kept_state_equals_a_fresh_one(seed_result, tmp_path):
    """Built with the seeds less one, kept, then with all: the same bytes as from nothing;
    and the state written after is the state a fresh build writes."""
    records = sorted(seed_result.records, key=lambda r: r["id"])
    state = tmp_path / "state"
    build_search_files(records[1:], state=state, salt="s")
    got = build_search_files(records, state=state, salt="s")
    assert got == build_search_files(records)
    fresh = tmp_path / "fresh"
    build_search_files(records, state=fresh, salt="s")
    assert state.read_bytes() == fresh.read_bytes()


def test_a_build_keeps_its_index_and_the_next_cuts_only_the_new_document(tmp_path, monkeypatch, capsys):
    """Through the CLI on the default path: the second build takes every unchanged record's
    entries from the kept state, and its site equals a full build's."""
    from wgindex.cli.main import main
    src = tmp_path / "src"
    shutil.copytree(ROOT / "seeds", src)
    args = ["build", str(src), "-o", str(tmp_path / "inc"), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    states = list((tmp_path / "c").rglob("*.search"))
    assert len(states) == 1 and _load(states[0], json.loads(states[0].read_bytes().split(b"\n")[0])["salt"]).segments
    made = []
    real = search_module.record_entries
    monkeypatch.setattr(searchindex, "record_entries", lambda r, f: made.append(r["id"]) or real(r, f))
    report = (ROOT / "seeds" / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
    (src / "new.txt").write_text(report.replace("乌拉圭。", "乌拉圭、新国家。"), encoding="utf-8")
    assert main(args + ["--jobs", "1"]) == 0  # in this process, so the calls are seen
    assert len(made) == 1
    capsys.readouterr()
    assert main(["build", str(src), "-o", str(tmp_path / "full"), "--ignore-cache"]) == 0
    tree = {p.relative_to(tmp_path / "inc").as_posix(): p.read_bytes()
            for p in sorted((tmp_path / "inc").rglob("search/**/*")) if p.is_file()}
    full = {p.relative_to(tmp_path / "full").as_posix(): p.read_bytes()
            for p in sorted((tmp_path / "full").rglob("search/**/*")) if p.is_file()}
    assert tree == full and len(tree) > 60
