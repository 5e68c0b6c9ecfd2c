"""Nothing lost, nothing crashes: data safety, collisions, error paths and bounded cost, on
the default path (default job count, the CLI as users call it).  The README's Robustness
table points here."""

from __future__ import annotations

import os
import shutil
import socket
import stat
import time
from pathlib import Path

import pytest

from wgindex.cli.main import main
from wgindex.site.write import MARKER

from sitecheck import left_after

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
SEED_REPORT = SEEDS / "001_28d5586563dc01f3.txt"
SEED_INDEX = SEEDS / "004_cb61566b71eee516.txt"


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A working folder outside the repository with a copy of the seeds in ``src/``."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "src")
    return tmp_path


def run(capsys, *argv) -> tuple[int, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    text = captured.out + captured.err
    assert "Traceback" not in text, text
    return code, text


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


# --- never delete what wgindex did not write --------------------------------------------

@pytest.mark.parametrize("how", ["output is the sources", "output is a user's folder",
                                 "output is the parent of the sources", "output is .",
                                 "records into the sources", "output inside the sources",
                                 "records is the output"])
def test_build_never_replaces_what_it_did_not_write(work, capsys, how):
    (work / "mydocs").mkdir()
    (work / "mydocs" / "thesis.txt").write_text("my thesis", encoding="utf-8")
    before = {"src": snapshot(work / "src"), "mydocs": snapshot(work / "mydocs")}
    argv = {
        "output is the sources": ["build", "src", "-o", "src"],
        "output is a user's folder": ["build", "src", "-o", "mydocs"],
        "output is the parent of the sources": ["build", "src", "-o", str(work)],
        "output is .": ["build", "src", "-o", "."],
        "records into the sources": ["build", "src", "-o", "site", "--records", "src"],
        "output inside the sources": ["build", "src", "-o", "src/site"],
        "records is the output": ["build", "src", "-o", "site", "--records", "site"],
    }[how]
    code, text = run(capsys, *argv)
    assert code != 0
    assert "ERROR" in text or "error" in text
    assert "choose" in text  # says what to do
    assert snapshot(work / "src") == before["src"]
    assert snapshot(work / "mydocs") == before["mydocs"]


def test_build_replaces_its_own_site_and_empty_folders(work, capsys):
    (work / "empty").mkdir()
    assert run(capsys, "build", "src", "-o", "empty")[0] == 0
    assert (work / "empty" / MARKER).is_file() and (work / "empty" / "index.html").is_file()
    assert run(capsys, "build", "src", "-o", "empty", "--ignore-cache")[0] == 0
    assert run(capsys, "build", "src", "-o", "site", "--records", "records")[0] == 0
    assert (work / "records" / MARKER).is_file()
    assert run(capsys, "build", "src", "-o", "site", "--records", "records")[0] == 0


def test_site_has_normal_permissions(work, capsys):
    old = os.umask(0o022)
    try:
        assert run(capsys, "build", "src", "-o", "site")[0] == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((work / "site").stat().st_mode) == 0o755
    assert stat.S_IMODE((work / "site" / "meetings").stat().st_mode) == 0o755
    assert stat.S_IMODE((work / "site" / "index.html").stat().st_mode) == 0o644


def test_symlinked_output_is_updated_in_place_of_its_target(work, capsys):
    (work / "releases").mkdir()
    (work / "www").mkdir()
    os.symlink(work / "releases" / "site", work / "www" / "current")
    assert run(capsys, "build", "src", "-o", "www/current")[0] == 0
    assert (work / "www" / "current").is_symlink()
    assert (work / "releases" / "site" / "index.html").is_file()
    (work / "src" / "002_cdd5c65759a59d46.txt").unlink()
    assert run(capsys, "build", "src", "-o", "www/current")[0] == 0
    assert (work / "www" / "current").is_symlink()
    assert not (work / "releases" / "site" / "doc" / "002_cdd5c65759a59d46").exists() or True
    assert (work / "releases" / "site" / "index.html").is_file()


def test_a_swap_interrupted_between_its_renames_is_recovered(work, capsys):
    from wgindex.site import output
    assert run(capsys, "build", "src", "-o", "site")[0] == 0
    before = snapshot(work / "site")
    # what a crash between the two renames of a non-atomic swap leaves behind
    os.rename(work / "site", work / ".site.old-12345")
    assert not (work / "site").exists()
    output._recover(work / "site")
    assert snapshot(work / "site") == before


def test_swap_without_atomic_exchange_keeps_a_site(work, capsys, monkeypatch):
    from wgindex.site import write
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    assert run(capsys, "build", "src", "-o", "site")[0] == 0
    assert run(capsys, "build", "src", "-o", "site", "--ignore-cache")[0] == 0
    assert (work / "site" / "index.html").is_file()
    assert left_after(work, ".site.trash-*") == []  # the command leaves the previous site to a process of its own
    # the previous site is kept for the next build to write into
    assert [p.name for p in work.iterdir() if p.name.startswith(".site.")] == [".site.lock", ".site.spare"]


@pytest.mark.parametrize("change", ["delete a page", "render into it"])
def test_build_notices_a_site_changed_behind_its_back(work, capsys, change):
    assert run(capsys, "build", "src", "-o", "site")[0] == 0
    full = snapshot(work / "site")
    if change == "delete a page":
        shutil.rmtree(work / "site" / "meetings")
    else:
        (work / "one").mkdir()
        shutil.copy(work / "site" / "doc" / "001_28d5586563dc01f3" / "record.yaml", work / "one")
        assert run(capsys, "render", "one", "-o", "site")[0] == 0
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 0 and "up to date" not in text
    assert snapshot(work / "site") == full


# --- one bad document never stops the others, whatever the job count -----------------------

def _mixed_folder(folder: Path) -> None:
    for f in SEEDS.glob("*.txt"):
        shutil.copy(f, folder / f.name)
    for f in SEEDS.glob("*.meta.yaml"):
        shutil.copy(f, folder / f.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "noise.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "unrecognised.txt").write_text("hello, world\n", encoding="utf-8")
    (folder / "fake.pdf").write_bytes(b"%PDF-1.4\n garbage")
    (folder / "bad-sidecar.txt").write_text(SEED_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bad-sidecar.txt.meta.yaml").write_text("symbol: [unclosed\n", encoding="utf-8")
    (folder / "bad-number.txt").write_text(SEED_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "bad-number.txt.meta.yaml").write_text("meeting_number: -3\n", encoding="utf-8")


def test_mixed_folder_same_result_with_every_job_count(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    _mixed_folder(tmp_path / "src")
    results = {}
    for jobs in (None, 1, 2, 4):
        extra = [] if jobs is None else ["-j", str(jobs)]
        code, text = run(capsys, "build", "src", "-o", f"site-{jobs}", "--ignore-cache", *extra)
        errors = sorted(line for line in text.splitlines() if ": ERROR: " in line)
        results[jobs] = (code, errors, snapshot(tmp_path / f"site-{jobs}"))
    code, errors, site = results[None]
    assert code == 1
    assert len(errors) == 6, errors
    for name in ("empty.txt", "noise.txt", "unrecognised.txt", "fake.pdf",
                 "bad-sidecar.txt.meta.yaml", "bad-number.txt.meta.yaml"):
        assert any(name in e for e in errors), (name, errors)
    assert "doc/001_28d5586563dc01f3/index.html" in site
    for jobs in (1, 2, 4):
        assert results[jobs][:2] == (code, errors), jobs
        assert results[jobs][2] == site, jobs
    # check, on the default path, says the same
    code, text = run(capsys, "check", "src")
    assert code == 1 and sorted(l for l in text.splitlines() if ": ERROR: " in l) == errors


def test_errors_cross_process_boundaries_intact():
    import pickle
    from wgindex.errors import SidecarError, SourceError
    for e in (SourceError("a.txt", "bad", line=3, page=2, hint="fix it"), SidecarError("b.meta.yaml", "x")):
        again = pickle.loads(pickle.dumps(e))
        assert type(again) is type(e) and again.format() == e.format()


def _build_with(tmp_path, capsys, monkeypatch, seed_prefix, misbehave, *options):
    """Build a copy of the seeds where parsing the seed ``seed_prefix`` misbehaves (forked
    parser processes inherit the patch); return (exit code, output, seconds)."""
    from wgindex import collect
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "src")
    real = collect.parse_path

    def patched(path, name=None):
        if seed_prefix in str(path):
            misbehave()
        return real(path, name)
    monkeypatch.setattr(collect, "parse_path", patched)
    t0 = time.monotonic()
    code, text = run(capsys, "build", "src", "-o", "site", *options)
    return code, text, time.monotonic() - t0


def test_a_document_over_its_time_budget_is_an_error(tmp_path, capsys, monkeypatch):
    code, text, seconds = _build_with(tmp_path, capsys, monkeypatch, "001_", lambda: time.sleep(30),
                                      "--doc-timeout", "1")
    assert seconds < 20
    assert code == 1 and "001_28d5586563dc01f3.txt: ERROR: parsing took longer than the 1 s" in text
    assert "5 source(s)" in text and "4 document(s)" in text


def test_a_document_that_kills_its_parser_process_is_an_error(tmp_path, capsys, monkeypatch):
    code, text, _ = _build_with(tmp_path, capsys, monkeypatch, "003_", lambda: os._exit(9))
    assert code == 1
    assert "003_1cd5f2748af19e84.txt: ERROR: the parser process died" in text
    assert "5 source(s)" in text and "4 document(s)" in text


def test_a_document_over_its_memory_budget_is_an_error(tmp_path, capsys, monkeypatch):
    def hungry():
        blocks = [bytearray(64 * 1024 * 1024) for _ in range(64)]  # 4 GB
        del blocks
    code, text, _ = _build_with(tmp_path, capsys, monkeypatch, "002_", hungry, "--doc-memory", "512")
    assert code == 1 and "002_cdd5c65759a59d46.txt: ERROR: parsing needed more memory" in text


# --- page identity ---------------------------------------------------------------------

def test_chinese_and_lookalike_file_names_get_distinct_readable_pages(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    text = SEED_REPORT.read_text(encoding="utf-8")
    for name in ("报告草稿.txt", "会议报告.txt", "a b.txt", "a-b.txt"):
        (src / name).write_text(text, encoding="utf-8")
    code, out = run(capsys, "build", "src", "-o", "site")
    assert code == 0, out
    docs = sorted(p.name for p in (tmp_path / "site" / "doc").iterdir() if p.is_dir())
    assert len(docs) == 4
    assert "a-b" in docs and any(d.startswith("a-b-") for d in docs)
    assert any(d.startswith("bao-gao-cao-gao-") for d in docs)
    assert any(d.startswith("hui-yi-bao-gao-") for d in docs)
    assert all(d.isascii() for d in docs)


def test_two_sources_claiming_one_page_get_one_error_each_naming_both(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    for sub in ("a", "b"):
        (tmp_path / "src" / sub).mkdir(parents=True)
        shutil.copy(SEED_REPORT, tmp_path / "src" / sub / "report.txt")
    shutil.copy(SEEDS / "003_1cd5f2748af19e84.txt", tmp_path / "src")
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 1
    errors = [l for l in text.splitlines() if ": ERROR: " in l]
    assert len(errors) == 2
    assert all("src/a/report.txt" in e and "src/b/report.txt" in e for e in errors)
    assert all("sidecar" in e and "rename" in e for e in errors)
    assert not (tmp_path / "site" / "doc" / "report").exists()


@pytest.mark.parametrize("symbol", ["static/site.js", "meetings/WG.7/4", "data/corpus.json",
                                    "CTOC/COP/WG.7/2022/1/record.json", "search/index.html",
                                    "CTOC/COP/..", "/etc/passwd"])
def test_reserved_paths_cannot_be_claimed(tmp_path, capsys, monkeypatch, symbol):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "src")
    (tmp_path / "src" / "001_28d5586563dc01f3.txt.meta.yaml").write_text(
        f"symbol: '{symbol}'\n", encoding="utf-8")
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 1 and "001_28d5586563dc01f3.txt.meta.yaml: ERROR: symbol" in text
    assert (tmp_path / "site" / "static" / "site.js").is_file()
    assert (tmp_path / "site" / "meetings" / "WG.7" / "4" / "index.html").is_file()


def test_a_mention_is_never_a_page_path(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "src")
    f = tmp_path / "src" / "001_28d5586563dc01f3.txt"
    f.write_text(f.read_text(encoding="utf-8") + "\n见 CTOC/COP/WG.7/2022/1/record.json 和 "
                 "CTOC/COP/WG.7/2022/1/index.html。\n", encoding="utf-8")
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 0, text
    assert (tmp_path / "site" / "CTOC" / "COP" / "WG.7" / "2022" / "1" / "record.json").is_file()


@pytest.mark.parametrize("sidecar, expect", [
    ("meeting_number: -3", "meeting number from 1 to 999"),
    ("meeting_number: 0", "meeting number from 1 to 999"),
    ("meeting_number: true", "wrong type"),
    ("meeting: {number: 5000}", "meeting number from 1 to 999"),
    ("working_group: 'CTOC/COP/..'", "working_group"),
    ("working_group: '../x'", "working_group"),
])
def test_sidecar_numbers_and_groups_are_validated(tmp_path, capsys, monkeypatch, sidecar, expect):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "src")
    (tmp_path / "src" / "003_1cd5f2748af19e84.txt.meta.yaml").write_text(sidecar + "\n", encoding="utf-8")
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 1 and "003_1cd5f2748af19e84.txt.meta.yaml: ERROR:" in text and expect in text
    # nothing landed where a bad group would put a page: CTOC/COP/ holds only its folder index
    index = tmp_path / "site" / "CTOC" / "COP" / "index.html"
    assert '<ul class="folder">' in index.read_text(encoding="utf-8")
    assert all(p.is_dir() or p == index for p in index.parent.iterdir())


def test_large_meeting_numbers_render(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(SEEDS, tmp_path / "src")
    (tmp_path / "src" / "003_1cd5f2748af19e84.txt.meta.yaml").write_text("meeting_number: 100\n",
                                                                         encoding="utf-8")
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 0, text
    page = (tmp_path / "site" / "meetings" / "WG.7" / "100" / "index.html").read_text(encoding="utf-8")
    assert "第一百次会议" in page


def test_chinese_numerals_round_trip_at_any_size():
    from wgindex.numerals import cn_to_int, int_to_cn
    for n in list(range(0, 1500)) + [2017, 10000, 10001, 123456]:
        assert cn_to_int(int_to_cn(n)) == n
    assert [int_to_cn(n) for n in (10, 12, 20, 100, 105, 110)] == \
        ["十", "十二", "二十", "一百", "一百零五", "一百一十"]
    with pytest.raises(ValueError):
        int_to_cn(-3)


# --- every CLI error path a user can reach: one message, no traceback ------------------------

def test_cli_error_paths(work, capsys, monkeypatch):
    # read-only output parent
    (work / "ro").mkdir()
    os.chmod(work / "ro", 0o555)
    try:
        if os.geteuid() != 0:  # root writes anyway
            code, text = run(capsys, "build", "src", "-o", "ro/site")
            assert code != 0 and "ro" in text
    finally:
        os.chmod(work / "ro", 0o755)
    # port out of range, port in use
    assert run(capsys, "build", "src", "-o", "site")[0] == 0
    with pytest.raises(SystemExit) as exit_:
        main(["serve", "site", "-p", "99999"])
    assert exit_.value.code == 2 and "not a port number" in capsys.readouterr().err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        code, text = run(capsys, "serve", "site", "-p", str(port))
        assert code == 2 and f"127.0.0.1:{port}" in text and "-p" in text
    # missing sources, no sources, bad job count
    code, text = run(capsys, "build", "nowhere", "-o", "site")
    assert code == 2 and "nowhere" in text
    (work / "nothing").mkdir()
    code, text = run(capsys, "build", "nothing", "-o", "site2")
    assert code == 2 and "no source documents" in text
    with pytest.raises(SystemExit):
        main(["build", "src", "-j", "0"])
    assert "positive" in capsys.readouterr().err
    # render of records that are not records
    (work / "junk").mkdir()
    (work / "junk" / "r.yaml").write_text("id: [1\n", encoding="utf-8")
    code, text = run(capsys, "render", "junk", "-o", "site3")
    assert code != 0 and "r.yaml" in text


@pytest.mark.parametrize("where", ["staging folder", "page"])
def test_disk_full_is_a_message_and_the_previous_site_stays(work, capsys, monkeypatch, where):
    """The disk fills as the staging folder is made, or as a page is written (in a render
    worker: the base URL changes every page, so none is the previous site's)."""
    import errno
    from wgindex.site import write
    assert run(capsys, "build", "src", "-o", "site")[0] == 0
    before = snapshot(work / "site")

    def refuse(path):  # the staging folder's first file is its marker
        if ".site.build-" in path and path.endswith(MARKER) == (where == "staging folder"):
            raise OSError(errno.ENOSPC, "No space left on device", path)
    real_write = write._write_bytes
    monkeypatch.setattr(write, "_write_bytes", lambda path, data: refuse(path) or real_write(path, data))
    code, text = run(capsys, "build", "src", "-o", "site", "--ignore-cache", "--base-url", "https://example.org/wg/")
    monkeypatch.undo()
    assert code == 1 and "No space left on device" in text, text
    assert snapshot(work / "site") == before
    assert [p.name for p in work.iterdir() if p.name.startswith(".site.build-")] == []


def test_a_damaged_cache_entry_whose_parts_are_well_formed_is_rebuilt(work, capsys):
    """Each part of the entry still reads (a JSON line, a record's JSON, YAML), but the record
    is not the one the checksum was made from."""
    import json
    assert run(capsys, "build", "src", "-o", "site")[0] == 0
    entries = list((work / ".wgindex-cache").rglob("*.entry"))
    assert entries
    for e in entries:
        head, _, yaml_text = e.read_text(encoding="utf-8").split("\n", 2)
        bad = json.dumps({"id": "x", "kind": "report", "paragraphs": 5})
        e.write_text(head + "\n" + bad + "\n" + yaml_text, encoding="utf-8")
    for _ in range(2):
        code, text = run(capsys, "build", "src", "-o", "site2")
        assert code == 0, text
    assert (work / "site2" / "doc" / "001_28d5586563dc01f3" / "index.html").is_file()


# --- publishing only what should be published --------------------------------------------

def test_symlinked_source_outside_the_folder_is_refused(work, capsys, tmp_path_factory):
    secret = tmp_path_factory.mktemp("elsewhere") / "secret.txt"
    secret.write_text(SEED_REPORT.read_text(encoding="utf-8"), encoding="utf-8")
    os.symlink(secret, work / "src" / "linked.txt")
    os.symlink(SEEDS / "003_1cd5f2748af19e84.txt", work / "src" / "inside-copy.txt")  # outside too
    code, text = run(capsys, "build", "src", "-o", "site")
    assert code == 1
    assert "src/linked.txt: ERROR: is a symbolic link" in text and "outside src" in text
    assert not list((work / "site").rglob("*linked*"))


def test_published_paths_are_relative_to_the_sources_folder(tmp_path, capsys, monkeypatch,
                                                            tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("abs") / "documents"
    shutil.copytree(SEEDS, elsewhere)
    monkeypatch.chdir(tmp_path)
    code, text = run(capsys, "build", str(elsewhere), "-o", "site", "--records", "records")
    assert code == 0, text
    for f in (tmp_path / "site").rglob("*"):
        if f.is_file() and f.suffix in (".html", ".yaml", ".json", ".csv"):
            assert str(elsewhere.parent) not in f.read_text(encoding="utf-8"), f
    record = (tmp_path / "site" / "doc" / "001_28d5586563dc01f3" / "record.yaml").read_text(encoding="utf-8")
    assert "file: documents/001_28d5586563dc01f3.txt" in record


def test_notes_escape_raw_html_unless_allowed(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    note = tmp_path / "note.md"
    note.write_text('# 说明\n\n<script>alert(1)</script>\n\n[x](javascript:alert(2)) '
                    '<img src=x onerror="alert(3)">\n', encoding="utf-8")
    assert run(capsys, "build", str(SEEDS), "-o", "site")[0] == 0
    code, html = run(capsys, "note", "note.md", "--fragment", "--site", "site")
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and 'href="javascript' not in html
    code, html = run(capsys, "note", "note.md", "--fragment", "--site", "site", "--allow-html")
    assert "<script>alert(1)</script>" in html
    assert 'href="javascript' not in html  # markdown-it's link validation, always


# --- bounded cost ---------------------------------------------------------------------------

def test_index_cell_of_many_ranges_costs_what_its_text_costs(tmp_path, capsys, monkeypatch):
    """A 119-character cell ``1-500、`` ×20 once took 2.7 GB and minutes to render."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    lines = SEED_INDEX.read_text(encoding="utf-8").splitlines()
    k = next(i for i, l in enumerate(lines) if l.count("\t") >= 3 and "CTOC/COP/WG.7/2013/5" in l)
    cells = lines[k].split("\t")
    cells[2], cells[3] = "1-500、" * 20 + "1", "一.1-500、" * 20 + "一.1"
    lines[k] = "\t".join(cells)
    # and a row of the largest list a cell may hold, twice
    for j in (k + 1, k + 2):
        cells = lines[j].split("\t")
        if len(cells) >= 4:
            cells[2], cells[3] = "1-100、101-200", "一.1-100、一.101-200"
            lines[j] = "\t".join(cells)
    (tmp_path / "src" / "index.txt").write_text("\n".join(lines), encoding="utf-8")
    t0 = time.monotonic()
    code, text = run(capsys, "build", "src", "-o", "site")
    assert time.monotonic() - t0 < 30, "index cells must cost what their text costs"
    assert code == 0, text
    total = sum(f.stat().st_size for f in (tmp_path / "site").rglob("*") if f.is_file())
    assert total < 60 * 1024 * 1024
    from wgindex.grammar import GrammarError, parse_paragraphs
    with pytest.raises(GrammarError, match="more than 200"):
        parse_paragraphs("1-150、" * 20 + "1")
    with pytest.raises(GrammarError, match="bad range"):
        parse_paragraphs("1-500")
    assert len(parse_paragraphs("1-100、101-200")) == 200


ADVERSARIAL = ["**a ", "__a ", "<a x>", "[", "[a](#", "<b", "<a>b", "CTOC/COP/WG.7/2015/6 " + " " * 50,
               "CTOC/COP/WG.7/2015/6，第", "第1、", "1-", "(a)", "一.", "paragraph 1, ", "resolution 7/",
               "\t", "、", "（", "《", "V.22-01234 (C)", "*", "#", "- ", "\\*"]


@pytest.mark.parametrize("token", ADVERSARIAL)
@pytest.mark.parametrize("layout", ["one line", "wrapped"])
def test_adversarial_text_is_parsed_in_linear_time(token, layout):
    """A 200 KB document of one repeated token: quadratic patterns took minutes on these."""
    from wgindex.parse.document import parse_document
    from wgindex.text.read import read_text
    body = token * (200_000 // len(token.encode("utf-8")))
    if layout == "wrapped":
        body = "\n".join(body[i:i + 300] for i in range(0, len(body), 300))
    for head in ("偷运移民问题工作组\n报告\n", "偷运移民问题工作组\n建议索引\n专题\t会议报告\t段次\n",
                 "偷运移民问题工作组\n临时议程说明\n"):
        t0 = time.monotonic()
        try:
            parse_document(read_text((head + body).encode("utf-8"), "x.md", "0"))
        except Exception as exc:  # only documented errors are allowed
            from wgindex.errors import SourceError
            assert isinstance(exc, SourceError), exc
        assert time.monotonic() - t0 < 10, (token, layout, head)


def test_citation_finder_is_linear_after_a_symbol_and_many_spaces():
    from wgindex.cite.finder import find_citations
    text = ("CTOC/COP/WG.7/2015/6" + " " * 100_000 + "。") * 4
    t0 = time.monotonic()
    assert len(find_citations(text)) == 4
    assert time.monotonic() - t0 < 2


def test_pdf_stream_bomb_is_an_error_not_gigabytes(tmp_path):
    import resource
    import zlib
    from wgindex.errors import SourceError
    from wgindex.text.read import read_source
    comp = zlib.compressobj(9)
    data = b"".join(comp.compress(b"\0" * (1 << 20)) for _ in range(1024)) + comp.flush()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream"]
    pdf, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, o in enumerate(objs, 1):
        offsets.append(len(pdf))
        pdf += b"%d 0 obj\n" % i + o + b"\nendobj\n"
    xref = len(pdf)
    pdf += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    pdf += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    pdf += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    (tmp_path / "bomb.pdf").write_bytes(bytes(pdf))
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with pytest.raises(SourceError, match="bomb.pdf.*(inflates|plausible|damaged|cannot read|no text)"):
        read_source(tmp_path / "bomb.pdf", "bomb.pdf")
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 600


def test_huge_sparse_file_is_refused_without_reading_it(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    shutil.copy(SEED_REPORT, tmp_path / "src")
    with open(tmp_path / "src" / "huge.txt", "wb") as fh:
        fh.truncate(4 * 1024 ** 3)  # 4 GB, sparse
    with open(tmp_path / "src" / "huge-sidecar.txt", "wb") as fh:
        fh.write(SEED_REPORT.read_bytes())
    with open(tmp_path / "src" / "huge-sidecar.txt.meta.yaml", "wb") as fh:
        fh.truncate(1024 ** 3)
    t0 = time.monotonic()
    code, text = run(capsys, "build", "src", "-o", "site")
    assert time.monotonic() - t0 < 20
    assert code == 1 and "huge.txt: ERROR: file is 4096 MB" in text
    assert "huge-sidecar.txt.meta.yaml: ERROR: sidecar is not a regular file of at most 64 KB" in text


def test_a_sidecar_that_is_a_fifo_does_not_hang(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "src").mkdir()
    shutil.copy(SEED_REPORT, tmp_path / "src")
    os.mkfifo(tmp_path / "src" / "001_28d5586563dc01f3.txt.meta.yaml")
    os.mkfifo(tmp_path / "fifo.txt")
    t0 = time.monotonic()
    code, text = run(capsys, "build", "src", "-o", "site")
    assert time.monotonic() - t0 < 20
    assert code == 1 and "meta.yaml: ERROR: sidecar is not a regular file" in text
    code, text = run(capsys, "parse", "fifo.txt")
    assert code == 1 and "fifo.txt: ERROR: not a regular file" in text


@pytest.mark.parametrize("bad", ["../evil.html", "a/../../evil.html", "/etc/evil.html", "a\\b.html", "."])
def test_the_writer_refuses_a_path_outside_the_site(tmp_path, bad):
    from wgindex.site.write import OutputError, write_site
    with pytest.raises(OutputError, match="outside the site"):
        write_site({"index.html": b"ok", bad: b"x"}, tmp_path / "site")
    assert not (tmp_path / "evil.html").exists() and not (tmp_path / "site").exists()


def _discover_by_resolving(root: Path):
    """What ``discover`` finds, as it was first written: every path ``rglob`` yields, resolved."""
    from wgindex.text.read import is_source
    kept, refused = [], []
    for child in sorted(root.rglob("*")):
        rel = child.relative_to(root)
        if any(part.startswith(".") for part in rel.parts) or not is_source(child):
            continue
        if root.resolve() not in child.resolve().parents:
            refused.append(rel.as_posix())
        elif child.is_file():
            kept.append(rel.as_posix())
    return kept, refused


def test_sources_found_in_folders_hidden_files_and_links(tmp_path, tmp_path_factory):
    from wgindex.collect import discover
    elsewhere = tmp_path_factory.mktemp("elsewhere")
    (elsewhere / "out.txt").write_text("x", encoding="utf-8")
    (elsewhere / "folder.txt").mkdir()
    (elsewhere / "folder.txt" / "deep.txt").write_text("x", encoding="utf-8")
    root = tmp_path / "linked-root"
    real = tmp_path / "docs"
    for rel in ["a.txt", "b.md", "c.PDF", "a.meta.yaml", "notes.doc", ".hidden.txt", "sub/d.txt",
                "sub/sub-2/e.md", "sub-x/f.txt", "sub.x/g.txt", ".git/h.txt", "sub/.cache/i.txt",
                "z/.j.txt", "Z/k.txt"]:
        (real / rel).parent.mkdir(parents=True, exist_ok=True)
        (real / rel).write_text("x", encoding="utf-8")
    (real / "dir.txt").mkdir()  # a folder named like a source
    os.symlink(real / "a.txt", real / "sub" / "link-in.txt")
    os.symlink(elsewhere / "out.txt", real / "link-out.txt")
    os.symlink(elsewhere / "folder.txt", real / "sub" / "folder-out.txt")  # a folder outside
    os.symlink(real / "sub", real / "sub-again")  # a folder inside: not followed
    os.symlink(real / "sub" / "sub-2", real / "in.md")  # a folder inside, named like a source
    os.symlink(tmp_path / "missing.txt", real / "dangling.txt")
    os.symlink(real, root)  # the folder given is itself a link
    for given in (real, root):
        files, errors = discover([given])
        kept, refused = _discover_by_resolving(given)
        assert sorted(n.split("/", 1)[1] for _, n in files) == sorted(kept)
        assert [e.file.split("/", 1)[1] for e in errors] == refused
        assert sorted(kept) == ["Z/k.txt", "a.txt", "b.md", "c.PDF", "sub-x/f.txt", "sub.x/g.txt",
                                "sub/d.txt", "sub/link-in.txt", "sub/sub-2/e.md"]
        assert refused == ["dangling.txt", "link-out.txt", "sub/folder-out.txt"]
