"""CLI documentation cannot drift; text-dump furniture; sidecars supply metadata."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wgindex.cli.main import build_parser, main
from wgindex.parse.document import parse_path

ROOT = Path(__file__).resolve().parents[1]
COMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)


def test_commands():
    assert COMMANDS == ["build", "check", "cite", "note", "parse", "render", "serve"]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_is_documented_and_has_help(command, capsys):
    assert f"`wgindex {command}" in (ROOT / "README.md").read_text(encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        main([command, "--help"])
    assert exc.value.code == 0
    assert "usage: wgindex " + command in capsys.readouterr().out


def test_furniture_inside_a_text_dump_is_dropped(tmp_path):
    """Job numbers, barcodes, page numbers and the running symbol standing on lines of their
    own in a .txt — even inside a paragraph — are dropped, and the paragraph is whole."""
    src = (ROOT / "seeds" / "003_1cd5f2748af19e84.txt").read_text(encoding="utf-8").splitlines()
    i = next(k for k, line in enumerate(src) if line.startswith("号决议，设立了"))
    dump = src[:i] + ["", "V.20-04567 (C)", "*2004567*", "", "3", "", "CTOC/COP/WG.7/2020/L.1", ""] + src[i:]
    dump = ["CTOC/COP/WG.7/2020/L.1"] + dump
    (tmp_path / "dump.txt").write_text("\n".join(dump), encoding="utf-8")
    r = parse_path(tmp_path / "dump.txt")
    seed = parse_path(ROOT / "seeds" / "003_1cd5f2748af19e84.txt")
    assert [p["text"] for p in r["paragraphs"]] == [p["text"] for p in seed["paragraphs"]]
    assert r["symbol"] == "CTOC/COP/WG.7/2020/L.1" and r["symbol_source"] == "printed"


def test_paragraph_number_glued_to_its_text(tmp_path):
    text = (ROOT / "seeds" / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
    text = text.replace("13. 《联合国", "13.《联合国")
    (tmp_path / "r.txt").write_text(text, encoding="utf-8")
    r = parse_path(tmp_path / "r.txt")
    p13 = r["paragraphs"][12]
    assert p13["number"] == "13" and p13["text"].startswith("《联合国")


def test_sidecar_supplies_and_overrides_metadata(tmp_path):
    shutil.copy(ROOT / "seeds" / "003_1cd5f2748af19e84.txt", tmp_path / "r.txt")
    (tmp_path / "r.txt.meta.yaml").write_text(
        "symbol: CTOC/COP/WG.7/2020/4\nissue_date: 2020-09-09\ndistribution: Limited\n"
        "meeting: {venue: 维也纳（混合形式）}\n", encoding="utf-8")
    r = parse_path(tmp_path / "r.txt")
    assert (r["id"], r["symbol"], r["symbol_source"]) == ("CTOC/COP/WG.7/2020/4",) * 2 + ("sidecar",)
    assert str(r["issue_date"]) == "2020-09-09" and r["distribution"] == "Limited"
    assert r["meeting"]["venue"] == "维也纳（混合形式）" and r["meeting"]["number"] == 7
    assert len(r["paragraphs"]) == 27


def test_check_reports_errors_with_exit_status(tmp_path, capsys):
    shutil.copy(ROOT / "seeds" / "000_a77c370a0a5c2167.txt", tmp_path / "a.txt")
    (tmp_path / "b.txt").write_bytes(b"")
    assert main(["check", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "b.txt: ERROR: file is empty" in out


def test_sidecar_corrections_fix_the_text_and_say_so(tmp_path):
    """A correction kept in the sidecar fixes a source discrepancy; one that matches nothing
    is a warning naming the sidecar."""
    shutil.copy(ROOT / "seeds" / "004_cb61566b71eee516.txt", tmp_path / "i.txt")
    (tmp_path / "i.txt.meta.yaml").write_text(
        "corrections:\n"
        "  - {find: '一.3 和一.46', replace: '一.38 和一.46', line: 154}\n"
        "  - {find: 'no such text', replace: 'x'}\n", encoding="utf-8")
    r = parse_path(tmp_path / "i.txt")
    assert len(r["discrepancies"]) == 4
    assert not any(d["topic"] == "联合调查小组" for d in r["discrepancies"])
    assert [c["applied"] for c in r["corrections"]] == [1, 0]
    assert any("i.txt.meta.yaml" in w["source"]["file"] and "not applied" in w["message"]
               for w in r["warnings"])


def test_bad_corrections_are_rejected(tmp_path):
    from wgindex.errors import SidecarError
    shutil.copy(ROOT / "seeds" / "004_cb61566b71eee516.txt", tmp_path / "i.txt")
    (tmp_path / "i.txt.meta.yaml").write_text("corrections: [{find: '', replace: x}]\n", encoding="utf-8")
    with pytest.raises(SidecarError, match="correction 1"):
        parse_path(tmp_path / "i.txt")


def _lines(texts: list[str], page: int = 1):
    from wgindex.text.model import Line, Source
    return [Line(t, Source("x.pdf", page, k)) for k, t in enumerate(texts, 1)]


def test_a_line_no_cjk_line_may_begin_with_continues_the_line_above():
    """``、联合国难`` cannot begin a line of Chinese (kinsoku): it was wrapped there, even when
    the line above ends in a closing bracket and a blank stands between them."""
    from wgindex.text.layout import join_lines
    prose = ["工作组第一次会议于维也纳举行，审议了各项议程项目并通过了报告。"] * 9
    lines = _lines(prose + ["", "（国际刑警组织）、地中海议会大会、联合国儿童基金会（儿基会）", "",
                            "、联合国难民事务高级专员。", ""] + prose)
    texts = [b.text for b in join_lines(lines, 30)]
    assert "（国际刑警组织）、地中海议会大会、联合国儿童基金会（儿基会）、联合国难民事务高级专员。" in texts


def test_blanks_that_cut_sentences_on_every_page_are_no_paragraph_gaps():
    """A dump double-spaced line by line and set again narrower: most blank-separated runs stop
    mid-sentence, so there the blanks say nothing and a paragraph runs to its sentence's end.
    The same text with its blanks after sentences keeps them as paragraph gaps."""
    from wgindex.text.layout import join_lines
    cut = []
    for k in range(8):
        cut += [f"{k + 1}. 依照联合国打击跨国有组织犯罪公约缔约方会议第五届会议通过的", "第 5/3", "",
                "号决议，设立了偷运移民问题不限成员名额政府间临时工作组，为缔", "约方会议", "",
                "提供建议和协助。", ""]
    texts = [b.text for b in join_lines(_lines(cut), 32)]
    assert texts[0] == ("1. 依照联合国打击跨国有组织犯罪公约缔约方会议第五届会议通过的第 5/3"
                        "号决议，设立了偷运移民问题不限成员名额政府间临时工作组，为缔约方会议提供建议和协助。")
    assert len(texts) == 8
    gapped = []
    for k in range(8):
        gapped += [f"{k + 1}. 依照联合国打击跨国有组织犯罪公约缔约方会议第五届会议通过的", "第 5/3 号决议。",
                   "", "工作组审议了各项议程项目", ""]
    texts = [b.text for b in join_lines(_lines(gapped), 32)]
    assert "工作组审议了各项议程项目" in texts  # a heading between paragraphs stays one


def test_parse_command_on_both_cores_reads_good_files_beside_a_bad_one(tmp_path):
    """``wgindex parse`` parses as a build does (a process pool, default jobs): a broken PDF
    among good files is that file's error; the others come out, in file-name order."""
    import json
    import subprocess
    import sys

    from pdfmake import seed_pdf
    seeds = Path(__file__).resolve().parents[1] / "seeds"
    shutil.copy(seeds / "001_28d5586563dc01f3.txt", tmp_path / "b.txt")
    seed_pdf(seeds / "002_cdd5c65759a59d46.txt", tmp_path / "a.pdf")
    (tmp_path / "c.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    out = subprocess.run([sys.executable, "-m", "wgindex", "parse", "a.pdf", "b.txt", "c.pdf", "--json"],
                         cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert out.returncode == 1, out.stderr
    assert "Traceback" not in out.stderr and "c.pdf" in out.stderr
    records = json.loads(out.stdout)
    assert [r["source"]["file"] for r in records] == ["a.pdf", "b.txt"]


def test_command_output_to_a_pipe_closed_early():
    """``wgindex`` ends without freeing what it made (``cli.run``): its output is flushed first,
    and a reader that stops early (``| head``) gets no traceback and no error message."""
    import subprocess
    import sys

    seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.txt"))
    cmd = [sys.executable, "-m", "wgindex", "parse", *seeds]
    whole = subprocess.run(cmd, cwd=ROOT / "seeds", capture_output=True, timeout=300)
    # more than a pipe holds (64 KiB on Linux), so the writer meets the closed end
    assert whole.returncode == 0 and whole.stdout.endswith(b"\n") and len(whole.stdout) > 2 ** 17
    proc = subprocess.Popen(cmd, cwd=ROOT / "seeds",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout.read(100) == whole.stdout[:100]
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=300) == 0
    assert err == b"", err


def test_build_left_for_the_end_only_when_asked(tmp_path):
    """``wgindex build`` leaves what it made for the process's end (``free=False``); a library
    call frees it on return, and frees what an earlier call left."""
    import gc
    import weakref

    from wgindex import api

    shutil.copy(ROOT / "seeds" / "001_28d5586563dc01f3.txt", tmp_path / "b.txt")
    kw = {"cache_dir": tmp_path / "cache", "jobs": 1}
    assert main(["build", str(tmp_path / "b.txt"), "-o", str(tmp_path / "site"), "--cache-dir",
                 str(tmp_path / "cache"), "--jobs", "1"]) == 0
    left = [weakref.ref(x) for x in api._LEFT]
    assert len(left) == 2 and all(r() is not None for r in left)
    (tmp_path / "b.txt").write_text((tmp_path / "b.txt").read_text(encoding="utf-8") + "\n另一段。\n",
                                    encoding="utf-8")
    assert api.build([tmp_path / "b.txt"], tmp_path / "site", **kw).code == 0
    gc.collect()
    assert api._LEFT == [] and all(r() is None for r in left)
