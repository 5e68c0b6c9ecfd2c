"""Check a built site with an HTML parser: links, anchors, well-formedness, external refs."""

from __future__ import annotations

import posixpath
import re
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "circle", "line", "path", "rect"}


class PageParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.links: list[tuple[str, str]] = []  # (attr, value)
        self.outbound: list[str] = []  # <a rel="external"> links to official documents: links, never requests
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.lang = None
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if "id" in a:
            self.ids.append(a["id"])
        for attr in ("href", "src", "action"):
            if attr in a and a[attr] is not None:
                if tag == "a" and attr == "href" and "external" in (a.get("rel") or "").split() \
                        and a[attr].startswith("https://undocs.org/"):
                    self.outbound.append(a[attr])
                    continue
                self.links.append((attr, a[attr]))
        if tag in ("script", "style"):
            self._skip += 1
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.append(a["id"])
        for attr in ("href", "src"):
            if attr in a:
                self.links.append((attr, a[attr]))

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1
        if tag in VOID:
            return
        if not self.stack:
            self.errors.append(f"stray </{tag}>")
            return
        if self.stack[-1] != tag:
            # tolerate implied closes of p/li only (none expected in our templates)
            self.errors.append(f"</{tag}> closes <{self.stack[-1]}>")
            if tag in self.stack:
                while self.stack and self.stack.pop() != tag:
                    pass
            return
        self.stack.pop()

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def parse_page(path: Path) -> PageParser:
    p = PageParser()
    p.feed(path.read_text(encoding="utf-8"))
    p.close()
    if p.stack:
        p.errors.append(f"unclosed: {p.stack}")
    return p


def check_site(root: Path) -> dict:
    root = Path(root)
    pages = {f.relative_to(root).as_posix(): parse_page(f) for f in sorted(root.rglob("*.html"))}
    problems: list[str] = []
    external: list[str] = []
    checked = 0
    for name, p in pages.items():
        if p.lang != "zh-Hans":
            problems.append(f"{name}: <html lang> is {p.lang!r}")
        for e in p.errors:
            problems.append(f"{name}: {e}")
        dup = {i for i in p.ids if p.ids.count(i) > 1}
        if dup:
            problems.append(f"{name}: duplicate ids {sorted(dup)[:5]}")
        for attr, href in p.links:
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                external.append(f"{name}: {href}")
                continue
            if attr == "action" and href == "":
                continue
            target = name if not parts.path else posixpath.normpath(
                posixpath.join(posixpath.dirname(name), unquote(parts.path)))
            if target.startswith(".."):
                problems.append(f"{name}: link leaves the site: {href}")
                continue
            full = root / target
            if full.is_dir():
                problems.append(f"{name}: link to a folder (breaks from disk): {href}")
                continue
            if not full.exists():
                problems.append(f"{name}: broken link {href}")
                continue
            checked += 1
            if parts.fragment:
                tp = pages.get(target)
                if tp is None or unquote(parts.fragment) not in tp.ids:
                    problems.append(f"{name}: missing anchor {href}")
    for css in root.rglob("*.css"):
        for m in re.finditer(r"url\(|@import|https?://", css.read_text(encoding="utf-8")):
            external.append(f"{css}: {m.group()}")
    for js in root.rglob("*.js"):
        for m in re.finditer(r"https?://(?!127\.0\.0\.1)", js.read_text(encoding="utf-8")):
            external.append(f"{js}: {m.group()}")
    return {"pages": pages, "problems": problems, "external": external, "checked": checked}


def left_after(folder: Path, pattern: str, seconds: float = 30) -> list[str]:
    """What still matches ``pattern`` in ``folder`` once nothing did, or ``seconds`` passed."""
    deadline = time.monotonic() + seconds
    while (left := sorted(p.name for p in folder.glob(pattern))) and time.monotonic() < deadline:
        time.sleep(0.05)
    return left
