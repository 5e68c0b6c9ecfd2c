"""The rendered site: links and anchors resolve, pages exist with the expected counts, output
is deterministic, and nothing refers outside the site."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from sitecheck import check_site, parse_page

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def checked(site):
    return check_site(site)


def text_of(site: Path, rel: str) -> str:
    return "".join(parse_page(site / rel).text)


def test_every_link_and_anchor_resolves(checked):
    assert checked["checked"] > 2000
    assert checked["problems"] == []


def test_no_external_requests(checked):
    assert checked["external"] == []


def test_pages_exist(site):
    for rel in ["index.html", "meetings/index.html", "meetings/WG.7/4/index.html",
                "meetings/WG.7/1/index.html", "meetings/WG.4/12/index.html",
                "recommendations/index.html", "topics/index.html", "states/index.html",
                "discrepancies/index.html", "search/index.html", "resolutions/7-1/index.html",
                "CTOC/COP/WG.7/2022/1/index.html", "CTOC/COP/WG.4/2022/1/index.html",
                "doc/001_28d5586563dc01f3/index.html", "doc/003_1cd5f2748af19e84/index.html",
                "doc/004_cb61566b71eee516/index.html", "CTOC/COP/WG.7/2015/6/index.html",
                "CTOC/COP/WG.7/2019/5/index.html", "CTOC/COP/WG.7/2017/INF.1/Rev.1/index.html",
                "CTOC/COP/WG.7/2020/INF/1/Rev.1/index.html",
                "doc/001_28d5586563dc01f3/record.yaml", "doc/001_28d5586563dc01f3/record.json",
                "data/recommendations.csv", "data/topic-index.csv", "data/corpus.json",
                "inventory.json", "topics/dui-bei-tou-yun-yi-min-de-xie-zhu/index.html"]:
        assert (site / rel).is_file(), rel


def test_expected_counts(site, seed_corpus):
    meeting = parse_page(site / "meetings/WG.7/4/index.html")
    assert "建议（8）" in "".join(meeting.text)
    assert sum(1 for i in meeting.ids if i.startswith("item-")) >= 6
    topics = list((site / "topics").glob("*/index.html"))
    assert len([t for t in seed_corpus.topics.values() if t.rows]) == 78
    assert len(topics) == len(seed_corpus.topics)  # 78 topics plus their parent nodes
    disc = (site / "discrepancies/index.html").read_text(encoding="utf-8")
    assert disc.count("<tr>") == 1 + 5
    report = text_of(site, "doc/001_28d5586563dc01f3/index.html")
    assert "缔约国（60）" in report
    assert (site / "data/recommendations.csv").read_text(encoding="utf-8").count("\n") == 1 + 8
    assert (site / "data/topic-index.csv").read_text(encoding="utf-8").count("\n") == 1 + 180


def test_referenced_only_paragraph_lists_its_topics(site):
    page = parse_page(site / "CTOC/COP/WG.7/2015/6/index.html")
    assert "para-23" in page.ids
    html = (site / "CTOC/COP/WG.7/2015/6/index.html").read_text(encoding="utf-8")
    block = html[html.index('id="para-23"'):]
    block = block[:block.index("</div>")]
    for topic in ("对被偷运移民的协助", "儿童，普通", "儿童，最高利益", "儿童，无陪伴/独行儿童"):
        assert topic in block
    comp = parse_page(site / "CTOC/COP/WG.7/2019/5/index.html")
    assert {"loc-3-19", "loc-5-2-f", "loc-1-21"} <= set(comp.ids)


def test_anchor_forms(site):
    ids = set(parse_page(site / "CTOC/COP/WG.7/2022/1/index.html").ids)
    assert {"item-1", "item-1-a", "item-1-b", "item-6", "fn-1", "fn-2"} <= ids
    ids = set(parse_page(site / "doc/001_28d5586563dc01f3/index.html").ids)
    assert {"para-1", "para-21", "rec-1", "rec-8", "para-20-a", "para-20-d"} <= ids
    ids = set(parse_page(site / "CTOC/COP/WG.7/2018/3/index.html").ids)
    assert {"para-8-e", "para-7-d", "para-10-a"} <= ids


def test_copy_citation_controls(site):
    html = (site / "doc/001_28d5586563dc01f3/index.html").read_text(encoding="utf-8")
    assert 'data-cite="偷运移民问题工作组第四次会议报告草稿，第12段"' in html
    assert 'data-cite="偷运移民问题工作组第四次会议报告草稿，建议 3"' in html
    html = (site / "CTOC/COP/WG.7/2022/1/index.html").read_text(encoding="utf-8")
    assert 'data-cite="CTOC/COP/WG.7/2022/1，议程项目 2"' in html


def test_text_is_cross_linked(site):
    html = (site / "doc/001_28d5586563dc01f3/index.html").read_text(encoding="utf-8")
    assert 'href="../../resolutions/7-1/index.html"' in html
    assert 'href="../../CTOC/COP/WG.7/2017/1/index.html"' in html
    assert 'href="../../meetings/WG.7/4/index.html#item-2"' in html  # 议程项目 2
    assert 'href="../../states/' in html


def test_downloads_are_the_records(site, seed_records):
    from wgindex.records import from_yaml, jsonable
    r = seed_records["001_28d5586563dc01f3.txt"]
    assert from_yaml((site / "doc/001_28d5586563dc01f3/record.yaml").read_text(encoding="utf-8")) == r
    assert json.loads((site / "doc/001_28d5586563dc01f3/record.json").read_text(encoding="utf-8")) == jsonable(r)


def test_inventory_is_sorted_and_complete(site):
    inv = json.loads((site / "inventory.json").read_text(encoding="utf-8"))
    urls = {t["url"] for t in inv["targets"]}
    assert "CTOC/COP/WG.7/2015/6/#para-23" in urls
    assert "CTOC/COP/WG.7/2019/5/#loc-5-2-f" in urls
    assert "doc/001_28d5586563dc01f3/#rec-3" in urls
    t = next(t for t in inv["targets"] if t["url"] == "CTOC/COP/WG.7/2015/6/#para-23")
    assert t["in_corpus"] is False and t["kind"] == "paragraph"
    assert inv["resolutions"] == ["5/3", "5/5", "7/1", "8/2", "10/3"]


def test_two_builds_are_byte_identical(site, seed_result, tmp_path):
    import wgindex
    files = wgindex.render(seed_result.records).files
    from wgindex.site.write import MARKER
    on_disk = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*")
               if p.is_file() and p.name != MARKER}
    assert on_disk == files


def test_render_from_records_alone(site, tmp_path):
    """`wgindex render` on the record.yaml files of a built site gives the same site."""
    from wgindex.cli.main import main
    out = tmp_path / "again"
    assert main(["render", str(site), "-o", str(out)]) == 0
    for rel in ("index.html", "doc/001_28d5586563dc01f3/index.html", "topics/index.html",
                "search/meta.json", "inventory.json"):
        assert (out / rel).read_bytes() == (site / rel).read_bytes(), rel


def test_failed_build_keeps_previous_site(tmp_path, seed_result, monkeypatch):
    from wgindex.site import write as render
    out = tmp_path / "site"
    render.write_site({"index.html": b"old"}, out)
    original = render._write_bytes
    calls = {"n": 0}

    def flaky(path, data):
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError("disk full")
        return original(path, data)
    monkeypatch.setattr(render, "_write_bytes", flaky)
    from wgindex.errors import WgindexError
    with pytest.raises(WgindexError, match="disk full"):
        render.write_site({"index.html": b"new", "a.html": b"a", "b.html": b"b"}, out)
    assert calls["n"] == 2
    monkeypatch.setattr(render, "_write_bytes", original)
    assert (out / "index.html").read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["site"]


def test_unchanged_files_keep_their_mtime(tmp_path):
    from wgindex.site.write import write_site
    out = tmp_path / "site"
    write_site({"a.html": b"same", "b.html": b"one"}, out)
    old = 1_000_000_000
    os.utime(out / "a.html", (old, old))
    os.utime(out / "b.html", (old, old))
    stats = write_site({"a.html": b"same", "b.html": b"two"}, out)
    assert stats == {"written": 1, "unchanged": 1}
    assert (out / "a.html").stat().st_mtime == old
    assert (out / "b.html").stat().st_mtime != old


def test_parallel_render_is_identical(seed_result):
    from wgindex.site.lookups import SiteData
    from wgindex.site.render import all_pages, render_site
    one = render_site(seed_result.records, processes=1).files
    two = render_site(seed_result.records, serialized=seed_result.serialized, processes=2).files
    assert len(all_pages(SiteData(seed_result.records))) > 200  # the parallel path is taken
    assert list(one) == list(two) and one == two


def _copy_seeds(dst: Path) -> Path:
    shutil.copytree(ROOT / "seeds", dst)
    return dst


def test_rebuild_without_changes_renders_nothing(tmp_path, capsys):
    from wgindex.cli.main import main
    src = _copy_seeds(tmp_path / "src")
    args = ["build", str(src), "-o", str(tmp_path / "site"), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    assert "(0 from cache)" in capsys.readouterr().err
    assert main(args) == 0
    assert "is up to date" in capsys.readouterr().err
    (src / "001_28d5586563dc01f3.txt.meta.yaml").write_text("symbol: CTOC/COP/WG.7/2017/5\n")
    assert main(args) == 0
    err = capsys.readouterr().err
    assert "(4 from cache)" in err and (tmp_path / "site/CTOC/COP/WG.7/2017/5/index.html").exists()


def _tree(root: Path) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("change", ["add", "edit", "remove", "sidecar"])
def test_incremental_build_equals_full_build(tmp_path, change, capsys):
    """Pages taken from the previous site by the render memo are exactly what a full build
    makes: after adding, editing or removing a document, or adding a sidecar."""
    from wgindex.cli.main import main
    src = _copy_seeds(tmp_path / "src")
    inc = ["build", str(src), "-o", str(tmp_path / "inc"), "--cache-dir", str(tmp_path / "c")]
    assert main(inc) == 0
    report = (ROOT / "seeds" / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
    if change == "add":
        (src / "new.txt").write_text(report.replace("乌拉圭。", "乌拉圭、新国家。"), encoding="utf-8")
    elif change == "edit":
        (src / "003_1cd5f2748af19e84.txt").write_text(
            (src / "003_1cd5f2748af19e84.txt").read_text(encoding="utf-8").replace("马耳他主权教团", "马耳他骑士团"),
            encoding="utf-8")
    elif change == "remove":
        (src / "000_a77c370a0a5c2167.txt").unlink()
    else:
        (src / "001_28d5586563dc01f3.txt.meta.yaml").write_text("symbol: CTOC/COP/WG.7/2017/5\n")
    assert main(inc) == 0
    err = capsys.readouterr().err
    assert "files written" in err
    full = ["build", str(src), "-o", str(tmp_path / "full"), "--ignore-cache"]
    assert main(full) == 0
    assert _tree(tmp_path / "inc") == _tree(tmp_path / "full")


@pytest.mark.parametrize("page", ["index.html", "meetings/WG.7/4/index.html",
                                  "doc/001_28d5586563dc01f3/index.html", "CTOC/COP/WG.7/2022/1/index.html",
                                  "topics/dui-bei-tou-yun-yi-min-de-xie-zhu/index.html",
                                  "CTOC/COP/WG.7/2015/6/index.html"])
def test_golden_page_structure(site, page):
    """Headings and anchors of key pages equal tests/golden/*.json.
    Regenerate after reviewing a change: python tests/regen.py site"""
    from regen import page_structure
    golden = Path(__file__).parent / "golden" / (page.replace("/", "__").replace(".html", ".json"))
    assert page_structure((site / page).read_text(encoding="utf-8")) == \
        json.loads(golden.read_text(encoding="utf-8"))


def test_incremental_build_equals_full_build_when_a_template_reads_more(tmp_path, capsys, monkeypatch):
    """The experiment that found stale pages in the old render memo: a template that reads
    more of the corpus than before (state pages print the title of each report they cite),
    then a sidecar that changes one report's title.  The incremental build must show the new
    title on every state page, exactly as a full build does."""
    from wgindex.cli.main import main
    from wgindex.site.templates import template_dir
    templates = tmp_path / "templates"
    shutil.copytree(template_dir(), templates)
    state = templates / "state.html"
    text = state.read_text(encoding="utf-8")
    assert "第{{ a.paragraph }}段</a>" in text
    state.write_text(text.replace("第{{ a.paragraph }}段</a>", "第{{ a.paragraph }}段</a> {{ doc(a.doc).title }}"),
                     encoding="utf-8")
    monkeypatch.setenv("WGINDEX_TEMPLATES", str(templates))
    src = _copy_seeds(tmp_path / "src")
    inc = ["build", str(src), "-o", str(tmp_path / "inc"), "--cache-dir", str(tmp_path / "c")]
    assert main(inc) == 0
    (src / "001_28d5586563dc01f3.txt.meta.yaml").write_text("title: 改过的报告标题\n", encoding="utf-8")
    assert main(inc) == 0
    assert "reused" in capsys.readouterr().err
    full = ["build", str(src), "-o", str(tmp_path / "full"), "--ignore-cache"]
    assert main(full) == 0
    showing = [p for p in (tmp_path / "inc" / "states").rglob("index.html")
               if "改过的报告标题" in p.read_text(encoding="utf-8")]
    assert len(showing) > 50
    assert _tree(tmp_path / "inc") == _tree(tmp_path / "full")


def test_incremental_build_reuses_pages_a_change_does_not_touch(tmp_path, capsys):
    """Correct is not enough: a change to one document re-renders a small part of the site."""
    import re
    from wgindex.cli.main import main
    src = _copy_seeds(tmp_path / "src")
    args = ["build", str(src), "-o", str(tmp_path / "site"), "--cache-dir", str(tmp_path / "c")]
    assert main(args) == 0
    capsys.readouterr()
    f = src / "003_1cd5f2748af19e84.txt"
    f.write_text(f.read_text(encoding="utf-8").replace("马耳他主权教团", "马耳他骑士团"), encoding="utf-8")
    assert main(args) == 0
    m = re.search(r"(\d+) pages \((\d+) reused\)", capsys.readouterr().err)
    pages, reused = int(m.group(1)), int(m.group(2))
    assert reused > pages * 0.8, (pages, reused)


def test_official_document_links_are_marked_links_not_requests(site):
    """Every symbol page links to undocs.org in both languages, marked external; nothing else
    of the site points outside (test_no_external_requests)."""
    p = parse_page(site / "CTOC/COP/WG.7/2022/1/index.html")
    assert p.outbound == ["https://undocs.org/zh/CTOC/COP/WG.7/2022/1", "https://undocs.org/CTOC/COP/WG.7/2022/1"]
    referenced = parse_page(site / "CTOC/COP/WG.7/2015/6/index.html")
    assert "https://undocs.org/zh/CTOC/COP/WG.7/2015/6" in referenced.outbound
    assert parse_page(site / "doc/001_28d5586563dc01f3/index.html").outbound == []  # no symbol, no link


def _link_texts(html: str) -> list[str]:
    import re
    return [re.sub(r"<[^>]+>", "", t).strip() for t in re.findall(r"<a [^>]*>(.*?)</a>", html, re.S)]


def test_no_internal_id_or_maintainer_text_on_public_pages(site):
    """Documents are named by symbol or by group, meeting and kind; never doc/<stem>."""
    for page in site.rglob("index.html"):
        html = page.read_text(encoding="utf-8")
        bad = [t for t in _link_texts(html) if t.startswith("doc/")]
        assert not bad, (page, bad[:3])
        assert "附注文件" not in html and "meta.yaml" not in html, page
    doc = (site / "doc/001_28d5586563dc01f3/index.html").read_text(encoding="utf-8")
    assert "偷运移民问题工作组第四次会议报告草稿" in doc
    assert "<dd>限制分发</dd>" in doc or "一般分发" in doc
    assert "Chinese" not in doc.split("<details")[0].split("<dl")[1]
    assert '<details class="provenance">' in doc


def test_every_page_has_a_title_and_every_folder_an_index(site):
    import re
    for page in site.rglob("*.html"):
        m = re.search(r"<title>(.*?)</title>", page.read_text(encoding="utf-8"))
        assert m and m.group(1).strip() and m.group(1) != "wgindex · wgindex", page
    for folder in [site] + [p for p in site.rglob("*") if p.is_dir()]:
        assert (folder / "index.html").exists(), folder
    assert (site / "static" / "favicon.svg").exists()
    assert 'rel="icon"' in (site / "index.html").read_text(encoding="utf-8")


def test_documents_page_lists_every_document_and_the_downloads(site, seed_result, seed_corpus):
    html = (site / "documents/index.html").read_text(encoding="utf-8")
    for r in seed_result.records:
        assert f'href="../{r["symbol"] or r["id"]}/index.html"' in html
    referenced = [s for s, ref in seed_corpus.symbols.items() if not ref.in_corpus]
    assert all(f">{s}</a>" in html for s in referenced)
    assert "data/recommendations.csv" in html and "data/topic-index.csv" in html
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="documents/index.html"><strong>5</strong> 份文件' in home
    res = (site / "resolutions/index.html").read_text(encoding="utf-8")
    assert "第 7/1 号决议" in res


def test_topic_grid_cells_are_links_with_enough_contrast(site):
    """Every non-empty cell of the topics × reports grid links to its topic, in one of five
    solid colour steps whose text contrast is at least 4.5:1 (computed here from the CSS)."""
    import re
    html = (site / "topics/index.html").read_text(encoding="utf-8")
    cells = re.findall(r'<td class="on h(\d)"><a href="([^"]+)"[^>]*>(\d+)</a></td>', html)
    assert cells and all(re.fullmatch(r"\.\./topics/[a-z0-9-]+/index\.html#report-[A-Za-z0-9.-]+", href)
                         for _, href, _ in cells)
    # each cell opens at its report's first row on the topic page: the anchor is there
    for _, href, _ in cells[:40]:
        page, anchor = href[3:].split("#")
        assert f'id="{anchor}"' in (site / page).read_text(encoding="utf-8"), href
    assert not re.search(r"<td[^>]*>\d+</td>", html)  # no number without a link
    css = (site / "static/style.css").read_text(encoding="utf-8")

    def lum(h):
        r, g, b = [int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        f = lambda c: c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4  # noqa: E731
        return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)
    for level in {lvl for lvl, _, _ in cells}:
        bg, fg = re.search(rf"td\.h{level} {{ background: (#[0-9a-f]{{6}}); color: (#[0-9a-f]{{3,6}}); }}", css).groups()
        fg = "#ffffff" if fg == "#fff" else fg
        hi, lo = sorted([lum(bg), lum(fg)], reverse=True)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (level, bg, fg)


def test_footnotes_are_numbered_once_and_their_marks_link_to_them(site):
    html = (site / "CTOC/COP/WG.7/2022/1/index.html").read_text(encoding="utf-8")
    notes = html.split('<section class="footnotes"')[1]
    assert '<ul class="notes">' in notes and "<ol>" not in notes.split("</section>")[0]
    assert '<a class="fn" href="#fn-1">¹</a>' in html
    assert 'id="fn-1"' in notes


def test_states_and_organisations_and_topics_are_sorted_by_pinyin(site, seed_corpus):
    states = (site / "states/index.html").read_text(encoding="utf-8")
    lists = states.split("<h2>组织和实体</h2>")
    assert "欧洲联盟</a>" in lists[1].split("</ul>")[0] and "欧洲联盟</a>" not in lists[0]
    topics = (site / "topics/index.html").read_text(encoding="utf-8").split('<ul class="tree">')[1].split("</ul>\n<section")[0]
    import re
    roots = re.findall(r'^<li><a href="[^"]+">([^<]+)</a>', topics, re.M)
    slugs = [seed_corpus.topic_slugs[r] for r in roots]
    assert slugs == sorted(slugs) and len(roots) > 10
    meeting = (site / "meetings/WG.7/4/index.html").read_text(encoding="utf-8")
    assert "秘书处：秘书处" not in meeting


def test_index_table_shows_a_printed_value_only_where_it_differs(site, seed_records):
    """The index table shows the printed cell beside its reading only when they differ by more
    than the spaces a line wrap left (贩 运人口 is 贩运人口)."""
    html = (site / "doc/004_cb61566b71eee516/index.html").read_text(encoding="utf-8")
    rows = seed_records["004_cb61566b71eee516.txt"]["index_rows"]
    wrapped = [r for r in rows if r["topic_raw"] and r["topic_raw"] != r["topic"]
               and "".join(r["topic_raw"].split()) == "".join(r["topic"].split())]
    for r in wrapped:
        assert f"原文：{r['topic_raw']}<" not in html
    same = [r for r in rows if "".join(r["paragraphs_raw"].split()) == "、".join(r["paragraphs"])]
    assert same and all(f"原文：{r['paragraphs_raw']}<" not in html for r in same)
    assert "原文：9、18 和 23-25<" in html


def test_every_adopted_agenda_item_has_a_permalink_and_a_citation(site):
    import re
    html = (site / "doc/001_28d5586563dc01f3/index.html").read_text(encoding="utf-8")
    items = re.findall(r'<li id="(adopted-item-[\w-]+)"', html)
    assert len(items) >= 6
    for anchor in items:
        assert f'href="#{anchor}"' in html and f'data-anchor="{anchor}"' in html, anchor
    assert 'data-cite="偷运移民问题工作组第四次会议报告草稿，议程项目 2"' in html


def test_a_rebuild_whose_labels_are_known_does_not_load_pypinyin(tmp_path):
    """Topic and state slugs are kept in the cache: a second build (a document edited, no new
    label) does not import pypinyin (nor ``importlib.metadata`` to learn its version), and its
    site equals a full build's.  numpy is loaded only
    where the search index is made: by a worker where there are two cores, and never by a
    build that finds nothing changed."""
    import subprocess
    import sys
    src = _copy_seeds(tmp_path / "src")
    run = ("import sys; from wgindex.cli.main import main; "
           f"rc = main(['build', {str(src)!r}, '-o', {str(tmp_path / 'inc')!r}, '--cache-dir', {str(tmp_path / 'c')!r}]); "
           "print(rc, 'pypinyin' in sys.modules, 'numpy' in sys.modules, 'importlib.metadata' in sys.modules)")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    first = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, env=env)
    assert first.stdout.split()[:2] == ["0", "True"], first.stderr
    f = src / "003_1cd5f2748af19e84.txt"  # a paragraph's wording changes, no topic or state
    f.write_text(f.read_text(encoding="utf-8").replace("以确保有效利用资源", "以确保资源得到有效利用"), encoding="utf-8")
    second = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, env=env)
    assert second.stdout.split()[:2] == ["0", "False"], second.stderr
    if (os.cpu_count() or 1) > 1:
        assert second.stdout.split()[2] == "False", "numpy loaded by the build's own process"
    assert second.stdout.split()[3] == "False", "the slugs' version found by importlib.metadata"
    third = subprocess.run([sys.executable, "-c", run], capture_output=True, text=True, env=env)
    assert third.stdout.split() == ["0", "False", "False", "False"], third.stderr
    from wgindex.cli.main import main
    assert main(["build", str(src), "-o", str(tmp_path / "full"), "--ignore-cache"]) == 0
    assert _tree(tmp_path / "inc") == _tree(tmp_path / "full")


def test_the_slug_cache_follows_pypinyins_files(tmp_path, monkeypatch):
    """The slugs are valid for one set of pypinyin's installed files: another release (a
    file of another size or time, one more file) or no pypinyin at all is another version."""
    import importlib.util
    from importlib.machinery import ModuleSpec
    from wgindex.cache import SlugCache
    pkg = tmp_path / "pypinyin"
    pkg.mkdir()
    (pkg / "__init__.py").write_text("__version__ = '1'\n", encoding="utf-8")
    spec = ModuleSpec("pypinyin", None, is_package=True)
    spec.submodule_search_locations = [str(pkg)]
    found = {"pypinyin": spec}
    monkeypatch.setattr(importlib.util, "find_spec", lambda name: found.get(name))
    versions = [SlugCache._version()]
    assert SlugCache._version() == versions[0]
    (pkg / "__init__.py").write_text("__version__ = '22'\n", encoding="utf-8")
    versions.append(SlugCache._version())
    (pkg / "phrases_dict.py").write_text("", encoding="utf-8")
    versions.append(SlugCache._version())
    found.clear()
    versions.append(SlugCache._version())
    assert len(set(versions)) == 4


@pytest.mark.parametrize("damage", ["version", "digest", "not json", "types"])
def test_a_slug_cache_that_cannot_be_trusted_is_not_used(tmp_path, monkeypatch, damage):
    from wgindex.cache import SlugCache
    from wgindex.corpus import slug
    monkeypatch.setattr(slug, "KNOWN", {})
    slug.slugify("对被偷运移民的协助")
    cache = SlugCache(tmp_path)
    cache.save()
    data = json.loads(cache.file.read_text(encoding="utf-8"))
    if damage == "version":
        data["version"] = "another"
    elif damage == "digest":
        data["slugs"]["对被偷运移民的协助"] = "wrong"
    elif damage == "types":
        data["slugs"] = {"x": 1}
        data["digest"] = SlugCache._digest(data["slugs"])
    cache.file.write_text("{" if damage == "not json" else json.dumps(data), encoding="utf-8")
    monkeypatch.setattr(slug, "KNOWN", {})
    SlugCache(tmp_path).load()
    assert slug.KNOWN == {}
    cache.file.write_text(json.dumps(json.loads(json.dumps(data)) if damage == "version" else data), encoding="utf-8")
    good = SlugCache(tmp_path)
    slug.slugify("对被偷运移民的协助")
    good.save()  # an untrusted file is written anew
    slug.KNOWN.clear()
    SlugCache(tmp_path).load()
    assert slug.KNOWN == {"对被偷运移民的协助": "dui-bei-tou-yun-yi-min-de-xie-zhu"}


def test_linked_text_is_escaped_as_markup_formatting_would(seed_result):
    """A paragraph's text with its links is written by joining escaped pieces, not by a
    ``Markup`` a piece: the same HTML as ``Markup('<a class="%s" href="%s">%s</a>') % …``
    between ``escape``d runs, hostile characters beside the links included."""
    from markupsafe import Markup, escape
    from wgindex.site.lookups import Lookups, SiteData
    data = SiteData(seed_result.records)
    r = next(r for r in seed_result.records if r.get("symbol"))
    lk = Lookups(data, "d/x/index.html")
    text = f"<b>&'\"</b> 见 {r['symbol']} 第 1 段和第 7/1 号决议 & <script>"
    spans = lk.linker.spans(text, None, set())
    assert spans, "the text cites a symbol of the corpus"
    parts, pos = [], 0
    for start, end, href, cls in spans:
        parts += [escape(text[pos:start]), Markup('<a class="%s" href="%s">%s</a>') % (cls, href, text[start:end])]
        pos = end
    parts.append(escape(text[pos:]))
    html = lk.linker.html(text)
    assert isinstance(html, Markup) and html == Markup("").join(parts)
    assert "<script>" not in html and "&lt;script&gt;" in html
