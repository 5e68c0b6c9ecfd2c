"""English reports laid out by geometry: an indented quotation under a paragraph belongs to it,
prose back at the margin does not; the meeting a report covers is the one its text says was
held, not the parent organ's session of the masthead.  Fixture PDFs vary font, size, margin
and indents so that no one layout's numbers can pass."""

from __future__ import annotations

import pytest

pytest.importorskip("reportlab")
from reportlab.lib.pagesizes import A4  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from wgindex.parse.document import parse_document  # noqa: E402
from wgindex.text.pdf import read_pdf  # noqa: E402

MASTHEAD = ["X/REP/2025/9", "Distr.: General", "3 March 2025", "Original: English", None,
            "Governing Council", "Ninth session", "Vienna, 10–21 March 2025"]
TITLE = "Report of the Standing Committee"
OPENING = [  # two ordinary paragraphs, so that the page has a usual line spacing to measure
    "1. The Standing Committee was established by the Governing Council at its first",
    "session and is composed of the members elected by the Council for a term of two",
    "years, who serve in their personal capacity and report to the Council at each",
    "of its regular sessions on the matters that the Council has referred to them.", None,
    "2. The present report contains the decisions and recommendations adopted by the",
    "Committee, with a summary of its deliberations on each item of its agenda and",
    "the list of documents that were before it, which is annexed to the report.", None,
]


def _pdf(tmp_path, body, *, font="Helvetica", size=10.0, margin=72.0):
    """``body``: (indent in points, text) lines, or None for a paragraph gap."""
    path = tmp_path / "report.pdf"
    c = canvas.Canvas(str(path), pagesize=A4)
    y = A4[1] - 60
    c.setFont(font, size)
    for line in MASTHEAD:
        if line:
            c.drawString(margin, y, line)
        y -= 1.3 * size
    y -= size
    c.setFont(font, size + 4)
    c.drawString(margin, y, TITLE)
    y -= 3 * size
    c.setFont(font, size)
    for item in [(0, t) if t else None for t in OPENING] + body:
        if item is None:
            y -= 0.8 * size
            continue
        indent, text = item
        c.drawString(margin + indent, y, text)
        y -= 1.25 * size
    c.save()
    return path


def _record(path):
    return parse_document(read_pdf(path.read_bytes(), path.name, "x"))


LAYOUTS = [("Helvetica", 10.0, 72.0, 24.0), ("Times-Roman", 11.0, 90.0, 36.0),
           ("Courier", 9.0, 60.0, 18.0)]


@pytest.mark.parametrize("font,size,margin,quote", LAYOUTS)
def test_indented_quotation_belongs_to_the_paragraph(tmp_path, font, size, margin, quote):
    body = [
        (0, "3. The Standing Committee held two meetings, on 12 and 13 March 2025, and"),
        (0, "considered the matters before it under its rules of procedure."), None,
        (0, "4. The Committee recommends the adoption of the following draft decision:"), None,
        (quote * 2, "The Governing Council,"),
        (quote * 2, "Having considered the report of the Standing Committee on the"),
        (quote, "matters before it at its ninth session held in Vienna this year,"),
        (quote * 2, "Approves the report of the Standing Committee."), None,
        (0, "5. The Committee adopted the present report at its second meeting."),
    ]
    r = _record(_pdf(tmp_path, body, font=font, size=size, margin=margin))
    paras = {p["number"]: p["text"] for p in r["paragraphs"]}
    assert paras["4"].startswith("The Committee recommends")
    assert "The Governing Council," in paras["4"]
    assert paras["4"].endswith("Approves the report of the Standing Committee.")
    assert paras["5"] == "The Committee adopted the present report at its second meeting."
    # the Committee's meetings, not the Council session of the masthead
    assert (str(r["meeting"]["start"]), str(r["meeting"]["end"])) == ("2025-03-12", "2025-03-13")


@pytest.mark.parametrize("font,size,margin,quote", LAYOUTS)
def test_text_back_at_the_margin_ends_the_paragraph(tmp_path, font, size, margin, quote):
    body = [
        (0, "3. The Committee recommends the adoption of the following draft decision:"), None,
        (0, "Report of the Standing Committee on its ninth session and the dates of its"),
        (0, "tenth session"), None,
        (quote, "The Governing Council decides that its tenth session shall be held in"),
        (0, "Vienna from 9 to 20 March 2026."), None,
        (0, "4. The Committee adopted the present report at its second meeting."),
    ]
    r = _record(_pdf(tmp_path, body, font=font, size=size, margin=margin))
    paras = {p["number"]: p["text"] for p in r["paragraphs"]}
    assert paras["3"] == "The Committee recommends the adoption of the following draft decision:"
    assert any(t["text"].startswith("The Governing Council decides") for t in r["texts"])
    # no sentence says when the Committee met: the masthead's dates stand
    assert (str(r["meeting"]["start"]), str(r["meeting"]["end"])) == ("2025-03-10", "2025-03-21")


def test_english_document_page_marks_its_text_as_english(tmp_path):
    """The site is Chinese (``lang="zh-Hans"``); an English document's title and text say
    they are English, and the site's own Chinese controls inside them say they are not."""
    from pathlib import Path
    from wgindex.collect import parse_sources
    from wgindex.site.render import build_site_files
    from wgindex.site.write import write_site
    real = Path(__file__).parent / "data" / "real" / "A_HRC_59_60.en.pdf"
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / real.name).write_bytes(real.read_bytes())
    result = parse_sources([tmp_path / "src"], jobs=1)
    assert not result.errors
    write_site(build_site_files(result.records), tmp_path / "site")
    html = (tmp_path / "site" / "A" / "HRC" / "59" / "60" / "index.html").read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in html
    assert '<h1 lang="en">' in html
    assert '<section class="text" aria-label="正文" lang="en">' in html
    assert '<span class="tools" lang="zh-Hans">' in html
