"""A build writes its pages to disk as they are made (``Staging``), not all at the end, and
its downloads and search index come from a forked worker: the site is the same either way."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sitecheck import left_after

ROOT = Path(__file__).resolve().parent.parent


def _tree(root: Path, skip: str = "") -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != skip}


def test_a_build_on_disk_is_the_site_rendered_in_memory(tmp_path, seed_result):
    """The default build (both cores: pages in a fork pool, downloads and search in a forked
    worker, every file written where it is made) equals the one-process render in memory."""
    import wgindex
    from wgindex.site.write import MARKER
    src = shutil.copytree(ROOT / "seeds", tmp_path / "src")
    report = wgindex.build([src], tmp_path / "site", cache_dir=tmp_path / "c")
    assert report.code == 0, report.summary
    records = wgindex.parse([src]).records
    assert _tree(tmp_path / "site", skip=MARKER) == wgindex.render(records, processes=1).files


def test_staging_writes_each_file_as_it_is_added(tmp_path):
    from wgindex.site.write import Staging, write_site
    out = tmp_path / "site"
    write_site({"index.html": b"old", "same.html": b"same"}, out)
    with Staging(out) as staging:
        staging.add("index.html", "新")
        staging.add("a/b/page.html", b"page")
        staging.add("same.html", b"same")
        # on disk already, beside the site; the writer keeps only whether it wrote each file
        assert (staging.tmp / "a/b/page.html").read_bytes() == b"page"
        assert (staging.tmp / "index.html").read_text(encoding="utf-8") == "新"
        assert staging.files == {"index.html": True, "a/b/page.html": True, "same.html": False}
        assert (out / "index.html").read_bytes() == b"old"  # nothing swapped in yet
        assert staging.commit() == {"written": 2, "unchanged": 1}
    assert (out / "a/b/page.html").read_bytes() == b"page"
    # the previous site is kept beside it, for the next build to write into; its unchanged
    # file is one inode with the new site's
    spare = tmp_path / ".site.spare"
    assert (spare / "index.html").read_bytes() == b"old" and (out / "same.html").stat().st_nlink == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]


def _another_builds_spare(tmp_path: Path) -> None:
    """A spare kept by a build beside this one, which this one's commit finds in its way."""
    from wgindex.site.write import write_site
    write_site({"other.html": b"other"}, tmp_path / "other")
    (tmp_path / "other").rename(tmp_path / ".site.spare")


@pytest.mark.parametrize("exchange", [True, False])
def test_the_previous_site_can_be_removed_while_the_build_goes_on(tmp_path, monkeypatch, exchange):
    """``commit(wait=False)``: the new site is in place at once, the previous one is removed
    by a thread, and ``wait`` returns when it is gone (with or without an atomic exchange)."""
    import threading
    from wgindex.site import write
    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write.write_site({f"d{i}/p.html": b"old" for i in range(300)}, out)
    go = threading.Event()
    rmtree = write.shutil.rmtree
    monkeypatch.setattr(write.shutil, "rmtree", lambda *a, **k: go.wait(10) and rmtree(*a, **k))
    with write.Staging(out) as staging:
        staging.add("index.html", b"new")
        _another_builds_spare(tmp_path)
        assert staging.commit(wait=False) == {"written": 1, "unchanged": 0}
    assert _tree(out, skip=".wgindex-site") == {"index.html": b"new"}
    assert len([p for p in tmp_path.iterdir() if p.name not in ("site", ".site.spare")]) == 1  # going
    go.set()
    staging.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]
    staging.wait()  # once is enough; again does nothing


