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
