"""Collect and parse every source of a folder; one bad document never stops the others."""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .errors import SourceError
from .read import display_name, is_source


@dataclass
class ParseResult:
    records: list[dict] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    cached: int = 0
    # record id -> (record.yaml text, record.json text), made by the parser workers / cache
    serialized: dict[str, tuple[str, str]] = field(default_factory=dict)


def find_sources(paths: list[Path]) -> list[Path]:
    """Source files under ``paths`` (files or folders), sorted, sidecars excluded."""
    out: set[Path] = set()
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for child in p.rglob("*"):
                if child.is_file() and is_source(child) and not any(
                        part.startswith(".") for part in child.relative_to(p).parts):
                    out.add(child)
        elif p.exists():
            out.add(p)
    return sorted(out, key=lambda x: x.as_posix())


def _parse_one(args: tuple[str, str]):
    from .parse import parse_path
    from .records import jsonable, to_json, to_yaml
    path, name = args
    try:
        record = parse_path(Path(path), name)
        return (record, (to_yaml(record), to_json(jsonable(record)))), None
    except SourceError as exc:
        return None, exc
    except RecursionError:
        return None, SourceError(name, "document structure too deeply nested to parse")
    except Exception as exc:  # a parser bug must not stop the other documents
        return None, SourceError(name, f"internal error while parsing ({type(exc).__name__}: {exc})",
                                 hint="please report this with the file")


def parse_sources(paths: list[Path], *, jobs: int | None = None, cache=None,
                  progress=None) -> ParseResult:
    """Parse every source under ``paths``; records sorted by file name.

    ``cache`` (a ``cache.ParseCache``) skips sources whose content, sidecar and parser version
    are unchanged; the rest are parsed in a process pool (both cores).
    """
    files = find_sources(paths)
    result = ParseResult(files=[display_name(f) for f in files])
    todo: list[tuple[str, str]] = []
    by_name: dict[str, dict] = {}
    texts: dict[str, tuple[str, str] | None] = {}
    for f, name in zip(files, result.files):
        hit = cache.get(f, name) if cache else None
        if hit is not None:
            by_name[name] = hit[0]
            texts[name] = hit[1]
            result.cached += 1
        else:
            todo.append((str(f), name))
    jobs = jobs if jobs is not None else min(len(todo), os.cpu_count() or 1, 4)
    if jobs > 1 and len(todo) > 2:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            outcomes = pool.map(_parse_one, todo, chunksize=max(1, len(todo) // (jobs * 8)))
            outcomes = _progress(outcomes, len(todo), progress)
            done = list(zip(todo, outcomes))
    else:
        done = [(t, _parse_one(t)) for t in _progress(todo, len(todo), progress)]
    for (path, name), (parsed, error) in done:
        if error is not None:
            result.errors.append(error)
            continue
        record, serial = parsed
        by_name[name] = record
        texts[name] = serial
        if cache:
            cache.put(Path(path), name, record, serial)
    result.records = [by_name[n] for n in sorted(by_name)]
    result.serialized = {by_name[n]["id"]: texts[n] for n in by_name if texts.get(n)}
    result.errors.sort(key=lambda e: e.file)
    _check_duplicates(result)
    return result


def _progress(iterable, total, progress):
    if progress is None:
        return iterable
    return progress(iterable, total)


def _check_duplicates(result: ParseResult) -> None:
    """Two sources claiming one symbol: both are reported and neither is published."""
    claims: dict[str, list[dict]] = {}
    for r in result.records:
        if r.get("symbol"):
            claims.setdefault(r["symbol"], []).append(r)
    bad = {s: rs for s, rs in claims.items() if len(rs) > 1}
    if not bad:
        return
    dropped = set()
    for symbol, rs in sorted(bad.items()):
        files = [r["source"]["file"] for r in rs]
        for r in rs:
            others = ", ".join(f for f in files if f != r["source"]["file"])
            result.errors.append(SourceError(
                r["source"]["file"], f"claims symbol {symbol}, as does {others}",
                hint="fix the symbol in a sidecar <file>.meta.yaml or remove the duplicate"))
            dropped.add(id(r))
    result.records = [r for r in result.records if id(r) not in dropped]
    result.errors.sort(key=lambda e: e.file)


def source_keys(paths: list[Path], cache) -> list[tuple[str, str | None]]:
    """(display name, cache key) of every source: what a build's inputs are, cheaply."""
    files = find_sources(paths)
    return [(display_name(f), cache.key(f, display_name(f))) for f in files]
