"""Benchmark wgindex on a corpus synthesised from the seeds (not a timed test).

    python benchmarks/bench.py                 # 100 and 1,000 documents, 20% PDFs
    python benchmarks/bench.py --sizes 50 --pdf-share 0.2 --quick   # smoke run (CI)

Prints one table per size: cold build (s, documents/s), no-change rebuild and
add-one-document rebuild (s and as a fraction of the cold build), text parse documents/s,
PDF pages/s, render+write pages/s, search-index time, peak memory, output size.  Where
installed (apt-get install hugo poppler-utils) it measures the anchors in the same run:
Hugo rendering as many pages of the same size from generated Markdown, and pdftotext on the
same PDFs, and prints the ratios.  Medians of --repeat runs for the cheap measurements.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
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

GROUPS = {"CTOC/COP/WG.7": "偷运移民问题工作组", "CTOC/COP/WG.4": "贩运人口问题工作组",
          "CTOC/COP/WG.6": "枪支问题工作组", "CTOC/COP/WG.3": "国际合作工作组",
          "CTOC/COP/WG.2": "技术援助工作组"}
SEED_GROUP = {"000": "偷运移民问题工作组", "001": "偷运移民问题工作组", "002": "贩运人口问题工作组",
              "003": "偷运移民问题工作组", "004": "偷运移民问题工作组"}


def synthesise(out: Path, n: int, pdf_share: float, seed: int = 7) -> dict:
    """n documents: seed texts with group, year, meeting number and symbol varied."""
    from numerals_shim import cn
    rng = random.Random(seed)
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    out.mkdir(parents=True, exist_ok=True)
    pdfs = 0
    counter: dict[tuple, int] = {}
    for i in range(n):
        src = seeds[i % len(seeds)]
        text = src.read_text(encoding="utf-8")
        group, name = list(GROUPS.items())[rng.randrange(len(GROUPS))]
        year = rng.randrange(2005, 2030)
        meeting = rng.randrange(1, 40)
        text = text.replace(SEED_GROUP[src.name[:3]], name)
        # index copies point at this group's reports of other years, as a real index would
        shift = rng.randrange(-6, 10)
        text = re.sub(r"CTOC/COP/WG\.7/(20\d\d)/", lambda m: f"{group}/{int(m.group(1)) + shift}/", text)
        for old in ("第四次会议", "第九次会议", "第十二次会议", "第七次会议", "第六次会议"):
            text = text.replace(old, f"第{cn(meeting)}次会议")
        key = (group, year)
        counter[key] = counter.get(key, 10) + 1
        symbol = f"{group}/{year}/{counter[key]}"
        stem = f"doc{i:05d}"
        is_pdf = rng.random() < pdf_share
        if is_pdf:
            from pdfmake import text_to_pdf
            (out / f"{stem}.pdf").write_bytes(text_to_pdf(text, header=f"V.{year % 100:02d}-{i:05d} (C)"))
            pdfs += 1
        else:
            (out / f"{stem}.txt").write_text(text, encoding="utf-8")
        (out / f"{stem}{'.pdf' if is_pdf else '.txt'}.meta.yaml").write_text(
            f"symbol: {symbol}\nmeeting_number: {meeting}\n", encoding="utf-8")
    return {"documents": n, "pdfs": pdfs}


def run(cmd: list[str], **kw) -> tuple[float, int]:
    """Wall seconds and peak RSS (KB) of a child command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    t = time.monotonic()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kw)
    wall = time.monotonic() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before)


