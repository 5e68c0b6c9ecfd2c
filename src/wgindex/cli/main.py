"""The ``wgindex`` command line: parse, check and the entry point.  Only the CLI turns errors
into messages and exit codes; the work is the library's (``wgindex.api``)."""

from __future__ import annotations

import argparse
import os
import sys

from .. import api
from .._version import __version__
from ..errors import SourceError, WgindexError
from ..records import jsonable, record_issues, to_json, to_yaml
from ..text.glyphs import ENV
from . import site as cli_site


def _print_err(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_parse(args) -> int:
    result = api.parse(args.files)  # both cores, as a build parses
    for err in result.errors:
        _print_err(err.format())
    if not result.files:
        _print_err("wgindex parse: no source files given (expected .txt, .md or .pdf)")
        return 2
    if args.json:
        print(to_json(jsonable(result.records), indent=1))
    else:
        for r in result.records:
            sys.stdout.write("---\n" + to_yaml(r))
    return 1 if result.errors else 0


def cmd_check(args) -> int:
    result = api.parse(args.sources)
    if not result.files:
        _print_err(f"wgindex check: no source files in {' '.join(args.sources)}")
        return 2
    warnings = []
    for r in result.records:
        warnings.extend(i.format() for i in record_issues(r))
    for line in warnings:
        print(line)
    for err in result.errors:
        print(err.format())
    n_disc = sum(len(r.get("discrepancies", [])) for r in result.records)
    print(f"checked {len(result.files)} source(s): {len(result.records)} parsed, "
          f"{len(result.errors)} error(s), {len(warnings)} warning(s) "
          f"({n_disc} source discrepancies)", file=sys.stderr)
    if result.errors or (args.strict and warnings):
        return 1
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wgindex",
        description="Records and a cross-linked static site for the UNTOC working-group documents.")
    parser.add_argument("--version", action="version", version=f"wgindex {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("parse", help="print the records of source files as YAML (or JSON)",
                       description="Parse source files (.txt, .md, .pdf) and print their records.")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--json", action="store_true", help="print a JSON list instead of YAML")
    cli_site.add_pdf_backend(p)
    p.set_defaults(func=cmd_parse)

    p = sub.add_parser("check", help="report warnings and source discrepancies",
                       description="Parse the sources and print warnings and source "
                                   "discrepancies as 'path:line: WARNING: message'. Exit 1 on "
                                   "errors (and, with --strict, on warnings).")
    p.add_argument("sources", nargs="*", default=["seeds"], metavar="SOURCES")
    p.add_argument("--strict", action="store_true", help="treat warnings as errors")
    cli_site.add_pdf_backend(p)
    p.set_defaults(func=cmd_check)

    cli_site.add_commands(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if getattr(args, "pdf_backend", None):
        os.environ[ENV] = args.pdf_backend  # parser processes inherit it
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return args.func(args)
    except WgindexError as exc:
        _print_err(exc.format() if isinstance(exc, SourceError) else f"wgindex: error: {exc}")
        return 1
    except BrokenPipeError:  # the reader stopped early (``| head``): nothing to say
        return 0
    except OSError as exc:  # the machine said no (disk full, permissions): say what and where
        where = f"{exc.filename}: " if exc.filename else ""
        _print_err(f"wgindex: error: {where}{exc.strerror or exc} (nothing was published; check "
                   f"free space and permissions)")
        return 1
    except KeyboardInterrupt:
        _print_err("wgindex: interrupted; nothing was changed in the output directory")
        return 130


def run() -> None:
    """The ``wgindex`` command: ``main``, then the process ends without freeing what it made,
    its output flushed first.  After a build of 1,000 documents, freeing the records and the
    linked corpus one object at a time, then the interpreter's own teardown, took 0.5-0.9 s
    of the 6-7 s an add-one rebuild took from start to end (medians, measured alternately)."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing to say
            pass
    os._exit(code)
