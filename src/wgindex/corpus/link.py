"""Link the corpus: gather every record, then build the link index (MkDocs/Pelican style).

Nothing here renders.  The result, ``Corpus``, answers every question a page asks: which
meeting a symbol belongs to, who cites paragraph 23 of a report, which states attended.
"""

from __future__ import annotations

import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from .. import groups
from ..grammar import GrammarError, parent_of, parse_locations, parse_paragraphs
from ..numerals import cn_to_int
from .entries import (Attended, Entity, LinkedDiscrepancy, LinkedRecommendation, MeetingEntry,
                      Mention, Reference, RowRef, Spoke, SymbolEntry, Topic)
from .slug import unique_slugs
from .urls import footnote_ids, item_anchor, row_anchor
from ..symbols import find_symbols, group_and_year, is_valid, sort_key

STATE_CATEGORIES = ("states_parties", "signatories", "non_signatory_states")


@dataclass
class Corpus:
    records: list[dict]
    docs: dict[str, dict] = field(default_factory=dict)                # id -> record
    by_symbol: dict[str, dict] = field(default_factory=dict)           # symbol -> record
    meetings: dict[tuple, MeetingEntry] = field(default_factory=dict)  # (group, n) -> meeting
    symbols: dict[str, SymbolEntry] = field(default_factory=dict)      # every symbol -> refs
    topics: dict[str, Topic] = field(default_factory=dict)             # label -> topic
    topic_slugs: dict[str, str] = field(default_factory=dict)
    entities: dict[str, Entity] = field(default_factory=dict)          # state/org name -> info
    entity_slugs: dict[str, str] = field(default_factory=dict)
    resolutions: dict[str, list[Mention]] = field(default_factory=dict)  # "7/1" -> mentions
    recommendations: list[LinkedRecommendation] = field(default_factory=list)
    discrepancies: list[LinkedDiscrepancy] = field(default_factory=list)
    index_rows: list[RowRef] = field(default_factory=list)
    _by_year: dict | None = None

    # --- lookups -----------------------------------------------------------------------
    def meeting_key_of_symbol(self, symbol: str) -> tuple | None:
        """The meeting a working-group document belongs to: its own record's meeting, else
        the group's meeting held in the symbol's year (when exactly one is known)."""
        rec = self.by_symbol.get(symbol)
        if rec and rec.get("working_group") and rec["meeting"].get("number"):
            return (rec["working_group"], rec["meeting"]["number"])
        gy = group_and_year(symbol)
        if not gy:
            return None
        if self._by_year is None:
            self._by_year = {}
            for k, m in self.meetings.items():
                if m.start:
                    self._by_year.setdefault((k[0], m.start.year), []).append(k)
        candidates = self._by_year.get(gy, [])
        return candidates[0] if len(candidates) == 1 else None

    def meeting_of_record(self, rec: dict) -> tuple | None:
        if rec.get("working_group") and rec["meeting"].get("number"):
            return (rec["working_group"], rec["meeting"]["number"])
        return None


def _ref(symbol_refs: dict, symbol: str, made_from: str | None = None) -> SymbolEntry:
    """The entry of ``symbol``; ``made_from``: the id of the record about to add to it."""
    ref = symbol_refs.get(symbol)
    if ref is None:
        ref = symbol_refs[symbol] = SymbolEntry(symbol, paragraphs=defaultdict(list),
                                                locations=defaultdict(list))
    if made_from is not None:
        _made_from(ref, made_from)
    return ref


def _made_from(entry, rid: str) -> None:
    """Note that record ``rid`` adds to ``entry`` (records add one after the other)."""
    if not entry.made_from or entry.made_from[-1] != rid:
        entry.made_from.append(rid)


def _add_meeting(corpus: Corpus, group: str, number: int, start=None, end=None, venue=None,
                 known_from: str | None = None) -> MeetingEntry:
    key = (group, number)
    m = corpus.meetings.get(key)
    if m is None:
        m = corpus.meetings[key] = MeetingEntry(group, groups.short(group), number)
    m.start = m.start if m.start is not None else start
    m.end = m.end if m.end is not None else end
    m.venue = m.venue if m.venue is not None else venue
    if known_from and known_from not in m.known_from:
        m.known_from.append(known_from)
    return m


