"""Citation metadata as reference managers read it: <meta> tags on document pages, and RIS,
BibTeX and CSL-JSON downloads, each parsed back with a well-kept parser."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import bibtexparser
import rispy

DOC = "CTOC/COP/WG.7/2022/1"


def metas(html: str) -> list[tuple[str, str]]:
    out = []

    class P(HTMLParser):
        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if tag == "meta" and "name" in a:
                out.append((a["name"], a["content"]))
    P().feed(html)
    return out


def test_document_pages_carry_highwire_and_dublin_core_tags(site, seed_result):
    tags = dict(metas((site / DOC / "index.html").read_text(encoding="utf-8")))
    r = next(r for r in seed_result.records if r["symbol"] == DOC)
    assert tags["citation_title"] == r["title"]
    assert tags["citation_technical_report_number"] == DOC == tags["DC.identifier"]
    assert tags["citation_author"] == "偷运移民问题工作组" == tags["DC.creator"]
    assert tags["citation_publication_date"] == r["issue_date"].isoformat() == tags["DC.date"]
    assert tags["citation_language"] == "zh" == tags["DC.language"]
    assert tags["DC.relation"] == f"https://undocs.org/{DOC}"
    assert "citation_abstract_html_url" not in tags  # no base URL: no absolute URL to give
    for page in site.rglob("index.html"):
        names = [n for n, _ in metas(page.read_text(encoding="utf-8"))]
        if (page.parent / "record.json").exists():
            assert "citation_title" in names and "DC.title" in names, page


def test_exports_parse_with_rispy_bibtexparser_and_json(site, seed_result):
    r = next(r for r in seed_result.records if r["symbol"] == DOC)
    (entry,) = rispy.loads((site / DOC / "cite.ris").read_text(encoding="utf-8"))
    assert entry["type_of_reference"] == "RPRT" and entry["title"] == r["title"]
    assert entry["issn"] == DOC and entry["year"] == str(r["issue_date"].year)
    assert f"https://undocs.org/{DOC}" in entry["urls"]
    lib = bibtexparser.parse_string((site / DOC / "cite.bib").read_text(encoding="utf-8"))
    assert not lib.failed_blocks
    (bib,) = lib.entries
    assert bib.entry_type == "techreport" and bib.key == "CTOC_COP_WG_7_2022_1"
    assert bib["number"] == DOC.replace("_", r"\_") and bib["year"] == str(r["issue_date"].year)
    assert bib["title"] == r["title"]
    (csl,) = json.loads((site / DOC / "cite.json").read_text(encoding="utf-8"))
    assert csl["type"] == "report" and csl["number"] == DOC and csl["title"] == r["title"]
    assert csl["issued"]["date-parts"][0][:1] == [r["issue_date"].year]
    # a document without a symbol still exports, named by its title and meeting
    no_symbol = site / "doc" / "001_28d5586563dc01f3"
    (e2,) = rispy.loads((no_symbol / "cite.ris").read_text(encoding="utf-8"))
    assert e2["title"] and "issn" not in e2


def test_exports_use_the_base_url_when_there_is_one(seed_result):
    import wgindex
    files = wgindex.render(seed_result.records, base_url="https://wg.example/").files
    (entry,) = rispy.loads(files[f"{DOC}/cite.ris"].decode("utf-8"))
    assert f"https://wg.example/{DOC}/" in entry["urls"]
    assert f'<meta name="citation_abstract_html_url" content="https://wg.example/{DOC}/">' \
        in files[f"{DOC}/index.html"].decode("utf-8")
