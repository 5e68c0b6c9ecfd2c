"""Atom feeds of what entered the corpus: ``feed.xml`` for everything and ``feeds/WG.n.xml``
per working group; an entry per document and per recommendation, newest issue date first,
with ids that never change (``urn:wgindex:<symbol>`` and ``…#rec-3``).  No build time is
written anywhere: a feed's ``updated`` is its newest entry's date."""

from __future__ import annotations

from .. import groups
from ..corpus.urls import doc_dir, rec_anchor
from .labels import cite_prefix, doc_title, kind_label
from .lookups import SiteData
from .write import SiteWriter

EPOCH = "2000-01-01"  # the date of an entry whose document gives none


def escape(text: str) -> str:
    """XML character data, as ``xml.sax.saxutils.escape`` writes it (that module imports
    ``urllib.request``, ``http.client`` and ``ssl``: 24-29 ms of every command's start)."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(text: str) -> str:
    """An XML attribute value with its quotes, as ``xml.sax.saxutils.quoteattr`` writes it."""
    text = escape(text).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in text:
        return f'"{text}"'
    return "'" + text + "'" if "'" not in text else '"' + text.replace('"', "&quot;") + '"'


def _date(r: dict) -> str:
    d = r.get("issue_date") or (r.get("meeting") or {}).get("start")
    return d.isoformat() if d else EPOCH


def entries(data: SiteData, group: str | None = None) -> list[dict]:
    out = []
    for r in data.records:
        if group and r.get("working_group") != group:
            continue
        when, url = _date(r), doc_dir(r)
        name = r.get("symbol") or r["id"]
        out.append({"id": f"urn:wgindex:{r['id']}", "title": f"{name} — {doc_title(r)}", "date": when,
                    "url": url, "summary": f"{kind_label(r['kind'])}：{doc_title(r)}",
                    "lang": "en" if r.get("language") == "English" else "zh-Hans"})
        for rec in r["recommendations"]:
            anchor = rec_anchor(rec["number"])
            out.append({"id": f"urn:wgindex:{r['id']}#{anchor}",
                        "title": f"{cite_prefix(r)}，建议 {rec['number']}", "date": when,
                        "url": f"{url}#{anchor}", "summary": rec["text"], "lang": "zh-Hans"})
    out.sort(key=lambda e: (e["date"], e["id"]), reverse=True)
    return out


def atom(title: str, feed_id: str, self_path: str, items: list[dict], base_url: str) -> str:
    base = base_url.rstrip("/") + "/" if base_url else ""
    up = "../" * self_path.count("/")  # relative links from the feed file to the pages
    updated = max((e["date"] for e in items), default=EPOCH) + "T00:00:00Z"
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="zh-Hans">\n',
             f"<title>{escape(title)}</title>\n<id>{escape(feed_id)}</id>\n<updated>{updated}</updated>\n",
             f"<link rel=\"self\" href={quoteattr((base or up) + self_path)}/>\n",
             f"<link rel=\"alternate\" href={quoteattr(base or up or './')}/>\n",
             "<author><name>wgindex</name></author>\n<generator>wgindex</generator>\n"]
    for e in items:
        href = (base or up) + e["url"]
        parts.append(f"<entry xml:lang=\"{e['lang']}\">\n<id>{escape(e['id'])}</id>\n<title>{escape(e['title'])}</title>\n"
                     f"<updated>{e['date']}T00:00:00Z</updated>\n<link rel=\"alternate\" href={quoteattr(href)}/>\n"
                     f"<summary>{escape(e['summary'])}</summary>\n</entry>\n")
    parts.append("</feed>\n")
    return "".join(parts)


def feeds(data: SiteData) -> list[dict]:
    """The feeds: the whole corpus, then each working group in it (path, label, group)."""
    out = [{"path": "feed.xml", "label": "新收入的文件和建议", "group": None}]
    for g in sorted({r["working_group"] for r in data.records if r.get("working_group")}):
        out.append({"path": f"feeds/{groups.short(g)}.xml", "label": f"{groups.chinese_name(g)}的文件和建议",
                    "group": g})
    return out


def add_feeds(out: SiteWriter, data: SiteData) -> None:
    for f in feeds(data):
        out.add(f["path"], atom(f"wgindex：{f['label']}", f"urn:wgindex:feed:{f['group'] or 'all'}",
                                f["path"], entries(data, f["group"]), data.base_url))
