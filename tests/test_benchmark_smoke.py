"""A small smoke run of the benchmark (the benchmark itself is not a timed test)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_benchmark_runs(tmp_path):
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench.py"), "--sizes", "8",
                          "--quick", "--no-real", "--work", str(tmp_path)],
                         capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    for row in ("cold build", "no-change rebuild", "add-one-document rebuild", "PDF extraction",
                "render+write", "search index", "peak memory", "machine: fixed workload"):
        assert f"| {row}" in out.stdout, out.stdout
    search = next(line for line in out.stdout.splitlines() if line.startswith("| search index"))
    assert "with one document added to the kept index" in search, search


def test_benchmark_without_hugo_prints_no_ratio(tmp_path, monkeypatch):
    """A fresh machine has no Hugo: the anchor is left out, the run does not fail (it once
    took the median of nothing)."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import bench
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    monkeypatch.setattr(bench.shutil, "which", lambda name: None)
    assert bench.hugo_median(3, 1000, tmp_path, 2) is None
    assert bench.pdftotext_seconds([tmp_path / "x.pdf"]) is None
