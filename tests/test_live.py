"""`wgindex serve` as a user runs it on a site it built: the sources are watched, a new
document appears in the open page without a command, a broken one shows its error on the
page and in the terminal, fixing it clears the error.  A real browser (Debian's chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from test_browser import AXE, CHROMIUM, FLAGS

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists() or not AXE.exists(),
                                reason="needs chromium and node_modules (scripts/install-browser.sh)")


@pytest.fixture
def served(tmp_path):
    """`wgindex build docs -o site` then `wgindex serve site -p 0` in a folder of one's own."""
    shutil.copytree(ROOT / "seeds", tmp_path / "docs")
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    cmd = [sys.executable, "-m", "wgindex"]
    assert subprocess.run(cmd + ["build", "docs", "-o", "site"], cwd=tmp_path, env=env,
                          capture_output=True).returncode == 0
    log = (tmp_path / "serve.log").open("w")
    proc = subprocess.Popen(cmd + ["serve", "site", "-p", "0"], cwd=tmp_path, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = None
    for _ in range(100):
        m = re.search(r"at (http://127\.0\.0\.1:\d+/)", (tmp_path / "serve.log").read_text())
        if m:
            url = m.group(1)
            break
        time.sleep(0.1)
    assert url, (tmp_path / "serve.log").read_text()
    assert "watching" in (tmp_path / "serve.log").read_text()  # the default for a site built from sources
    yield tmp_path, url
    proc.terminate()
    proc.wait(10)
    log.close()


def test_watch_rebuilds_reloads_and_shows_errors(served):
    sync_api = pytest.importorskip("playwright.sync_api")
    work, url = served
    docs = work / "docs"
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS, headless=True)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(url + "states/")
        page.evaluate("window.scrollTo(0, 600)")
        page.wait_for_function("window.scrollY >= 600")
        assert "新国家" not in page.content()
        # add a document: its state appears on the open page, which keeps its scroll position
        report = (docs / "001_28d5586563dc01f3.txt").read_text(encoding="utf-8")
        (docs / "new.txt").write_text(report.replace("乌拉圭。", "乌拉圭、新国家。"), encoding="utf-8")
        page.wait_for_function("document.body.innerText.includes('新国家')", timeout=30000)
        page.wait_for_function("window.scrollY >= 500", timeout=5000)
        # break a document: the error is shown on the page and in the terminal
        (docs / "broken.txt").write_bytes(b"")
        page.wait_for_selector("#wgindex-errors", timeout=30000)
        assert "broken.txt" in page.inner_text("#wgindex-errors")
        assert "file is empty" in page.inner_text("#wgindex-errors")
        deadline = time.time() + 10
        while "broken.txt: ERROR: file is empty" not in (work / "serve.log").read_text() and time.time() < deadline:
            time.sleep(0.2)
        assert "broken.txt: ERROR: file is empty" in (work / "serve.log").read_text()
        assert "新国家" in page.content()  # the rest of the site is still there
        # fix it: the error goes
        (docs / "broken.txt").unlink()
        page.wait_for_selector("#wgindex-errors", state="detached", timeout=30000)
        assert errors == []
        browser.close()
    # the served pages got the reload script; the built files did not
    assert "__wgindex" not in (work / "site" / "states" / "index.html").read_text(encoding="utf-8")


def test_serve_without_known_sources_serves_only(tmp_path):
    import wgindex
    from wgindex.site.write import write_site
    site = tmp_path / "site"
    records = wgindex.parse([ROOT / "seeds"], jobs=1).records
    write_site(wgindex.render(records).files, site)
    proc = subprocess.run([sys.executable, "-m", "wgindex", "serve", str(site), "--watch", "-p", "0"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "give them with --sources" in proc.stderr
