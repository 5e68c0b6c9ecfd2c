"""The pages of documents, referenced symbols, meetings and the home page: each a pure function
from the site data to ``Page(path, template, context)``.  The context holds data only (records,
corpus entries, strings, numbers); what a template asks of the corpus beyond it goes through
``Lookups``, which records it."""

from __future__ import annotations

from .. import groups
from ..corpus.urls import doc_anchors, doc_dir, footnote_ids, meeting_dir, para_anchor, symbol_dir
from ..schema import LANG_CODES
from . import citation
from .feeds import feeds
from .labels import cite_prefix, doc_ref, doc_title, meeting_title
from .lookups import SiteData
from .page import MadePage, Page, made, page


def _flow(r: dict) -> list[dict]:
    """The document's headings, paragraphs and loose recommendations in reading order."""
    items = []
    for s in r["sections"]:
        items.append({"type": "section", "obj": s, "src": s["source"]})
        for sub in s.get("subsections", []):
            items.append({"type": "subsection", "obj": sub, "src": sub["source"]})
    for p in r["paragraphs"]:
        items.append({"type": "para", "obj": p, "src": p["source"]})
    for h in r.get("headings", []):
        items.append({"type": "title", "obj": h, "src": h["source"]})
    for t in r.get("texts", []):
        items.append({"type": "text", "obj": t, "src": t["source"]})
    sub_sources = {(x["src"]["page"], x["src"]["line"]) for x in items if x["type"] == "subsection"}
    for h in r["recommendation_headings"]:
        if h.get("source") and (h["source"]["page"], h["source"]["line"]) not in sub_sources:
            items.append({"type": "rec_heading", "obj": h, "src": h["source"]})
    for rec in r["recommendations"]:
        if rec.get("paragraph") is None:
            items.append({"type": "rec", "obj": rec, "src": rec["source"]})
    items.sort(key=lambda x: ((x["src"].get("page") or 0), x["src"]["line"]))
    empty = {(h["source"]["page"], h["source"]["line"]) for h in r["recommendation_headings"]
             if h["count"] == 0 and h.get("source")}
    for x in items:
        x["empty"] = (x["src"].get("page"), x["src"]["line"]) in empty
    if r.get("language") == "English" and r.get("title"):
        # what an English document prints above its title (body, session, dates, agenda item)
        # is its masthead, shown as such; the title itself is the page's h1
        at = next((i for i, x in enumerate(items) if x["type"] == "title" and x["obj"]["text"] == r["title"]), None)
        if at is not None:
            for x in items[:at]:
                if x["type"] == "text":
                    x["type"] = "masthead"
            del items[at]
    return items


def document(data: SiteData, r: dict) -> MadePage:
    """A document's page, made from the record and what the corpus says of it (its meeting,
    its symbol's entry, its language versions): its context is made only when it is rendered."""
    key = data.corpus.meeting_of_record(r)
    ref = data.corpus.symbols.get(r["symbol"]) if r.get("symbol") else None
    versions = [{"language": x["language"], "code": LANG_CODES[x["language"]], "dir": doc_dir(x),
                 "self": x["id"] == r["id"]} for x in data.versions.get(r.get("symbol") or "", [])]
    return made(doc_dir(r), "document.html", document_context, r, key, ref,
                versions if len(versions) > 1 else [], data.base_url, title=doc_title(r))


def document_context(r: dict, key: tuple | None, ref, versions: list[dict], base_url: str) -> dict:
    """The context of a document's page: a function of these inputs alone (``page.made``):
    the record, its meeting, its symbol's entry, the links to its language versions."""
    own = doc_anchors(r)
    missing = {p: rows for p, rows in ref.paragraphs.items() if para_anchor(p) not in own} if ref else {}
    rows_disc: dict = {}
    for d in r["discrepancies"]:
        rows_disc.setdefault((d["source"]["page"], d["source"]["line"]), []).append(d)
    marks: dict = {}
    for fn, fid in zip(r["footnotes"], footnote_ids(r["footnotes"])):
        if fn["mark"].isdigit():
            marks.setdefault(fn["mark"], fid)
    english = r.get("language") == "English"
    heading = r["title"] if english and r.get("title") else doc_title(r)
    return dict(r=r, title=doc_title(r), flow=_flow(r), note_marks=marks,
                heading=heading, subtitle=meeting_title(key) if key and heading != doc_title(r) else None,
                versions=versions,
                meeting_key=key, cite=cite_prefix(r), ref=ref, missing=missing,
                footnote_ids=footnote_ids(r["footnotes"]), rows_disc=rows_disc,
                symbol=r.get("symbol") or r["id"], meta=citation.meta_tags(r, base_url),
                official=citation.official_urls(r.get("symbol")), exports=citation.EXPORTS)