def peak_of(cmd: list[str]) -> tuple[float, int]:
    """Wall time and peak RSS of one process tree, measured with /usr/bin/time if present."""
    timer = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if timer:
        with tempfile.NamedTemporaryFile("r") as f:
            t = time.monotonic()
            subprocess.run([timer, "-f", "%M", "-o", f.name] + cmd, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wall = time.monotonic() - t
            return wall, int(f.read().strip().splitlines()[-1])
    return run(cmd)


def dir_size(p: Path) -> int:
    return sum(f.stat().st_size for f in p.rglob("*") if f.is_file())


def discard(work: Path, *paths: Path) -> None:
    """Take ``paths`` out of the way of the next build, and a site's spare and leftovers beside
    it: moved into ``work/discarded``, removed when the benchmark ends.  Not removed here: on
    ext4 without a journal, a file made within 30 s of ~10,000 being unlinked has the kernel
    look past each of them for a free inode (``recently_deleted``), which measured 7-10 s of
    system time in a render that takes 3 s of it otherwise; the benchmark would time its own
    clean-up."""
    pile = work / "discarded"
    pile.mkdir(parents=True, exist_ok=True)
    for path in paths:
        for p in [path, *path.parent.glob(f".{path.name}.*")]:
            if p.exists() and not p.name.endswith(".lock"):
                p.rename(pile / f"{len(list(pile.iterdir()))}-{p.name}")


def median_time(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.monotonic()
        fn()
        times.append(time.monotonic() - t)
    return statistics.median(times)


def machine_ms() -> float:
    """The machine's speed at this moment: a fixed one-core Python workload (JSON, sorting,
    a regular expression over CJK text), median of 5, in ms.  Measured at the start and the
    end of each corpus size, so a run can say when the shared machine slowed down during it
    (the same code has measured 164 and 98 pages/s of PDF extraction within one run)."""
    data = [{"id": f"CTOC/COP/WG.7/{2012 + i % 12}/{i}", "text": "偷运移民问题工作组第九次会议" * 20,
             "n": list(range(i % 50))} for i in range(2000)]
    pattern = re.compile(r"第[一二三四五六七八九十]+次会议")
    times = []
    for _ in range(5):
        t = time.perf_counter()
        back = json.loads(json.dumps(data, ensure_ascii=False))
        back.sort(key=lambda d: d["id"])
        sum(len(pattern.findall(d["text"])) for d in back)
        times.append(time.perf_counter() - t)
    return 1000 * statistics.median(times)


def hugo_pages_per_s(pages: int, page_bytes: int, work: Path) -> float | None:
    hugo = shutil.which("hugo")
    if not hugo:
        return None
    site = work / "hugo"
    (site / "content" / "p").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text('baseURL = "http://localhost/"\ndisableKinds = ["taxonomy", "term", "RSS", "sitemap"]\n')
    (site / "layouts" / "_default" / "single.html").write_text(
        '<!DOCTYPE html><html lang="zh-Hans"><head><title>{{ .Title }}</title></head><body><main>{{ .Content }}</main></body></html>')
    (site / "layouts" / "_default" / "list.html").write_text("<html><body>{{ range .Pages }}{{ .Title }}{{ end }}</body></html>")
    para = "偷运移民问题工作组建议各国加强国际合作，" * 10 + "\n\n"
    body = para * max(1, page_bytes // len(para.encode("utf-8")))
    for i in range(pages):
        (site / "content" / "p" / f"{i}.md").write_text(f"---\ntitle: p{i}\n---\n\n{body}", encoding="utf-8")
    t = time.monotonic()
    subprocess.run([hugo, "--quiet", "-s", str(site), "-d", str(site / "public")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return pages / (time.monotonic() - t)


def hugo_median(pages: int, page_bytes: int, work: Path, repeat: int) -> float | None:
    """Hugo's pages/s, median of ``repeat`` runs; None where Hugo is not installed (the
    benchmark then prints no ratio: a fresh machine has no Hugo)."""
    runs = [hugo_pages_per_s(pages, page_bytes, work / str(k)) for k in range(repeat)]
    runs = [r for r in runs if r]
    return statistics.median(runs) if runs else None


def pdftotext_seconds(pdfs: list[Path]) -> float | None:
    tool = shutil.which("pdftotext")
    if not tool or not pdfs:
        return None
    t = time.monotonic()
    for p in pdfs:
        subprocess.run([tool, "-layout", str(p), "-"], check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - t


def bench(n: int, pdf_share: float, work: Path, repeat: int) -> dict:
    from wgindex.collect import find_sources, parse_sources
    from wgindex.text.pdf import read_pdf
    from wgindex.site.render import render_site
    from wgindex.site.write import Staging
    from wgindex.site.searchindex import build_search_files
    machine_start = machine_ms()
    corpus = work / f"corpus-{n}"
    facts = synthesise(corpus, n, pdf_share)
    site, cache = work / f"site-{n}", work / f"cache-{n}"
    cmd = [sys.executable, "-m", "wgindex", "build", str(corpus), "-o", str(site), "--cache-dir", str(cache)]
    colds, peak = [], 0
    for k in range(repeat):  # each cold build from nothing: no site, no cache
        discard(work, site, cache)
        t, mem = peak_of(cmd)
        colds.append(t)
        peak = max(peak, mem)
    cold = statistics.median(colds)
    nochange = statistics.median(peak_of(cmd)[0] for _ in range(repeat))
    extra = corpus / "zz-added.txt"
    adds = []
    for k in range(repeat):
        extra.write_text((ROOT / "seeds" / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
                         .replace("通过了本次会议报告", f"通过了本次会议报告（第 {k} 稿）"), encoding="utf-8")
        adds.append(peak_of(cmd)[0])
    add_one = statistics.median(adds)
    extra.unlink()
    # in-process stage measurements (one core, medians)
    texts = [p for p in find_sources([corpus]) if p.suffix == ".txt"][:200]
    t_text = median_time(lambda: parse_sources(texts, jobs=1), repeat)
    pdfs = sorted(corpus.glob("*.pdf"))[:40]
    pages = 0
    def extract():
        nonlocal pages
        pages = sum(read_pdf(p.read_bytes(), p.name, "x").pages for p in pdfs)
    t_pdf = median_time(extract, repeat) if pdfs else None
    t_pt = pdftotext_seconds(pdfs)
    parsed = parse_sources([corpus], cache=None, jobs=2)
    records = parsed.records
    out = work / f"render-{n}"
    def render():  # as `wgindex build` does it: both cores, records serialised by the parser,
        # each file written to the staging folder as it is made, then swapped in (no memo)
        discard(work, out)
        with Staging(out) as staging:
            render_site(records, serialized=parsed.serialized, processes=2, writer=staging)
            staging.commit()
    t_render = median_time(render, repeat)
    html = [f.stat().st_size for f in out.rglob("*.html")]
    html_pages = len(html)
    # the search index as a build makes it (the linked corpus and the records' digests made
    # once for the pages): from nothing, and from a kept index with one document (the middle
    # one) added
    from wgindex.site.lookups import SiteData
    site_data = SiteData(records, serialized=parsed.serialized)  # its linked corpus and record digests
    linked, digest_of = site_data.corpus, lambda r: site_data.record_digests[r["id"]]  # noqa: E731
    t_search = median_time(lambda: build_search_files(records, linked, record_digest=digest_of), repeat)
    kept, adds_search = work / f"search-{n}.state", []
    ordered = sorted(records, key=lambda r: r["id"])
    for _ in range(repeat):
        build_search_files(ordered[:n // 2] + ordered[n // 2 + 1:], linked, state=kept, salt="bench",
                           record_digest=digest_of)
        t0 = time.perf_counter()
        build_search_files(records, linked, state=kept, salt="bench", record_digest=digest_of)
        adds_search.append(time.perf_counter() - t0)
    avg_page = int(statistics.mean(html))
    hugo = hugo_median(html_pages, avg_page, work / f"h{n}", repeat)
    return {
        "documents": n, "pdfs": facts["pdfs"], "cold_s": cold, "docs_per_s": n / cold,
        "nochange_s": nochange, "nochange_frac": nochange / cold, "addone_s": add_one,
        "addone_frac": add_one / cold, "text_docs_per_s": len(texts) / t_text,
        "pdf_pages_per_s": pages / t_pdf if t_pdf else None, "pdf_pages": pages,
        "pdftotext_ratio": (t_pdf / t_pt) if (t_pdf and t_pt) else None,
        "render_pages_per_s": html_pages / t_render, "html_pages": html_pages,
        "avg_page_kb": avg_page / 1024, "hugo_pages_per_s": hugo,
        "hugo_ratio": (html_pages / t_render) / hugo if hugo else None,
        "search_s": t_search, "search_add_s": statistics.median(adds_search), "peak_mb": peak / 1024, "output_mb": dir_size(site) / 2**20,
        "per_doc_ms": 1000 * cold / n, "machine_start_ms": machine_start, "machine_end_ms": machine_ms(),
    }


REAL = ROOT.parent / "shared" / "real"


def real_pdfs(repeat: int) -> dict | None:
    """Extraction on the real UN PDFs (``../shared/real`` and its ``smoke/``), each backend,
    beside pdftotext on the same files in the same run (medians of ``repeat``)."""
    from wgindex.text.glyphs import BACKENDS
    from wgindex.text.pdf import read_pdf
    pdfs = sorted(REAL.glob("*.pdf")) + sorted((REAL / "smoke").glob("*.pdf"))
    if not pdfs:
        return None
    blobs = [(p.name, p.read_bytes()) for p in pdfs]
    t_pt = statistics.median(pdftotext_seconds(pdfs) or 0 for _ in range(repeat)) or None
    out = {"files": len(pdfs), "pdftotext_s": t_pt}
    for backend in sorted(BACKENDS):
        pages = 0

        def extract():
            nonlocal pages
            pages = sum(read_pdf(b, name, "x", backend=backend).pages for name, b in blobs)
        t = median_time(extract, repeat)
        out[backend] = {"s": t, "pages": pages, "ratio": t / t_pt if t_pt else None}
    # what a user runs: the whole parse of the corpus (records, not only text), default jobs
    # (both cores), no cache, with the default backend
    from wgindex.collect import parse_sources
    t = median_time(lambda: parse_sources(pdfs), repeat)
    out["corpus"] = {"s": t, "jobs": min(len(pdfs), os.cpu_count() or 1, 4),
                     "ratio": t / t_pt if t_pt else None}
    return out


# measure -> target (issue #15), printed beside the figures
TARGETS = {"cold build": "≤ 15 s at 1,000 documents", "add-one-document rebuild": "≤ 5% of cold (1,000); ≤ 8% (300)",
           "PDF extraction (1 core)": "—", "render+write (2 cores)": "≥ 2× Hugo",
           "peak memory (build)": "< 500 MB at 1,000 documents"}

# measure -> (corpus size, figure, bound, unit): the targets the benchmark checks itself
CHECKS = {"cold build": [(1000, "cold_s", 15, " s")],
          "add-one-document rebuild": [(1000, "addone_frac", 0.05, ""), (300, "addone_frac", 0.08, "")],
          "render+write (2 cores)": [(None, "hugo_ratio", 2, "× Hugo")],
          "peak memory (build)": [(1000, "peak_mb", 500, " MB")]}


def verdict(label: str, results: list[dict]) -> str:
    """✓ or ✗ for each checked size present, with the factor by which a figure misses."""
    marks = []
    for size, key, bound, unit in CHECKS.get(label, []):
        for r in results:
            if (size is not None and r["documents"] != size) or r.get(key) is None:
                continue
            v = r[key]
            ok = v >= bound if key == "hugo_ratio" else v <= bound
            miss = "" if ok else f", {(bound / v if key == 'hugo_ratio' else v / bound):.1f}× off"
            marks.append(f"{'✓' if ok else '✗'} at {r['documents']}{miss}")
    return " (" + "; ".join(marks) + ")" if marks else ""


def real_verdict(ratio: float | None) -> str:
    """✓ or ✗ for wgindex's parse of the real PDFs against pdftotext (at most 4×)."""
    if ratio is None:
        return ""
    return "(✓)" if ratio <= 4 else f"(✗, {ratio / 4:.1f}× off)"


ROWS = [("cold build", "{cold_s:.1f} s ({docs_per_s:.1f} documents/s)"),
        ("no-change rebuild", "{nochange_s:.2f} s ({nochange_frac:.1%} of cold)"),
        ("add-one-document rebuild", "{addone_s:.2f} s ({addone_frac:.1%} of cold)"),
        ("text parse (1 core)", "{text_docs_per_s:.0f} documents/s"),
        ("PDF extraction (1 core)", "{pdf_pages_per_s} pages/s over {pdf_pages} pages; vs pdftotext: {pdftotext_ratio}"),
        ("render+write (2 cores)", "{render_pages_per_s:.0f} pages/s ({html_pages} pages, avg {avg_page_kb:.1f} KB); vs Hugo: {hugo_ratio}"),
        ("search index", "{search_s:.2f} s from nothing; {search_add_s:.2f} s with one document added to the kept index"),
        ("peak memory (build)", "{peak_mb:.0f} MB"),
        ("output size", "{output_mb:.1f} MB"),
        ("time per document", "{per_doc_ms:.0f} ms"),
        ("machine: fixed workload", "{machine_start_ms:.0f} ms at the start, {machine_end_ms:.0f} ms at the end")]


def fmt(v):
    if v is None:
        return "n/a"
    return f"{v:.2f}" if isinstance(v, float) else str(v)


def compile_package() -> None:
    """Compile the wgindex that ``python -m wgindex`` imports, as installing a wheel does (pip
    compiles on install): where PYTHONDONTWRITEBYTECODE is set, each timed build would
    otherwise compile every module again (measured: 0.31 against 0.25 s to import the CLI)."""
    subprocess.run([sys.executable, "-c", "import compileall, os, wgindex; "
                    "compileall.compile_dir(os.path.dirname(wgindex.__file__), quiet=1)"],
                   check=True, stdout=subprocess.DEVNULL)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", type=int, nargs="*", default=[100, 1000],
                    help="corpus sizes to build (none: only the real PDFs)")
    ap.add_argument("--pdf-share", type=float, default=0.2)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--work", help="keep the synthesised corpora and sites here")
    ap.add_argument("--json", help="also write the figures as JSON")
    ap.add_argument("--quick", action="store_true", help="smoke run: one repeat")
    ap.add_argument("--no-real", action="store_true", help="skip the real UN PDFs of ../shared/real")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    work = Path(args.work) if args.work else Path(tempfile.mkdtemp(prefix="wgbench-"))
    compile_package()
    results = [bench(n, args.pdf_share, work, repeat) for n in args.sizes]
    print(f"wgindex benchmark — {os.cpu_count()} cores, Python {sys.version.split()[0]}, "
          f"PDF share {args.pdf_share:.0%}, medians of {repeat}")
    if results:
        print("| measure | " + " | ".join(f"{r['documents']} documents" for r in results) + " | target |")
        print("|---|" + "---|" * len(results) + "---|")
    for label, template in ROWS if results else ():
        cells = []
        for r in results:
            cells.append(template.format(**{k: (fmt(v) if k in ("pdf_pages_per_s", "pdftotext_ratio", "hugo_ratio") else v)
                                            for k, v in r.items()}))
        print(f"| {label} | " + " | ".join(cells) + f" | {TARGETS.get(label, '')}{verdict(label, results)} |")
    real = None if args.no_real else real_pdfs(repeat)
    if real:
        print(f"\nreal UN PDFs ({real['files']} files): pdftotext {fmt(real['pdftotext_s'])} s (1 core)")
        print("| backend | seconds | pages | pages/s | vs pdftotext | target |")
        print("|---|---|---|---|---|---|")
        for backend in sorted(k for k in real if isinstance(real[k], dict) and k != "corpus"):
            b = real[backend]
            print(f"| {backend}, text only, 1 core | {b['s']:.2f} | {b['pages']} | {b['pages'] / b['s']:.0f} | "
                  f"{fmt(b['ratio'])}× | — |")
        c = real["corpus"]
        pages = real["pdfium"]["pages"]
        print(f"| wgindex parse, {c['jobs']} cores, records | {c['s']:.2f} | {pages} | {pages / c['s']:.0f} | "
              f"{fmt(c['ratio'])}× | ≤ 4× (default backend, both cores) {real_verdict(c['ratio'])} |")

    if len(results) > 1:
        a, b = results[0], results[-1]
        print(f"\ntime per document at {b['documents']} vs {a['documents']}: "
              f"{b['per_doc_ms'] / a['per_doc_ms']:.2f}x")
    if args.json:
        Path(args.json).write_text(json.dumps({"sizes": results, "real_pdfs": real}, indent=1))
    shutil.rmtree(work / "discarded", ignore_errors=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
