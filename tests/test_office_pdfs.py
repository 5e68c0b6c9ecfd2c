"""Seed facts on PDFs exported by a real office suite (LibreOffice), laid out the way the UN
lays out its documents (tests/officemake.py): masthead table with the symbol in the corner,
justified text, paragraph numbers hanging before a tab stop, tables with a repeated header
row, a running header with the symbol, a footer with job number, date stamps and barcode."""

from __future__ import annotations

from pathlib import Path

import pytest

from facts_check import check_record
from test_seed_facts import SEED_NAMES

officemake = pytest.importorskip("officemake")
if not officemake.available():  # scripts/install-office.sh installs it (CI does)
    pytest.skip("LibreOffice (soffice) is not installed", allow_module_level=True)

SEEDS = Path(__file__).resolve().parents[1] / "seeds"
# the symbol each masthead prints: where the facts infer one, it is printed instead
PRINTED = {"000_a77c370a0a5c2167.txt": "CTOC/COP/WG.7/2022/1", "002_cdd5c65759a59d46.txt": "CTOC/COP/WG.4/2022/1"}
VARIANTS = {
    "uming-11pt-wrapped-symbol": dict(font="AR PL UMing CN", size=11, left=2.5, right=2.5, wrap_symbol=True),
    "zenhei-10pt-narrow": dict(font="WenQuanYi Zen Hei", size=10.5, left=3.5, right=3.5, wrap_symbol=False,
                                job="V.15-01965 (C) GP 130415 130415"),
    # a monospaced CJK face on a wide text block, and a small size on a very narrow one: rules
    # fitted to one width, font or job line fail one of these
    "zenhei-mono-12pt-wide": dict(font="WenQuanYi Zen Hei Mono", size=12, left=2.0, right=2.0,
                                   wrap_symbol=True, job="GE.22-04567 (C) 200622 210622"),
    "uming-tw-9pt-very-narrow": dict(font="AR PL UMing TW", size=9.5, left=4.5, right=4.5,
                                      wrap_symbol=False, job="V.19-07703 (C)    020919    030919"),
}


@pytest.fixture(scope="module", params=sorted(VARIANTS))
def office_records(request, tmp_path_factory):
    from wgindex.collect import parse_sources
    out = tmp_path_factory.mktemp(request.param)
    for name in SEED_NAMES:
        officemake.office_pdf((SEEDS / name).read_text(encoding="utf-8-sig"),
                              out / name.replace(".txt", ".pdf"), symbol=PRINTED.get(name),
                              **VARIANTS[request.param])
    result = parse_sources([out], jobs=1)
    return {Path(r["source"]["file"]).name.replace(".pdf", ".txt"): r for r in result.records}, \
        [e.format() for e in result.errors]


def test_office_pdfs_are_read(office_records):
    records, errors = office_records
    assert not errors and len(records) == len(SEED_NAMES)


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_facts_on_office_pdfs(name, office_records, facts, seed_corpus):
    records, _ = office_records
    f = dict(facts[name])
    if name in PRINTED:
        f["symbol"], f["symbol_source"] = PRINTED[name], "printed"
    check_record(records[name], f, seed_corpus)
