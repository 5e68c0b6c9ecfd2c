"""Render the site from records (never from sources): gather everything, compute every page,
render the pages that changed, add the downloads.

A page is reused from the previous site only when the digest of its context, template,
templates and code is unchanged and every question its template asked of the corpus
(``lookups.Lookups``) still gets the same answer.  Rendering runs in a fork pool on both cores.
"""

from __future__ import annotations

import functools
import gc
import multiprocessing as mp
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from .._version import __version__
from ..gcpause import long_lived
from .digest import _Digest
from .exports import add_exports
from .listings import folder_pages, listing_pages
from .lookups import LINES, AnswerTable, Lookups, SiteData
from .page import Page
from .pages import document, home, meeting, meetings, symbol
from .searchindex import build_search_files
from .templates import code_digest, environment, templates_digest
from .workers import Forked, WorkerDied
from .write import REUSE, SiteWriter

_STATE: tuple | None = None  # (data, env, pages, writer, reuse, digest_there) inherited by the render workers


@dataclass
class Rendered:
    files: dict = field(default_factory=dict)     # path -> bytes or REUSE (on disk: written?)
    memo: dict = field(default_factory=dict)      # page path -> {"digest", "answers"}
    stats: dict = field(default_factory=dict)
    data: SiteData | None = None


def all_pages(data: SiteData) -> list[Page]:
    """Every page of the site, in a fixed order."""
    c = data.corpus
    pages = [home(data), meetings(data)]
    pages += [document(data, r) for r in data.records]
    pages += [symbol(data, sym, ref) for sym, ref in c.symbols.items() if not ref.in_corpus]
    pages += [meeting(data, key) for key in c.meetings]
    return pages + listing_pages(data)


def render_page(data: SiteData, env, p: Page) -> tuple[str, str]:
    """The HTML of one page and the questions its template asked of the corpus (JSON text)."""
    lk = Lookups(data, p.path)
    functions = lk.functions()
    if p.context.get("note_marks"):  # a document's text links its footnote marks
        marks = p.context["note_marks"]
        functions["linked"] = lambda text, meeting_key=None: lk.linked(text, meeting_key, marks)
    html = env.get_template(p.template).render(
        u=lk.u, root=lk.up,
        page=p.path, base_url=data.base_url, **functions, **p.context)
    return html, lk.recorded()


class _Reuse:
    """Whether the previous site's file is a page: the digest of its context, template,
    templates and code is the one the memo has, the file is there, and every question its
    template asked still gets the same answer."""

    def __init__(self, data: SiteData, memo: dict, previous: Path | None, base: str):
        self.data, self.memo, self.previous, self.base = data, memo, previous, base
        self.digest = _Digest(data)
        self.table = AnswerTable(memo.get(LINES))

    def known(self, p: Page) -> bool:
        """Whether the previous site may have the page: else it is rendered whatever its digest."""
        return self.previous is not None and isinstance(self.memo.get(p.path), dict)

    def check(self, p: Page) -> dict | None:
        """None if the page is the previous site's file (its memo entry stays); else the new
        memo entry, to which the render adds the answers."""
        d = self.digest.page(self.base, p)
        old = self.memo.get(p.path)
        if self.previous is not None and isinstance(old, dict) and old.get("digest") == d \
                and os.path.isfile(os.path.join(self.previous, p.path)) \
                and self.table.hold(self.data, old.get("answers")):
            return None
        return {"digest": d}


def _render_indices(indices: list[int]) -> list[tuple[str, object, dict]]:
    """Render the pages at ``indices`` and ``put`` each: a ``Staging`` writes it to disk where
    it stands (what comes back is whether it was written), a ``SiteWriter`` turns it into
    UTF-8 bytes, half the size of a CJK page's str on its way back and while the build holds
    it.  Each page comes back with its memo entry's answers, and its digest when its index is
    in ``digest_there`` (a page the previous site did not have: its digest is made here, on
    every core)."""
    data, env, pages, writer, reuse, digest_there = _STATE
    out = []
    for i in indices:
        p = pages[i]
        entry = {"digest": reuse.digest.page(reuse.base, p)} if i in digest_there else {}
        html, entry["answers"] = render_page(data, env, p)
        out.append((p.path, writer.put(p.path, html), entry))
    return out


_WORKER: dict = {}  # run key -> (data, env, pages), built once per worker of a caller's executor


