"""The corpus-wide pages: recommendations, topics, states and organisations, source
discrepancies, resolutions, search.  Each is a pure function of the site data."""

from __future__ import annotations

from dataclasses import replace
from operator import attrgetter

from .. import groups
from ..corpus.urls import doc_dir, entity_dir, resolution_dir, symbol_dir, topic_dir
from ..symbols import group_and_year, is_valid, sort_key
from .exports_rows import recommendation_rows
from .labels import doc_name, doc_title, kind_label
from .facets import entities_named, group_and_year_of, topics_of
from .lookups import SiteData
from .page import Page, page


def listing_pages(data: SiteData) -> list[Page]:
    c = data.corpus
    out = [recommendations(data), topics(data)]
    out += [topic(data, label) for label in c.topics]
    out += [states(data)] + [entity(data, n) for n in c.entities]
    out += [discrepancies(data)] + [resolution(data, r) for r in sorted(c.resolutions)]
    out += [page("search/", "search.html", title="搜索"), documents(data)]
    return out


def documents(data: SiteData) -> Page:
    """Every document: those in the corpus and those it cites, by working group."""
    c = data.corpus
    rows = []
    for r in data.records:
        d = r.get("issue_date") or (r.get("meeting") or {}).get("start")
        rows.append({"group": r.get("working_group") or "", "name": doc_name(r), "title": doc_title(r),
                     "dir": doc_dir(r), "kind": kind_label(r["kind"]) + ("（草稿）" if r["draft"] else ""),
                     "meeting": c.meeting_of_record(r), "date": d.isoformat() if d else None,
                     "in_corpus": True, "sort": r.get("symbol") or r["id"]})
    for sym, ref in c.symbols.items():
        if not ref.in_corpus:
            rows.append({"group": (group_and_year(sym) or ("",))[0] or "", "name": sym, "title": None,
                         "dir": symbol_dir(sym), "kind": "", "meeting": c.meeting_key_of_symbol(sym),
                         "date": None, "in_corpus": False, "sort": sym})
    out = []
    for g in sorted({x["group"] for x in rows}, key=lambda g: (g == "", g)):
        docs = sorted((x for x in rows if x["group"] == g), key=lambda x: sort_key(x["sort"]))
        out.append({"name": f"{groups.chinese_name(g)}（{g}）" if g else "其他文件", "docs": docs})
    counts = {"in_corpus": len(data.records), "referenced": sum(1 for x in rows if not x["in_corpus"])}
    return page("documents/", "documents.html", groups=out, counts=counts, title="文件")


def folder_pages(paths, titles: dict[str, str]) -> list[Page]:
    """An index page in every folder a URL can reach that has none (``/doc/``, ``/CTOC/``,
    ``/resolutions/`` …): what is in it, by the titles of the pages below."""
    have = set(paths)
    children: dict[str, set] = {}
    files_in: dict[str, int] = {}  # folder -> files anywhere below it
    for p in paths:
        parts = p.split("/")
        for i in range(1, len(parts)):
            parent = "/".join(parts[:i - 1]) + "/" if i > 1 else ""
            folder = "/".join(parts[:i]) + "/"
            children.setdefault(parent, set()).add(folder)
            files_in[folder] = files_in.get(folder, 0) + 1
        children.setdefault("/".join(parts[:-1]) + "/" if len(parts) > 1 else "", set()).add(p)
    out = []
    for folder in sorted(children):
        if not folder or folder + "index.html" in have:
            continue
        entries = []
        for child in sorted(children[folder], key=lambda x: sort_key(x.rstrip("/"))):
            if child == folder + "index.html":
                continue
            if child.endswith("/"):
                label = titles.get(child + "index.html") or child[len(folder):]
                entries.append({"href": child, "label": label, "note": child[len(folder):] if
                                label != child[len(folder):] else f"{files_in[child]} 个文件"})
            else:
                entries.append({"href": child, "label": child[len(folder):], "note": ""})
        parts = folder.rstrip("/").split("/")
        crumbs = [("/".join(parts[:i]) + "/", parts[i - 1]) for i in range(1, len(parts))]
        out.append(page(folder, "folder.html", title=f"{folder} 下的内容", entries=entries,
                        crumbs=crumbs, name=parts[-1]))
    return out


