"""Every fact of seed-facts.yaml (checked by hand) holds on the records of the text seeds."""

from __future__ import annotations

import pytest

from facts_check import check_record

SEED_NAMES = ["000_a77c370a0a5c2167.txt", "001_28d5586563dc01f3.txt", "002_cdd5c65759a59d46.txt",
              "003_1cd5f2748af19e84.txt", "004_cb61566b71eee516.txt"]


def test_facts_file_covers_every_seed(facts):
    assert sorted(facts) == SEED_NAMES


@pytest.mark.parametrize("name", SEED_NAMES)
def test_seed_facts(name, facts, seed_records, seed_corpus):
    check_record(seed_records[name], facts[name], seed_corpus)


def test_seeds_without_symbol_get_provisional_ids(seed_records):
    r = seed_records["001_28d5586563dc01f3.txt"]
    assert r["symbol"] is None and r["symbol_source"] is None
    assert r["id"] == "doc/001_28d5586563dc01f3"


def test_every_paragraph_has_provenance(seed_records):
    for r in seed_records.values():
        for key in ("paragraphs", "recommendations", "agenda_items", "index_rows"):
            for item in r[key]:
                src = item["source"]
                assert src["file"] == r["source"]["file"] and src["line"] >= 1


def test_provenance_points_at_the_line(seed_records):
    from pathlib import Path
    r = seed_records["003_1cd5f2748af19e84.txt"]
    lines = Path(r["source"]["file"]).read_text(encoding="utf-8").splitlines()
    for p in r["paragraphs"]:
        assert lines[p["source"]["line"] - 1].strip().startswith(p["number"] + ".")


def test_check_reports_exactly_the_five_discrepancies(capsys):
    from wgindex.cli.main import main
    assert main(["check", "seeds"]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 5 and all("WARNING: source discrepancy" in line for line in out)
    assert main(["check", "--strict", "seeds"]) == 1
