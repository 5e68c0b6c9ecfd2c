"""Render the site from records (never from sources): gather everything, link, then write.

``render_site(records, out)`` builds into a temporary directory next to ``out`` and swaps it
in, so a failed build leaves the previous site whole; files whose bytes did not change keep
their old modification time (rsync-style deploys copy only what changed).
"""

from __future__ import annotations

import csv
import functools
import io
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from . import __version__, groups
from .errors import WgindexError
from .grammar import GrammarError, parse_locations
from .link import Corpus, build_corpus
from .linktext import TextLinker
from .memo import RenderMemo
from .numerals import int_to_cn
from .records import jsonable, to_json, to_json_lines, to_yaml
from .sitepaths import (doc_dir, entity_dir, footnote_ids, meeting_dir, para_anchor, relative,
                        resolution_dir, symbol_dir, topic_dir)
from .symbols import is_valid, sort_key
from .write import REUSE, Reuse, SiteWriter, write_site  # noqa: F401 (re-exported)

CATEGORY_LABELS = {
    "states_parties": "缔约国", "regional_organization_party": "区域经济一体化组织（缔约方）",
    "signatories": "签署国", "non_signatory_states": "非缔约国和非签署国",
    "un_entities": "联合国实体", "intergovernmental_organizations": "政府间组织",
    "intergovernmental_organizations_and_un_entities": "政府间组织和联合国实体",
    "other_entities": "其他实体",
    "parties": "缔约方", "non_parties": "非缔约方", "observers": "观察员", "secretariat": "秘书处",
}
KIND_LABELS = {"agenda": "临时议程说明", "report": "报告", "index": "建议索引", "other": "其他文件"}


def template_dir() -> Path:
    env = os.environ.get("WGINDEX_TEMPLATES")
    candidates = [Path(env)] if env else []
    here = Path(__file__).resolve().parent
    candidates += [here / "templates", here.parents[1] / "templates"]  # wheel, then checkout
    for c in candidates:
        if (c / "base.html").exists():
            return c
    raise WgindexError("the site templates are not installed with wgindex (reinstall it, or "
                       "set WGINDEX_TEMPLATES to a folder of templates)")


def meeting_label(key) -> str:
    if not key:
        return ""
    return f"{groups.short(key[0])} 第{int_to_cn(key[1])}次会议"


def meeting_title(key) -> str:
    return f"{groups.chinese_name(key[0])}第{int_to_cn(key[1])}次会议"


def cite_prefix(record: dict) -> str:
    if record.get("symbol"):
        return record["symbol"]
    mt = record.get("meeting") or {}
    title = record.get("title") or KIND_LABELS[record["kind"]]
    if record.get("working_group") and groups.chinese_name(record["working_group"]) in title:
        return title  # the title names the group already
    if record.get("working_group") and mt.get("number"):
        return f"{groups.chinese_name(record['working_group'])}第{int_to_cn(mt['number'])}次会议{title}"
    return record["id"]


def doc_title(record: dict) -> str:
    parts = []
    mt = record.get("meeting") or {}
    if record.get("working_group") and mt.get("number"):
        parts.append(meeting_title((record["working_group"], mt["number"])))
    parts.append(record.get("title") or KIND_LABELS[record["kind"]])
    return "：".join(parts) if len(parts) > 1 else parts[0]


@functools.lru_cache(maxsize=65536)
def _loc_anchor(loc: str) -> str | None:
    try:
        return parse_locations(loc)[0].anchor
    except (GrammarError, IndexError):
        return None


