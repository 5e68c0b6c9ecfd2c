"""The map over sources and pages runs on any ``concurrent.futures.Executor``: wgindex's own
pool (the default), a caller's ``ProcessPoolExecutor``, a Dask cluster's executor.  The site is
the same, file for file."""

from __future__ import annotations

import hashlib
import os
import shutil
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

import wgindex

SEEDS = Path(__file__).resolve().parents[1] / "seeds"

if os.environ.get("CI"):
    import distributed  # noqa: F401 - CI installs the optional extra, so the Dask test runs there


def _tree(out: Path) -> dict[str, str]:
    return {str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("sources") / "docs"
    shutil.copytree(SEEDS, src)
    (src / "broken.pdf").write_bytes(b"%PDF-1.4 not really")  # one bad file among the good
    return src


def _build(src: Path, tmp_path: Path, name: str, **kw) -> dict[str, str]:
    out = tmp_path / f"{name}-site"
    report = wgindex.build([src], out, cache_dir=tmp_path / f"{name}-cache", **kw)
    assert report.code == 1 and report.documents == 5
    assert len(report.errors) == 1 and "broken.pdf" in report.errors[0]
    return _tree(out)


@pytest.fixture(scope="module")
def default_tree(tmp_path_factory, sources):
    return _build(sources, tmp_path_factory.mktemp("default"), "default")


class _Counting(ProcessPoolExecutor):
    def __init__(self, *a, **kw):
        super().__init__(*a, **kw)
        self.tasks: list[str] = []

    def submit(self, fn, *args, **kwargs):
        self.tasks.append(fn.__name__)
        return super().submit(fn, *args, **kwargs)


def test_a_process_pool_executor_builds_the_same_site(tmp_path, sources, default_tree):
    with _Counting(max_workers=2) as ex:
        assert _build(sources, tmp_path, "pool", executor=ex) == default_tree
    # every source is one parse task (the broken one too), and the pages went to the executor
    assert ex.tasks.count("_parse_one") == 6
    assert ex.tasks.count("_render_remote") >= 2


def test_a_dask_cluster_builds_the_same_site(tmp_path, sources, default_tree):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert _build(sources, tmp_path, "dask", executor=client.get_executor()) == default_tree


def test_an_incremental_build_on_an_executor_equals_a_full_one(tmp_path):
    """With a caller's executor the memo is checked in the calling process and only the pages
    that changed go to the executor; the rebuilt site is the full build's, file for file."""
    src = shutil.copytree(SEEDS, tmp_path / "src")
    with _Counting(max_workers=2) as ex:
        first = wgindex.build([src], tmp_path / "inc", cache_dir=tmp_path / "c", executor=ex)
        assert first.code == 0
        f = src / "003_1cd5f2748af19e84.txt"
        f.write_text(f.read_text(encoding="utf-8").replace("马耳他主权教团", "马耳他骑士团"), encoding="utf-8")
        ex.tasks.clear()
        again = wgindex.build([src], tmp_path / "inc", cache_dir=tmp_path / "c", executor=ex)
    assert again.code == 0 and "reused" in again.summary
    assert ex.tasks.count("_parse_one") == 1 and ex.tasks.count("_render_remote") >= 1
    full = wgindex.build([src], tmp_path / "full", ignore_cache=True)
    assert full.code == 0
    assert _tree(tmp_path / "inc") == _tree(tmp_path / "full")