def _render_remote(key: str, records: list[dict], base_url: str, serialized: dict,
                   indices: list[int]) -> list[tuple[str, bytes, str]]:
    """Render pages on a caller's executor: a worker derives the site data from the records
    (once per build) and renders the pages at ``indices``, as the fork pool does."""
    global _STATE
    if key not in _WORKER:
        _WORKER.clear()
        data = SiteData(records, base_url, serialized)
        _WORKER[key] = (data, environment(), all_pages(data), SiteWriter(), None, ())
    old, _STATE = _STATE, _WORKER[key]
    try:
        return _render_indices(indices)
    finally:
        _STATE = old


def _take(out, path: str, value) -> None:
    """Claim a file a worker ``put``; bytes are a file still to write (a caller's executor)."""
    if type(value) is bytes:
        out.add(path, value)
    else:
        out.claim(path, value)


class _Claims:
    """The build's writer as a forked worker holds it: each file is ``put`` where the worker
    stands, and what the build is to ``claim`` is kept to send back."""

    def __init__(self, writer):
        self.writer, self.claims = writer, []

    def add(self, path: str, content) -> None:
        self.claims.append((path, self.writer.put(path, content)))


def _exports(out, data: SiteData, memo: dict | None, previous: Path | None, base: str, *_) -> dict:
    """The files that are not pages but the search index; the memo entries of the downloads
    (``add_exports``)."""
    return add_exports(out, data, data.inventory(), memo, previous, base)


def _search(out, data: SiteData, memo, previous, base: str, state: Path | None) -> dict:
    files = build_search_files(data.records, data.corpus, state=state, salt=base,
                               record_digest=lambda r: data.record_digests[r["id"]])
    for path, content in files.items():
        out.add(path, content)
    return {}


_SIDE: tuple | None = None  # (data, writer, memo, previous, base, search state) for the side workers


def _side_forked(part) -> tuple[list[tuple[str, object]], dict]:
    data, writer, *rest = _SIDE
    out = _Claims(writer)
    kept = part(out, data, *rest)
    return out.claims, kept


def _render_on(executor, records, base_url, serialized, todo, chunks: int) -> list[list]:
    key = os.urandom(8).hex()
    parts = [todo[i::chunks] for i in range(chunks)]
    futures = [executor.submit(_render_remote, key, records, base_url, serialized or {}, part)
               for part in parts if part]
    return [f.result() for f in futures]


def render_site(records: list[dict], base_url: str = "", serialized: dict | None = None,
                processes: int = 1, memo: dict | None = None, previous: Path | None = None,
                executor=None, writer=None, search_state: Path | None = None,
                compiled_templates: Path | None = None) -> Rendered:
    """Every file of the site, search index included.  With ``memo`` (page path -> digest and
    answers, from the build of ``previous``), unchanged pages are marked REUSE, and the
    result's ``memo`` is the one to keep for the next build.  ``executor`` (any
    ``concurrent.futures.Executor``, a Dask client's among them) renders the pages instead of
    the fork pool: the records go to each task, and each worker derives the rest once.
    ``writer``: where the files go, a ``SiteWriter`` (in memory, the default) or a ``Staging``
    (on disk as they are made; the result's ``files`` then says which were written).
    ``search_state``: a file where the search index is kept between builds, so the next one
    cuts only new documents' text into bigrams (``searchindex``).  ``compiled_templates``: a
    folder where the templates' compiled code is kept between builds (``CompiledTemplates``)."""
    # the records and the linked corpus live as long as the render: frozen, the collector
    # does not scan them again and again (measured: linking 1.0 -> 0.7 s, the page contexts
    # 0.75 -> 0.36 s at 1,000 documents), and forked workers do not copy the pages it would
    # touch; unfrozen at the end, so a long-lived caller (serve --watch) keeps nothing
    global _SIDE
    gc.freeze()
    sides: list[Forked] = []
    try:
        with long_lived():  # the linked corpus lives as long as the render
            data = SiteData(records, base_url, serialized)
            data.record_digests  # noqa: B018 - made here, once, not in each worker
        out = writer if writer is not None else SiteWriter()
        base = f"{__version__}\0{base_url}\0{code_digest()}\0{templates_digest()}\0"
        if processes > 1 and "fork" in mp.get_all_start_methods():
            # the downloads and the search index need no page: two forked workers make them
            # while the pages are computed, digested and rendered.  Two, not one: one worker
            # doing both, once the index was kept between builds, made edit-one rebuilds at
            # 1,000 documents slower (medians 4.3 against 4.0 s, alternated four times)
            _SIDE = (data, out, memo, previous, base, search_state)
            sides = [Forked(functools.partial(_side_forked, _search), "search index worker"),
                     Forked(functools.partial(_side_forked, _exports), "downloads worker")]
            _SIDE = None
        return _render_pages(data, out, base, sides, processes, memo, previous, executor, serialized,
                             search_state, environment(compiled_templates))
    finally:
        for side in sides:  # done, or a failure elsewhere: it writes nothing more
            side.stop()
        gc.unfreeze()


