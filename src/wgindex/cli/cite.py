"""The writers' commands: ``wgindex cite`` and ``wgindex note``."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from ..cite.finder import Resolver, find_citations
from ..cite.note import render_note, standalone
from ..errors import WgindexError


def load_resolver(site: str | None, base_url: str, out_file: Path | None = None):
    """A resolver over the inventory of a built site (``--site``), linking to ``base_url``
    or, without one, relative to where the output is written."""
    site_dir = Path(site or "site")
    inv_path = site_dir / "inventory.json"
    if not inv_path.exists():
        raise WgindexError(f"no link inventory at {inv_path}: run 'wgindex build' first, "
                           f"or pass --site with the folder of a built site")
    try:
        inventory = json.loads(inv_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise WgindexError(f"{inv_path}: not a valid inventory ({exc})") from None
    file_links = not base_url
    if not base_url:
        start = out_file.parent if out_file else Path.cwd()
        base_url = os.path.relpath(site_dir.resolve(), start.resolve()).replace(os.sep, "/") + "/"
    return Resolver(inventory, base_url, file_links=file_links)


def cmd_cite(args) -> int:
    resolver = load_resolver(args.site, args.base_url)
    text = " ".join(args.text)
    cites = [resolver.resolve(c) for c in find_citations(text)]
    if args.json:
        print(json.dumps([c.as_dict() for c in cites], ensure_ascii=False, indent=1))
    else:
        for c in cites:
            extra = f"  ({c.reason})" if c.reason else ""
            print(f"{c.text}\t{c.url or '-'}\t{c.status}{extra}")
    if not cites:
        print("wgindex cite: no citation found in the text (e.g. CTOC/COP/WG.7/2015/6，第23段)",
              file=sys.stderr)
        return 1
    resolved = [c for c in cites if c.status in ("in_corpus", "referenced_only", "ok")]
    return 0 if resolved else 1


def cmd_note(args) -> int:
    src = Path(args.note)
    try:
        text = src.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WgindexError(f"{src}: cannot read the note ({exc})") from None
    out = Path(args.output) if args.output else None
    resolver = load_resolver(args.site, args.base_url, out)
    result = render_note(text, resolver, allow_html=args.allow_html)
    html = result.html if args.fragment else standalone(result.html, text)
    level = "ERROR" if args.strict else "WARNING"
    for line, c in result.unresolved:
        print(f"{src}:{line}: {level}: {c.text}: {c.reason or c.status}", file=sys.stderr)
    if out:
        out.write_text(html, encoding="utf-8")
    else:
        sys.stdout.write(html)
    linked = len(result.citations) - len(result.unresolved)
    print(f"{src}: {len(result.citations)} citation(s), {linked} linked, "
          f"{len(result.unresolved)} unresolved", file=sys.stderr)
    return 1 if (args.strict and result.unresolved) else 0


def add_cite_commands(sub) -> None:
    p = sub.add_parser("cite", help="print the URL of a citation",
                       description="Find citations in TEXT (e.g. 'CTOC/COP/WG.7/2015/6，第23段') "
                                   "and print each one's URL and status: in_corpus, "
                                   "referenced_only, unknown_symbol, no_such_paragraph. "
                                   "Exit 1 when nothing resolves.")
    p.add_argument("text", nargs="+", metavar="TEXT")
    p.add_argument("--site", default="site", help="a built site (its inventory.json is used)")
    p.add_argument("--base-url", default="", help="public URL of the site")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_cite)

    p = sub.add_parser("note", help="render a Markdown briefing note with citations linked",
                       description="Render NOTE.md with markdown-it-py; every citation becomes "
                                   "a link. Unresolved citations are listed on stderr as "
                                   "'NOTE.md:LINE: WARNING: …'.")
    p.add_argument("note", metavar="NOTE.md")
    p.add_argument("-o", "--output", help="write HTML here (default: stdout)")
    p.add_argument("--site", default="site")
    p.add_argument("--base-url", default="")
    p.add_argument("--fragment", action="store_true", help="only the body HTML")
    p.add_argument("--strict", action="store_true", help="unresolved citations are errors")
    p.add_argument("--allow-html", action="store_true",
                   help="pass raw HTML of the note through (only for notes you wrote yourself; "
                        "by default it is shown as text)")
    p.set_defaults(func=cmd_note)
