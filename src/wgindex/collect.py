"""Collect and parse every source of a folder; one bad document never stops the others.

Each document is parsed under a budget (``Budget``: seconds and memory); a document over it,
or one that kills its parser process, becomes an error naming the file, and the others are
parsed as usual.
"""

from __future__ import annotations

import gc
import os
import signal
import threading
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .gcpause import long_lived
from .errors import SourceError, SymbolError
from .parse.document import parse_path
from .text.read import is_source
from .records import to_json, to_yaml
from .schema import LANG_CODES
from .corpus.urls import doc_dir


@dataclass(frozen=True)
class Budget:
    """What one document may cost to parse: wall-clock seconds and memory (MB, enforced in
    parser processes).  ``None`` means no limit."""
    seconds: float | None = 120.0
    memory_mb: int | None = 2048


DEFAULT_BUDGET = Budget()


@dataclass
class ParseResult:
    records: list[dict] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    cached: int = 0
    # record id -> (record.yaml text, record.json text), made by the parser workers / cache
    serialized: dict[str, tuple[str, str]] = field(default_factory=dict)


def _prefix(given: Path) -> str:
    """How a source path given on the command line is published: as given when it is a
    relative path inside the working folder (``seeds``), else by its last name alone — never
    an absolute path of this machine."""
    if not given.is_absolute() and ".." not in given.parts:
        return given.as_posix() if given.parts else ""
    return given.resolve().name


def _name(path: Path, root: Path, given: Path) -> str:
    prefix = _prefix(given)
    rel = path.relative_to(root).as_posix()
    return f"{prefix}/{rel}" if prefix and rel != "." else (rel if rel != "." else prefix)


def find_sources(paths: list[Path]) -> list[Path]:
    """Source files under ``paths`` (files or folders), sorted by published name."""
    return [f for f, _ in discover(paths)[0]]