def test_a_build_leaves_the_site_and_the_previous_one_as_its_spare(tmp_path):
    from wgindex import api
    src = shutil.copytree(ROOT / "seeds", tmp_path / "src")
    report_text = (src / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
    for k, edit in enumerate(("乌拉圭、新国家。", "乌拉圭、另一新国家。", "乌拉圭、第三个新国家。")):
        (src / "new.txt").write_text(report_text.replace("乌拉圭。", edit), encoding="utf-8")
        report = api.build([src], tmp_path / "site", cache_dir=tmp_path / "c")
        assert report.status == "built"
        assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock"] + [".site.spare"] * (k > 0) + \
            ["c", "site", "src"]
    spare = (tmp_path / ".site.spare" / "doc" / "new" / "index.html").read_text(encoding="utf-8")
    assert "另一新国家" in spare and "第三个新国家" in (tmp_path / "site" / "doc" / "new" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("exchange", [True, False])
def test_a_detached_removal_outlives_the_build(tmp_path, monkeypatch, exchange):
    """``commit(wait="detach")``: the previous site is renamed aside at once (never left
    under a name a build would take for a site) and removed by a process of its own."""
    from wgindex.site import write
    if not exchange:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "site"
    write.write_site({f"d{i}/p.html": b"old" for i in range(300)}, out)
    started = []
    popen = write.subprocess.Popen
    monkeypatch.setattr(write.subprocess, "Popen", lambda *a, **k: started.append(a[0]) or popen(*a, **k))
    with write.Staging(out) as staging:
        staging.add("index.html", b"new")
        _another_builds_spare(tmp_path)
        assert staging.commit(wait="detach") == {"written": 1, "unchanged": 0}
    assert _tree(out, skip=".wgindex-site") == {"index.html": b"new"}
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".site.trash-")) == [".site.spare", "site"]
    assert len(started) == 1 and started[0][-1].startswith(str(tmp_path / ".site.trash-"))
    assert staging._remover is None  # nothing of the build's own to wait for
    assert left_after(tmp_path, ".site.trash-*") == []


def test_a_removal_that_cannot_be_detached_is_done_by_the_build(tmp_path, monkeypatch):
    from wgindex.site import write
    out = tmp_path / "site"
    write.write_site({"a.html": b"old"}, out)

    def refuse(*a, **k):
        raise OSError(11, "Resource temporarily unavailable")
    monkeypatch.setattr(write.subprocess, "Popen", refuse)
    with write.Staging(out) as staging:
        staging.add("index.html", b"new")
        _another_builds_spare(tmp_path)
        staging.commit(wait="detach")
    staging.wait()
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.spare", "site"]


def test_what_a_killed_removal_left_goes_with_the_next_build(tmp_path):
    """A previous site set aside for removal whose process was killed is removed by the next
    build of that output, and only of that output; it is never put back as the site."""
    from wgindex.site import output, write
    out = tmp_path / "s[1]"  # a name that is a glob pattern
    write.write_site({"a.html": b"old"}, out)
    for name in (".s[1].trash-dead", ".s1.trash-other", ".s[1]x.trash-other"):
        write.write_site({"d/p.html": b"aside"}, tmp_path / "x")
        (tmp_path / "x").rename(tmp_path / name)
    shutil.rmtree(out)
    output._recover(out)
    assert not out.exists()  # what was set aside for removal is not a site to recover
    write.write_site({"a.html": b"new"}, out)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".s1.trash-other", ".s[1]x.trash-other", "s[1]"]


