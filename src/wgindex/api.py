"""wgindex as a library: the pipeline the CLI, the tests and other programs share.

    records = wgindex.parse(["docs"]).records        # sources -> records
    site = wgindex.render(records)                    # records -> {path: bytes}
    report = wgindex.build(["docs"], "site")          # sources -> a site on disk, incrementally

Library code raises typed errors (``errors``) and returns what happened; only the CLI prints.
"""

from __future__ import annotations

import fcntl
import json
import os
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from ._version import PARSER_VERSION, __version__
from .cache import BuildStamps, ParseCache, SlugCache, build_digest, inputs_digest
from .collect import DEFAULT_BUDGET, Budget, ParseResult, discover, parse_sources, source_keys
from .corpus.urls import doc_dir
from .errors import Issue, SymbolError, WgindexError
from .parse.document import provisional_id
from .records import _Loader, problems as record_problems, record_issues, revive_dates, to_yaml
from .site.lookups import SiteData
from .site.render import Rendered, render_site
from .site.output import prepare_output
from .site.write import Staging, write_site


def parse(sources, *, jobs: int | None = None, cache: ParseCache | None = None,
          budget: Budget = DEFAULT_BUDGET, progress=None, executor=None) -> ParseResult:
    """Parse every source document under ``sources`` (files or folders).  ``executor``: any
    ``concurrent.futures.Executor`` to run the parses on (default: wgindex's process pool)."""
    return parse_sources([Path(s) for s in sources], jobs=jobs, cache=cache, progress=progress,
                         budget=budget, executor=executor)


def render(records: list[dict], *, base_url: str = "", serialized: dict | None = None,
           processes: int = 1, memo: dict | None = None, previous: Path | None = None,
           executor=None) -> Rendered:
    """Every file of the site, search index included (``.files``: path -> bytes)."""
    return render_site(records, base_url, serialized, processes, memo, previous, executor)


def inventory(records: list[dict]) -> dict:
    """The link targets of a corpus (what ``inventory.json`` holds) for ``cite.Resolver``."""
    return SiteData(records).inventory()


_LOCKS: set[int] = set()  # the descriptors of the output locks this process holds


def _drop_inherited_locks() -> None:
    """In a process forked while a build held its lock (a caller's executor starts its workers
    during the build): close the inherited descriptors, so the lock ends with the build."""
    for fd in _LOCKS:
        try:
            os.close(fd)
        except OSError:
            pass
    _LOCKS.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_drop_inherited_locks)


@contextmanager
def output_lock(out: Path):
    """An exclusive lock per output folder: two builds never write one site."""
    out.parent.mkdir(parents=True, exist_ok=True)
    fh = open(out.parent / f".{out.name}.lock", "w")
    try:
        fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        fh.close()
        raise WgindexError(f"another wgindex build is writing {out}; wait for it to finish") from None
    with fh:
        fd = fh.fileno()
        _LOCKS.add(fd)
        try:
            yield
        finally:
            _LOCKS.discard(fd)


@dataclass
class BuildReport:
    """What a build did.  ``status``: built, up_to_date, no_sources, strict_failed."""

    status: str
    output: Path
    code: int = 0
    documents: int = 0
    sources: int = 0
    cached: int = 0
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    summary: str = ""


def build(sources, output, *, base_url: str = "", strict: bool = False,
          cache_dir=".wgindex-cache", ignore_cache: bool = False, jobs: int | None = None,
          budget: Budget = DEFAULT_BUDGET, records_dir=None, progress=None,
          executor=None, detach: bool = False, free: bool = True) -> BuildReport:
    """Parse ``sources`` and build the site into ``output`` (swapped in whole at the end).

    Sources whose bytes did not change come from the parse cache; pages whose context and
    answers did not change are kept from the previous site.  One bad document never stops
    the others: its error is in the report and the build exit code is 1.  ``executor`` (any
    ``concurrent.futures.Executor``: a ``ProcessPoolExecutor``, a Dask ``Client``'s
    ``get_executor()`` …) runs the map over sources and over pages; the output is the same.
    ``detach``: return once the new site is in place, leaving the previous one to a process
    of its own to remove (as ``wgindex build`` does); by default it is gone on return.
    ``free=False``: what the build made (the records, the linked corpus) is left for the
    process's end, not freed on return; for a command that ends right after (``wgindex
    build``, which ends without freeing anything: ``cli.run``), until the next build."""
    srcs = [Path(s) for s in sources]
    missing = [s for s in srcs if not s.exists()]
    if missing:
        raise WgindexError(f"{missing[0]}: no such file or folder (give the folder of source documents)")
    protected = srcs + [Path(cache_dir)]
    out = prepare_output(Path(output), protected=protected)
    if records_dir:
        prepare_output(Path(records_dir), protected=protected + [out], label="records folder")
    with output_lock(out):  # held from parsing to the swap: a second build fails fast
        return _build(srcs, out, protected, base_url=base_url, strict=strict, cache_dir=Path(cache_dir),
                      ignore_cache=ignore_cache, jobs=jobs, budget=budget,
                      records_dir=Path(records_dir) if records_dir else None, progress=progress,
                      executor=executor, detach=detach, free=free)


_LEFT: list = []  # what the last build with free=False made, left for the process's end


