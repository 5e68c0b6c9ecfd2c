"""The whole site built from seeds/ by the README's command, byte for byte, and the seeds'
records (the record contract) as YAML: the safety net of any restructuring.

After reviewing an intended change: python tests/regen.py tree (and review git diff tests/golden)."""

from __future__ import annotations

from pathlib import Path

from regen import manifest, seed_tree

GOLDEN = Path(__file__).parent / "golden"


def test_seed_site_is_byte_identical_to_the_golden_tree(tmp_path):
    tree = seed_tree(tmp_path)
    want = dict(line.split("  ", 1)[::-1] for line in (GOLDEN / "site.sha256").read_text().splitlines())
    got = dict(line.split("  ", 1)[::-1] for line in manifest(tree).splitlines())
    changed = sorted(p for p in set(want) | set(got) if want.get(p) != got.get(p))
    assert not changed, f"{len(changed)} file(s) differ from tests/golden/site.sha256: {changed[:20]}"
    for path, data in tree.items():
        if path.endswith("/record.yaml"):
            golden = GOLDEN / "records" / (path[: -len("/record.yaml")].replace("/", "__") + ".yaml")
            assert data.decode("utf-8") == golden.read_text(encoding="utf-8"), path