def test_the_command_returns_before_the_previous_site_is_removed(tmp_path):
    """``wgindex build`` leaves the previous site to a process of its own: the new site is in
    place when the command returns, and the previous one is gone soon after."""
    import subprocess
    import sys
    src = shutil.copytree(ROOT / "seeds", tmp_path / "src")
    cmd = [sys.executable, "-m", "wgindex", "build", str(src), "-o", str(tmp_path / "site"),
           "--cache-dir", str(tmp_path / "c")]
    for edit in ("乌拉圭、新国家。", "乌拉圭、另一新国家。"):  # two builds: the second replaces a site
        text = (src / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
        (src / "new.txt").write_text(text.replace("乌拉圭。", edit), encoding="utf-8")
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
        assert proc.returncode == 0, proc.stderr
        assert "built" in proc.stderr and "Traceback" not in proc.stderr
    assert "另一新国家" in (tmp_path / "site" / "doc" / "new" / "index.html").read_text(encoding="utf-8")
    assert left_after(tmp_path, ".site.trash-*") == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [".site.lock", ".site.spare", "c", "site", "src"]


def test_a_failure_while_staging_leaves_the_previous_site(tmp_path):
    from wgindex.site.write import OutputError, Staging, write_site
    out = tmp_path / "site"
    write_site({"index.html": b"old"}, out)
    with pytest.raises(OutputError, match="two pages would be written to a.html"):
        with Staging(out) as staging:
            staging.add("a.html", b"one")
            staging.add("a.html", b"two")
    assert _tree(out, skip=".wgindex-site") == {"index.html": b"old"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_the_render_memo_keeps_answers_by_number_and_refuses_damaged_ones(seed_result):
    """A page's recorded answers travel deflated from the render worker (the memo of 1,000
    documents held 42 MB of JSON text) and are kept as numbers into the memo's table of lines;
    a damaged entry or table means the page is rendered again, never an error."""
    import json
    from wgindex.site.lookups import AnswerTable, Lookups, SiteData, unpack_answers
    data = SiteData(seed_result.records)
    lk = Lookups(data, "index.html")
    r = seed_result.records[0]
    lk.doc(r["id"])
    lk.topic_slug("no such topic")
    packed = lk.recorded()
    answers = unpack_answers(packed)
    assert answers and answers[0][:2] == ["doc", [r["id"]]]
    assert len(packed) < len(json.dumps(answers, ensure_ascii=False))
    table = AnswerTable()
    numbers = table.numbers(packed)
    assert numbers == [0, 1] and table.numbers(packed) == numbers  # a line is numbered once
    assert table.hold(data, numbers)
    kept = json.loads(json.dumps(table.lines))  # as the memo file keeps it
    assert AnswerTable(kept).hold(data, numbers)
    for damaged in (None, "x", [2], [-1], [0, "1"], [True]):
        assert not AnswerTable(kept).hold(data, damaged), damaged
    for lines in (None, "x", [1, 2], ["not json", "[]"], [kept[1], "[1]"]):
        assert not AnswerTable(lines).hold(data, numbers), lines
    for damaged in ("not base64!", packed[:-8], "eJwDAAAAAAE="):  # the last: an empty stream
        with pytest.raises(ValueError):
            AnswerTable().numbers(damaged)


def test_an_answer_table_keeps_its_numbers_and_renumbers_what_is_used(seed_result):
    """Lines added by a build take new numbers, so an entry kept from the last memo means what
    it meant; once the table is twice what the memo uses, it is renumbered, entries with it."""
    from wgindex.site.lookups import AnswerTable, Lookups, SiteData
    data = SiteData(seed_result.records)

    def recorded(*slugs):
        lk = Lookups(data, "p/index.html")
        for x in slugs:
            lk.topic_slug(x)
        return lk.recorded()

    table = AnswerTable()
    old = {"a": {"answers": table.numbers(recorded(*map(str, range(3000))))}}
    memo = {"b": {"digest": "d", "answers": table.numbers(recorded("x", "y"))}, "\0exports/x": {"digest": "e"}}
    assert table.kept({**old, **memo}) is table.lines and len(table.lines) == 3002
    want = [table.lines[n] for n in memo["b"]["answers"]]
    lines = table.kept(memo)  # "a" is gone: 2 lines of 3,002 used
    assert len(lines) == 2 and memo["b"]["answers"] == [0, 1]
    assert AnswerTable(lines).hold(data, memo["b"]["answers"])
    assert [lines[n] for n in memo["b"]["answers"]] == want  # each entry keeps its lines


def test_links_kept_per_depth_are_the_links_each_page_would_make(seed_result):
    """Links are memoised by the way up from a page (its depth), shared by every page of that
    depth: each is the link ``relative`` makes from that very page, at the root and below it,
    and a page of another depth never gets a link made for a shallower or deeper one."""
    from wgindex.corpus.urls import relative
    from wgindex.site.lookups import Lookups, SiteData
    data = SiteData(seed_result.records)
    targets = ["", "#top", "documents/", "topics/x/#para-3", "a/b/c/", "search.json"]
    pages = ["index.html", "404.html", "documents/index.html", "d/x/index.html",
             "m/wg7/2024/index.html", "d/y/index.html", "index.html"]
    for page in pages:
        lk = Lookups(data, page)
        for t in targets:
            assert lk.u(t) == relative(page, t), (page, t)
            assert lk._to(t.split("#")[0], "a") == relative(page, t.split("#")[0] + "#a")
    assert set(data.links) == {"", "../", "../../", "../../../"}


def test_recorded_answers_are_checked_line_by_line_once_and_as_text(seed_result, monkeypatch):
    """A page's answers are one line per question; a line met on an earlier page is not asked
    again, a page that asked nothing holds, and an answer that changed from true to 1 (equal
    in Python, not in JSON) does not hold."""
    from wgindex.site.lookups import AnswerTable, Lookups, SiteData
    data = SiteData(seed_result.records)
    r = seed_result.records[0]
    table = AnswerTable()
    pages = []
    for page in ("a/index.html", "b/index.html"):
        lk = Lookups(data, page)
        lk.doc(r["id"])
        lk.topic_slug("no such topic")
        pages.append(table.numbers(lk.recorded()))
    assert table.hold(data, table.numbers(Lookups(data, "c/index.html").recorded()))
    asked = []
    answer = data.answer
    monkeypatch.setattr(data, "answer", lambda kind, args: asked.append(kind) or answer(kind, args))
    table = AnswerTable(table.lines)  # the next build's
    assert table.hold(data, pages[0]) and table.hold(data, pages[1])
    assert sorted(asked) == ["doc", "topic"]  # each line once, for both pages
    data.asked.clear()
    monkeypatch.setattr(data, "answer", lambda kind, args: True)
    lk = Lookups(data, "d/index.html")
    lk.topic_slug("x")
    table = AnswerTable()
    flag = table.numbers(lk.recorded())
    monkeypatch.setattr(data, "answer", lambda kind, args: 1)
    assert AnswerTable(table.lines).hold(data, flag) is False


def test_a_rebuild_keeps_the_downloads_of_unchanged_records(tmp_path, monkeypatch):
    """Each record's YAML, JSON and citation files come from the previous site when the
    record did not change: an edit makes the edited record's files again and no other's, a
    new base URL remakes them all (the citations carry it)."""
    import wgindex
    from wgindex.site import citation
    made = tmp_path / "made.txt"  # the downloads are made in a forked worker: count in a file
    real = citation.ris

    def counted(r, base_url):
        with open(made, "a", encoding="utf-8") as f:
            f.write(r["id"] + "\n")
        return real(r, base_url)
    monkeypatch.setattr(citation, "ris", counted)

    def runs() -> list[str]:
        text = made.read_text(encoding="utf-8").split() if made.exists() else []
        made.unlink(missing_ok=True)
        return text
    src = shutil.copytree(ROOT / "seeds", tmp_path / "src")
    site = tmp_path / "site"
    assert wgindex.build([src], site, cache_dir=tmp_path / "c").code == 0
    assert len(runs()) == 5
    edited = src / "003_1cd5f2748af19e84.txt"
    edited.write_text(edited.read_text(encoding="utf-8").replace("马耳他主权教团", "马耳他骑士团"),
                      encoding="utf-8")
    assert wgindex.build([src], site, cache_dir=tmp_path / "c").code == 0
    assert runs() == [wgindex.parse([edited]).records[0]["id"]]
    assert any("马耳他骑士团" in p.read_text(encoding="utf-8") for p in site.rglob("record.json"))
    assert wgindex.build([src], site, base_url="https://wg.example/", cache_dir=tmp_path / "c").code == 0
    assert len(runs()) == 5
    assert all("https://wg.example/" in p.read_text(encoding="utf-8") for p in site.rglob("cite.ris"))


def test_a_render_leaves_nothing_frozen(seed_result):
    """The render freezes the records and the linked corpus against the garbage collector
    while it runs; a long-lived caller (``serve --watch``) must get them back afterwards."""
    import gc
    import wgindex
    before = gc.get_freeze_count()
    wgindex.render(seed_result.records, processes=2)
    assert gc.get_freeze_count() == before == 0


@pytest.mark.parametrize("worker", ["render", "downloads", "search index"])
def test_a_worker_that_dies_is_an_error_not_a_hang(tmp_path, worker):
    """A forked worker killed mid-build (the system out of memory does that) makes the build
    fail with a message, the previous site untouched; multiprocessing.Pool waited for ever."""
    import subprocess
    import sys
    from wgindex.cli.main import main
    src = shutil.copytree(ROOT / "seeds", tmp_path / "src")
    site = tmp_path / "site"
    assert main(["build", str(src), "-o", str(site), "--cache-dir", str(tmp_path / "c")]) == 0
    before = _tree(site)
    (src / "new.txt").write_text((src / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
                                 .replace("乌拉圭。", "乌拉圭、新国家。"), encoding="utf-8")
    kill = {"render": "import wgindex.site.render as r\norig = r.render_page\n"
                      "def dies(data, env, p):\n"
                      "    if os.getpid() != parent: os._exit(9)\n"
                      "    return orig(data, env, p)\n"
                      "r.render_page = dies\n",
            "downloads": "import wgindex.site.render as r\n"
                         "def dies(*a, **k): os.kill(os.getpid(), signal.SIGKILL)\n"
                         "r._exports = dies\n",
            "search index": "import wgindex.site.render as r\n"
                            "def dies(*a, **k): os.kill(os.getpid(), signal.SIGKILL)\n"
                            "r._search = dies\n"}[worker]
    code = ("import os, signal, sys\nparent = os.getpid()\n" + kill +
            "from wgindex.cli.main import main\nsys.exit(main(sys.argv[1:]))\n")
    proc = subprocess.run([sys.executable, "-c", code, "build", str(src), "-o", str(site),
                           "--cache-dir", str(tmp_path / "c")], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    assert f"a {worker} worker stopped unexpectedly" in proc.stderr and "Traceback" not in proc.stderr
    assert _tree(site) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.build-")) == []


def test_a_file_given_in_pieces_is_written_as_they_come(tmp_path):
    """The largest downloads (``data/corpus.json``, ``inventory.json``) are made piece by piece
    and written so: equal bytes to the previous site's file are still taken from it."""
    from wgindex.site.write import SiteWriter, Staging, write_site
    out = tmp_path / "site"
    write_site({"same.json": "[\n1,\n2\n]\n".encode(), "changed.json": b"[]"}, out)
    made = []

    def pieces(*items):
        for x in items:
            made.append(x)  # not all made before the first is written
            yield x
    with Staging(out) as staging:
        staging.add("same.json", pieces("[\n", "1", ",\n2", "\n]\n"))
        staging.add("changed.json", pieces("[", "新", "]"))
        staging.add("new/piece.json", iter(["a", "b"]))
        assert staging.files == {"same.json": False, "changed.json": True, "new/piece.json": True}
        staging.commit()
    assert (out / "same.json").read_bytes() == b"[\n1,\n2\n]\n"
    assert (out / "changed.json").read_bytes() == "[新]".encode()
    assert (out / "new/piece.json").read_bytes() == b"ab"
    memory = SiteWriter()
    memory.add("x.json", pieces("[", "1", "]"))
    assert memory.files == {"x.json": b"[1]"}



def _site(out: Path) -> dict:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def test_a_build_writes_into_the_spare_and_never_into_the_live_site(tmp_path):
    """The third build writes into the first one's site (the spare): what it does not write
    is gone, a file may become a folder and a folder a file, an unchanged file stays the
    inode it was, and no file of the live site changes before the swap."""
    from wgindex.site.write import MARKER, REUSE, Staging, write_site
    out = tmp_path / "site"
    first = {"keep.html": b"keep", "edit.html": b"one", "gone.html": b"x", "f": b"file",
             "d/x/p.html": b"deep", "same.html": b"same", "shared.html": b"s"}
    write_site(first, out)
    second = {**first, "edit.html": b"two", "new.html": b"new"}
    write_site(second, out)
    assert (tmp_path / ".site.spare" / "edit.html").read_bytes() == b"one"  # the first site
    live = _site(out)
    inode = (out / "keep.html").stat().st_ino
    with Staging(out) as staging:
        assert staging.tmp.name.startswith(".site.build-") and not (tmp_path / ".site.spare").exists()
        staging.add("keep.html", REUSE)
        staging.add("same.html", b"same")
        staging.add("edit.html", b"three")  # the spare's file here is not the live one
        assert (tmp_path / staging.tmp / "shared.html").stat().st_ino == (out / "shared.html").stat().st_ino
        staging.add("shared.html", b"changed")  # here it is: unlinked, never written into
        staging.add("new.html", b"newer")  # the spare has none; the live one is new.html's "new"
        staging.add("f/inside.html", b"a folder where a file was")
        staging.add("d", b"a file where a folder was")
        assert _site(out) == live  # nothing written into the live site's files
        staging.commit()
    assert _site(out) == {MARKER: live[MARKER], "keep.html": b"keep", "same.html": b"same",
                          "edit.html": b"three", "new.html": b"newer", "f/inside.html": b"a folder where a file was",
                          "d": b"a file where a folder was", "shared.html": b"changed"}
    assert (out / "keep.html").stat().st_ino == inode and (out / "keep.html").stat().st_nlink == 2
    assert _site(tmp_path / ".site.spare") == live  # the second site, kept in turn


def test_a_spare_is_cleared_of_links_and_taken_only_when_it_is_a_site(tmp_path):
    from wgindex.site.write import MARKER, Staging, write_site
    out = tmp_path / "site"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    write_site({"a/p.html": b"1"}, out)
    write_site({"a/p.html": b"2"}, out)
    spare = tmp_path / ".site.spare"
    shutil.rmtree(spare / "a")
    (spare / "a").symlink_to(elsewhere, target_is_directory=True)  # planted: must not be followed
    (spare / "b.html").symlink_to(elsewhere / "b.html")
    with Staging(out) as staging:
        staging.add("a/p.html", b"3")
        staging.add("b.html", b"b")
        staging.commit()
    assert list(elsewhere.iterdir()) == []
    assert _site(out)["a/p.html"] == b"3" and not (out / "a").is_symlink()
    (spare / MARKER).unlink()  # not a site of ours: left alone, a fresh folder is written
    with Staging(out) as staging:
        staging.add("a/p.html", b"4")
        staging.commit()
    assert (spare / "a" / "p.html").read_bytes() == b"2"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".site.")) == [".site.spare"]


def test_page_digests_are_alike_made_in_the_render_workers_or_in_the_build(tmp_path, seed_result):
    """A page the previous site did not have gets its digest in the render worker that renders
    it; a page it had is decided in the build's own process.  The memo is the one a single
    process makes either way, and a rebuild after one changed document reuses the rest."""
    from wgindex._version import __version__
    from wgindex.site.digest import _Digest
    from wgindex.site.lookups import SiteData
    from wgindex.site.render import all_pages, render_site
    from wgindex.site.templates import code_digest, templates_digest
    from wgindex.site.write import Staging

    def digests(records):
        data = SiteData(records, "", seed_result.serialized)
        base = f"{__version__}\0\0{code_digest()}\0{templates_digest()}\0"
        d = _Digest(data)
        return {p.path: d.page(base, p) for p in all_pages(data)}

    records, out = seed_result.records, tmp_path / "site"
    changed = [dict(r) for r in records]
    i = next(k for k, r in enumerate(changed) if r.get("paragraphs"))
    changed[i]["paragraphs"] = [dict(p) for p in changed[i]["paragraphs"]]
    changed[i]["paragraphs"][0]["text"] += "（改过）"
    memo, previous = {}, None
    for step, recs in enumerate([records[1:], records, changed]):
        with Staging(out) as staging:
            site = render_site(recs, "", seed_result.serialized, 2, memo, previous, writer=staging)
            staging.commit()
        want = digests(recs)
        assert len(want) > 40  # enough pages for the fork pool
        assert {p: site.memo[p]["digest"] for p in want} == want, step
        assert all(type(site.memo[p]["answers"]) is list for p in want)
        if step:  # a page the previous build had and whose context is the same is kept
            assert site.stats["reused_pages"] > len(want) // 2, (step, site.stats)
        memo, previous = site.memo, out
