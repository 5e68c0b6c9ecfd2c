from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def facts() -> dict:
    return yaml.safe_load((Path(__file__).parent / "seed-facts.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def seed_result():
    from wgindex.collect import parse_sources
    return parse_sources([SEEDS], jobs=1)


@pytest.fixture(scope="session")
def seed_records(seed_result) -> dict[str, dict]:
    """file name -> record, for the text seeds."""
    assert not seed_result.errors, [e.format() for e in seed_result.errors]
    return {Path(r["source"]["file"]).name: r for r in seed_result.records}


@pytest.fixture(scope="session")
def seed_corpus(seed_result):
    from wgindex.corpus.link import build_corpus
    return build_corpus(seed_result.records)


@pytest.fixture(scope="session")
def site(tmp_path_factory, seed_result):
    """The site built from the seeds (records -> pages -> search index), written once."""
    import wgindex
    from wgindex.site.write import write_site
    out = tmp_path_factory.mktemp("site") / "site"
    write_site(wgindex.render(seed_result.records).files, out)
    return out
