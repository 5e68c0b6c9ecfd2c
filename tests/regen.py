"""Regenerate golden files after reviewing the change: python tests/regen.py notes

Review the diff (git diff tests/) like code before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def regen_notes() -> None:
    from wgindex.cite import Resolver
    from wgindex.collect import parse_sources
    from wgindex.note import render_note
    from wgindex.render import Builder
    inventory = Builder(parse_sources([HERE.parent / "seeds"], jobs=1).records).inventory()
    for md in sorted((HERE / "notes").glob("*.md")):
        html = render_note(md.read_text(encoding="utf-8"), Resolver(inventory, "https://wg.example/")).html
        md.with_suffix(".html").write_text(html, encoding="utf-8")
        print("wrote", md.with_suffix(".html"))


if __name__ == "__main__":
    what = sys.argv[1:] or ["notes"]
    if "notes" in what:
        regen_notes()
