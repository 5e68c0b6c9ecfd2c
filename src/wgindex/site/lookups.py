"""What the site is made from, gathered once (``SiteData``), and the corpus as a template may
query it (``Lookups``).

A page is a pure function of its context; the context holds data only.  The few questions a
template asks of the whole corpus while it renders (the name and place of another document, a
topic's slug, the meeting of a symbol, whether an anchor exists, the text of a cited paragraph)
go through ``Lookups``, which records every question and its answer.  The render memo keeps
those answers with the page and asks the same questions again on the next build: a page is
reused only when its context, its template and every answer are unchanged.  Nothing is listed
by hand, so an incremental build equals a full build by construction.
"""

from __future__ import annotations

import base64
import binascii
import functools
import hashlib
import json
import re
import zlib
from datetime import date

from ..corpus import inventory
from ..corpus.link import Corpus, build_corpus
from ..corpus.urls import doc_dir, entity_dir, meeting_dir, relative, symbol_dir, topic_dir, up_from
from ..records import to_json
from ..schema import LANG_CODES
from .labels import doc_ref
from .linktext import TextLinker


class SiteData:
    """The corpus and everything derived from it that pages read, computed before any page."""

    def __init__(self, records: list[dict], base_url: str = "", serialized: dict | None = None):
        self.records = sorted(records, key=lambda r: r["id"])
        self.serialized = serialized or {}
        self.base_url = base_url
        self.corpus: Corpus = build_corpus(self.records)
        self.anchors = inventory.anchors(self.records, self.corpus)
        self.agendas = self._agendas()
        self.asked: dict[tuple, tuple] = {}  # (kind, args) -> (answer, key, recorded form)
        # the way up from a page -> site path -> the link: a page's links depend on its depth
        # alone, and pages of one depth make the same ones (1.14 million links at 1,000
        # documents, 133,000 distinct)
        self.links: dict[str, dict[str, str]] = {}
        self.versions: dict[str, list[dict]] = {}  # symbol -> its language versions, preferred first
        for r in self.records:
            if r.get("symbol") and r.get("language") in LANG_CODES:
                self.versions.setdefault(r["symbol"], []).append(r)
        for rs in self.versions.values():
            rs.sort(key=lambda r: list(LANG_CODES).index(r["language"]))
        names = sorted((n for n in self.corpus.entity_slugs if len(n) >= 2), key=len, reverse=True)
        self.names_re = re.compile("|".join(map(re.escape, names))) if names else None
        self.names_digest = hashlib.sha256(json.dumps(sorted(self.corpus.entity_slugs.items()),
                                                      ensure_ascii=False).encode()).hexdigest()[:16]

    def record_json(self, r: dict) -> str:
        """A record's JSON text (its record.json): the parser's, when it made one."""
        known = self.serialized.get(r["id"])
        return known[1] if known else to_json(r)

    @functools.cached_property
    def record_digests(self) -> dict[str, str]:
        """Record id -> SHA-256 of its JSON text: how page digests, the downloads' reuse and
        the search index's segments know a record.  Made once, before the workers fork."""
        return {r["id"]: hashlib.sha256(self.record_json(r).encode("utf-8")).hexdigest() for r in self.records}

    @functools.cached_property
    def by_meeting(self) -> dict:
        """meeting key -> (the cited symbols outside the corpus that are its documents, its
        recommendations), each in the corpus's order: what its page lists, found in one pass
        over each rather than one pass a meeting."""
        c = self.corpus
        out: dict = {}
        for s, ref in c.symbols.items():
            key = None if ref.in_corpus else c.meeting_key_of_symbol(s)
            if key:
                out.setdefault(key, ([], []))[0].append(s)
        for x in c.recommendations:
            if x.meeting:
                out.setdefault(x.meeting, ([], []))[1].append(x)
        return out

    def _agendas(self) -> dict:
        """meeting key -> (agenda items, record id): the agenda shown on the meeting page."""
        out, from_agenda = {}, set()
        # a symbol's preferred language version first: its agenda is the meeting's
        for r in sorted(self.records, key=lambda r: bool(r.get("symbol")) and r["id"] != r["symbol"]):
            key = self.corpus.meeting_of_record(r)
            if not key:
                continue
            if r["kind"] == "agenda" and r["agenda_items"] and key not in from_agenda:
                out[key] = (r["agenda_items"], r["id"])
                from_agenda.add(key)
            elif r["adopted_agenda"] and key not in out:
                out[key] = (r["adopted_agenda"], r["id"])
        return out

    def inventory(self) -> dict:
        return inventory.inventory(self.anchors, self.corpus)

    # --- the questions a page may ask (each answer is recorded by Lookups) ------------------
    def answer(self, kind: str, args: tuple):
        c = self.corpus
        if kind == "doc":
            r = c.docs.get(args[0])
            return doc_ref(r) if r else None
        if kind == "topic":
            return c.topic_slugs.get(args[0])
        if kind == "entity":
            return c.entity_slugs.get(args[0])
        if kind == "meeting":
            return c.meeting_key_of_symbol(args[0])
        if kind == "year":
            m = c.meetings.get(tuple(args[0])) if args[0] else None
            return m.start.year if m and m.start else None
        if kind == "items":
            key = tuple(args[0]) if args[0] else None
            if not key or key not in self.agendas:
                return None
            return sorted(i["number"] for i in self.agendas[key][0])
        if kind == "para":
            return self.paragraph_text(*args)
        if kind == "symbol":
            return args[0] in c.symbols
        if kind == "anchor":
            return args[1] in self.anchors.get(args[0], ())
        if kind == "resolution":
            return args[0] in c.resolutions
        if kind == "names":
            return self.names_digest
        raise ValueError(f"unknown lookup {kind!r}")

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


