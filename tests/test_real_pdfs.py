"""Real UN PDFs (English originals, tests/data/real, copied from shared/real): hand-read facts,
the two PDF backends giving the same records, and smoke reads of 24 more."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from wgindex.collect import parse_sources
from wgindex.records import jsonable

REAL = Path(__file__).parent / "data" / "real"
SMOKE = REAL / "smoke"
REAL_PDFS = sorted(REAL.glob("*.pdf"))
SMOKE_PDFS = sorted(SMOKE.glob("*.pdf"))

KNOWN: set[str] = set()  # every fact holds; a failing one is a regression


@pytest.fixture(scope="module")
def real_records(tmp_path_factory, request):
    """``wgindex parse --json`` of the real PDFs, run beside them as check_facts.py expects."""
    work = tmp_path_factory.mktemp("real")
    for f in REAL_PDFS:
        (work / f.name).write_bytes(f.read_bytes())
    out = subprocess.run([sys.executable, "-m", "wgindex", "parse", *[f.name for f in REAL_PDFS], "--json"],
                         cwd=work, capture_output=True, text=True, timeout=600)
    (work / "r.json").write_text(out.stdout, encoding="utf-8")
    (work / "err").write_text(out.stderr, encoding="utf-8")
    return work


def test_every_real_pdf_is_read(real_records):
    err = (real_records / "err").read_text(encoding="utf-8")
    assert "ERROR" not in err, err
    assert len(json.loads((real_records / "r.json").read_text(encoding="utf-8"))) == len(REAL_PDFS) == 8


def test_real_pdf_facts(real_records):
    out = subprocess.run([sys.executable, str(REAL / "check_facts.py"), str(REAL / "facts.yaml"),
                          "r.json", "err"], cwd=real_records, capture_output=True, text=True)
    lines = out.stdout.splitlines()
    held, total = map(int, re.match(r"(\d+)/(\d+) facts hold", lines[-1]).groups())
    failing = {re.sub(r" got .*$", "", l) for l in lines if l.startswith("FAIL")}
    assert failing <= KNOWN, sorted(failing - KNOWN)
    assert total == 237 and held == total - len(failing)


def _comparable(records: list[dict], spaces: bool) -> list[dict]:
    """Records as JSON; without ``spaces``, every string with its white space removed: on a
    PDF that positions words without printing spaces, the backends' advance widths differ by
    a few per cent and may disagree on an inter-word space (PDFium's are not exact)."""
    def strip(x):
        if isinstance(x, str):
            return "".join(x.split())
        if isinstance(x, list):
            return [strip(v) for v in x]
        if isinstance(x, dict):
            return {k: strip(v) for k, v in x.items()}
        return x
    out = []
    for r in jsonable(records):
        r = dict(r)
        r["source"] = {k: v for k, v in r["source"].items() if k != "reader"}
        out.append(r if spaces else strip(r))
    return out


def _structure(r: dict) -> dict:
    return {"symbol": r["symbol"], "kind": r["kind"], "draft": r["draft"],
            "issue_date": r["issue_date"], "paragraphs": [p["number"] for p in r["paragraphs"]],
            "sections": [s["numeral"] for s in r["sections"]],
            "agenda": [a["number"] for a in r["agenda_items"]], "footnotes": len(r["footnotes"])}


def test_both_pdf_backends_agree_on_the_structure_of_the_smoke_pdfs(monkeypatch):
    """On the 24 smoke PDFs the records agree in everything structural; texts may differ in
    an inter-word space, and a masthead line may change places where two columns' baselines
    are within a point of each other (measured: see the README)."""
    got = {}
    for backend in ("pdfium", "pdfminer"):
        monkeypatch.setenv("WGINDEX_PDF_BACKEND", backend)
        res = parse_sources(list(SMOKE_PDFS), jobs=1)
        got[backend] = ([_structure(r) for r in jsonable(res.records)], sorted(e.format() for e in res.errors))
    assert got["pdfium"] == got["pdfminer"]


@pytest.mark.parametrize("kind", ["real", "fixtures"])
def test_both_pdf_backends_give_identical_records(kind, monkeypatch, tmp_path):
    if kind == "fixtures":
        from pdfmake import seed_pdf
        folder = tmp_path / "fx"
        folder.mkdir()
        for seed in sorted((Path(__file__).parents[1] / "seeds").glob("*.txt")):
            seed_pdf(seed, folder / (seed.stem + ".pdf"))
        files = [folder]
    else:
        files = REAL_PDFS
    results = {}
    for backend in ("pdfium", "pdfminer"):
        monkeypatch.setenv("WGINDEX_PDF_BACKEND", backend)
        res = parse_sources(list(files), jobs=1)
        results[backend] = (_comparable(res.records, spaces=kind == "fixtures"),
                            sorted(e.format() for e in res.errors))
    a, b = results["pdfium"], results["pdfminer"]
    assert a[1] == b[1]
    for ra, rb in zip(a[0], b[0]):
        diff = {k for k in ra if ra[k] != rb.get(k)}
        assert not diff, (ra["source"]["file"], sorted(diff))
    assert len(a[0]) == len(b[0])


JOB_RE = re.compile(r"\b(?:[A-Z]{1,3}\.)?\d{2}-\d{5}[A-Z*]?\s*\([A-Z]\)")


@pytest.mark.parametrize("pdf", SMOKE_PDFS, ids=[p.name for p in SMOKE_PDFS])
def test_smoke_real_pdfs_read_with_paragraphs_and_no_furniture(pdf):
    res = parse_sources([pdf], jobs=1)
    assert not res.errors, [e.format() for e in res.errors]
    (r,) = res.records
    assert r["symbol"], "the masthead symbol is read"
    paras = r["paragraphs"]
    numbers = [int(p["number"]) for p in paras]
    assert numbers == list(range(1, len(numbers) + 1))
    for p in paras:  # the first line of every paragraph is kept: it starts a sentence
        assert p["text"][:1].isupper() or p["text"][:1] in "0123456789“\"‘'(«[$€£", (p["number"], p["text"][:60])
    texts = [p["text"] for p in paras] + [h["text"] for h in r.get("headings") or []]
    texts += [r.get("title") or ""] + [a.get("title") or "" for a in r.get("agenda_items") or []]
    for t in texts:
        assert not JOB_RE.search(t), t[:120]
        assert r["symbol"] not in t, t[:120]  # the running header


def test_unnumbered_prose_is_kept_and_masthead_fields_are_not_repeated(real_records):
    records = {Path(r["source"]["file"]).name: r
               for r in json.loads((real_records / "r.json").read_text(encoding="utf-8"))}
    r = records["A_HRC_59_60.en.pdf"]
    texts = [t["text"] for t in r["texts"]]
    assert any(t.startswith("The Working Group on the issue of human rights and transnational "
                            "corporations") and "“Realizing the ‘smart mix" in t for t in texts)
    assert not any(t in ("United Nations", "A/HRC/59/60", "Distr.: General", "Original: English")
                   for t in texts + [h["text"] for h in r["headings"]])


def test_english_titles_are_whole_and_the_masthead_is_not_a_heading(real_records):
    """A title that wraps is one title; what a UN document prints above it (body, session,
    dates, agenda item) is its masthead, kept as text above the title, not headings."""
    records = {r["id"]: r for r in json.loads((real_records / "r.json").read_text(encoding="utf-8"))}
    whole = {"A/HRC/59/60": "Report of the Working Group on the issue of human rights and transnational "
                            "corporations and other business enterprises",
             "A/80/15 (Part I)": "Report of the Trade and Development Board on its thirty-third special session",
             "E/ICEF/2025/11": "Provisional annotated agenda, timetable and organization of work",
             "A/CONF.230/2025/15": "Report of the Credentials Committee",
             "E/AC.51/2025/L.4/Add.10": "Draft report"}
    for rid, title in whole.items():
        r = records[rid]
        assert r["title"] == title, rid
        heads = [h["text"] for h in r["headings"]]
        assert heads[0] == title, (rid, heads[:3])  # nothing above the title is a heading
    masthead = [t["text"] for t in records["A/HRC/59/60"]["texts"]][:5]
    assert masthead == ["General Assembly", "Human Rights Council", "Fifty-ninth session",
                        "16 June–11 July 2025", "Agenda item 5"]


def test_the_parse_cache_key_follows_the_parser_code(tmp_path, monkeypatch):
    """A parse cache entry made by other reader or parser code is never served, even when
    the parser version was not bumped."""
    from wgindex import cache
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    c = cache.ParseCache(tmp_path / "c")
    before = c.key(f, "a.txt")
    monkeypatch.setattr(cache, "parser_code_digest", lambda: "other code")
    assert c.key(f, "a.txt") != before
