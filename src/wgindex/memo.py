"""The render memo: pages whose inputs did not change are taken from the previous site.

Each page's own data is hashed (``job_inputs``) together with what every page may read of the
whole corpus (``global_digest``); the other lookups a page makes while it renders (the
meeting of a symbol, an anchor, an agenda item) are recorded and checked one by one on the
next build (``deps_hold``).  Rendering runs in a fork pool on both cores.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing as mp
from pathlib import Path

from . import __version__
from .write import REUSE, SiteWriter

_BUILDER = None


def _jsonish(value):
    """What a value looks like after a JSON round trip (tuples -> lists, dates -> strings)."""
    if isinstance(value, (list, tuple)):
        return [_jsonish(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonish(v) for k, v in value.items()}
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    return str(value)


def _run_chunk(jobs: list[tuple]) -> list[tuple[str, dict]]:
    return _BUILDER.run_jobs_by_job(jobs)


class RenderMemo:
    """Mixed into ``render.Builder``: job list, memo and parallel rendering."""

    # --- render memo: pages whose inputs did not change are taken from the previous site ---
    MEMO_JOBS = {"page_document_at", "page_symbol_of", "page_meeting", "page_topic", "page_entity"}

    def global_digest(self) -> str:
        """What every page may depend on: link targets, names, meetings, templates, options."""
        h = hashlib.sha256(f"{__version__}\0{self.base_url}".encode())
        # What every page may read of the whole corpus: the names the text linker links and
        # the topic slugs.  A page's own data is in job_inputs; its other lookups (meeting of a
        # symbol, anchors, agenda items) are recorded as it renders and checked one by one.
        parts = {
            "entities": sorted(self.corpus.entity_slugs.items()),
            "topics": sorted(self.corpus.topic_slugs.items()),
        }
        h.update(json.dumps(parts, default=str, sort_keys=True, ensure_ascii=False).encode())
        from .cache import templates_digest
        h.update(templates_digest().encode())
        return h.hexdigest()

    def job_inputs(self, job: tuple):
        """The data one page is made from, besides the global digest."""
        kind, arg = job[0], job[1] if len(job) > 1 else None
        c = self.corpus
        if kind == "page_document_at":
            r = self.records[arg]
            return [self.record_texts(r)[1], c.symbols.get(r.get("symbol") or "")]
        if kind == "page_symbol_of":
            return c.symbols[arg]
        if kind == "page_meeting":
            m = c.meetings[arg]
            return [m, [self.record_texts(c.docs[i])[1] for i in m["documents"]],
                    [x for x in c.recommendations if x["meeting"] == arg],
                    self.agenda_of_meeting.get(arg)]
        if kind == "page_topic":
            t = c.topics[arg]
            reports = sorted({row["report"] for row in t["rows"]})
            idx = sorted({row["doc"] for row in t["rows"]})
            return [t, [self.record_texts(c.by_symbol[s])[1] for s in reports if s in c.by_symbol],
                    [d for d in c.discrepancies if d["topic"] == arg],
                    [[i, c.docs[i].get("symbol"), c.docs[i].get("compilation")] for i in idx]]
        if kind == "page_entity":
            e = c.entities[arg]
            return [e["attended"], e["spoke"], sorted(e["kinds"])]
        return None

    def job_id(self, job: tuple) -> str:
        return job[0] + ":" + json.dumps(job[1:], default=str, ensure_ascii=False)

    def build(self, processes: int = 1, memo: dict | None = None, previous: Path | None = None
              ) -> SiteWriter:
        """Render every page; with ``memo`` (job id -> {digest, paths, deps}, from the previous
        build of ``previous``), pages whose inputs are unchanged are marked REUSE instead, and
        ``self.memo`` is filled for the next build ({} records it without reusing anything)."""
        jobs = self.jobs()
        reused: dict[str, object] = {}
        self.memo = {}
        if memo is not None:
            g = self.global_digest()
            todo = []
            for job in jobs:
                if job[0] not in self.MEMO_JOBS:
                    todo.append(job)
                    continue
                jid = self.job_id(job)
                digest = hashlib.sha256((g + json.dumps(self.job_inputs(job), default=str,
                                                        sort_keys=True, ensure_ascii=False)).encode()).hexdigest()
                self.memo[jid] = {"digest": digest, "paths": []}
                old = memo.get(jid)
                if previous is not None and old and old["digest"] == digest \
                        and all((previous / p).is_file() for p in old["paths"]) \
                        and self.deps_hold(old.get("deps", [])):
                    for p in old["paths"]:
                        reused[p] = REUSE
                    self.memo[jid].update(paths=old["paths"], deps=old.get("deps", []))
                else:
                    todo.append(job)
            jobs = todo
        self.stats = {"rendered_jobs": len(jobs), "reused_pages": len(reused)}
        out = self._render_jobs(jobs, processes)
        for path in reused:
            out.add(path, REUSE) if path not in out.files else None
        out.files = dict(sorted(out.files.items()))
        self.out = out
        return out

    def _render_jobs(self, jobs: list[tuple], processes: int) -> SiteWriter:
        if processes > 1 and len(jobs) > 40 and "fork" in mp.get_all_start_methods():
            global _BUILDER
            _BUILDER = self
            chunks = [jobs[i::processes * 4] for i in range(processes * 4)]
            with mp.get_context("fork").Pool(processes) as pool:
                parts = pool.map(_run_chunk, chunks)
            _BUILDER = None
        else:
            parts = [self.run_jobs_by_job(jobs)]
        merged = SiteWriter()
        for part in parts:
            for jid, files, deps in part:
                if jid in self.memo:
                    self.memo[jid]["paths"] = sorted(files)
                    self.memo[jid]["deps"] = _jsonish(deps)
                for path, data in files.items():
                    merged.add(path, data)
        return merged

    def run_jobs_by_job(self, jobs: list[tuple]) -> list[tuple[str, dict, list]]:
        out = []
        for job in jobs:
            self.out = SiteWriter()
            self.deps = [] if job[0] in self.MEMO_JOBS else None
            getattr(self, job[0])(*job[1:])
            unique = {json.dumps(d, default=str, ensure_ascii=False): d for d in self.deps or []}
            out.append((self.job_id(job), self.out.files, [unique[k] for k in sorted(unique)]))
        self.deps = None
        return out

    def deps_hold(self, deps: list) -> bool:
        """Whether every lookup a page made last time still gives the same answer."""
        for kind, args, value in deps:
            key = (kind, json.dumps(args, ensure_ascii=False))
            now = self._dep_cache.get(key)
            if now is None:
                now = self._dep_cache[key] = _jsonish(self.dep_value(kind, args))
            if now != value:
                return False
        return True
