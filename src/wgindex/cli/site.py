"""Site commands of the CLI: build, render, serve, cite, note."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .. import api, live
from ..collect import DEFAULT_BUDGET, Budget
from ..site.output import prepare_output
from ..site.write import write_site
from ..text.glyphs import BACKENDS, DEFAULT_BACKEND
from .cite import add_cite_commands


def _err(text: str) -> None:
    print(text, file=sys.stderr)


def progress_bar(iterable, total: int):
    """A plain progress bar on stderr when it is a terminal and there is enough to do."""
    if total < 20 or not sys.stderr.isatty():
        yield from iterable
        return
    start = time.monotonic()
    for i, item in enumerate(iterable, 1):
        if i == total or i % max(1, total // 100) == 0:
            filled = int(30 * i / total)
            sys.stderr.write(f"\rparsing [{'#' * filled}{'.' * (30 - filled)}] {i}/{total} "
                             f"{time.monotonic() - start:5.1f}s")
            sys.stderr.flush()
        yield item
    sys.stderr.write("\n")


def cmd_build(args) -> int:
    missing = [s for s in args.sources if not Path(s).exists()]
    if missing:
        _err(f"wgindex build: {missing[0]}: no such file or folder (give the folder of source documents)")
        return 2
    report = api.build(args.sources, args.output, base_url=args.base_url or "", strict=args.strict,
                       cache_dir=args.cache_dir, ignore_cache=args.ignore_cache, jobs=args.jobs,
                       budget=Budget(args.doc_timeout or None, args.doc_memory or None),
                       records_dir=args.records, progress=progress_bar, detach=True, free=False)
    for line in report.errors:
        _err(line)
    if report.status == "strict_failed":
        for line in report.warnings:
            _err(line)
    _err(report.summary)
    return report.code


def cmd_render(args) -> int:
    records, issues = api.load_records(args.records)
    for issue in issues:
        _err(issue.format())
    if not records:
        _err(f"wgindex render: no records found in {' '.join(args.records)}")
        return 2
    protected = [Path(p) for p in args.records]
    out = prepare_output(Path(args.output), protected=protected)
    with api.output_lock(out):
        stats = write_site(api.render(records, base_url=args.base_url or "").files, out, protected=protected)
    _err(f"rendered {len(records)} record(s) into {out}/: {stats['written']} files written, "
         f"{stats['unchanged']} unchanged")
    return 0


def cmd_serve(args) -> int:
    site = Path(args.site)
    if not (site / "index.html").exists():
        _err(f"wgindex serve: {site}/index.html not found; run 'wgindex build' first")
        return 2
    built = live.last_build(site, Path(args.cache_dir))
    sources = args.sources or (built or {}).get("sources")
    if args.watch is True and not sources:
        _err(f"wgindex serve --watch: which sources built {site}/ is not known (it was not built "
             f"with --cache-dir {args.cache_dir}); give them with --sources")
        return 2
    watching = None
    if args.watch is not False and sources:
        opts = built or {}
        watching = live.LiveSite(site, [Path(s) for s in sources], base_url=opts.get("base_url", ""),
                                 strict=bool(opts.get("strict")),
                                 cache_dir=Path(opts.get("cache_dir") or args.cache_dir), log=_err)
    try:
        live.serve(site, args.port, watching, log=_err)
    except OSError as exc:
        _err(f"wgindex serve: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc} "
             f"(is another server using it? choose another port with -p, or -p 0 for any free one)")
        return 2
    return 0


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return n


def add_pdf_backend(p) -> None:
    p.add_argument("--pdf-backend", choices=sorted(BACKENDS), default=None,
                   help=f"glyph source for PDFs (default: {DEFAULT_BACKEND}; both give the same records)")


def add_commands(sub) -> None:
    p = sub.add_parser("build", help="parse sources and build the site",
                       description="Parse every source under SOURCES and build the static site "
                                   "into a temporary folder, then swap it in (the previous site "
                                   "stays whole if anything goes wrong).")
    p.add_argument("sources", nargs="*", default=["seeds"], metavar="SOURCES")
    p.add_argument("-o", "--output", default="site", help="output folder (default: site)")
    p.add_argument("--records", metavar="DIR", help="also write the YAML records into DIR")
    p.add_argument("--base-url", default="", help="public URL of the site, used in copied citations")
    p.add_argument("--strict", action="store_true", help="publish nothing if any source failed or warned")
    p.add_argument("--ignore-cache", action="store_true", help="re-parse every source")
    p.add_argument("--cache-dir", default=".wgindex-cache", help="parse cache folder")
    add_pdf_backend(p)
    p.add_argument("-j", "--jobs", type=_positive, default=None, help="parser processes (default: cores)")
    p.add_argument("--doc-timeout", type=float, default=DEFAULT_BUDGET.seconds, metavar="SECONDS",
                   help=f"the longest one document may take to parse (default: "
                        f"{DEFAULT_BUDGET.seconds:g}; 0: no limit)")
    p.add_argument("--doc-memory", type=int, default=DEFAULT_BUDGET.memory_mb, metavar="MB",
                   help=f"the memory one document may use while parsed in a parser process "
                        f"(default: {DEFAULT_BUDGET.memory_mb}; 0: no limit)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("render", help="render a site from YAML/JSON records",
                       description="Render the site from records alone (edited or produced elsewhere).")
    p.add_argument("records", nargs="+", metavar="RECORDS")
    p.add_argument("-o", "--output", default="site")
    p.add_argument("--base-url", default="")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("serve", help="preview the site on 127.0.0.1, rebuilding it as its sources change",
                       description="Serve SITE on 127.0.0.1. When wgindex built SITE from sources (or "
                                   "with --sources), watch them: a change rebuilds the site and reloads "
                                   "open pages; a document that does not parse shows its error in the "
                                   "terminal and on the page.")
    p.add_argument("site", nargs="?", default="site")
    p.add_argument("-p", "--port", type=_port, default=8000, help="port (default 8000; 0: any free port)")
    p.add_argument("--watch", action=argparse.BooleanOptionalAction, default=None,
                   help="rebuild on change and reload open pages (default: when the sources are known)")
    p.add_argument("--sources", nargs="+", metavar="SOURCES", help="the sources to watch (default: "
                   "those SITE was last built from)")
    p.add_argument("--cache-dir", default=".wgindex-cache", help="the build's cache folder (default: .wgindex-cache)")
    p.set_defaults(func=cmd_serve)

    add_cite_commands(sub)