def _build(srcs, out, protected, *, base_url, strict, cache_dir, ignore_cache, jobs, budget,
           records_dir, progress, executor, detach, free) -> BuildReport:
    t0 = time.monotonic()
    _LEFT.clear()  # what an earlier build left is freed now
    cache = None if ignore_cache else ParseCache(cache_dir)
    stamps = BuildStamps(cache_dir)
    stamps.record_options(out, {"sources": [str(s.resolve()) for s in srcs], "base_url": base_url,
                                "strict": strict, "cache_dir": str(cache_dir.resolve())})
    options = f"{__version__}\0{PARSER_VERSION}\0{base_url}\0{strict}"
    fast_digest = None
    found = discover(srcs)  # the sources, found once for both questions below
    if cache is not None and not records_dir:
        fast_digest = inputs_digest(source_keys(srcs, cache, found), options)
        last = stamps.fast(out, fast_digest)
        if last is not None:
            cache.save_keys()
            errors = last.get("errors", [])
            return BuildReport("up_to_date", out, last.get("code", 0), last["documents"], errors=errors,
                               summary=f"{out}/ is up to date: {last['documents']} document(s), {len(errors)} "
                                       f"error(s), {last['warnings']} warning(s); nothing changed since the "
                                       f"last build ({time.monotonic() - t0:.2f}s)")
    result = parse_sources(srcs, cache=cache, progress=progress, jobs=jobs, budget=budget,
                           executor=executor, found=found)
    if not free:
        _LEFT.append(result)
    if cache is not None:
        cache.save_keys()
    errors = [e.format() for e in result.errors]
    warnings = [i.format() for r in result.records for i in record_issues(r)]
    report = BuildReport("built", out, 1 if errors else 0, len(result.records), len(result.files),
                         result.cached, errors, warnings)
    if not result.files:
        report.status, report.code = "no_sources", 2
        report.summary = f"wgindex build: no source documents (.txt, .md, .pdf) in {' '.join(map(str, srcs))}"
        return report
    if strict and (errors or warnings):
        report.status, report.code = "strict_failed", 1
        report.summary = (f"wgindex build --strict: {len(errors)} error(s), {len(warnings)} warning(s); "
                          f"nothing was published")
        return report
    t1 = time.monotonic()
    digest = build_digest(result.records, result.serialized, f"{__version__}\0{PARSER_VERSION}\0{base_url}")
    if not ignore_cache and stamps.unchanged(out, digest) and not records_dir:
        report.status = "up_to_date"
        report.summary = (f"{out}/ is up to date: {len(result.records)} document(s), {result.cached} from "
                          f"cache, {len(errors)} error(s), {len(warnings)} warning(s); nothing to render "
                          f"({time.monotonic() - t0:.2f}s)")
        return report
    memo = {} if ignore_cache or not stamps.intact(out) else (stamps.memo(out) or {})
    slugs = None if ignore_cache else SlugCache(cache_dir)
    if slugs is not None:
        slugs.load()
    with Staging(out, protected=protected) as staging:  # pages go to disk as they are rendered
        site = render_site(result.records, base_url, result.serialized,
                           jobs or min(2, os.cpu_count() or 1), memo, out if out.exists() else None,
                           executor, writer=staging,
                           search_state=None if ignore_cache else stamps.search_state(out),
                           compiled_templates=None if ignore_cache else cache_dir / "templates")
        t2 = time.monotonic()
        if not free:
            _LEFT.append(site)
        # the previous site goes while the stamps are written (and after, when detached)
        stats = staging.commit(wait="detach" if detach else False)
    try:
        stamps.record(out, digest, site.memo)
        if slugs is not None:
            slugs.save()
        if fast_digest is not None:
            stamps.record_fast(out, fast_digest, {"documents": len(result.records), "warnings": len(warnings),
                                                  "errors": errors, "code": report.code})
        if records_dir:
            rfiles = {(r["id"] if r["symbol"] else provisional_id(r["source"]["file"])).replace("/", "_") + ".yaml":
                      to_yaml(r).encode("utf-8") for r in result.records}
            with output_lock(records_dir):
                write_site(rfiles, records_dir, protected=protected + [out])
    finally:
        staging.wait()
    pages = sum(1 for f in site.files if f.endswith(".html"))
    report.summary = (f"built {out}/: {len(result.records)} document(s) of {len(result.files)} source(s) "
                      f"({result.cached} from cache), {len(errors)} error(s), {len(warnings)} warning(s); "
                      f"{pages} pages ({site.stats['reused_pages']} reused), {stats['written']} files written, "
                      f"{stats['unchanged']} unchanged; "
                      f"parse {t1 - t0:.2f}s, render {t2 - t1:.2f}s, total {time.monotonic() - t0:.2f}s")
    return report


def load_records(paths) -> tuple[list[dict], list[Issue]]:
    """Records from YAML/JSON files or folders (single records, lists or YAML streams), and
    an issue for each record that does not have the record contract's shape (it is skipped)."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(x for x in p.rglob("*") if x.suffix in (".yaml", ".yml", ".json")
                            and x.name not in ("inventory.json",) and "data" not in x.parts[-2:-1])
        elif p.exists():
            files.append(p)
        else:
            raise WgindexError(f"{p}: no such file or folder")
    records: dict[str, dict] = {}
    issues: list[Issue] = []
    for f in files:
        try:
            text = f.read_text(encoding="utf-8")
            docs = [json.loads(text)] if f.suffix == ".json" else list(yaml.load_all(text, Loader=_Loader))
        except (ValueError, yaml.YAMLError, UnicodeDecodeError) as exc:
            raise WgindexError(f"{f}: not a valid record file ({str(exc).splitlines()[0]})") from None
        for d in docs:
            for r in d if isinstance(d, list) else [d]:
                if not (isinstance(r, dict) and "id" in r and "kind" in r):
                    continue
                problems = record_problems(r)
                if not problems:
                    try:
                        doc_dir(r)
                    except SymbolError as exc:
                        problems = [str(exc)]
                if problems:
                    issues.append(Issue(str(f), f"record skipped: {r.get('id')!r}: {'; '.join(problems)}",
                                        level="ERROR"))
                    continue
                records[r["id"]] = revive_dates(r)
    return [records[k] for k in sorted(records)], issues