def symbol(data: SiteData, sym: str, ref: dict) -> Page:
    """The page of a document the corpus refers to but does not hold."""
    return page(symbol_dir(sym), "symbol.html", sym=sym, ref=ref, title=sym,
                meeting_key=data.corpus.meeting_key_of_symbol(sym), official=citation.official_urls(sym))


def _by_group(data: SiteData) -> dict:
    by_group: dict = {}
    for key, m in data.corpus.meetings.items():
        by_group.setdefault(key[0], []).append(m)
    return dict(sorted(by_group.items()))


def home(data: SiteData) -> Page:
    c = data.corpus
    recent = sorted(data.records, key=lambda r: (str(r.get("issue_date") or (r["meeting"] or {}).get("start") or ""),
                                                 r["id"]), reverse=True)[:10]
    counts = {"documents": len(data.records), "meetings": len(c.meetings),
              "recommendations": len(c.recommendations),
              "topics": sum(1 for t in c.topics.values() if t.rows),
              "symbols": len(c.symbols), "entities": len(c.entities),
              "discrepancies": len(c.discrepancies),
              "paragraphs": sum(len(r["paragraphs"]) for r in data.records)}
    return page("", "home.html", title="wgindex", by_group=_by_group(data), recent=recent,
                counts=counts, timeline=timeline(data), feeds=feeds(data))


def meetings(data: SiteData) -> Page:
    return page("meetings/", "meetings.html", by_group=_by_group(data), timeline=timeline(data), title="会议")


def timeline(data: SiteData) -> dict:
    meetings = list(data.corpus.meetings.values())
    years = sorted({m.start.year for m in meetings if m.start})
    if not years:
        return {"width": 0, "height": 0, "rows": [], "years": []}
    y0, y1 = years[0], years[-1]
    gs = sorted({m.group for m in meetings})
    left, step, row_h = 70, max(40, min(70, 700 // max(1, y1 - y0 + 1))), 44
    width = left + step * (y1 - y0 + 1) + 20
    rows = []
    for i, g in enumerate(gs):
        dots = []
        for m in sorted((m for m in meetings if m.group == g and m.start), key=lambda m: m.number):
            frac = (m.start.timetuple().tm_yday - 1) / 366
            dots.append({"x": round(left + step * (m.start.year - y0 + frac), 1),
                         "y": 30 + i * row_h, "m": m, "in_corpus": bool(m.documents),
                         "href": meeting_dir(m.group, m.number)})
        rows.append({"group": g, "short": groups.short(g), "y": 30 + i * row_h, "dots": dots})
    ticks = [{"year": y, "x": left + step * (y - y0)} for y in range(y0, y1 + 1)]
    return {"width": width, "height": 40 + len(gs) * row_h, "rows": rows, "years": ticks}


def meeting(data: SiteData, key) -> Page:
    c = data.corpus
    m = c.meetings[key]
    docs = [c.docs[i] for i in m.documents]
    related, recs = data.by_meeting.get(key, ([], []))
    agenda, agenda_doc = data.agendas.get(key, ([], None))
    schedule = []
    attendance, speakers, chair, panel = [], [], None, []
    for r in docs:
        schedule = schedule or r["schedule"]
        attendance = attendance or [(r, a) for a in r["attendance"]]
        speakers = speakers or [(r, s) for s in r["speakers"]]
        chair = chair or (r["chair"] and (r, r["chair"]))
        panel = panel or [(r, p) for p in r["panellists"]]
    return page(meeting_dir(*key), "meeting.html", m=m, key=key, docs=docs, related=related,
                agenda=agenda, agenda_doc=doc_ref(c.docs[agenda_doc]) if agenda_doc else None,
                schedule=schedule, attendance=attendance, speakers=speakers, chair=chair,
                panel=panel, recs=recs, title=meeting_title(key))