def build_corpus(records: list[dict]) -> Corpus:
    records = sorted(records, key=lambda r: (r["id"]))
    c = Corpus(records=records)
    for r in records:
        c.docs[r["id"]] = r
        if r.get("symbol") and r["id"] == r["symbol"]:  # the version at the symbol's page
            c.by_symbol[r["symbol"]] = r
    # meetings: from the documents, then from report histories
    for r in records:
        g, mt = r.get("working_group"), r.get("meeting") or {}
        if g and mt.get("number"):
            m = _add_meeting(c, g, mt["number"], mt.get("start"), mt.get("end"), mt.get("venue"),
                             known_from=r["id"])
            m.documents.append(r["id"])
    for r in records:
        g = r.get("working_group")
        for em in r.get("earlier_meetings") or []:
            if g:
                _add_meeting(c, g, em["number"], em.get("start"), em.get("end"), None,
                             known_from=r["id"])
    # symbols: in corpus, and every reference to one
    for r in records:
        if r.get("symbol"):
            _ref(c.symbols, r["symbol"]).in_corpus = True
    for r in records:
        rid = r["id"]

        def point(symbol: str, where: str, context: str) -> None:
            if symbol and is_valid(symbol) and symbol != r.get("symbol"):
                _ref(c.symbols, symbol, rid).referenced_by.append(Reference(rid, where, context))
        for item in r.get("agenda_items") or []:
            for d in item.get("documents", []):
                point(d["symbol"], item_anchor(item["number"]), d["description"])
        for d in r.get("documents_before_meeting") or []:
            point(d["symbol"], "", d["description"])
        if r.get("list_of_participants"):
            point(r["list_of_participants"], "", "与会者名单")
        if r.get("provisional_agenda"):
            point(r["provisional_agenda"], "", "临时议程")
        if r.get("compilation"):
            point(r["compilation"], "", "建议汇编（索引的出处栏）")
        for fn, fid in zip(r.get("footnotes") or [], footnote_ids(r.get("footnotes") or [])):
            for s in find_symbols(fn["text"]):
                point(s, fid, fn["text"])
        for s in (r.get("mentions") or {}).get("symbols", []):
            point(s, "", "正文提及")
        for res in (r.get("mentions") or {}).get("resolutions", []):
            c.resolutions.setdefault(res, []).append(Mention(rid))
        # index rows: per paragraph and per compilation location
        for i, row in enumerate(r.get("index_rows") or []):
            row_ref = RowRef(rid, i, row["topic"], row["report"], row["paragraphs"], row["locations"],
                             row["source"])
            c.index_rows.append(row_ref)
            if not is_valid(row["report"]):
                continue
            ref = _ref(c.symbols, row["report"], rid)
            ref.referenced_by.append(Reference(rid, row_anchor(i + 1), f"专题：{row['topic']}"))
            for p in row["paragraphs"]:
                ref.paragraphs[p].append(row_ref)
            if r.get("compilation"):
                cref = _ref(c.symbols, r["compilation"], rid)
                paired = len(row["locations"]) == len(row["paragraphs"])
                for k, loc in enumerate(row["locations"]):
                    # the paragraph this location compiles (the i-th of each list), so a page
                    # lists one paragraph per location, not the row's whole list again
                    cref.locations[loc].append(
                        row_ref.citing([row["paragraphs"][k]] if paired else row["paragraphs"]))
        for d in r.get("discrepancies") or []:
            c.discrepancies.append(LinkedDiscrepancy(doc=rid, **d))
        for rec in r.get("recommendations") or []:
            c.recommendations.append(LinkedRecommendation(doc=rid, meeting=c.meeting_of_record(r), **rec))
    # topics
    for row in c.index_rows:
        if row.topic:
            topic = c.topics.setdefault(row.topic, Topic(row.topic))
            topic.rows.append(row)
            _made_from(topic, row.doc)
    for label in list(c.topics):
        parent = parent_of(label)
        if parent:
            c.topics[label].parent = parent
            c.topics.setdefault(parent, Topic(parent, synthetic=True)).children.append(label)
    c.topic_slugs = unique_slugs(c.topics)
    # states and organisations: "国际移民组织（移民组织）" and "国际移民组织" are one entity
    aliases: dict[str, str] = {}

    def entity(name: str) -> Entity:
        canon = entity_name(name)
        aliases[name] = canon
        e = c.entities.setdefault(canon, Entity(canon))
        if name != canon and name not in e.aliases:
            e.aliases.append(name)
        return e
    spoke_as_party: set[str] = set()
    for r in records:
        key = c.meeting_of_record(r)
        for a in r.get("attendance") or []:
            for name in a["names"]:
                e = entity(name)
                e.attended.append(Attended(key, a["category"], r["id"], a.get("paragraph")))
                e.kinds.add("state" if a["category"] in STATE_CATEGORIES else "organization")
        for s in r.get("speakers") or []:
            for name in s["names"]:
                if name == "秘书处":
                    continue
                e = entity(name)
                e.spoke.append(Spoke(key, s["agenda_items"], r["id"], s.get("paragraph"), s["category"]))
                if s["category"] in ("parties", "signatories", "non_parties"):
                    spoke_as_party.add(e.name)
    for name, e in c.entities.items():
        e.aliases.sort()
        # where a report lists the entity in its attendance, that decides; one that any report
        # lists as a regional economic integration organization is never a state, though it is
        # a party and other lists count it among the parties (欧洲联盟)
        if any(a.category == "regional_organization_party" for a in e.attended):
            e.kinds = {"organization"}
        elif not e.kinds and name in spoke_as_party:
            e.kinds.add("state")
    slugs = unique_slugs(c.entities)
    # every printed form of a name links to the entity's page
    c.entity_slugs = dict(sorted({**slugs, **{a: slugs[canon] for a, canon in aliases.items()}}.items()))
    for ref in c.symbols.values():
        ref.paragraphs = dict(sorted(ref.paragraphs.items(), key=lambda kv: _para_key(kv[0])))
        ref.locations = dict(sorted(ref.locations.items(), key=lambda kv: _loc_key(kv[0])))
    c.symbols = dict(sorted(c.symbols.items(), key=lambda kv: sort_key(kv[0])))
    c.meetings = dict(sorted(c.meetings.items()))
    return c


@functools.lru_cache(maxsize=1 << 16)  # 41,000 names a build at 1,000 documents, a few hundred distinct
def entity_name(name: str) -> str:
    """The name without a trailing abbreviation in brackets: 国际移民组织（移民组织） -> 国际移民组织."""
    return re.sub(r"\s*[（(][^（()）]{1,20}[）)]$", "", name).strip() or name


@functools.lru_cache(maxsize=1 << 16)  # the same labels (8, 8(e) …) under every symbol
def _para_key(p: str):
    try:
        ref = parse_paragraphs(p)[0]
        return (ref.number, ref.sub)
    except (GrammarError, IndexError):
        return (10**6, p)


@functools.lru_cache(maxsize=1 << 16)
def _loc_key(loc: str):
    try:
        l = parse_locations(loc)[0]
        return (cn_to_int(l.section) or 0, l.number, l.sub)
    except (GrammarError, IndexError):
        return (10**6, 0, loc)