def jsonish(value):
    """What a value looks like after a JSON round trip (tuples -> lists, dates -> strings)."""
    if isinstance(value, (list, tuple)):
        return [jsonish(v) for v in value]
    if isinstance(value, dict):
        return {str(k): jsonish(v) for k, v in value.items()}
    if value is None or isinstance(value, (bool, int, float)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class Lookups:
    """The corpus as one page's template may query it; ``answers`` records every question."""

    def __init__(self, data: SiteData, page: str):
        self.data = data
        self.page = page
        self.answers: dict[str, str] = {}  # question's JSON -> its entry's JSON
        self.linker = TextLinker(self)
        self.up = up_from(page)
        self.links = data.links.setdefault(self.up, {})

    def ask(self, kind: str, *args):
        # an answer is a function of the build's corpus: asked once, recorded by every page
        # that asks (``SiteData.asked``; a template never changes what it is given)
        memo = (kind, args)
        try:
            hit = self.data.asked.get(memo)
        except TypeError:  # a list among the arguments: asked as the tuple it holds
            memo = (kind, tuple(tuple(a) if type(a) is list else a for a in args))
            hit = self.data.asked.get(memo)
        if hit is None:
            value = self.data.answer(kind, args)
            hit = self.data.asked[memo] = (value, json.dumps([kind, jsonish(args)], ensure_ascii=False),
                                           answer_line(kind, jsonish(args), value))
        if hit[1] not in self.answers:
            self.answers[hit[1]] = hit[2]
        return hit[0]

    def recorded(self) -> str:
        """The questions asked and their answers: a page's part of the render memo.  A line
        ``ANSWERS`` and one line of JSON per question and its answer (sorted; JSON text holds
        no raw line break), deflated and in base64 (``unpack_answers``): held as objects, the
        memo of 1,000 documents took ~120 MB, as JSON text 42 MB, packed 5 MB.  A line each:
        the build numbers them in its ``AnswerTable``, which the memo keeps."""
        text = ANSWERS + "".join("\n" + self.answers[k] for k in sorted(self.answers))
        return base64.b64encode(zlib.compress(text.encode("utf-8"), 1)).decode("ascii")

    # the functions templates call
    def doc(self, doc_id: str) -> dict:
        ref = self.ask("doc", doc_id)
        if ref is None:
            raise KeyError(f"no document {doc_id!r} in the corpus")
        return ref

    def topic_slug(self, label: str) -> str | None:
        return self.ask("topic", label)

    def entity_slug(self, name: str) -> str | None:
        return self.ask("entity", name)

    def meeting_of_symbol(self, symbol: str):
        key = self.ask("meeting", symbol)
        return tuple(key) if key else None

    def meeting_year(self, key) -> int | None:
        return self.ask("year", list(key) if key else None)

    def paragraph_text(self, symbol: str, number: str) -> str | None:
        return self.ask("para", symbol, number)

    # the links templates make most (topic, state, document and symbol pages list hundreds):
    # one call each where ``u(topic_dir(topic_slug(label)))`` made three; the same link, and
    # the same question recorded
    def _to(self, directory: str, anchor: str | None = None) -> str:
        return self.u(directory if anchor is None else directory + "#" + anchor)

    def u(self, target: str) -> str:
        """The link from this page to ``target`` (a site path)."""
        link = self.links.get(target)
        if link is None:
            link = self.links[target] = relative(self.page, target, self.up)
        return link

    def topic_url(self, label: str) -> str:
        return self._to(topic_dir(self.topic_slug(label)))

    def entity_url(self, name: str) -> str:
        return self._to(entity_dir(self.entity_slug(name)))

    def doc_url(self, doc_id: str, anchor: str | None = None) -> str:
        return self._to(doc_dir(self.doc(doc_id)), anchor)

    def symbol_url(self, symbol: str, anchor: str | None = None) -> str:
        return self._to(symbol_dir(symbol), anchor)

    def linked(self, text: str, meeting_key=None, notes: dict | None = None):
        key = tuple(meeting_key) if meeting_key else None
        items = self.ask("items", list(key) if key else None)
        md = meeting_dir(*key) if items is not None else None
        return self.linker.html(text, md, set(items or ()), notes)

    def names(self):
        self.ask("names")
        return self.data.names_re, self.data.corpus.entity_slugs

    def functions(self) -> dict:
        return {"doc": self.doc, "topic_slug": self.topic_slug, "entity_slug": self.entity_slug,
                "meeting_of_symbol": self.meeting_of_symbol, "meeting_year": self.meeting_year,
                "paragraph_text": self.paragraph_text, "linked": self.linked, "topic_url": self.topic_url,
                "entity_url": self.entity_url, "doc_url": self.doc_url, "symbol_url": self.symbol_url}


ANSWERS = "answers/2"  # the first line of a page's packed answers


def answer_line(kind: str, args, value) -> str:
    """How a question (``args`` as JSON gives them) and its answer are recorded: one line of
    JSON, the text a later build's answer is compared as (JSON tells 1 from true)."""
    return json.dumps([kind, args, jsonish(value)], ensure_ascii=False, separators=(",", ":"))


def _answer_lines(packed: str) -> list[str]:
    try:
        lines = zlib.decompress(base64.b64decode(packed, validate=True)).decode("utf-8").split("\n")
    except (zlib.error, TypeError, binascii.Error, UnicodeDecodeError) as exc:
        raise ValueError(str(exc)) from None
    if lines[0] != ANSWERS:
        raise ValueError("not a page's answers")
    return lines[1:]


def _answer(line: str) -> list:
    entry = json.loads(line)
    if not (isinstance(entry, list) and len(entry) == 3 and isinstance(entry[0], str)
            and isinstance(entry[1], list)):
        raise ValueError("not a question and its answer")
    return entry


def unpack_answers(packed: str) -> list:
    """The list of [kind, arguments, answer] ``Lookups.recorded`` packed; ValueError if it is
    not one."""
    return [_answer(line) for line in _answer_lines(packed)]


class AnswerTable:
    """The lines (a question and its answer, ``answer_line``) the pages of a site asked, each
    once, kept in the render memo (``LINES``); a page's memo entry lists its lines by number.
    At 1,000 documents the pages asked 190,000 lines, 11,600 distinct: a reuse check asks
    each distinct line once and looks a page's numbers up, where unpacking every page's own
    deflated lines was ~0.1-0.2 s of every rebuild.  Numbers only grow while lines are added
    (an entry copied from the last memo keeps its meaning); ``kept`` renumbers what the memo
    still uses when the table has grown to twice that."""

    def __init__(self, lines=None):
        ok = isinstance(lines, list) and all(type(x) is str for x in lines)
        self.lines: list[str] = list(lines) if ok else []
        self.number = {line: i for i, line in enumerate(self.lines)}
        self.holds: dict[int, bool] = {}

    def numbers(self, packed: str) -> list[int]:
        """A rendered page's lines (``Lookups.recorded``) as numbers, new lines added."""
        out = []
        for line in _answer_lines(packed):
            n = self.number.get(line)
            if n is None:
                n = self.number[line] = len(self.lines)
                self.lines.append(line)
            out.append(n)
        return out

    def hold(self, data: SiteData, numbers) -> bool:
        """Whether every line a page asked (``numbers``, from the last memo) still holds."""
        if type(numbers) is not list:
            return False
        holds, lines = self.holds, self.lines
        for n in numbers:
            ok = holds.get(n)
            if ok is None:
                if type(n) is not int or not 0 <= n < len(lines):
                    return False
                try:
                    kind, args, _ = _answer(lines[n])
                except ValueError:
                    return False
                ok = holds[n] = answer_line(kind, args, data.answer(kind, tuple(args))) == lines[n]
            if not ok:
                return False
        return True

    def kept(self, memo: dict) -> list[str]:
        """The table to keep with ``memo`` (whose entries hold numbers into it): as it is, or
        renumbered to the lines the entries still use once it has grown to twice those."""
        entries = [e for e in memo.values() if type(e) is dict and type(e.get("answers")) is list]
        used = sorted({n for e in entries for n in e["answers"]})
        if len(self.lines) <= 2 * len(used) + 1024:
            return self.lines
        new = {n: i for i, n in enumerate(used)}
        for e in entries:
            e["answers"] = [new[n] for n in e["answers"]]
        self.lines = [self.lines[n] for n in used]
        self.number = {line: i for i, line in enumerate(self.lines)}
        self.holds = {}
        return self.lines


LINES = "\0answer lines"  # the render memo's key of its AnswerTable