def _entries(folder: str):
    """Every entry below ``folder`` that is not a folder (links to folders included), hidden
    ones and folders left out; links to folders are not followed (as ``Path.rglob``)."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:  # a folder that cannot be read holds nothing to read
        return
    for e in entries:
        if e.name.startswith("."):
            continue
        if e.is_dir(follow_symlinks=False):
            yield from _entries(e.path)
        else:
            yield e


def discover(paths: list[Path]) -> tuple[list[tuple[Path, str]], list[SourceError]]:
    """(path, published name) of every source under ``paths`` (files or folders), sorted by
    name, sidecars and hidden files excluded; and errors for sources refused (a symlink to a
    file outside the folder given).  Below a folder only the links are resolved: what is
    reached through real folders is inside it (resolving every file took 0.18 s of 1,000)."""
    out: dict[str, Path] = {}
    errors: list[SourceError] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            root = p.absolute()
            real_root = root.resolve()
            found = [e for e in _entries(str(root)) if is_source(Path(e.name))]
            for e in sorted(found, key=lambda e: e.path.split(os.sep)):  # as paths sort
                child = Path(e.path)
                if e.is_symlink():
                    target = child.resolve()
                    if real_root not in target.parents:  # a symlink (of the file or a folder)
                        errors.append(SourceError(_name(child, root, p), f"is a symbolic link to "
                                                  f"{target.name} outside {p}; not read",
                                                  hint="copy the document into the folder"))
                        continue
                if e.is_file():
                    out.setdefault(_name(child, root, p), child)
        elif p.exists() or p.is_symlink():
            out.setdefault(_prefix(p), p)
    return [(out[n], n) for n in sorted(out)], errors


def _parse_one(args: tuple[str, str, float | None]):
    path, name, seconds = args
    try:
        with _time_limit(seconds, name):
            record = parse_path(Path(path), name)
            return (record, (to_yaml(record), to_json(record))), None
    except SourceError as exc:
        return None, exc
    except MemoryError:
        return None, SourceError(name, "parsing needed more memory than a document may use",
                                 hint="check that the file is really a working-group document")
    except RecursionError:
        return None, SourceError(name, "document structure too deeply nested to parse")
    except Exception as exc:  # a parser bug must not stop the other documents
        return None, SourceError(name, f"internal error while parsing ({type(exc).__name__}: {exc})",
                                 hint="please report this with the file")


class _TimeUp(SourceError):
    pass


class _time_limit:
    """Raise a ``SourceError`` in the main thread after ``seconds`` (POSIX timers)."""

    def __init__(self, seconds: float | None, name: str):
        self.seconds, self.name = seconds, name
        self.active = bool(seconds) and hasattr(signal, "setitimer") \
            and threading.current_thread() is threading.main_thread()

    def _fire(self, signum, frame):
        raise _TimeUp(self.name, f"parsing took longer than the {self.seconds:g} s a document "
                      f"may take", hint="check the file; --doc-timeout raises the limit")

    def __enter__(self):
        if self.active:
            self.old = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)
        return self

    def __exit__(self, *exc):
        if self.active:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.old)
        return False


def _worker_init(memory_mb: int | None) -> None:
    """Parser processes: a memory ceiling (data segment), so a pathological document raises
    MemoryError in its own process instead of exhausting the machine."""
    if not memory_mb:
        return
    try:
        import resource
        limit = memory_mb * 1024 * 1024
        soft, hard = resource.getrlimit(resource.RLIMIT_DATA)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))
    except (ImportError, ValueError, OSError):  # pragma: no cover - not POSIX
        pass


def _run_pool(todo: list[tuple], jobs: int, budget: Budget, progress) -> dict[int, tuple]:
    """Parse ``todo`` in a process pool; a document that kills its process is retried alone,
    and reported if it kills that one too."""
    results: dict[int, tuple] = {}
    pending = list(range(len(todo)))
    try:
        with ProcessPoolExecutor(max_workers=jobs, initializer=_worker_init,
                                 initargs=(budget.memory_mb,)) as pool:
            futures = [(i, pool.submit(_parse_one, todo[i])) for i in pending]
            for i, fut in _progress(futures, len(futures), progress):
                try:
                    results[i] = fut.result()
                except BrokenProcessPool:
                    break
    except BrokenProcessPool:
        pass
    for i in [i for i in pending if i not in results]:
        try:
            with ProcessPoolExecutor(max_workers=1, initializer=_worker_init,
                                     initargs=(budget.memory_mb,)) as pool:
                results[i] = pool.submit(_parse_one, todo[i]).result()
        except BrokenProcessPool:
            results[i] = (None, SourceError(todo[i][1], "the parser process died while reading "
                                            "this document (out of memory?)",
                                            hint="check the file; it may be damaged"))
    return results


def _run_executor(todo: list[tuple], executor, progress) -> dict[int, tuple]:
    """Parse ``todo`` on a caller's ``concurrent.futures.Executor`` (a Dask ``Client``'s
    ``get_executor()``, say): each source is one task, a pure function of its file.  A task the
    executor loses is that document's error; the others go on."""
    futures = [(i, executor.submit(_parse_one, t)) for i, t in enumerate(todo)]
    results: dict[int, tuple] = {}
    for i, fut in _progress(futures, len(futures), progress):
        try:
            results[i] = fut.result()
        except Exception as exc:  # the executor's failure, not the parser's: report, go on
            results[i] = (None, SourceError(todo[i][1], f"the executor lost this document "
                                            f"({type(exc).__name__}: {exc})",
                                            hint="check the workers; build again to retry"))
    return results


def parse_sources(paths: list[Path], *, jobs: int | None = None, cache=None,
                  progress=None, budget: Budget = DEFAULT_BUDGET, executor=None,
                  found=None) -> ParseResult:
    """Parse every source under ``paths``; records sorted by file name.

    ``cache`` (a ``cache.ParseCache``) skips sources whose content, sidecar and parser version
    are unchanged; the rest are parsed in a process pool (both cores) under ``budget``.
    ``jobs=1`` parses in this process (the time budget still applies).  ``executor`` (any
    ``concurrent.futures.Executor``) runs the parses instead of wgindex's own pool; the
    budget's memory ceiling and time limit are then the executor's business.  ``found``: what
    ``discover(paths)`` gave, when the caller has it already.
    """
    try:
        return _parse_sources(found or discover(paths), jobs, cache, progress, budget, executor)
    finally:
        gc.unfreeze()  # the records read back, frozen while read and parsed (``long_lived``)


