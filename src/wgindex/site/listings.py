"""The corpus-wide pages: recommendations, topics, states and organisations, source
discrepancies, resolutions, search.  Each is a pure function of the site data."""

from __future__ import annotations

from ..corpus.urls import entity_dir, resolution_dir, topic_dir
from ..symbols import is_valid, sort_key
from .lookups import SiteData
from .page import Page, page


def listing_pages(data: SiteData) -> list[Page]:
    c = data.corpus
    out = [recommendations(data), topics(data)]
    out += [topic(data, label) for label in c.topics]
    out += [states(data)] + [entity(data, n) for n in c.entities]
    out += [discrepancies(data)] + [resolution(data, r) for r in sorted(c.resolutions)]
    out += [page("search/", "search.html", title="搜索")]
    return out


def recommendations(data: SiteData) -> Page:
    grouped: dict = {}
    for rec in data.corpus.recommendations:
        grouped.setdefault(rec["meeting"] or ("", 0), []).append(rec)
    for recs in grouped.values():
        recs.sort(key=lambda x: int(x["number"]) if x["number"].isdigit() else 0)
    return page("recommendations/", "recommendations.html", grouped=dict(sorted(grouped.items())),
                title="建议")


def topic_grid(data: SiteData) -> dict:
    c = data.corpus
    reports = sorted({row["report"] for row in c.index_rows if is_valid(row["report"])}, key=sort_key)
    rows = []
    for label in sorted(c.topics):
        t = c.topics[label]
        if not t["rows"]:
            continue
        counts = {rep: sum(len(x["paragraphs"]) for x in t["rows"] if x["report"] == rep) for rep in reports}
        rows.append({"label": label, "counts": counts})
    top = max([n for r in rows for n in r["counts"].values()] + [1])
    return {"reports": reports, "rows": rows, "max": top}


def topics(data: SiteData) -> Page:
    c = data.corpus
    roots = sorted(label for label, t in c.topics.items() if not t["parent"])
    return page("topics/", "topics.html", roots=roots, topics=c.topics, grid=topic_grid(data), title="专题")


def topic(data: SiteData, label: str) -> Page:
    c = data.corpus
    t = c.topics[label]
    disc: dict = {}
    for d in c.discrepancies:
        if d["topic"] == label:
            disc.setdefault((d["doc"], d["source"]["page"], d["source"]["line"]), []).append(d)
    return page(topic_dir(c.topic_slugs[label]), "topic.html", t=t, title=label, disc=disc)


def states(data: SiteData) -> Page:
    c = data.corpus
    ents = c.entities
    meetings = sorted({a["meeting"] for e in ents.values() for a in e["attended"] if a["meeting"]})
    states = sorted((n for n, e in ents.items() if "state" in e["kinds"]), key=lambda n: c.entity_slugs[n])
    orgs = sorted((n for n, e in ents.items() if "state" not in e["kinds"]), key=lambda n: c.entity_slugs[n])
    grid = []
    for n in states + orgs:
        cells = {a["meeting"]: a["category"] for a in ents[n]["attended"]}
        grid.append({"name": n, "cells": cells, "spoke": {s["meeting"] for s in ents[n]["spoke"]}})
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
