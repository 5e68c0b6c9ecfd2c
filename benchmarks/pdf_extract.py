"""PDF extraction cost on the fixture PDFs made from the seeds (issue: PDF reading).

    python benchmarks/pdf_extract.py [--runs 7]

Prints pages/s of wgindex's pdfminer.six reader (one core, median of the runs) and, when
poppler-utils is installed, of `pdftotext -layout` on the same files.
"""

from __future__ import annotations

import argparse
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    from pdfmake import seed_pdf
    from wgindex.pdfread import read_pdf
    work = Path(tempfile.mkdtemp(prefix="wgpdf-"))
    pdfs = [seed_pdf(p, work / (p.stem + ".pdf")) for p in sorted((ROOT / "seeds").glob("*.txt"))]
    data = [(p.name, p.read_bytes()) for p in pdfs]
    pages = sum(read_pdf(d, n, "x").pages for n, d in data)
    times = []
    for _ in range(args.runs):
        t = time.perf_counter()
        for n, d in data:
            read_pdf(d, n, "x")
        times.append(time.perf_counter() - t)
    med = statistics.median(times)
    print(f"wgindex (pdfminer.six, laparams=None): {len(pdfs)} PDFs, {pages} pages, median {med:.3f} s "
          f"of {args.runs} runs = {pages / med:.1f} pages/s")
    tool = shutil.which("pdftotext")
    if tool:
        ptimes = []
        for _ in range(args.runs):
            t = time.perf_counter()
            for p in pdfs:
                subprocess.run([tool, "-layout", str(p), "-"], check=True, stdout=subprocess.DEVNULL)
            ptimes.append(time.perf_counter() - t)
        pmed = statistics.median(ptimes)
        print(f"pdftotext -layout: median {pmed:.3f} s = {pages / pmed:.1f} pages/s; "
              f"wgindex takes {med / pmed:.1f}x pdftotext's time")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
