"""The writers' commands: ``wgindex cite`` and ``wgindex note``."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from ..cite.finder import LINKED, STATUSES, Resolver, find_citations
from ..cite.note import render_note, standalone
from ..errors import WgindexError


def load_resolver(site: str | None, base_url: str, out_file: Path | None = None, warn: bool = False):
    """A resolver over the inventory of a built site (``--site``), linking to ``base_url``
    (given, or the one the site was built with) or, without one, relative to where the
    output is written (with a warning when ``warn``: such links work only beside the site)."""
    site_dir = Path(site or "site")
    inv_path = site_dir / "inventory.json"
    if not inv_path.exists():
        raise WgindexError(f"no link inventory at {inv_path}: run 'wgindex build' first, "
                           f"or pass --site with the folder of a built site")
    try:
        inventory = json.loads(inv_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise WgindexError(f"{inv_path}: not a valid inventory ({exc})") from None
    base_url = base_url or inventory.get("base_url") or ""
    file_links = not base_url
    if not base_url:
        if warn:
            print(f"wgindex note: WARNING: no base URL known, so links are relative to "
                  f"{out_file.parent if out_file else 'the current folder'} and work only beside the "
                  f"site in {site_dir} (pass --base-url, or build the site with --base-url)", file=sys.stderr)
        start = out_file.parent if out_file else Path.cwd()
        base_url = os.path.relpath(site_dir.resolve(), start.resolve()).replace(os.sep, "/") + "/"
    return Resolver(inventory, base_url, file_links=file_links)


def cmd_cite(args) -> int:
    resolver = load_resolver(args.site, args.base_url)
    cites = []
    for text in args.text:  # each argument is its own text: never joined into one citation
        found = find_citations(text)
        if not found:
            print(f"wgindex cite: no citation in {text!r} (e.g. CTOC/COP/WG.7/2015/6，第23段)",
                  file=sys.stderr)
        cites += [resolver.resolve(c) for c in found]
    if args.json:
        print(json.dumps([c.as_dict() for c in cites], ensure_ascii=False, indent=1))
    else:
        for c in cites:
            extra = f"  ({c.reason})" if c.reason else ""
            print(f"{c.text}\t{c.url or '-'}\t{c.status}{extra}")
    if not cites:
        return 1
    return 0 if any(c.status in LINKED for c in cites) else 1


def cmd_note(args) -> int:
    src = Path(args.note)
    try:
        text = src.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise WgindexError(f"{src}: cannot read the note ({exc})") from None
    out = Path(args.output) if args.output else None
    resolver = load_resolver(args.site, args.base_url, out, warn=True)
    result = render_note(text, resolver, allow_html=args.allow_html)
    html = result.html if args.fragment else standalone(result.html, text)
    level = "ERROR" if args.strict else "WARNING"
    for line, c in result.unresolved:
        print(f"{src}:{line}: {level}: {c.text}: {c.reason or c.status}", file=sys.stderr)
    linked = len(result.citations) - len(result.unresolved)
    summary = (f"{src}: {len(result.citations)} citation(s), {linked} linked, "
               f"{len(result.unresolved)} unresolved")
    if args.strict and result.unresolved:
        print(f"{summary}; --strict: nothing written", file=sys.stderr)
        return 1
    if out:
        out.write_text(html, encoding="utf-8")
    else:
        sys.stdout.write(html)
    print(summary, file=sys.stderr)
    return 0


def add_cite_commands(sub) -> None:
    p = sub.add_parser("cite", help="print the URL of a citation",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       description="Find the citations in each TEXT (each argument on its own, e.g. "
                                   "'CTOC/COP/WG.7/2015/6，第23段' or 'CTOC/COP/WG.7/2017/5，议程项目 2') "
                                   "and print each one's URL and status. Exit 1 when nothing resolves.\n\n"
                                   "statuses:\n" + "\n".join(f"  {k:24}{v}" for k, v in STATUSES.items()))
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
