"""PDF reading: fixture PDFs made from the seed texts give the same records as the texts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from facts_check import check_record
from test_seed_facts import SEED_NAMES

pytest.importorskip("reportlab")
from pdfmake import seed_pdf, text_to_pdf  # noqa: E402

SEEDS = Path(__file__).resolve().parents[1] / "seeds"


def strip_provenance(value):
    """A record without provenance: sources, file facts, and wrap whitespace in raw cells."""
    if isinstance(value, dict):
        return {k: re.sub(r"\s+", "", v) if k.endswith("_raw") and isinstance(v, str)
                else strip_provenance(v) for k, v in value.items()
                if k not in ("source", "sha256", "reader", "pages", "file")}
    if isinstance(value, list):
        return [strip_provenance(v) for v in value]
    if isinstance(value, str):
        return re.sub(r"\s+", " ", value)
    return value


@pytest.fixture(scope="module")
def pdf_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("seeds-as-pdf")
    for name in SEED_NAMES:
        seed_pdf(SEEDS / name, out / name.replace(".txt", ".pdf"))
    return out


@pytest.fixture(scope="module")
def pdf_records(pdf_dir):
    from wgindex.collect import parse_sources
    result = parse_sources([pdf_dir], jobs=1)
    assert not result.errors, [e.format() for e in result.errors]
    return {Path(r["source"]["file"]).name.replace(".pdf", ".txt"): r for r in result.records}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_pdf_record_equals_text_record(name, pdf_records, seed_records):
    pdf, text = pdf_records[name], seed_records[name]
    assert pdf["source"]["reader"] == "pdf" and pdf["source"]["pages"] >= 1
    a, b = strip_provenance(pdf), strip_provenance(text)
    for key in b:
        assert a[key] == b[key], key


@pytest.mark.parametrize("name", SEED_NAMES)
def test_pdf_facts(name, pdf_records, facts, seed_corpus):
    check_record(pdf_records[name], facts[name], seed_corpus)


def test_pdf_lines_have_pages(pdf_records):
    r = pdf_records["004_cb61566b71eee516.txt"]
    pages = {row["source"]["page"] for row in r["index_rows"]}
    assert None not in pages and len(pages) >= 3
    for p in pdf_records["003_1cd5f2748af19e84.txt"]["paragraphs"]:
        assert p["source"]["page"] >= 1 and p["source"]["line"] >= 1


def test_running_header_symbol_is_printed_symbol(tmp_path):
    from wgindex.parse.document import parse_path
    src = (SEEDS / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
    path = tmp_path / "report.pdf"
    path.write_bytes(text_to_pdf(src, header="V.17-06254 (C)", symbol="CTOC/COP/WG.7/2017/5",
                                 masthead="CTOC/COP/WG.7/2017/5"))
    r = parse_path(path)
    assert r["symbol"] == "CTOC/COP/WG.7/2017/5" and r["symbol_source"] == "printed"
    assert r["id"] == "CTOC/COP/WG.7/2017/5"
    assert [p["number"] for p in r["paragraphs"]] == [str(i) for i in range(1, 22)]
    text = "\n".join(p["text"] for p in r["paragraphs"])
    for junk in ("V.17-06254", "*1706254*", "CTOC/COP/WG.7/2017/5"):
        assert junk not in text


def test_compatibility_ideographs_are_normalised():
    from wgindex.text.clean import normalize_chars
    assert normalize_chars("\uf9b5年\uf967") == "例年不"  # 例 (U+F9B5) 不 (U+F967)
    assert normalize_chars("，（") == "，（"             # full-width punctuation kept


def test_paragraph_cut_by_page_break_with_footnotes_at_the_foot(tmp_path):
    """A paragraph that runs over a page break, with a footnote set at the foot of the page
    (smaller font), is one paragraph again and the footnote is a footnote."""
    from wgindex.parse.document import parse_path
    filler = "工作组审议了各国在打击偷运移民方面的经验和做法，并讨论了国际合作的挑战。" * 3
    long = "工作组强调，" + "各国应加强信息交流和司法协助，" * 30 + "以有效打击偷运移民。²"
    lines = ["偷运移民问题工作组", "", "2017年9月11日至13日，维也纳", "", "报告草稿", "", "一. 引言", ""]
    for n in range(1, 8):
        lines += [f"{n}. {filler}", ""]
    lines += ["² 见秘书处的背景文件。", "", f"8. {long}", "", "9. 工作组通过了本报告。", ""]
    path = tmp_path / "cut.pdf"
    path.write_bytes(text_to_pdf("\n".join(lines)))
    r = parse_path(path)
    assert [p["number"] for p in r["paragraphs"]] == [str(i) for i in range(1, 10)]
    p8 = r["paragraphs"][7]
    assert p8["text"] == long
    assert r["footnotes"] == [{"mark": "2", "text": "见秘书处的背景文件。", "source": r["footnotes"][0]["source"]}]
    pages = {p["source"]["page"] for p in r["paragraphs"]}
    assert len(pages) >= 2 and r["footnotes"][0]["source"]["page"] == p8["source"]["page"]


WIDTHS = [30, 31, 33, 34, 36, 38, 40, 43, 45]  # varied: a rule fitted to one width fails another


@pytest.fixture(scope="module", params=WIDTHS, ids=[f"{w}-chars" for w in WIDTHS])
def narrow_records(request, tmp_path_factory):
    """The seeds as PDFs wrapped at ``width`` characters a line (not the ~40 of the default)."""
    from wgindex.collect import parse_sources
    out = tmp_path_factory.mktemp(f"narrow-{request.param}")
    for name in SEED_NAMES:
        (out / name.replace(".txt", ".pdf")).write_bytes(
            text_to_pdf((SEEDS / name).read_text(encoding="utf-8-sig"), chars=request.param))
    result = parse_sources([out], jobs=1)
    assert not result.errors, [e.format() for e in result.errors]
    return {Path(r["source"]["file"]).name.replace(".pdf", ".txt"): r for r in result.records}


@pytest.mark.parametrize("name", SEED_NAMES)
def test_pdf_facts_at_every_line_width(name, narrow_records, facts, seed_corpus):
    check_record(narrow_records[name], facts[name], seed_corpus)


@pytest.mark.parametrize("backend", ["pdfium", "pdfminer"])
def test_oblique_type_is_text_and_a_rotated_margin_note_is_not(backend):
    """A face slanted by shearing the upright one (synthetic italic: the text matrix has a
    horizontal shear, its baseline stays level) is read like any text; a note on a rotated
    baseline in the margin is left out.  Both backends once dropped the slanted lines too."""
    import io

    from reportlab.pdfgen import canvas

    from wgindex.text.pdf import read_pdf
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842), invariant=1)
    c.setFont("Helvetica", 11)
    c.drawString(72, 760, "1. The Working Group adopted the following recommendations.")
    c.saveState()
    c.transform(1, 0, 0.21, 1, 72, 740)  # slanted, as an office suite fakes italic
    c.drawString(0, 0, "Programme of work for the biennium")
    c.restoreState()
    c.drawString(72, 720, "2. The report was adopted by consensus at the last meeting.")
    c.saveState()
    c.translate(560, 400)
    c.rotate(90)
    c.drawString(0, 0, "Margin note set upright")
    c.restoreState()
    c.showPage()
    c.save()
    doc = read_pdf(buf.getvalue(), "oblique.pdf", "x", backend=backend)
    texts = [l.text for l in doc.lines if l.text]
    assert "Programme of work for the biennium" in texts, texts
    assert not any("Margin note" in t for t in texts), texts