def recommendations(data: SiteData) -> Page:
    """Every recommendation, by meeting, with what the filters need: working group, meeting,
    year, topics, states named, kind of document; and its row of ``recommendations.csv``, so the
    page can download exactly the filtered set."""
    c = data.corpus
    header, rows = recommendation_rows(data)
    grouped: dict = {}
    for n, rec in enumerate(c.recommendations):
        doc = c.docs[rec.doc]
        group, year = group_and_year_of(c, doc)
        item = {"rec": rec, "row": n, "topics": topics_of(c, doc, rec.paragraph),
                "states": entities_named("\n".join(filter(None, [rec.heading, rec.text])), data.names_re),
                "group": group, "year": year,
                "kind": kind_label(doc["kind"]) + ("（草稿）" if doc["draft"] else "")}
        grouped.setdefault(rec.meeting or ("", 0), []).append(item)
    for items in grouped.values():
        items.sort(key=lambda x: int(x["rec"].number) if x["rec"].number.isdigit() else 0)
    items = [x for xs in grouped.values() for x in xs]
    by_slug = lambda n: c.entity_slugs.get(n, n)  # noqa: E731 - pinyin order, as on the states page
    facets = [
        ("g", "工作组", sorted({x["group"] for x in items if x["group"]})),
        ("m", "会议", [f"{groups.short(k[0])}/{k[1]}" for k in sorted(grouped) if k[1]]),
        ("y", "年份", sorted({str(x["year"]) for x in items if x["year"]}, reverse=True)),
        ("t", "专题", sorted({t for x in items for t in x["topics"]}, key=lambda t: c.topic_slugs.get(t, t))),
        ("s", "国家和组织", sorted({n for x in items for n in x["states"]}, key=by_slug)),
        ("k", "文件类别", sorted({x["kind"] for x in items})),
    ]
    return page("recommendations/", "recommendations.html", grouped=dict(sorted(grouped.items())),
                facets=[f for f in facets if f[2]], csv={"header": header, "rows": rows}, title="建议")


def topic_grid(data: SiteData) -> dict:
    c = data.corpus
    # each report checked once, not once a row (38,725 rows, ~700 reports at 1,000 documents)
    reports = sorted(filter(is_valid, {row.report for row in c.index_rows}), key=sort_key)
    rows = []
    for label in sorted(c.topics, key=lambda label: c.topic_slugs.get(label, label)):
        t = c.topics[label]
        if not t.rows:
            continue
        per: dict[str, int] = {}
        for x in t.rows:
            per[x.report] = per.get(x.report, 0) + len(x.paragraphs)
        counts = {rep: per.get(rep, 0) for rep in reports}  # a pass a topic, not one a report
        rows.append({"label": label, "counts": counts})
    top = max([n for r in rows for n in r["counts"].values()] + [1])
    return {"reports": reports, "rows": rows, "max": top}


def topics(data: SiteData) -> Page:
    c = data.corpus
    by_pinyin = lambda label: c.topic_slugs.get(label, label)  # noqa: E731 - as states are sorted
    roots = sorted((label for label, t in c.topics.items() if not t.parent), key=by_pinyin)
    topics = {label: replace(t, children=sorted(t.children, key=by_pinyin)) for label, t in c.topics.items()}
    return page("topics/", "topics.html", roots=roots, topics=topics, grid=topic_grid(data), title="专题")


def topic(data: SiteData, label: str) -> Page:
    c = data.corpus
    t = c.topics[label]
    disc: dict = {}
    for d in c.discrepancies:
        if d.topic == label:
            disc.setdefault((d.doc, d.source["page"], d.source["line"]), []).append(d)
    t = replace(t, children=sorted(t.children, key=lambda x: c.topic_slugs.get(x, x)))
    first_rows: dict = {}  # report -> its first row here: the anchor the topics grid links to
    for i, row in enumerate(t.rows):
        first_rows.setdefault(row.report, i)
    return page(topic_dir(c.topic_slugs[label]), "topic.html", t=t, title=label, disc=disc,
                first_rows=first_rows)


_meeting_and_category = attrgetter("meeting", "category")


def states(data: SiteData) -> Page:
    c = data.corpus
    ents = c.entities
    states = sorted((n for n, e in ents.items() if "state" in e.kinds), key=lambda n: c.entity_slugs[n])
    orgs = sorted((n for n, e in ents.items() if "state" not in e.kinds), key=lambda n: c.entity_slugs[n])
    grid, meetings = [], set()
    for n in states + orgs:  # every entity: its cells are the meetings it attended
        cells = dict(map(_meeting_and_category, ents[n].attended))
        meetings.update(cells)
        grid.append({"name": n, "cells": cells, "spoke": {s.meeting for s in ents[n].spoke}})
    meetings = sorted(m for m in meetings if m)
    return page("states/", "states.html", states=states, orgs=orgs, grid=grid, meetings=meetings,
                title="国家和组织")


def entity(data: SiteData, name: str) -> Page:
    c = data.corpus
    return page(entity_dir(c.entity_slugs[name]), "state.html", e=c.entities[name], title=name)


def discrepancies(data: SiteData) -> Page:
    return page("discrepancies/", "discrepancies.html", items=data.corpus.discrepancies, title="来源差异")


def resolution(data: SiteData, res: str) -> Page:
    return page(resolution_dir(res), "resolution.html", res=res, mentions=data.corpus.resolutions[res],
                title=f"第 {res} 号决议")
