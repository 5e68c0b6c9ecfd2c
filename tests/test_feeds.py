"""Atom feeds as a feed reader sees them (feedparser): valid, newest first, stable ids, one
feed for the corpus and one per working group, no build time anywhere."""

from __future__ import annotations

import feedparser
from hypothesis import given, strategies as st


def test_corpus_feed_is_valid_newest_first_with_stable_ids(site, seed_result):
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.bozo_exception
    assert feed.version == "atom10"
    n_recs = sum(len(r["recommendations"]) for r in seed_result.records)
    assert len(feed.entries) == len(seed_result.records) + n_recs
    dates = [e.updated for e in feed.entries]
    assert dates == sorted(dates, reverse=True)
    ids = [e.id for e in feed.entries]
    assert len(set(ids)) == len(ids)
    assert "urn:wgindex:CTOC/COP/WG.7/2022/1" in ids
    rec = next(e for e in feed.entries if e.id.endswith("#rec-1"))
    assert "建议 1" in rec.title and rec.summary
    # every entry links to a page of the site
    for e in feed.entries:
        target = (site / e.link.split("#")[0]).resolve()
        assert (target / "index.html").exists() or target.exists(), e.link
    assert feed.feed.updated == max(dates)


def test_a_feed_per_working_group(site, seed_result):
    groups = {r["working_group"] for r in seed_result.records if r["working_group"]}
    assert groups == {"CTOC/COP/WG.7", "CTOC/COP/WG.4"}
    wg4 = feedparser.parse((site / "feeds" / "WG.4.xml").read_bytes())
    assert not wg4.bozo and wg4.entries
    assert all("WG.4" in e.id or "贩运人口" in e.title for e in wg4.entries)
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="feeds/WG.4.xml"' in home and 'type="application/atom+xml"' in home


def test_feeds_use_the_base_url_and_are_the_same_on_every_build(seed_result):
    import wgindex
    one = wgindex.render(seed_result.records, base_url="https://wg.example/").files
    two = wgindex.render(seed_result.records, base_url="https://wg.example/").files
    assert one["feed.xml"] == two["feed.xml"]
    feed = feedparser.parse(one["feed.xml"])
    assert all(e.link.startswith("https://wg.example/") for e in feed.entries)


@given(st.text())
def test_feed_escaping_is_the_standard_librarys(text):
    """The feeds escape as ``xml.sax.saxutils`` does (written out so that its import of
    ``urllib.request`` is not in every command's start)."""
    from xml.sax.saxutils import escape, quoteattr

    from wgindex.site import feeds
    assert feeds.escape(text) == escape(text)
    assert feeds.quoteattr(text) == quoteattr(text)


def test_the_command_line_does_not_import_urllib():
    import subprocess
    import sys
    out = subprocess.run([sys.executable, "-c", "import sys, wgindex.cli.main; print('urllib.request' in sys.modules)"],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
