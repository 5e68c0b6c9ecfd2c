"""The citation finder, resolution, `wgindex cite`, briefing notes and CommonMark conformance."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from wgindex.cite.finder import Resolver, find_citations

ROOT = Path(__file__).resolve().parents[1]

FORMS = [
    ("CTOC/COP/WG.7/2015/6", "symbol", "CTOC/COP/WG.7/2015/6", {}),
    ("CTOC/COP/WG.7/2017/INF.1/Rev.1", "symbol", "CTOC/COP/WG.7/2017/INF.1/Rev.1", {}),
    ("CTOC/COP/WG.7/2020/INF/1/Rev.1", "symbol", "CTOC/COP/WG.7/2020/INF/1/Rev.1", {}),
    ("CTOC/COP/WG.7/2015/6，第23段", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23"]}),
    ("CTOC/COP/WG.7/2015/6, 第23段", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23"]}),
    ("CTOC/COP/WG.7/2015/6 第 23-25 段", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23", "24", "25"]}),
    ("CTOC/COP/WG.7/2015/6第23至25段", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23", "24", "25"]}),
    ("CTOC/COP/WG.7/2015/6，第23和24段", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23", "24"]}),
    ("CTOC/COP/WG.7/2018/3，第8(e)段", "paragraph", "CTOC/COP/WG.7/2018/3", {"paragraphs": ["8(e)"]}),
    ("CTOC/COP/WG.7/2018/3，第 8 (e) 段", "paragraph", "CTOC/COP/WG.7/2018/3", {"paragraphs": ["8(e)"]}),
    ("CTOC/COP/WG.7/2018/3，第8（e）段", "paragraph", "CTOC/COP/WG.7/2018/3", {"paragraphs": ["8(e)"]}),
    ("CTOC/COP/WG.7/2015/6, para. 23", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23"]}),
    ("CTOC/COP/WG.7/2015/6, paras. 23-25", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23", "24", "25"]}),
    ("CTOC/COP/WG.7/2018/3, paragraph 8 (e)", "paragraph", "CTOC/COP/WG.7/2018/3", {"paragraphs": ["8(e)"]}),
    ("paragraph 23 of CTOC/COP/WG.7/2015/6", "paragraph", "CTOC/COP/WG.7/2015/6", {"paragraphs": ["23"]}),
    ("CTOC/COP/WG.7/2019/5 三.19", "location", "CTOC/COP/WG.7/2019/5", {"location": ["三.19"]}),
    ("CTOC/COP/WG.7/2019/5 五.2.e", "location", "CTOC/COP/WG.7/2019/5", {"location": ["五.2.e"]}),
    ("CTOC/COP/WG.7/2017/5，建议 3", "recommendation", "CTOC/COP/WG.7/2017/5", {"recommendation": "3"}),
    ("CTOC/COP/WG.7/2017/5,建议3", "recommendation", "CTOC/COP/WG.7/2017/5", {"recommendation": "3"}),
    ("recommendation 3 of CTOC/COP/WG.7/2017/5", "recommendation", "CTOC/COP/WG.7/2017/5", {"recommendation": "3"}),
    ("第 7/1 号决议", "resolution", None, {"resolution": "7/1"}),
    ("第7/1号决议", "resolution", None, {"resolution": "7/1"}),
    ("resolution 7/1", "resolution", None, {"resolution": "7/1"}),
]


@pytest.mark.parametrize("text,kind,symbol,extra", FORMS)
def test_forms(text, kind, symbol, extra):
    cites = find_citations(f"见{text}。")
    assert len(cites) == 1, cites
    c = cites[0]
    assert (c.kind, c.symbol, c.text) == (kind, symbol, text)
    for k, v in extra.items():
        assert getattr(c, k) == v


@pytest.mark.parametrize("text", [
    "CTOC/COP/WG.7/2015",                                # no document number
    "https://undocs.org/CTOC/COP/WG.7/2015/6",           # inside a URL
    "XCTOC/COP/WG.7/2015/6",
    "第 7 号决议",
    "CTOC/COP/WG.7/15/6",
])
def test_near_misses(text):
    assert find_citations(text) == []


def test_spans_are_exact():
    text = "如 CTOC/COP/WG.7/2015/6，第23段所述，并见第 7/1 号决议。"
    for c in find_citations(text):
        assert text[c.start:c.end] == c.text


@pytest.fixture(scope="module")
def inventory(seed_result):
    import wgindex
    return wgindex.inventory(seed_result.records)


@pytest.mark.parametrize("text,status,url", [
    ("CTOC/COP/WG.7/2015/6，第23段", "referenced_only", "CTOC/COP/WG.7/2015/6/#para-23"),
    ("CTOC/COP/WG.7/2015/6，第99段", "no_such_paragraph", "CTOC/COP/WG.7/2015/6/#para-99"),
    ("CTOC/COP/WG.7/2018/3，第8(e)段", "referenced_only", "CTOC/COP/WG.7/2018/3/#para-8-e"),
    ("CTOC/COP/WG.7/2019/5 五.2.f", "referenced_only", "CTOC/COP/WG.7/2019/5/#loc-5-2-f"),
    ("CTOC/COP/WG.7/2022/1", "in_corpus", "CTOC/COP/WG.7/2022/1/"),
    ("CTOC/COP/WG.7/2099/1", "unknown_symbol", "CTOC/COP/WG.7/2099/1/"),
    ("第 7/1 号决议", "in_corpus", "resolutions/7-1/"),
    ("第 9/9 号决议", "unknown_resolution", "resolutions/9-9/"),
    ("CTOC/COP/WG.7/2022/1，议程项目 2", "in_corpus", "CTOC/COP/WG.7/2022/1/#item-2"),
    ("CTOC/COP/WG.7/2022/1，议程项目 1（b）", "in_corpus", "CTOC/COP/WG.7/2022/1/#item-1-b"),
    ("CTOC/COP/WG.4/2022/1, agenda item 3", "in_corpus", "CTOC/COP/WG.4/2022/1/#item-3"),
    ("CTOC/COP/WG.7/2022/1，议程项目 9", "no_such_agenda_item", "CTOC/COP/WG.7/2022/1/#item-9"),
    ("CTOC/COP/WG.7/2022/1，建议 9", "no_such_recommendation", "CTOC/COP/WG.7/2022/1/#rec-9"),
])
def test_resolution(inventory, text, status, url):
    c = Resolver(inventory).resolve(find_citations(text)[0])
    assert (c.status, c.url) == (status, url)
    assert (c.reason is None) == (status in ("in_corpus", "referenced_only"))


def test_statuses_are_one_documented_vocabulary():
    """Every status the resolver can give is in STATUSES, the README and `cite --help`."""
    import re
    import subprocess
    import sys
    from wgindex.cite import finder
    source = Path(finder.__file__).read_text(encoding="utf-8")
    given = set(re.findall(r'"((?:in_corpus|referenced_only|unknown_\w+|no_such_\w+))"', source))
    assert given == set(finder.STATUSES)
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    help_text = subprocess.run([sys.executable, "-m", "wgindex", "cite", "--help"], capture_output=True,
                               text=True).stdout
    for status in finder.STATUSES:
        assert f"`{status}`" in readme and status in help_text, status


def test_agenda_item_of_a_report_is_its_adopted_agenda_item(seed_result):
    import copy
    import wgindex
    records = copy.deepcopy(seed_result.records)
    report = next(r for r in records if r["id"] == "doc/001_28d5586563dc01f3")
    report["symbol"] = report["id"] = "CTOC/COP/WG.7/2017/5"
    res = Resolver(wgindex.inventory(records))
    c = res.resolve(find_citations("CTOC/COP/WG.7/2017/5，议程项目 3")[0])
    assert (c.kind, c.status, c.url) == ("agenda_item", "in_corpus", "CTOC/COP/WG.7/2017/5/#adopted-item-3")
    c = res.resolve(find_citations("see CTOC/COP/WG.7/2017/5, agenda item 1 (a)")[0])
    assert c.url == "CTOC/COP/WG.7/2017/5/#adopted-item-1-a" and c.text.endswith("agenda item 1 (a)")


def test_cite_takes_each_argument_as_its_own_text(site, capsys):
    from wgindex.cli.main import main
    code = main(["cite", "--site", str(site), "--json", "CTOC/COP/WG.9/2030/1", "第8(e)段"])
    err = capsys.readouterr()
    out = json.loads(err.out)
    assert code == 1  # the one citation is of an unknown document; "第8(e)段" alone cites nothing
    assert [c["text"] for c in out] == ["CTOC/COP/WG.9/2030/1"] and out[0]["paragraphs"] == []
    assert "no citation in '第8(e)段'" in err.err
    assert main(["cite", "--site", str(site), "CTOC/COP/WG.7/2015/6，第23段", "CTOC/COP/WG.7/2022/1，议程项目 2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    url, status = lines[1].split("\t")[1:3]
    assert len(lines) == 2 and url.endswith("CTOC/COP/WG.7/2022/1/index.html#item-2") and status == "in_corpus"


def test_cite_command(site, capsys):
    from wgindex.cli.main import main
    code = main(["cite", "--site", str(site), "--base-url", "https://example.org/wg",
                 "--json", "CTOC/COP/WG.7/2015/6，第23段"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert out[0]["url"] == "https://example.org/wg/CTOC/COP/WG.7/2015/6/#para-23"
    assert out[0]["status"] == "referenced_only"
    assert main(["cite", "--site", str(site), "CTOC/COP/WG.7/2099/1"]) == 1
    assert main(["cite", "--site", str(site), "no citation here"]) == 1
    assert main(["cite", "--site", str(site / "nowhere"), "CTOC/COP/WG.7/2015/6"]) == 1
    assert "run 'wgindex build' first" in capsys.readouterr().err


NOTES = sorted((Path(__file__).parent / "notes").glob("*.md"))


@pytest.mark.parametrize("note", NOTES, ids=[n.stem for n in NOTES])
def test_note_fixtures(note, inventory):
    """tests/notes/X.md rendered with --fragment --base-url https://wg.example/ equals X.html.
    Regenerate after reviewing a change: python tests/regen.py notes"""
    from wgindex.cite.note import render_note
    result = render_note(note.read_text(encoding="utf-8"), Resolver(inventory, "https://wg.example/"))
    assert result.html == note.with_suffix(".html").read_text(encoding="utf-8")


def test_note_command_warns_with_line_numbers(site, tmp_path, capsys):
    from wgindex.cli.main import main
    note = tmp_path / "note.md"
    note.write_text("# 简报\n\n第一段 CTOC/COP/WG.7/2015/6，第23段。\n第二行 CTOC/COP/WG.7/2015/6，第99段。\n\n"
                    "`CTOC/COP/WG.7/2099/1` 在代码中。\n", encoding="utf-8")
    out = tmp_path / "note.html"
    assert main(["note", str(note), "-o", str(out), "--site", str(site)]) == 0
    err = capsys.readouterr().err
    assert f"{note}:4: WARNING: CTOC/COP/WG.7/2015/6，第99段" in err
    assert "2099" not in err  # code spans are left alone
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and '<html lang="zh-Hans">' in html
    rel = Path(str(site)).resolve()
    assert 'href="' in html and "CTOC/COP/WG.7/2015/6/index.html#para-23" in html
    assert (out.parent / html.split('href="')[1].split("#")[0]).resolve().is_file()
    assert main(["note", str(note), "--strict", "--fragment", "--site", str(site)]) == 1
    assert ":4: ERROR:" in capsys.readouterr().err
    del rel


def test_note_links_follow_the_corpus(tmp_path, seed_result):
    """A note citing a report not yet in the corpus links to its referenced-only anchor; after
    the report is added, the same note links to the real paragraph (same URL)."""
    from wgindex.collect import parse_sources
    from wgindex.cite.note import render_note
    import wgindex
    text = "见 CTOC/COP/WG.7/2015/6，第5段。\n"
    before = render_note(text, Resolver(wgindex.inventory(seed_result.records), "https://wg/"))
    assert before.citations[0][1].status == "referenced_only"
    src = tmp_path / "src"
    shutil.copytree(ROOT / "seeds", src)
    shutil.copy(src / "001_28d5586563dc01f3.txt", src / "report-2015.txt")
    (src / "report-2015.txt.meta.yaml").write_text("symbol: CTOC/COP/WG.7/2015/6\n", encoding="utf-8")
    records = parse_sources([src], jobs=1).records
    after = render_note(text, Resolver(wgindex.inventory(records), "https://wg/"))
    assert after.citations[0][1].status == "in_corpus"
    assert after.html == before.html.replace("referenced_only", "in_corpus")


def _commonmark_examples():
    spec = ROOT / "node_modules" / "commonmark-spec" / "spec.txt"
    if not spec.exists():
        return []
    text = spec.read_text(encoding="utf-8").replace("\r\n", "\n")
    text = re.split(r"^<!-- END TESTS -->", text, flags=re.M)[0]
    pat = re.compile(r"^`{32} example\n([\s\S]*?)^\.\n([\s\S]*?)^`{32}$", re.M)
    return [m.group(1).replace("→", "\t") for m in pat.finditer(text)]


def test_commonmark_conformance(inventory):
    """For every CommonMark example, the note renderer gives exactly markdown-it-py's output
    (with GFM tables and strikethrough): the citation rule changes nothing else.  (node_modules is installed by
    scripts/test.sh from package.json.)"""
    from markdown_it import MarkdownIt
    from wgindex.cite.note import render_note
    examples = _commonmark_examples()
    assert len(examples) == 652, "run `npm ci` (scripts/test.sh does) to get commonmark-spec"
    plain = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    resolver = Resolver(inventory, "https://wg.example/")
    diffs = [i for i, md in enumerate(examples, 1)
             if render_note(md, resolver, allow_html=True).html != plain.render(md)]
    assert diffs == []
    # by default raw HTML is escaped: the same as markdown-it with html off
    safe = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"])
    diffs = [i for i, md in enumerate(examples, 1) if render_note(md, resolver).html != safe.render(md)]
    assert diffs == []


def test_note_strict_writes_nothing_and_base_url_comes_from_the_site(tmp_path, seed_result, capsys):
    import wgindex
    from wgindex.cli.main import main
    from wgindex.site.write import write_site
    note = tmp_path / "note.md"
    note.write_text("# 简报\n\n见 CTOC/COP/WG.7/2015/6，第23段。\n", encoding="utf-8")
    plain = tmp_path / "plain"
    write_site(wgindex.render(seed_result.records).files, plain)
    out = tmp_path / "out" / "note.html"
    out.parent.mkdir()
    assert main(["note", str(note), "-o", str(out), "--site", str(plain)]) == 0
    err = capsys.readouterr().err
    assert "WARNING: no base URL known" in err and "--base-url" in err
    html = out.read_text(encoding="utf-8")
    assert 'href="../plain/CTOC/COP/WG.7/2015/6/index.html#para-23"' in html
    # a site built with a base URL gives absolute links without being told again
    public = tmp_path / "public"
    write_site(wgindex.render(seed_result.records, base_url="https://wg.example/").files, public)
    assert main(["note", str(note), "-o", str(out), "--site", str(public)]) == 0
    assert "no base URL" not in capsys.readouterr().err
    html = out.read_text(encoding="utf-8")
    assert 'href="https://wg.example/CTOC/COP/WG.7/2015/6/#para-23"' in html
    # printed, the links are listed at the end
    assert '<section class="link-list"' in html and "<li>https://wg.example/CTOC/COP/WG.7/2015/6/#para-23</li>" in html
    assert "@media print" in html and "counter(link)" in html
    # --strict with an unresolved citation: an error, and the old output is left alone
    note.write_text("见 CTOC/COP/WG.7/2015/6，第99段。\n", encoding="utf-8")
    before = out.read_bytes()
    assert main(["note", str(note), "-o", str(out), "--site", str(public), "--strict"]) == 1
    err = capsys.readouterr().err
    assert f"{note}:1: ERROR: CTOC/COP/WG.7/2015/6，第99段" in err and "nothing written" in err
    assert out.read_bytes() == before
