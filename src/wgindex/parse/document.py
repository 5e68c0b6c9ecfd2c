"""Parse one source into its document record (the record contract of spec §5)."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import date
from pathlib import Path

from .._version import PARSER_VERSION
from .classify import (FILED_UNDER_RE, detect_group, detect_kind, detect_language,
                       detect_meeting_number, english_held, filed_under, header_blocks,
                       KIND_TITLES, TITLE_MAX, meeting_from_body, read_header, reissued)
from ..errors import SourceError
from ..records import problems
from ..schema import DocumentSource, Record, warning
from .extract import footnote_mark, mentions, split_footnotes
from ..groups import GROUPS
from ..text.layout import join_lines
from ..text.model import TextDocument
from ..records import full_text
from .outline import walk
from .agenda import parse_agenda
from .index import parse_index
from .report import parse_report
from ..text.read import read_source
from .sidecar import load_sidecar
from ..symbols import SYMBOL_RE, body_of

_STEM_RE = re.compile(r"[^A-Za-z0-9._-]+")


def provisional_id(file: str) -> str:
    """``doc/<stem>`` for a document without a symbol, from its file name alone (so the URL
    never depends on what else is in the corpus).  A name that is not plain ASCII becomes a
    readable slug (pinyin for Chinese) with a short hash of the name, so that names which
    read alike (``报告草稿``, ``会议报告``; ``a b``, ``a-b``) never share a page."""
    stem = Path(file).name
    for suffix in (".meta.yaml", ".pdf", ".txt", ".md", ".markdown", ".text"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
            break
    plain = _STEM_RE.sub("-", stem).strip("-.")
    if plain == stem and plain[:1].isalnum() and len(plain) <= 80:
        return f"doc/{plain}"
    digest = hashlib.sha1(stem.encode("utf-8", "surrogateescape")).hexdigest()[:6]
    if stem.isascii():
        slug = plain.strip("_-.")
    else:
        folded = "".join(c for c in unicodedata.normalize("NFKD", stem)
                         if not unicodedata.combining(c))
        from pypinyin import lazy_pinyin  # here: its dictionaries take 0.3 s to import
        slug = "-".join(lazy_pinyin(folded, errors=lambda s: [s])).lower()
    slug = re.sub(r"[^a-z0-9]+", "-", slug.lower())[:80].strip("-") or "document"
    return f"doc/{slug}-{digest}"


def _title(blocks, kind: str) -> str | None:
    for b in header_blocks(blocks):
        for pattern, k in KIND_TITLES:
            t = b.text.strip()
            if k == kind and pattern.search(t) and len(t) <= TITLE_MAX["en" if t[:1].isascii() else "zh"]:
                return t
    return None


# an English title line that cannot end a title: it ends in a word that needs what follows
_TITLE_GOES_ON = re.compile(r"(?:\b(?:and|of|the|on|its|their|for|in|to|with|by|from|at|a|an|or|"
                            r"under|between|against|into|concerning|regarding)|[,–—-])\s*$", re.I)


def english_title(headings: list[dict], title: str | None) -> tuple[str | None, list[dict], list[dict]]:
    """An English document's title across its wrapped lines, its headings without the masthead
    above the title (body, session, dates, agenda item: the lines UN documents print before
    it), and those masthead lines.  A line goes on when it ends in a word that needs what
    follows (``… human rights and``) or the next line begins in lower case."""
    at = next((i for i, h in enumerate(headings) if title and h["text"].strip() == title), None)
    if at is None:
        return title, headings, []
    first = headings[at]
    text, j = first["text"].strip(), at + 1
    while j < len(headings):
        nxt, prev = headings[j], headings[j - 1]
        close = nxt["source"].get("page") == prev["source"].get("page") \
            and 0 < nxt["source"]["line"] - prev["source"]["line"] <= 3
        if not close or not (_TITLE_GOES_ON.search(text) or nxt["text"][:1].islower()):
            break
        text, j = f"{text} {nxt['text'].strip()}", j + 1
    return text, [{**first, "text": text}] + headings[j:], headings[:at]


def _as_date(value):
    if value is None or isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def parse_document(doc: TextDocument, sidecar: dict | None = None) -> dict:
    """Build the record of one read document.  Never raises for odd text: what cannot be
    understood becomes a warning; only a document that is not a working-group document at
    all raises ``SourceError``."""
    sidecar = sidecar or {}
    applied = apply_corrections(doc, sidecar.get("corrections") or [])
    blocks = join_lines(doc.lines, doc.wrap_width if doc.wrap_width else -1)
    footnotes, body = split_footnotes(blocks)
    warnings = list(doc.warnings)
    header = read_header(body)
    kind, draft_title = detect_kind(body)
    group = detect_group(body)
    printed = sidecar.get("symbol") or header["symbol"]
    if group is None and printed and printed.startswith("CTOC/COP/WG."):
        group = body_of(printed)
    if sidecar.get("kind"):
        kind = sidecar["kind"]
    if sidecar.get("working_group"):
        group = sidecar["working_group"]
    if kind == "other" and group is None and not sidecar and not printed:
        raise SourceError(doc.file, "not recognised as a UN document: no agenda, report or "
                          "index title, no working-group name and no document symbol",
                          hint="add a sidecar <file>.meta.yaml with symbol, kind and "
                               "working_group, or remove the file")
    language = detect_language(body)
    if kind == "other" and not printed:
        warnings.append(warning("document kind not recognised (no 临时议程/报告/建议索引 or "
                                "Provisional agenda/Report title); published as 'other'", doc.file))
    names = GROUPS.get(group, {}).get("names", []) if group else []
    number = detect_meeting_number(body, names)
    start, end, venue = header["start"], header["end"], header["venue"]
    if start is None and (found := meeting_from_body(body, names, number)):
        start, end, venue = found
    if kind == "report" and language == "English" and (held := english_held(body)):
        start, end = held
    sm = sidecar.get("meeting") or {}
    if sidecar.get("meeting_number") is not None:
        number = sidecar["meeting_number"]
    meeting = {"number": sm.get("number", number), "start": _as_date(sm.get("start", start)),
               "end": _as_date(sm.get("end", end)), "venue": sm.get("venue", venue)}

    symbol, symbol_source = header["symbol"], "printed" if header["symbol"] else None
    if symbol is None and kind == "agenda" and group and meeting["start"]:
        symbol, symbol_source = f"{group}/{meeting['start'].year}/1", "inferred"
    if sidecar.get("symbol"):
        symbol, symbol_source = sidecar["symbol"], "sidecar"
    distribution = sidecar.get("distribution", header["distribution"])
    draft = bool(sidecar.get("draft", draft_title or distribution == "Limited"))

    # the provisional agenda named in the footnote of "临时议程*"
    provisional_agenda = None
    for b in header_blocks(body):
        m = FILED_UNDER_RE.search(b.text)
        if m and m.group(1):
            mark = footnote_mark(m.group(1))
            for fn in footnotes:
                if fn["mark"] == mark and (s := SYMBOL_RE.search(fn["text"])):
                    provisional_agenda = s.group()
    outline = walk(body, english=language == "English")
    warnings.extend(outline.warnings)
    paragraphs = [] if kind == "agenda" else outline.paragraphs
    headings = [] if kind == "agenda" and language != "English" else outline.titles
    extra: dict = {}
    compilation = None
    if kind == "agenda":
        extra = parse_agenda(body, meeting["start"].year if meeting["start"] else None)
        if language == "English":  # the annotated item headings are headings too
            headings = headings + [it.pop("heading") for it in extra["agenda_items"] if "heading" in it]
        for it in extra["agenda_items"]:
            it.pop("heading", None)
    elif kind == "report":
        extra = parse_report(outline, "\n".join(b.text for b in blocks), meeting["number"])
    elif kind == "index":
        extra = parse_index(body)
        compilation = extra.pop("compilation")
        warnings.extend(extra.pop("warnings"))
    if kind == "agenda" and not extra.get("agenda_items"):
        warnings.append(warning("agenda document without a 临时议程 list of items", doc.file))
    if kind == "report" and not paragraphs:
        warnings.append(warning("report without numbered paragraphs", doc.file))
    for c in applied:
        if not c["applied"]:
            warnings.append(warning(f"sidecar correction not applied: {c['find']!r} not found"
                                    + (f" on line {c['line']}" if c.get("line") else ""),
                                    doc.file + ".meta.yaml"))
    parts = {k: extra[k] for k in _PARTS if k in extra}
    title = sidecar.get("title", _title(body, kind))
    texts = outline.texts if language == "English" and kind != "agenda" else None
    if language == "English" and "title" not in sidecar:
        title, headings, masthead = english_title(headings, title)
        if masthead:  # kept as text above the title, in reading order, not as headings
            texts = masthead + (texts or [])
    record = Record(
        id=symbol or provisional_id(doc.file), symbol=symbol, symbol_source=symbol_source,
        kind=kind, draft=draft, working_group=group,
        body=group or (body_of(symbol) if symbol else None), distribution=distribution,
        issue_date=_as_date(sidecar.get("issue_date", header["issue_date"])),
        language=sidecar.get("language", header["language"] or language),
        original_language=sidecar.get("original_language", header["original_language"]),
        title=title, meeting=meeting,
        source=DocumentSource(doc.file, doc.sha256, doc.reader, doc.pages, PARSER_VERSION),
        filed_under_agenda_item=filed_under(body), reissued=reissued(blocks),
        provisional_agenda=provisional_agenda, compilation=compilation,
        sections=[] if kind == "agenda" else outline.sections, headings=headings,
        paragraphs=paragraphs,
        # a summary, an introduction or a decision's text that no numbered paragraph holds
        texts=texts,
        mentions=mentions([b.text for b in blocks if not b.table] + [p["text"] for p in paragraphs]),
        footnotes=footnotes, corrections=applied, warnings=warnings, **parts).to_dict()
    wrong = problems(record)
    if wrong:
        raise SourceError(doc.file, f"the parsed record does not fit the record contract: {'; '.join(wrong[:3])}",
                          hint="this is a bug in wgindex: please report it with the file")
    return record


# the parts a kind's parser returns, each a field of the record
_PARTS = ("agenda_items", "schedule", "recommendations", "recommendation_headings", "adopted_agenda",
          "attendance", "speakers", "chair", "panellists", "sessions_held", "documents_before_meeting",
          "list_of_participants", "adopted_on", "earlier_meetings", "index_rows", "report_patterns",
          "discrepancies")


def apply_corrections(doc: TextDocument, corrections: list[dict]) -> list[dict]:
    """Apply sidecar corrections to the read lines; report how often each one applied."""
    out = []
    for c in corrections:
        n = 0
        for line in doc.lines:
            if c.get("line") and line.source.line != c["line"]:
                continue
            if c["find"] in line.text:
                n += line.text.count(c["find"])
                line.text = line.text.replace(c["find"], c["replace"])
        out.append({"find": c["find"], "replace": c["replace"], "line": c.get("line"), "applied": n})
    return out


def parse_path(path: Path, name: str | None = None) -> dict:
    """Read and parse one file with its sidecar.  Raises ``SourceError``."""
    doc = read_source(Path(path), name)
    sidecar = load_sidecar(Path(path), doc.file)
    return parse_document(doc, sidecar)


__all__ = ["parse_document", "parse_path", "provisional_id", "full_text"]