def _parse_sources(found, jobs, cache, progress, budget, executor) -> ParseResult:
    files, refused = found
    result = ParseResult(files=[n for _, n in files] + [e.file for e in refused])
    result.errors.extend(refused)
    todo: list[tuple[str, str, float | None]] = []
    by_name: dict[str, dict] = {}
    texts: dict[str, tuple[str, str] | None] = {}
    with long_lived():  # the records read back live as long as the build
        for f, name in files:
            hit = cache.get(f, name) if cache else None
            if hit is not None:
                by_name[name] = hit[0]
                texts[name] = hit[1]
                result.cached += 1
            else:
                todo.append((str(f), name, budget.seconds))
    jobs = jobs if jobs is not None else min(len(todo), os.cpu_count() or 1, 4)
    if executor is not None and todo:
        outcomes = _run_executor(todo, executor, progress)
        done = [(todo[i], outcomes[i]) for i in range(len(todo))]
    elif jobs > 1 and len(todo) > 1:
        outcomes = _run_pool(todo, jobs, budget, progress)
        done = [(todo[i], outcomes[i]) for i in range(len(todo))]
    else:
        done = [(t, _parse_one(t)) for t in _progress(todo, len(todo), progress)]
    for (path, name, _), (parsed, error) in done:
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
    _check_pages(result)
    result.errors.sort(key=lambda e: (e.file, e.message))
    return result


def _progress(iterable, total, progress):
    if progress is None:
        return iterable
    return progress(iterable, total)


def _language_versions(result: ParseResult) -> None:
    """Sources with one symbol in different official languages are the versions of one
    document: the first in ``LANG_CODES`` order (Chinese, English, …) keeps the symbol as its id
    and page, each other one gets the id ``<symbol>/<code>`` and the page below it (``…/en/``)."""
    by_symbol: dict[str, list[dict]] = {}
    for r in result.records:
        if r.get("symbol"):
            by_symbol.setdefault(r["symbol"], []).append(r)
    order = list(LANG_CODES)
    for symbol, rs in sorted(by_symbol.items()):
        langs = [r.get("language") for r in rs]
        if len(rs) < 2 or len(set(langs)) < len(langs) or not all(x in LANG_CODES for x in langs):
            continue  # not versions: one language twice (a duplicate, reported below)
        result.serialized.pop(symbol, None)  # made for one of them only; the renderer redoes both
        for r in sorted(rs, key=lambda r: order.index(r["language"]))[1:]:
            r["id"] = f"{symbol}/{LANG_CODES[r['language']]}"


def _check_pages(result: ParseResult) -> None:
    """Two sources that would write one page (one symbol, or provisional ids that meet, also
    on a file system that ignores case): both are reported and neither is published.  Versions
    of one document in different languages are not duplicates (``_language_versions``)."""
    _language_versions(result)
    claims: dict[str, list[dict]] = {}
    for r in result.records:
        try:
            page = doc_dir(r)
        except (SymbolError, KeyError, TypeError) as exc:
            result.errors.append(SourceError(r["source"]["file"], f"cannot be published: {exc}"))
            r["_drop"] = True
            continue
        claims.setdefault(page.lower(), []).append(r)
    for page, rs in sorted(claims.items()):
        if len(rs) < 2:
            continue
        files = [r["source"]["file"] for r in rs]
        what = (f"symbol {rs[0]['symbol']}" if all(r.get("symbol") for r in rs)
                else f"the page {doc_dir(rs[0])}")
        for r in rs:
            others = ", ".join(f for f in files if f != r["source"]["file"])
            result.errors.append(SourceError(
                r["source"]["file"], f"claims {what}, as does {others}; neither is published",
                hint="give one of them its own symbol in a sidecar <file>.meta.yaml, rename "
                     "one, or remove the duplicate"))
            r["_drop"] = True
    dropped = {r["id"] for r in result.records if r.pop("_drop", False)}
    result.records = [r for r in result.records if r["id"] not in dropped]
    for key in dropped:
        result.serialized.pop(key, None)


def source_keys(paths: list[Path], cache, found=None) -> list[tuple[str, str | None]]:
    """(published name, cache key) of every source: what a build's inputs are, cheaply."""
    files, refused = found or discover(paths)
    return [(name, cache.key(f, name)) for f, name in files] + [(e.file, None) for e in refused]
