"""Regenerate golden files after reviewing the change: python tests/regen.py notes site tree

Review the diff (git diff tests/) like code before committing.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))


def regen_notes() -> None:
    from wgindex.cite.finder import Resolver
    from wgindex.collect import parse_sources
    from wgindex.cite.note import render_note
    import wgindex
    inventory = wgindex.inventory(parse_sources([HERE.parent / "seeds"], jobs=1).records)
    for md in sorted((HERE / "notes").glob("*.md")):
        html = render_note(md.read_text(encoding="utf-8"), Resolver(inventory, "https://wg.example/")).html
        md.with_suffix(".html").write_text(html, encoding="utf-8")
        print("wrote", md.with_suffix(".html"))


if __name__ == "__main__":
    what = sys.argv[1:] or ["notes"]
    if "notes" in what:
        regen_notes()


GOLDEN_PAGES = ["index.html", "meetings/WG.7/4/index.html", "doc/001_28d5586563dc01f3/index.html",
                "CTOC/COP/WG.7/2022/1/index.html", "topics/dui-bei-tou-yun-yi-min-de-xie-zhu/index.html",
                "CTOC/COP/WG.7/2015/6/index.html"]


def page_structure(html: str) -> dict:
    """The structure of a page that matters to users and links: headings and anchors."""
    from html.parser import HTMLParser

    class P(HTMLParser):
        def __init__(self):
            super().__init__()
            self.headings, self.ids, self._h, self._buf = [], [], None, []

        def handle_starttag(self, tag, attrs):
            a = dict(attrs)
            if "id" in a:
                self.ids.append(a["id"])
            if tag in ("h1", "h2", "h3", "h4", "h5"):
                self._h, self._buf = tag, []

        def handle_endtag(self, tag):
            if tag == self._h:
                self.headings.append(f"{tag}: " + " ".join("".join(self._buf).split()))
                self._h = None

        def handle_data(self, data):
            if self._h:
                self._buf.append(data)
    p = P()
    p.feed(html)
    return {"headings": p.headings, "ids": p.ids}


def regen_site() -> None:
    import json
    from wgindex.collect import parse_sources
    from wgindex.site.render import build_site_files
    files = build_site_files(parse_sources([HERE.parent / "seeds"], jobs=1).records)
    for page in GOLDEN_PAGES:
        out = HERE / "golden" / (page.replace("/", "__").replace(".html", ".json"))
        out.write_text(json.dumps(page_structure(files[page].decode("utf-8")), ensure_ascii=False,
                                  indent=1) + "\n", encoding="utf-8")
        print("wrote", out)


if __name__ == "__main__" and "site" in sys.argv[1:]:
    regen_site()


def seed_tree(tmp: Path) -> dict[str, bytes]:
    """The site the README's build command makes from seeds/ (the CLI's default path)."""
    import shutil
    from wgindex.cli.main import main
    src = tmp / "seeds"
    shutil.copytree(HERE.parent / "seeds", src)
    out = tmp / "site"
    code = main(["build", str(src), "-o", str(out), "--cache-dir", str(tmp / "cache")])
    assert code == 0, code
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def manifest(tree: dict[str, bytes]) -> str:
    import hashlib
    return "".join(f"{hashlib.sha256(data).hexdigest()}  {path}\n" for path, data in sorted(tree.items()))


def regen_tree() -> None:
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        tree = seed_tree(Path(tmp))
    (HERE / "golden" / "site.sha256").write_text(manifest(tree), encoding="utf-8")
    rdir = HERE / "golden" / "records"
    rdir.mkdir(exist_ok=True)
    for old in rdir.glob("*.yaml"):
        old.unlink()
    for path, data in tree.items():
        if path.endswith("/record.yaml"):
            (rdir / (path[: -len("/record.yaml")].replace("/", "__") + ".yaml")).write_bytes(data)
    print("wrote", HERE / "golden" / "site.sha256", "and", rdir)


if __name__ == "__main__" and "tree" in sys.argv[1:]:
    regen_tree()
