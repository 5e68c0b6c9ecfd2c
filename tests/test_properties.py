"""Property tests: readers and parsers never crash on arbitrary text."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings, strategies as st

from wgindex.errors import SourceError
from wgindex.text.model import Line, Source, TextDocument
from wgindex.parse.document import parse_document

# text built from the characters and fragments the parsers react to
FRAGMENTS = ["1. ", "2. ", "一. ", "二. 建议", "A. ", "(a) ", "建议 1", "\t", "专题\t会议报告",
             "CTOC/COP/WG.7/2017/5", "第 7/1 号决议", "议程项目 2", "临时议程", "说明", "文件",
             "附件", "报告草稿", "建议索引", "偷运移民问题工作组", "第九次会议", "2022年6月27日和28日，维也纳",
             "：", "、", "。", "（", "）", "[……]", "¹ ", "* ", "# ", "<sup>1</sup>", "\n", "\n\n",
             "Distr.: Limited", "16 March 2022", "三.19-21", "7(d) 和 8(e) 及 (f)", "下列缔约国派代表出席了会议："]
texts = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=12)), max_size=60).map("".join)


def _doc(text: str) -> TextDocument:
    from wgindex.text.clean import normalize_chars, strip_markdown
    lines = []
    for i, raw in enumerate(text.split("\n"), 1):
        cleaned, heading = strip_markdown(normalize_chars(raw))
        lines.append(Line(cleaned.strip(), Source("t.txt", None, i), heading=heading))
    return TextDocument(file="t.txt", lines=lines, sha256="0", reader="text")


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_parser_never_crashes(text):
    try:
        record = parse_document(_doc(text))
    except SourceError:
        return
    assert record["kind"] in {"agenda", "report", "index", "other"}


@settings(max_examples=200, deadline=None)
@given(data=st.binary(max_size=400))
def test_reader_never_crashes(data, tmp_path_factory):
    from wgindex.text.read import read_source
    path = tmp_path_factory.mktemp("b") / "x.txt"
    path.write_bytes(data)
    try:
        read_source(path)
    except SourceError as exc:
        assert "x.txt" in exc.format()


CITE_FRAGMENTS = ["CTOC/COP/WG.7/2015/6", "CTOC/COP/WG.4/2022/1", "，第", "第 ", "段", "23", "-25",
                  "(e)", "（e）", "和", "至", ", para. ", ", paras. ", "paragraph ", " of ", "建议 ",
                  "recommendation ", "三.19", " 五.2.e", "第 7/1 号决议", "resolution 7/1", "/", ".",
                  "https://undocs.org/", "`", "[", "](", ")"]
cite_texts = st.lists(st.one_of(st.sampled_from(CITE_FRAGMENTS), st.text(max_size=6)),
                      max_size=30).map("".join)


@settings(max_examples=500, deadline=None)
@given(cite_texts)
def test_citation_finder_never_crashes_and_spans_are_exact(text):
    from wgindex.cite.finder import find_citations
    cites = find_citations(text)
    end = -1
    for c in cites:
        assert text[c.start:c.end] == c.text and c.start >= end
        end = c.end


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 200), st.integers(0, 30), st.sampled_from(["", "a", "e"]))
def test_generated_citations_round_trip(n, extra, sub):
    from wgindex.cite.finder import find_citations
    label = f"{n}({sub})" if sub else str(n)
    for text, expect in ((f"CTOC/COP/WG.7/2015/6，第{label}段", [label]),
                         (f"CTOC/COP/WG.7/2015/6, paras. {n}-{n + extra}",
                          [str(k) for k in range(n, n + extra + 1)])):
        c, = find_citations(text)
        assert c.paragraphs == expect and c.text == text


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_note_renderer_never_crashes(text):
    from wgindex.cite.note import render_note
    render_note(text, None)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40), st.lists(st.text(max_size=30), max_size=6))
def test_widths_and_script_counts_are_unicodedata_s(text, block_texts):
    """The fast forms count as the plain per-character rules do: a character's columns as
    unicodedata's east-Asian width says (W and F take two), and a text's language by its Han
    letters (U+4E00-9FFF) against its ASCII letters."""
    import unicodedata
    from types import SimpleNamespace
    from wgindex.parse.classify import detect_language
    from wgindex.text.clean import display_width
    assert display_width(text) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    blocks = [SimpleNamespace(text=t) for t in block_texts + [text]]
    cjk = sum(1 for b in blocks for c in b.text if "\u4e00" <= c <= "\u9fff")
    latin = sum(1 for b in blocks for c in b.text if c.isascii() and c.isalpha())
    assert detect_language(blocks) == ("Chinese" if cjk >= latin / 3 else "English")
