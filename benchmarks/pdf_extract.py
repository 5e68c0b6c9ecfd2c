"""PDF extraction cost, for each glyph backend, beside `pdftotext` on the same files.

    python benchmarks/pdf_extract.py [--runs 5] [--set real|fixtures|all]

``real``: the 32 real UN PDFs of tests/data/real (and smoke/); ``fixtures``: the seeds laid
out by tests/pdfmake.py.  Each figure is the median of the runs, one core, the whole reader
(glyphs, geometry, text model); ``pdftotext -layout`` (poppler-utils) runs in the same run,
and each ratio is printed beside the target (<= 4x pdftotext with the default backend).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))
TARGET = 4.0


def _files(which: str, work: Path) -> list[Path]:
    out: list[Path] = []
    if which in ("real", "all"):
        real = ROOT / "tests" / "data" / "real"
        out += sorted(real.glob("*.pdf")) + sorted((real / "smoke").glob("*.pdf"))
    if which in ("fixtures", "all"):
        from pdfmake import seed_pdf
        out += [seed_pdf(p, work / (p.stem + ".pdf")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--set", default="real", choices=["real", "fixtures", "all"])
    args = ap.parse_args()
    from wgindex.text.glyphs import BACKENDS, DEFAULT_BACKEND
    from wgindex.text.pdf import read_pdf
    work = Path(tempfile.mkdtemp(prefix="wgpdf-"))
    pdfs = _files(args.set, work)
    data = [(p.name, p.read_bytes()) for p in pdfs]
    pages = sum(read_pdf(d, n, "x").pages for n, d in data)
    tool = shutil.which("pdftotext")
    pmed = None
    if tool:
        ptimes = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for p in pdfs:
                subprocess.run([tool, "-layout", str(p), "-"], check=True, stdout=subprocess.DEVNULL)
            ptimes.append(time.perf_counter() - t)
        pmed = statistics.median(ptimes)
        print(f"pdftotext -layout: {len(pdfs)} PDFs, {pages} pages, median {pmed:.2f} s of {args.runs} "
              f"runs = {pages / pmed:.0f} pages/s")
    else:
        print("pdftotext not installed (apt-get install poppler-utils): no anchor")
    for backend in sorted(BACKENDS, key=lambda b: b != DEFAULT_BACKEND):
        times = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for n, d in data:
                read_pdf(d, n, "x", backend=backend)
            times.append(time.perf_counter() - t)
        med = statistics.median(times)
        ratio = f"; {med / pmed:.1f}x pdftotext's time" if pmed else ""
        target = (f" (target <= {TARGET:g}x: {'met' if med / pmed <= TARGET else 'missed'})"
                  if pmed and backend == DEFAULT_BACKEND else "")
        print(f"wgindex --pdf-backend {backend}{' (default)' if backend == DEFAULT_BACKEND else ''}: "
              f"median {med:.2f} s = {pages / med:.0f} pages/s{ratio}{target}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
