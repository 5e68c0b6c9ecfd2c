"""One document in two languages: the Chinese seed agenda CTOC/COP/WG.7/2022/1 and an English
version of it (``tests/data/versions``).  Both are published: the Chinese one at the symbol's
page, the English one below it at ``…/en/``; each links to the other."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import wgindex

ROOT = Path(__file__).resolve().parents[1]
SYMBOL = "CTOC/COP/WG.7/2022/1"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    src = tmp_path_factory.mktemp("versions") / "docs"
    src.mkdir()
    # the English file sorts first by name: which version owns the symbol's page is not file order
    shutil.copy(ROOT / "tests" / "data" / "versions" / "a-english-agenda.txt", src)
    shutil.copy(ROOT / "seeds" / "000_a77c370a0a5c2167.txt", src)
    out = src.parent / "site"
    report = wgindex.build([src], out, cache_dir=src.parent / "cache")
    return report, out


def test_both_versions_are_published(built):
    report, out = built
    assert report.code == 0 and report.documents == 2, report.errors
    zh = json.loads((out / SYMBOL / "record.json").read_text(encoding="utf-8"))
    en = json.loads((out / SYMBOL / "en" / "record.json").read_text(encoding="utf-8"))
    assert (zh["id"], zh["language"]) == (SYMBOL, "Chinese")
    assert (en["id"], en["symbol"], en["language"]) == (SYMBOL + "/en", SYMBOL, "English")


def test_each_version_links_to_the_other(built):
    _, out = built
    zh = (out / SYMBOL / "index.html").read_text(encoding="utf-8")
    en = (out / SYMBOL / "en" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<a href="[./]*CTOC/COP/WG\.7/2022/1/en/index\.html" hreflang="en">英文</a>', zh)
    assert re.search(r'<a href="[./]*CTOC/COP/WG\.7/2022/1/index\.html" hreflang="zh">中文</a>', en)
    for html in (zh, en):
        assert html.count('<link rel="alternate" hreflang=') == 2
    # the English page speaks English where it shows the document, Chinese around it
    assert '<h1 lang="en">Provisional agenda</h1>' in en
    assert '<html lang="zh-Hans">' in en


def test_the_symbol_resolves_to_the_preferred_version(built):
    _, out = built
    inv = json.loads((out / "inventory.json").read_text(encoding="utf-8"))
    docs = [t for t in inv["targets"] if t["symbol"] == SYMBOL and t["kind"] == "document"]
    assert [t["url"] for t in docs] == [SYMBOL + "/"]
    meeting = (out / "meetings" / "WG.7" / "9" / "index.html").read_text(encoding="utf-8")
    assert '议程（<a href="../../../CTOC/COP/WG.7/2022/1/index.html">' in meeting  # the Chinese agenda
    feed = (out / "feed.xml").read_text(encoding="utf-8")
    ids = re.findall(r"<id>(urn:wgindex:[^<#]+)</id>", feed)
    assert len(ids) == len(set(ids)) and f"urn:wgindex:{SYMBOL}/en" in ids
