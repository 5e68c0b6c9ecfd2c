"""Bad and hostile input: nothing crashes, nothing leaks, nothing is lost (one test a case;
the README's Robustness table points here)."""

from __future__ import annotations

import re

import io
import shutil
import time
from pathlib import Path

import pytest

from wgindex.cli.main import main
from wgindex.collect import parse_sources
from wgindex.parse.document import parse_path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "001_28d5586563dc01f3.txt"


def _one_error(tmp_path: Path, name: str, data: bytes, *expect: str) -> str:
    """The file fails with exactly one message naming it; a good seed beside it still parses."""
    (tmp_path / name).write_bytes(data)
    shutil.copy(SEED, tmp_path / SEED.name)
    result = parse_sources([tmp_path], jobs=1)
    assert len(result.records) == 1 and result.records[0]["source"]["file"].endswith(SEED.name)
    assert len(result.errors) == 1
    msg = result.errors[0].format()
    assert name in msg and "Traceback" not in msg
    for e in expect:
        assert e in msg, msg
    return msg


def _pdf(make) -> bytes:
    from reportlab.pdfgen import canvas
    buf = io.BytesIO()
    c = canvas.Canvas(buf, **make.get("kw", {}))
    make["draw"](c)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_empty_file(tmp_path):
    _one_error(tmp_path, "empty.txt", b"", "empty")


def test_whitespace_only_file(tmp_path):
    _one_error(tmp_path, "blank.md", b"  \n\r\n\t\n", "empty")


def test_random_bytes(tmp_path):
    data = bytes((i * 7919 + 13) % 256 for i in range(4000))
    _one_error(tmp_path, "noise.txt", data, "cannot decode")


def test_txt_that_is_a_pdf_is_read_as_pdf(tmp_path):
    from pdfmake import text_to_pdf
    (tmp_path / "report.txt").write_bytes(text_to_pdf(SEED.read_text(encoding="utf-8")))
    r = parse_path(tmp_path / "report.txt")
    assert r["source"]["reader"] == "pdf" and len(r["paragraphs"]) == 21
    assert any("is a PDF" in w["message"] for w in r["warnings"])


def test_pdf_that_is_text_is_read_as_text(tmp_path):
    shutil.copy(SEED, tmp_path / "report.pdf")
    r = parse_path(tmp_path / "report.pdf")
    assert r["source"]["reader"] == "text" and len(r["paragraphs"]) == 21
    assert any("holds text" in w["message"] for w in r["warnings"])


def test_pdf_named_file_of_noise(tmp_path):
    _one_error(tmp_path, "x.pdf", bytes(range(256)) * 8, "not a PDF")


