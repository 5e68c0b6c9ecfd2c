"""Site commands of the CLI: build, render, serve, cite, note."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

from .collect import DEFAULT_BUDGET, Budget
from .errors import WgindexError
from .glyphs import BACKENDS, DEFAULT_BACKEND
from .write import prepare_output


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


def _lock(out: Path):
    """An exclusive lock per output directory: two builds never write one site."""
    import fcntl
    out.parent.mkdir(parents=True, exist_ok=True)
    fh = open(out.parent / f".{out.name}.lock", "w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise WgindexError(f"another wgindex build is writing {out}; wait for it to finish") from None
    return fh


def _protected(args) -> list[Path]:
    """Folders a build reads: its output may not be, contain or sit inside them."""
    return [Path(s) for s in args.sources] + [Path(args.cache_dir)]


def cmd_build(args) -> int:
    if not all(Path(s).exists() for s in args.sources):
        return _build(args)  # reports the missing folder without taking the lock
    args.output = str(prepare_output(Path(args.output), protected=_protected(args)))
    if args.records:
        prepare_output(Path(args.records), protected=_protected(args) + [Path(args.output)],
                       label="records folder")
    with _lock(Path(args.output)):  # held from parsing to the swap: a second build fails fast
        return _build(args)


def _build(args) -> int:
    from .cache import ParseCache
    from .cli import issues_of
    from .collect import parse_sources
    from .records import to_yaml
    from . import PARSER_VERSION, __version__
    from .cache import BuildStamps, build_digest, inputs_digest
    from .collect import source_keys
    from .render import Builder, write_site
    from .search import build_search_files
    t0 = time.monotonic()
    out = Path(args.output)
    sources = [Path(s) for s in args.sources]
    missing = [s for s in sources if not s.exists()]
    if missing:
        _err(f"wgindex build: {missing[0]}: no such file or folder (give the folder of source documents)")
        return 2
    cache = None if args.ignore_cache else ParseCache(Path(args.cache_dir))
    stamps = BuildStamps(Path(args.cache_dir))
    options = f"{__version__}\0{PARSER_VERSION}\0{args.base_url}\0{args.strict}"
    fast_digest = None
    if cache is not None and not args.records:
        fast_digest = inputs_digest(source_keys(sources, cache), options)
        last = stamps.fast(out, fast_digest)
        if last is not None:
            for line in last.get("errors", []):
                _err(line)
            _err(f"{out}/ is up to date: {last['documents']} document(s), {len(last.get('errors', []))} "
                 f"error(s), {last['warnings']} warning(s); nothing changed since the last build "
                 f"({time.monotonic() - t0:.2f}s)")
            return last.get("code", 0)
    result = parse_sources(sources, cache=cache, progress=progress_bar, jobs=args.jobs,
                           budget=Budget(args.doc_timeout or None, args.doc_memory or None))
    if not result.files:
        _err(f"wgindex build: no source documents (.txt, .md, .pdf) in {' '.join(args.sources)}")
        return 2
    warnings = [w for r in result.records for w in issues_of(r)]
    for err in result.errors:
        _err(err.format())
    if args.strict and (result.errors or warnings):
        for w in warnings:
            _err(w)
        _err(f"wgindex build --strict: {len(result.errors)} error(s), {len(warnings)} warning(s); "
             f"nothing was published")
        return 1
    t1 = time.monotonic()
    digest = build_digest(result.records, result.serialized,
                          f"{__version__}\0{PARSER_VERSION}\0{args.base_url}")
    if not args.ignore_cache and stamps.unchanged(out, digest) and not args.records:
        _err(f"{out}/ is up to date: {len(result.records)} document(s), {result.cached} from cache, "
             f"{len(result.errors)} error(s), {len(warnings)} warning(s); nothing to render "
             f"({time.monotonic() - t0:.2f}s)")
        return 1 if result.errors else 0
    builder = Builder(result.records, args.base_url or "", result.serialized)
    memo = {} if args.ignore_cache or not stamps.intact(out) else (stamps.memo(out) or {})
    files = builder.build(processes=args.jobs or min(2, os.cpu_count() or 1), memo=memo,
                          previous=out if out.exists() else None).files
    files.update(build_search_files(result.records, files, corpus=builder.corpus))
    t2 = time.monotonic()
    stats = write_site(files, out, protected=_protected(args))
    stamps.record(out, digest, builder.memo)
    if fast_digest is not None:
        stamps.record_fast(out, fast_digest, {"documents": len(result.records), "warnings": len(warnings),
                                              "errors": [e.format() for e in result.errors],
                                              "code": 1 if result.errors else 0})
    if args.records:
        rdir = Path(args.records)
        rfiles = {}
        from .parse import provisional_id
        for r in result.records:
            name = (r["symbol"] or provisional_id(r["source"]["file"])).replace("/", "_") + ".yaml"
            rfiles[name] = to_yaml(r).encode("utf-8")
        with _lock(rdir):
            write_site(rfiles, rdir, protected=_protected(args) + [out])
    pages = sum(1 for f in files if f.endswith(".html"))
    _err(f"built {out}/: {len(result.records)} document(s) of {len(result.files)} source(s) "
         f"({result.cached} from cache), {len(result.errors)} error(s), {len(warnings)} warning(s); "
         f"{pages} pages ({builder.stats['reused_pages']} reused), {stats['written']} files written, "
         f"{stats['unchanged']} unchanged; "
         f"parse {t1 - t0:.2f}s, render {t2 - t1:.2f}s, total {time.monotonic() - t0:.2f}s")
    return 1 if result.errors else 0


def load_records(paths: list[Path]) -> list[dict]:
    """Records from YAML/JSON files or folders (single records, lists or YAML streams)."""
    import json

    import yaml

    from .records import _Loader, revive_dates
    files: list[Path] = []
    for p in paths:
        if p.is_dir():
            files += sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml", ".json")
                            and x.name not in ("inventory.json",) and "data" not in x.parts[-2:-1])
        elif p.exists():
            files.append(p)
        else:
            raise WgindexError(f"{p}: no such file or folder")
    records: list[dict] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            docs = [json.loads(text)] if f.suffix == ".json" else list(yaml.load_all(text, Loader=_Loader))
        except (ValueError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise WgindexError(f"{f}: not a valid record file ({str(exc).splitlines()[0]})") from None
        for d in docs:
            for r in d if isinstance(d, list) else [d]:
                if isinstance(r, dict) and "id" in r and "kind" in r:
                    records.append(revive_dates(r))
    seen = {}
    for r in records:
        seen[r["id"]] = r
    return [seen[k] for k in sorted(seen)]


def cmd_render(args) -> int:
    from .render import build_site_files, write_site
    from .search import build_search_files
    records = load_records([Path(p) for p in args.records])
    from .errors import SymbolError
    from .sitepaths import doc_dir
    good = []
    for r in records:
        try:
            doc_dir(r)
            good.append(r)
        except (SymbolError, KeyError, TypeError) as exc:
            _err(f"{r.get('source', {}).get('file', r.get('id'))}: ERROR: record skipped: {exc}")
    records = good
    if not records:
        _err(f"wgindex render: no records found in {' '.join(args.records)}")
        return 2
    files = build_site_files(records, base_url=args.base_url or "")
    files.update(build_search_files(records, files))
    out = prepare_output(Path(args.output), protected=[Path(p) for p in args.records])
    with _lock(out):
        stats = write_site(files, out, protected=[Path(p) for p in args.records])
    _err(f"rendered {len(records)} record(s) into {out}/: {stats['written']} files written, "
         f"{stats['unchanged']} unchanged")
    return 0


def cmd_serve(args) -> int:
    import functools
    import http.server
    site = Path(args.site)
    if not (site / "index.html").exists():
        _err(f"wgindex serve: {site}/index.html not found; run 'wgindex build' first")
        return 2
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    try:
        httpd = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    except OSError as exc:
        _err(f"wgindex serve: cannot listen on 127.0.0.1:{args.port}: {exc.strerror or exc} "
             f"(is another server using it? choose another port with -p, or -p 0 for any free one)")
        return 2
    with httpd:
        _err(f"serving {site}/ at http://127.0.0.1:{httpd.server_address[1]}/ (Ctrl-C to stop)")
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass
    return 0


def _port(text: str) -> int:
    import argparse
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number (0 to 65535)")
    return port


def _positive(text: str) -> int:
    import argparse
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

    p = sub.add_parser("serve", help="preview the site on 127.0.0.1")
    p.add_argument("site", nargs="?", default="site")
    p.add_argument("-p", "--port", type=_port, default=8000, help="port (default 8000; 0: any free port)")
    p.set_defaults(func=cmd_serve)

    from .cli_cite import add_cite_commands
    add_cite_commands(sub)