def _render_pages(data: SiteData, out, base: str, sides: list, processes: int, memo: dict | None,
                  previous: Path | None, executor, serialized: dict | None,
                  search_state: Path | None, env) -> Rendered:
    global _STATE
    pages = all_pages(data)
    todo = list(range(len(pages)))
    new_memo: dict = {}
    reused: list[str] = []
    reuse = _Reuse(data, memo, previous, base) if memo is not None else None
    parts: list[list] = []
    digest_there: set[int] = set()  # the pages whose digests the render makes
    if reuse is not None:
        # a page the previous site has is decided here, while the downloads and the search
        # index are made on the other core: deciding in the render workers, forked from a
        # process of 400 MB, touched its memory page by page (an add-one rebuild rendering 7
        # pages of 2,500 spent ~1.2 s of both cores there; the same decisions take ~0.7 s in
        # one process).  The others are rendered, their digests made where they are
        reused_here, todo, undecided = [], [], []
        for i, p in enumerate(pages):
            if not reuse.known(p):
                undecided.append(i)
                continue
            entry = reuse.check(p)
            if entry is None:
                reused_here.append((p.path, out.put(p.path, REUSE), None))
            else:
                new_memo[p.path] = entry
                todo.append(i)
        parts.append(reused_here)
        if executor is not None:  # a remote worker has no memo: the digests are made here too
            new_memo.update((pages[i].path, {"digest": reuse.digest.page(base, pages[i])}) for i in undecided)
        else:
            digest_there = set(undecided)
        todo = sorted(todo + undecided)
    _STATE = (data, env, pages, out, reuse, digest_there)
    try:
        if executor is not None and todo:
            parts += _render_on(executor, data.records, data.base_url, serialized, todo, max(4, processes * 4))
        elif processes > 1 and len(todo) > 40 and "fork" in mp.get_all_start_methods():
            chunks = [todo[i::processes * 4] for i in range(processes * 4)]
            # concurrent.futures, not multiprocessing.Pool: a worker that dies (the system out
            # of memory) breaks the pool, where Pool would wait for its chunk for ever
            with ProcessPoolExecutor(processes, mp_context=mp.get_context("fork")) as pool:
                try:
                    parts += pool.map(_render_indices, chunks)
                except BrokenProcessPool:
                    raise WorkerDied("render worker") from None
        else:
            parts.append(_render_indices(todo))
    finally:
        _STATE = None
    rendered = 0
    while parts:
        for path, value, entry in parts.pop():  # each chunk freed once taken
            _take(out, path, value)
            if reuse is None:
                rendered += 1
            elif entry is None:  # the previous site's file
                new_memo[path] = memo[path]
                reused.append(path)
            else:
                entry["answers"] = reuse.table.numbers(entry["answers"])
                new_memo.setdefault(path, {}).update(entry)
                rendered += 1
    kept: dict = {}
    for side in sides or (_search, _exports):
        if isinstance(side, Forked):
            claims, part = side.result()
            for path, value in claims:
                _take(out, path, value)
        else:
            part = side(out, data, memo, previous, base, search_state)
        kept.update(part)
    if memo is not None:
        new_memo.update(kept)
    titles = {p.path: p.title for p in pages}
    for p in folder_pages(list(out.files), titles):  # what is in a folder, as the memo knows it
        entry = reuse.check(p) if reuse is not None else {}
        if entry is None:
            new_memo[p.path] = memo[p.path]
            reused.append(p.path)
            out.add(p.path, REUSE)
            continue
        html, answers = render_page(data, env, p)
        out.add(p.path, html)
        rendered += 1
        if reuse is not None:
            new_memo[p.path] = {**entry, "answers": reuse.table.numbers(answers)}
    if reuse is not None:
        new_memo[LINES] = reuse.table.kept(new_memo)
    return Rendered(files=dict(sorted(out.files.items())), memo=new_memo, data=data,
                    stats={"rendered_pages": rendered, "reused_pages": len(reused)})


def build_site_files(records: list[dict], base_url: str = "", serialized: dict | None = None,
                     processes: int = 1) -> dict[str, bytes]:
    return render_site(records, base_url, serialized, processes).files