class Builder(RenderMemo):
    def __init__(self, records: list[dict], base_url: str = "", serialized: dict | None = None):
        self.records = sorted(records, key=lambda r: r["id"])
        self.serialized = serialized or {}
        self._disc = None
        self.deps: list | None = None
        self.memo: dict = {}
        self._dep_cache: dict = {}
        self.corpus: Corpus = build_corpus(self.records)
        self.base_url = base_url
        self.out = SiteWriter()
        self.env = Environment(loader=FileSystemLoader(str(template_dir())),
                               autoescape=select_autoescape(["html", "xml", "svg"]),
                               undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                               keep_trailing_newline=True)
        self.env.filters["cn"] = int_to_cn
        self.env.tests["symbol"] = is_valid
        self.env.globals.update(category_label=lambda c: CATEGORY_LABELS.get(c, c),
                                kind_label=lambda k: KIND_LABELS.get(k, k),
                                meeting_label=meeting_label, meeting_title=meeting_title,
                                group_name=groups.chinese_name,
                                version=__version__)
        self.anchors = self._anchors()
        self.linker = TextLinker(self.corpus, self.anchors, self.dep)
        self.agenda_of_meeting = self._agendas()

    # --- gather ---------------------------------------------------------------------------
    def _anchors(self) -> dict[str, set]:
        """symbol -> every anchor its page will carry (computed before any page is rendered)."""
        out: dict[str, set] = {}
        for r in self.records:
            out[r.get("symbol") or r["id"]] = self._doc_anchors(r)
        for sym, ref in self.corpus.symbols.items():
            a = out.setdefault(sym, set())
            a.update(para_anchor(p) for p in ref["paragraphs"])
            a.update(x for x in (_loc_anchor(l) for l in ref["locations"]) if x)
        return out

    @staticmethod
    def _doc_anchors(r: dict) -> set:
        a = set()
        for p in r["paragraphs"]:
            a.add(para_anchor(p["number"]))
            for sp in p.get("subparagraphs", []):
                if sp["label"] and not sp["label"].isdigit():
                    a.add(para_anchor(f"{p['number']}({sp['label']})"))
        for rec in r["recommendations"]:
            a.add(f"rec-{rec['number']}")
        for it in r["agenda_items"] + r["adopted_agenda"]:
            prefix = "item" if it in r["agenda_items"] else "adopted-item"
            a.add(f"{prefix}-{it['number']}")
            for s in it["subitems"]:
                a.add(f"{prefix}-{it['number']}-{s['label']}")
        for fid in footnote_ids(r["footnotes"]):
            a.add(fid)
        for i, _ in enumerate(r["index_rows"], 1):
            a.add(f"row-{i}")
        return a

    def _agendas(self) -> dict:
        """meeting key -> (agenda items, record id, anchor prefix) used on the meeting page."""
        out = {}
        for r in self.records:
            key = self.corpus.meeting_of_record(r)
            if not key:
                continue
            if r["kind"] == "agenda" and r["agenda_items"]:
                out[key] = (r["agenda_items"], r["id"])
            elif r["adopted_agenda"] and key not in out:
                out[key] = (r["adopted_agenda"], r["id"])
        return out

    # --- helpers ----------------------------------------------------------------------------
    def render(self, template: str, path: str, **ctx) -> None:
        page = path + "index.html" if path.endswith("/") or path == "" else path
        root = relative(page, "index.html")[: -len("index.html")]

        def u(target: str) -> str:
            return relative(page, target)

        def linked(text: str, meeting_key=None):
            items = self.agenda_items(meeting_key)
            md = meeting_dir(*meeting_key) if items is not None else None
            return self.linker.html(text, page, md, set(items or ()))
        html = self.env.get_template(template).render(
            u=u, root=root, page=page, linked=linked, base_url=self.base_url,
            symbol_dir=symbol_dir, meeting_dir=meeting_dir, topic_dir=topic_dir,
            entity_dir=entity_dir, doc_dir=doc_dir, para_anchor=para_anchor,
            resolution_dir=resolution_dir, loc_anchor=_loc_anchor, corpus=self.corpus,
            topic_slug=lambda t: self.corpus.topic_slugs.get(t),
            entity_slug=lambda n: self.corpus.entity_slugs.get(n), **ctx)
        self.out.add(page, html)

    # Lookups into the whole corpus that a page makes are recorded (self.deps) while the page
    # renders, so that the render memo can check them again on the next build.
    def dep(self, kind: str, args: list, value):
        if self.deps is not None:
            self.deps.append([kind, args, value])
        return value

    def dep_value(self, kind: str, args: list):
        if kind == "m":
            return self._meeting_of_symbol(args[0])
        if kind == "i":
            return self._agenda_items(tuple(args[0]) if args[0] else None)
        return self.linker.lookup(kind, args)

    def _meeting_of_symbol(self, symbol):
        key = self.corpus.meeting_key_of_symbol(symbol)
        start = self.corpus.meetings[key]["start"] if key else None
        return [list(key), str(start)] if key else None

    def meeting_of_symbol(self, symbol):
        self.dep("m", [symbol], self._meeting_of_symbol(symbol))
        return self.corpus.meeting_key_of_symbol(symbol)

    def _agenda_items(self, key):
        if not key or key not in self.agenda_of_meeting:
            return None
        return sorted(i["number"] for i in self.agenda_of_meeting[key][0])

    def agenda_items(self, key):
        key = tuple(key) if key else None
        return self.dep("i", [list(key) if key else None], self._agenda_items(key))

    def paragraph_text(self, symbol: str, number: str) -> str | None:
        """The text of paragraph ``8(e)`` of a report in the corpus, if it is there."""
        rec = self.corpus.by_symbol.get(symbol)
        if not rec:
            return None
        base, _, sub = number.partition("(")
        sub = sub.rstrip(")")
        for p in rec["paragraphs"]:
            if p["number"] == base:
                if not sub:
                    return p["text"]
                for sp in p.get("subparagraphs", []):
                    if sp["label"] == sub:
                        return sp["text"]
        return None

    # --- pages ------------------------------------------------------------------------------
    def jobs(self) -> list[tuple]:
        """Every page to write, as (method, argument): the unit of parallel rendering."""
        jobs: list[tuple] = [("page_home",)]
        jobs += [("page_document_at", i) for i in range(len(self.records))]
        jobs += [("page_symbol_of", sym) for sym, ref in self.corpus.symbols.items() if not ref["in_corpus"]]
        jobs += [("page_meeting", key) for key in self.corpus.meetings]
        jobs += [("page_meetings",), ("page_recommendations",), ("page_topics",)]
        jobs += [("page_topic", label) for label in self.corpus.topics]
        jobs += [("page_states",)] + [("page_entity", n) for n in self.corpus.entities]
        jobs += [("page_discrepancies",)] + [("page_resolution", r) for r in sorted(self.corpus.resolutions)]
        jobs += [("page_search",), ("data_files",), ("static_files",)]
        return jobs

    def page_document_at(self, i: int) -> None:
        self.page_document(self.records[i])

    def page_symbol_of(self, sym: str) -> None:
        self.page_symbol(sym, self.corpus.symbols[sym])

    def _flow(self, r: dict) -> list[dict]:
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
        return items

    def page_document(self, r: dict) -> None:
        d = doc_dir(r)
        key = self.corpus.meeting_of_record(r)
        symbol = r.get("symbol") or r["id"]
        ref = self.corpus.symbols.get(r["symbol"]) if r.get("symbol") else None
        own = self._doc_anchors(r)
        missing = {}
        if ref:
            for p, rows in ref["paragraphs"].items():
                if para_anchor(p) not in own:
                    missing[p] = rows
        rows_disc = {}
        for d_ in r["discrepancies"]:
            rows_disc.setdefault((d_["source"]["page"], d_["source"]["line"]), []).append(d_)
        self.render("document.html", d, r=r, title=doc_title(r), flow=self._flow(r),
                    meeting_key=key, cite=cite_prefix(r), ref=ref, missing=missing,
                    footnote_ids=footnote_ids(r["footnotes"]),
                    rows_disc=rows_disc, symbol=symbol,
                    paragraph_text=self.paragraph_text, meeting_of_symbol=self.meeting_of_symbol)
        yaml_text, json_text = self.record_texts(r)
        self.out.add(d + "record.yaml", yaml_text)
        self.out.add(d + "record.json", json_text)

    def record_texts(self, r: dict) -> tuple[str, str]:
        """record.yaml and record.json of a record (made by the parser workers when they can)."""
        if r["id"] in self.serialized:
            return self.serialized[r["id"]]
        return to_yaml(r), to_json(jsonable(r))

    def page_symbol(self, sym: str, ref: dict) -> None:
        key = self.meeting_of_symbol(sym)
        self.render("symbol.html", symbol_dir(sym), sym=sym, ref=ref, title=sym, meeting_key=key,
                    paragraph_text=self.paragraph_text)

    def page_home(self) -> None:
        by_group = {}
        for key, m in self.corpus.meetings.items():
            by_group.setdefault(key[0], []).append(m)
        recent = sorted(self.records, key=lambda r: (str(r.get("issue_date") or (r["meeting"] or {}).get("start") or ""), r["id"]),
                        reverse=True)[:10]
        counts = {"documents": len(self.records), "meetings": len(self.corpus.meetings),
                  "recommendations": len(self.corpus.recommendations),
                  "topics": sum(1 for t in self.corpus.topics.values() if t["rows"]),
                  "symbols": len(self.corpus.symbols), "entities": len(self.corpus.entities),
                  "discrepancies": len(self.corpus.discrepancies),
                  "paragraphs": sum(len(r["paragraphs"]) for r in self.records)}
        self.render("home.html", "", title="wgindex", by_group=dict(sorted(by_group.items())),
                    recent=recent, counts=counts, timeline=self.timeline(), cite_prefix=cite_prefix,
                    doc_title=doc_title)

    def timeline(self) -> dict:
        meetings = list(self.corpus.meetings.values())
        years = sorted({m["start"].year for m in meetings if m["start"]})
        if not years:
            return {"width": 0, "height": 0, "rows": [], "years": []}
        y0, y1 = years[0], years[-1]
        gs = sorted({m["group"] for m in meetings})
        left, step, row_h = 70, max(40, min(70, 700 // max(1, y1 - y0 + 1))), 44
        width = left + step * (y1 - y0 + 1) + 20
        rows = []
        for i, g in enumerate(gs):
            dots = []
            for m in sorted((m for m in meetings if m["group"] == g and m["start"]), key=lambda m: m["number"]):
                frac = (m["start"].timetuple().tm_yday - 1) / 366
                dots.append({"x": round(left + step * (m["start"].year - y0 + frac), 1),
                             "y": 30 + i * row_h, "m": m, "in_corpus": bool(m["documents"]),
                             "href": meeting_dir(m["group"], m["number"])})
            rows.append({"group": g, "short": groups.short(g), "y": 30 + i * row_h, "dots": dots})
        ticks = [{"year": y, "x": left + step * (y - y0)} for y in range(y0, y1 + 1)]
        return {"width": width, "height": 40 + len(gs) * row_h, "rows": rows, "years": ticks}

    def page_meeting(self, key) -> None:
        m = self.corpus.meetings[key]
        docs = [self.corpus.docs[i] for i in m["documents"]]
        related = [s for s, ref in self.corpus.symbols.items()
                   if not ref["in_corpus"] and self.meeting_of_symbol(s) == key]
        agenda, agenda_doc = self.agenda_of_meeting.get(key, ([], None))
        schedule = []
        attendance, speakers, chair, panel = [], [], None, []
        for r in docs:
            schedule = schedule or r["schedule"]
            attendance = attendance or [(r, a) for a in r["attendance"]]
            speakers = speakers or [(r, s) for s in r["speakers"]]
            chair = chair or (r["chair"] and (r, r["chair"]))
            panel = panel or [(r, p) for p in r["panellists"]]
        recs = [x for x in self.corpus.recommendations if x["meeting"] == key]
        self.render("meeting.html", meeting_dir(*key), m=m, key=key, docs=docs,
                    related=related, agenda=agenda,
                    agenda_doc=self.corpus.docs.get(agenda_doc) if agenda_doc else None,
                    schedule=schedule, attendance=attendance, speakers=speakers, chair=chair,
                    panel=panel, recs=recs, title=meeting_title(key), doc_title=doc_title)

    def page_meetings(self) -> None:
        by_group = {}
        for key, m in self.corpus.meetings.items():
            by_group.setdefault(key[0], []).append(m)
        self.render("meetings.html", "meetings/", by_group=dict(sorted(by_group.items())),
                    timeline=self.timeline(), title="会议")

    def page_recommendations(self) -> None:
        grouped: dict = {}
        for rec in self.corpus.recommendations:
            key = rec["meeting"] or ("", 0)
            grouped.setdefault(key, []).append(rec)
        for recs in grouped.values():
            recs.sort(key=lambda x: int(x["number"]) if x["number"].isdigit() else 0)
        self.render("recommendations.html", "recommendations/",
                    grouped=dict(sorted(grouped.items())), title="建议", docs=self.corpus.docs,
                    cite_prefix=cite_prefix)

    def topic_grid(self) -> dict:
        reports = sorted({row["report"] for row in self.corpus.index_rows if is_valid(row["report"])},
                         key=sort_key)
        rows = []
        for label in sorted(self.corpus.topics):
            t = self.corpus.topics[label]
            if not t["rows"]:
                continue
            counts = {rep: sum(len(x["paragraphs"]) for x in t["rows"] if x["report"] == rep) for rep in reports}
            rows.append({"label": label, "counts": counts})
        top = max([c for r in rows for c in r["counts"].values()] + [1])
        return {"reports": reports, "rows": rows, "max": top}

    def page_topics(self) -> None:
        roots = sorted(l for l, t in self.corpus.topics.items() if not t["parent"])
        self.render("topics.html", "topics/", roots=roots, topics=self.corpus.topics,
                    grid=self.topic_grid(), title="专题", meeting_of_symbol=self.meeting_of_symbol)

    def page_topic(self, label: str) -> None:
        if self._disc is None:
            self._disc = {}
            for d in self.corpus.discrepancies:
                self._disc.setdefault((d["doc"], d["source"]["page"], d["source"]["line"]), []).append(d)
        t = self.corpus.topics[label]
        self.render("topic.html", topic_dir(self.corpus.topic_slugs[label]), t=t, title=label,
                    paragraph_text=self.paragraph_text, meeting_of_symbol=self.meeting_of_symbol,
                    disc=self._disc, docs=self.corpus.docs)

    def page_states(self) -> None:
        ents = self.corpus.entities
        meetings = sorted({a["meeting"] for e in ents.values() for a in e["attended"] if a["meeting"]})
        states = sorted((n for n, e in ents.items() if "state" in e["kinds"]), key=lambda n: self.corpus.entity_slugs[n])
        orgs = sorted((n for n, e in ents.items() if "state" not in e["kinds"]), key=lambda n: self.corpus.entity_slugs[n])
        grid = []
        for n in states + orgs:
            cells = {}
            for a in ents[n]["attended"]:
                cells[a["meeting"]] = a["category"]
            grid.append({"name": n, "cells": cells, "spoke": {s["meeting"] for s in ents[n]["spoke"]}})
        self.render("states.html", "states/", states=states, orgs=orgs, grid=grid,
                    meetings=meetings, title="国家和组织", ents=ents)

    def page_entity(self, name: str) -> None:
        self.render("state.html", entity_dir(self.corpus.entity_slugs[name]),
                    e=self.corpus.entities[name], title=name, docs=self.corpus.docs)

    def page_discrepancies(self) -> None:
        self.render("discrepancies.html", "discrepancies/", items=self.corpus.discrepancies,
                    docs=self.corpus.docs, title="来源差异")

    def page_resolution(self, res: str) -> None:
        self.render("resolution.html", resolution_dir(res), res=res,
                    mentions=self.corpus.resolutions[res], docs=self.corpus.docs,
                    title=f"第 {res} 号决议", doc_title=doc_title)

    def page_search(self) -> None:
        self.render("search.html", "search/", title="搜索")

    def data_files(self) -> None:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["working_group", "meeting", "document", "symbol", "number", "section", "heading",
                     "text", "url", "source_file", "source_page", "source_line"])
        for rec in self.corpus.recommendations:
            doc = self.corpus.docs[rec["doc"]]
            w.writerow([doc.get("working_group") or "", rec["meeting"][1] if rec["meeting"] else "",
                        doc["id"], doc.get("symbol") or "", rec["number"], rec["section"] or "",
                        rec["heading"] or "", rec["text"], doc_dir(doc) + f"#rec-{rec['number']}",
                        rec["source"]["file"], rec["source"]["page"] or "", rec["source"]["line"]])
        self.out.add("data/recommendations.csv", buf.getvalue())
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["topic", "parent", "report", "meeting", "paragraphs", "paragraphs_raw", "locations",
                     "locations_raw", "index_document", "source_file", "source_page", "source_line"])
        for r in self.records:
            for row in r["index_rows"]:
                key = self.meeting_of_symbol(row["report"])
                w.writerow([row["topic"] or "", row["parent"] or "", row["report"],
                            f"{groups.short(key[0])}/{key[1]}" if key else "",
                            " ".join(row["paragraphs"]), row["paragraphs_raw"],
                            " ".join(row["locations"]), row["locations_raw"], r["id"],
                            row["source"]["file"], row["source"]["page"] or "", row["source"]["line"]])
        self.out.add("data/topic-index.csv", buf.getvalue())
        self.out.add("data/corpus.json",
                     "[\n" + ",\n".join(self.record_texts(r)[1].rstrip("\n") for r in self.records) + "\n]\n")
        inv = self.inventory()
        self.out.add("inventory.json", '{"format": "wgindex-inventory", "version": 1,\n"resolutions": '
                     + to_json(inv["resolutions"]) + ',\n"targets": ' + to_json_lines(inv["targets"]) + "}\n")

    def inventory(self) -> dict:
        """Every link target, sorted (Sphinx's objects.inv): cite and note use it."""
        targets = []
        kinds = {"para": "paragraph", "rec": "recommendation", "item": "agenda_item",
                 "adopted": "agenda_item", "fn": "footnote", "loc": "location", "row": "index_row"}
        for sym in sorted(self.anchors, key=sort_key):
            in_corpus = sym in self.corpus.by_symbol or sym in self.corpus.docs
            base = symbol_dir(sym)
            targets.append({"symbol": sym, "kind": "document", "anchor": "", "url": base,
                            "in_corpus": in_corpus})
            for a in sorted(self.anchors[sym], key=_anchor_key):
                kind = kinds.get(a.split("-", 1)[0], "anchor")
                if kind == "paragraph" and a.count("-") == 2:
                    kind = "subparagraph"
                targets.append({"symbol": sym, "kind": kind, "anchor": a, "url": f"{base}#{a}",
                                "in_corpus": in_corpus})
        return {"format": "wgindex-inventory", "version": 1, "targets": targets,
                "resolutions": sorted(self.corpus.resolutions, key=lambda r: tuple(map(int, r.split("/"))))}

    def static_files(self) -> None:
        static = template_dir() / "static"
        for f in sorted(static.iterdir()):
            if f.is_file():
                self.out.add(f"static/{f.name}", f.read_bytes())


def _anchor_key(anchor: str):
    parts = anchor.split("-")
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in parts)


def build_site_files(records: list[dict], base_url: str = "", serialized: dict | None = None,
                     processes: int = 1) -> dict[str, bytes]:
    return Builder(records, base_url, serialized).build(processes).files