def test_truncated_pdf(tmp_path):
    from pdfmake import text_to_pdf
    data = text_to_pdf(SEED.read_text(encoding="utf-8"))
    _one_error(tmp_path, "cut.pdf", data[: len(data) // 3], "PDF")


def test_encrypted_pdf(tmp_path):
    from reportlab.lib.pdfencrypt import StandardEncryption
    data = _pdf({"kw": {"encrypt": StandardEncryption("secret", "owner")},
                 "draw": lambda c: c.drawString(100, 700, "hello")})
    _one_error(tmp_path, "locked.pdf", data, "encrypted")


def test_image_only_pdf_needs_ocr(tmp_path):
    data = _pdf({"draw": lambda c: (c.setFillGray(0.5), c.rect(100, 100, 300, 500, fill=1))})
    _one_error(tmp_path, "scan.pdf", data, "OCR")


def test_utf16_without_bom(tmp_path):
    text = SEED.read_text(encoding="utf-8")
    (tmp_path / "u16.txt").write_bytes(text.encode("utf-16-le"))
    r = parse_path(tmp_path / "u16.txt")
    assert len(r["paragraphs"]) == 21
    assert any("UTF-16" in w["message"] for w in r["warnings"])


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030"])
def test_encodings_give_the_same_record(tmp_path, encoding, seed_records):
    text = SEED.read_text(encoding="utf-8").replace("\n", "\r\n").replace("依照", "依照\u3000", 1)
    (tmp_path / SEED.name).write_bytes(text.encode(encoding))
    r = parse_path(tmp_path / SEED.name)
    assert [p["number"] for p in r["paragraphs"]] == [str(i) for i in range(1, 22)]
    def strip(recs):
        return [{k: v for k, v in x.items() if k != "source"} for x in recs]
    assert strip(r["recommendations"]) == strip(seed_records[SEED.name]["recommendations"])
    assert r["paragraphs"][0]["text"].startswith("依照 联合国")  # ideographic space -> space


def test_undecodable_bytes(tmp_path):
    _one_error(tmp_path, "bad.txt", b"\xff\xfe\x00" + bytes([0x80, 0x81, 0xfe]) * 500 + b"\x00\x00",
               "ERROR")


def test_huge_file_is_refused_quickly(tmp_path):
    big = tmp_path / "huge.txt"
    with open(big, "wb") as fh:
        fh.truncate(25 * 1024 * 1024)  # sparse: 25 MB
    start = time.monotonic()
    msg = _one_error(tmp_path, "huge.txt", big.read_bytes(), "larger than")
    assert time.monotonic() - start < 10, msg


def test_document_that_classifies_as_nothing(tmp_path):
    _one_error(tmp_path, "shopping.txt", "牛奶\n面包\n鸡蛋\n".encode(), "not recognised", "sidecar")


def test_two_sources_claiming_one_symbol(tmp_path):
    for name in ("a.txt", "b.txt"):
        shutil.copy(SEED, tmp_path / name)
        (tmp_path / f"{name}.meta.yaml").write_text("symbol: CTOC/COP/WG.7/2017/5\n", encoding="utf-8")
    result = parse_sources([tmp_path], jobs=1)
    assert result.records == []
    msgs = sorted(e.format() for e in result.errors)
    assert len(msgs) == 2
    assert "a.txt" in msgs[0] and "b.txt" in msgs[0] and "CTOC/COP/WG.7/2017/5" in msgs[0]


@pytest.mark.parametrize("sidecar,expect", [
    ("symbol: [unclosed\n", "not valid YAML"),
    ("symbl: CTOC/COP/WG.7/2017/5\n", "unknown field"),
    ("symbol: !!python/object/apply:os.system ['echo hacked']\n", "not valid YAML"),
    ("a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\n"
     "c: &c [*b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c]\n", "aliases"),
    ("symbol: ../../../etc/passwd\n", "not a valid document symbol"),
    ("symbol: /CTOC/COP/WG.7/2017/5\n", "not a valid document symbol"),
    ("symbol: CTOC\\COP\\WG.7\\2017\\5\n", "not a valid document symbol"),
    ("symbol: СTOC/COP/WG.7/2017/5\n", "not a valid document symbol"),   # Cyrillic С
    ("- just\n- a list\n", "mapping"),
    ("kind: memo\n", "kind"),
])
def test_bad_sidecars(tmp_path, sidecar, expect):
    shutil.copy(SEED, tmp_path / "r.txt")
    (tmp_path / "r.txt.meta.yaml").write_text(sidecar, encoding="utf-8")
    result = parse_sources([tmp_path], jobs=1)
    assert len(result.errors) == 1 and result.records == []
    msg = result.errors[0].format()
    assert "r.txt.meta.yaml" in msg and expect in msg, msg


HOSTILE = ("<script>alert(1)</script> \"><img src=x onerror=alert(2)> {{ 7*7 }} {% raw %} "
           "</script><script>alert(3)</script> ../../etc/passwd C:\\evil")


def test_hostile_text_is_escaped_everywhere(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    text = SEED.read_text(encoding="utf-8").replace("鼓励缔约国加强实施", HOSTILE + "鼓励缔约国加强实施")
    text = text.replace("阿富汗、", "阿富汗<b onclick=x>、")
    (src / "hostile.txt").write_text(text, encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", str(src), "-o", str(out), "--cache-dir", str(tmp_path / "c")]) == 0
    from sitecheck import check_site, parse_page
    checked = check_site(out)
    assert checked["problems"] == [] and checked["external"] == []
    for page in out.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<img src=x" not in html and "onclick=x>" not in html
        # only the site's own scripts, and the recommendations' data (JSON, ``<`` escaped)
        tags = re.findall(r"<script[^>]*>", html)
        assert tags and all(re.fullmatch(r'<script src="[./]*static/(site|search)\.js" defer>', t)
                            or t == '<script type="application/json" id="rec-rows">' for t in tags), tags
        for data in re.findall(r'<script type="application/json"[^>]*>(.*?)</script>', html, re.S):
            assert "<" not in data
    report = (out / "doc/hostile/index.html").read_text(encoding="utf-8")
    assert "{{ 7*7 }}" in report and "{% raw %}" in report  # template syntax is not evaluated
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in report
    assert HOSTILE.split(" ../")[0] in "".join(parse_page(out / "doc/hostile/index.html").text)
    # the search index carries the text as JSON data (fetched, then inserted as escaped text)
    import json
    texts = [e["x"] for f in (out / "search" / "text").glob("*.json")
             for e in json.loads(f.read_text(encoding="utf-8"))]
    assert any("<script>alert(1)</script>" in t for t in texts)
    written = [p.resolve() for p in out.rglob("*")]
    assert all(out.resolve() in p.parents for p in written)


def test_render_refuses_records_with_path_escaping_ids(tmp_path, capsys):
    import yaml
    rec = yaml.safe_load((ROOT / "tests" / "seed-facts.yaml").read_text(encoding="utf-8")) and None
    from wgindex.records import to_yaml
    good = parse_path(SEED)
    bad = dict(good, id="../../evil", symbol="../../evil")
    (tmp_path / "good.yaml").write_text(to_yaml(good), encoding="utf-8")
    (tmp_path / "bad.yaml").write_text(to_yaml(bad), encoding="utf-8")
    out = tmp_path / "site"
    assert main(["render", str(tmp_path / "good.yaml"), str(tmp_path / "bad.yaml"), "-o", str(out)]) == 0
    assert "record skipped" in capsys.readouterr().err
    assert not (tmp_path / "evil").exists()
    assert all(out.resolve() in p.resolve().parents for p in out.rglob("*"))
    del rec


def test_site_writer_refuses_paths_outside(tmp_path):
    from wgindex.site.write import SiteWriter, write_site
    from wgindex.site.write import OutputError
    w = SiteWriter()
    for bad in ("../x.html", "/etc/x.html", "a/../../x.html", "a\\b.html"):
        with pytest.raises(OutputError):
            w.add(bad, "x")
    with pytest.raises(OutputError):
        write_site({"../escape.html": b"x"}, tmp_path / "site")
    assert not (tmp_path / "escape.html").exists()


def test_corrupted_cache_entry_is_rebuilt(tmp_path):
    from wgindex.cache import ParseCache
    cache = ParseCache(tmp_path / "cache")
    first = parse_sources([SEED], cache=cache, jobs=1)
    entries = list((tmp_path / "cache").rglob("*.entry"))
    assert len(entries) == 1
    entries[0].write_text('{"key": "x", "record": [1, 2', encoding="utf-8")
    again = parse_sources([SEED], cache=cache, jobs=1)
    assert again.cached == 0 and cache.corrupt == 1
    assert again.records == first.records
    third = parse_sources([SEED], cache=cache, jobs=1)
    assert third.cached == 1 and third.records == first.records


def test_cache_entry_damaged_after_its_first_line_is_parsed_again(tmp_path):
    """A byte changed anywhere in the record's JSON or YAML text fails the entry's checksum:
    counted as damaged, parsed again, and the entry written again as it was."""
    from wgindex.cache import ParseCache
    cache = ParseCache(tmp_path / "cache")
    first = parse_sources([SEED], cache=cache, jobs=1)
    (f,) = (tmp_path / "cache").rglob("*.entry")
    good = f.read_bytes()
    head, body = good.split(b"\n", 1)
    for at in (0, len(body) // 3, len(body) // 2, len(body) - 2):
        damaged = bytearray(body)
        damaged[at] ^= 0x01
        f.write_bytes(head + b"\n" + bytes(damaged))
        before = cache.corrupt
        again = parse_sources([SEED], cache=cache, jobs=1)
        assert again.cached == 0 and cache.corrupt == before + 1 and again.records == first.records
        assert f.read_bytes() == good
    assert parse_sources([SEED], cache=cache, jobs=1).cached == 1


def test_cache_keeps_the_entries_sources_have_not_the_versions_they_had(tmp_path, monkeypatch):
    """An edited source's previous entry is removed once the build has its new one; entries of
    other parser code go the same way.  An entry this build still uses is never removed."""
    import os
    import shutil
    from wgindex import cache as cache_module
    from wgindex.cache import ParseCache
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / "a.txt")
    (src / "b.txt").write_text(SEED.read_text(encoding="utf-8") + "\n另一段。\n", encoding="utf-8")

    def entries():
        return sorted(p.name for p in (tmp_path / "cache").rglob("*.entry"))

    def build():
        cache = ParseCache(tmp_path / "cache")
        result = parse_sources([src], cache=cache, jobs=1)
        cache.save_keys()
        return result

    build()
    first = entries()
    assert len(first) == 2
    for n, text in enumerate(["第三段。", "第四段。", "第三段。"]):
        old = os.stat(src / "a.txt")
        (src / "a.txt").write_text(SEED.read_text(encoding="utf-8") + f"\n{text}\n", encoding="utf-8")
        os.utime(src / "a.txt", ns=(old.st_atime_ns, old.st_mtime_ns - 5_000_000_000 * (n + 1)))
        assert build().cached == 1
        now = entries()
        assert len(now) == 2 and len(set(now) & set(first)) == 1  # b.txt's stays, a.txt's is new
    assert build().cached == 2 and entries() == now
    monkeypatch.setattr(cache_module, "parser_code_digest", lambda: "other code")
    assert build().cached == 0 and len(entries()) == 2 and not set(entries()) & set(now)
    assert build().cached == 2


def test_a_cache_key_is_read_once_and_follows_every_edit(tmp_path, monkeypatch):
    """A build asks for each source's key twice; the second time the source is not read
    again, unless it (or its sidecar) changed in between, whatever its size."""
    import os
    from wgindex import cache as cache_module
    from wgindex.cache import ParseCache
    f = tmp_path / "a.txt"
    f.write_text("甲乙", encoding="utf-8")
    c = ParseCache(tmp_path / "cache")
    reads = []
    read = cache_module.read_limited
    monkeypatch.setattr(cache_module, "read_limited", lambda path, limit: reads.append(path) or read(path, limit))
    first = c.key(f, "a.txt")
    assert c.key(f, "a.txt") == first and len(reads) == 1
    st = os.stat(f)
    f.write_text("丙丁", encoding="utf-8")  # the same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # even with the old mtime back: its ctime moved
    second = c.key(f, "a.txt")
    assert second != first and second == ParseCache(tmp_path / "cache").key(f, "a.txt")
    (tmp_path / "a.txt.meta.yaml").write_text("title: 题\n", encoding="utf-8")
    assert c.key(f, "a.txt") not in (first, second)
    assert c.key(f, "other.txt") != c.key(f, "a.txt")  # the published name is part of the key


def test_cache_keys_kept_between_builds_follow_every_edit(tmp_path, monkeypatch):
    """The keys a build made are kept for the next (the source's stat beside its key): a
    source whose stat is the recorded one is not read again; any edit, a source changed too
    soon after its key was made to tell by its clock, a damaged file of keys, each means the
    source is read again; the keys of sources gone are dropped."""
    import json
    import os
    from wgindex import cache as cache_module
    from wgindex.cache import KEYS_FILE, RACY_NS, ParseCache
    old = time.time_ns() - 10 * RACY_NS
    files = {n: tmp_path / n for n in ("a.txt", "b.txt")}
    for n, f in files.items():
        f.write_text(f"甲乙{n}", encoding="utf-8")
        os.utime(f, ns=(old, old))
    reads = []
    read = cache_module.read_limited
    monkeypatch.setattr(cache_module, "read_limited", lambda path, limit: reads.append(path.name) or read(path, limit))

    def keys() -> dict:  # a build's keys, asked by a new process's cache, which it keeps
        c = ParseCache(tmp_path / "cache")
        made = {n: c.key(f, n) for n, f in sorted(files.items())}
        c.save_keys()
        return made

    first = keys()
    assert sorted(reads) == ["a.txt", "b.txt"]
    reads.clear()
    assert keys() == first and reads == []  # nothing read: the stats are the recorded ones
    st = os.stat(files["a.txt"])
    files["a.txt"].write_text("丙丁a.txt", encoding="utf-8")  # the same size, the old mtime back
    os.utime(files["a.txt"], ns=(st.st_atime_ns, st.st_mtime_ns))
    second = keys()
    assert reads == ["a.txt"] and second["a.txt"] != first["a.txt"] and second["b.txt"] == first["b.txt"]
    reads.clear()
    files["b.txt"].write_text("戊己b.txt", encoding="utf-8")  # changed now: its clock cannot tell a
    assert keys()["b.txt"] != first["b.txt"]  # change in the same grain, so it is read each build
    assert keys()["b.txt"] != first["b.txt"] and reads == ["b.txt", "b.txt"]
    kept = tmp_path / "cache" / KEYS_FILE
    for damaged in ("{not json", '{"format": "wgindex-source-keys/1", "keys": [1]}',
                    json.dumps({"format": "wgindex-source-keys/1",
                                "keys": {str(files["a.txt"]): ["a.txt", 1, None, 7, "x"]}})):
        kept.write_text(damaged, encoding="utf-8")
        reads.clear()
        assert keys() == second | {"b.txt": keys()["b.txt"]} and "a.txt" in reads
    files.pop("b.txt")
    keys()
    assert list(json.loads(kept.read_text(encoding="utf-8"))["keys"]) == [str(tmp_path / "a.txt")]


def test_build_exit_codes_and_strict(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    (src / "empty.txt").write_bytes(b"")
    out = tmp_path / "site"
    assert main(["build", str(src), "-o", str(out), "--ignore-cache"]) == 1
    err = capsys.readouterr().err
    assert err.count("empty.txt") == 1 and (out / "doc/001_28d5586563dc01f3/index.html").exists()
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    (src / SEED.name).write_text(SEED.read_text(encoding="utf-8").replace("乌拉圭", "乌拉圭国"), encoding="utf-8")
    assert main(["build", str(src), "-o", str(out), "--ignore-cache", "--strict"]) == 1
    assert "nothing was published" in capsys.readouterr().err
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_concurrent_build_is_refused(tmp_path, capsys):
    import fcntl
    out = tmp_path / "site"
    fh = open(tmp_path / ".site.lock", "w")
    fcntl.flock(fh, fcntl.LOCK_EX)
    try:
        assert main(["build", str(ROOT / "seeds"), "-o", str(out), "--ignore-cache"]) == 1
        assert "another wgindex build" in capsys.readouterr().err
        assert not out.exists()
    finally:
        fh.close()


def test_interrupted_build_leaves_previous_site(tmp_path):
    """A build killed mid-write leaves the old site whole (it writes aside, then swaps)."""
    import signal
    import subprocess
    import sys
    out = tmp_path / "site"
    assert main(["build", str(ROOT / "seeds"), "-o", str(out), "--ignore-cache"]) == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    code = ("import sys, time; from pathlib import Path; import wgindex.site.render as r\n"
            "orig = Path.write_bytes\n"
            "def slow(self, data):\n"
            "    time.sleep(0.01); return orig(self, data)\n"
            "Path.write_bytes = slow\n"
            "from wgindex.cli.main import main; sys.exit(main(sys.argv[1:]))\n")
    proc = subprocess.Popen([sys.executable, "-c", code, "build", str(ROOT / "seeds"), "-o", str(out),
                             "--ignore-cache"], stderr=subprocess.DEVNULL)
    time.sleep(2.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    after = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    assert after == before
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.build-")]
    # a killed build may leave its scratch folder; the next build is unaffected
    assert main(["build", str(ROOT / "seeds"), "-o", str(out), "--ignore-cache"]) == 0
    del leftovers


def test_cache_entry_of_json_with_line_breaks_reads_back(tmp_path):
    """The record's JSON is one line of the entry: JSON text spread over lines is made compact."""
    import json
    from wgindex.cache import ParseCache
    from wgindex.records import to_yaml
    cache = ParseCache(tmp_path / "cache")
    record = {"id": "x", "text": "第一行\n第二行\u2028", "n": [1, 2]}
    cache.put(SEED, "x.txt", record, (to_yaml(record), json.dumps(record, indent=1)))
    got, (yaml_text, json_text) = cache.get(SEED, "x.txt")
    assert got == record and "\n" not in json_text and json.loads(json_text) == record
