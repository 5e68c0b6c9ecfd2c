"""The thematic index of recommendations: one row per (topic, report, paragraphs, locations).

Table rules (spec §5):
* cells arrive tab-separated; page headers (``专题 会议报告 …`` / ``文件 段次``) repeat;
* spaces left by cell wrapping are removed (``对被偷运移民的 协助`` -> ``对被偷运移民的协助``);
* an empty topic cell continues the topic above, unless its report is not newer than the
  previous row's: then it starts a new topic, whose label is the next label to appear;
* a label split by a page break (unbalanced brackets on both sides) is one label;
* source discrepancies: within one report, location = paragraph - offset with a fixed section
  numeral; the offset and numeral are derived from the data (their most common values).
"""

from __future__ import annotations

import re
from collections import Counter

from ..grammar import GrammarError, Location, parent_of, parse_locations, parse_paragraphs
from ..text.layout import join_wrapped
from ..text.model import Block
from ..schema import warning
from ..symbols import SYMBOL_RE, sort_key

HEADER_FIRST = {"专题", "主题", "Topic"}
COMPILATION_RE = re.compile(r"在\s*(" + SYMBOL_RE.pattern + r")\s*中")
_OPEN, _CLOSE = "(（《[", ")）》]"


def clean_label(raw: str) -> str:
    """Remove wrap spaces between CJK characters; normalise the ASCII comma/colon."""
    text = re.sub(r"\s*,\s*", "，", raw.strip())
    text = re.sub(r"\s*:\s*", "：", text)
    text = re.sub(r"\s*([，：、])\s*", r"\1", text)
    return re.sub(r"(?<![A-Za-z0-9])\s+|\s+(?![A-Za-z0-9])", "", text)


def bracket_balance(text: str) -> int:
    return sum(text.count(c) for c in _OPEN) - sum(text.count(c) for c in _CLOSE)


def merge_split(first: str, second: str) -> str:
    """Join the two halves of a label cut by a page break, dropping a fragment the typesetter
    repeated on both sides of the break (``…(毒`` + ``毒品…`` -> ``…(毒品…``)."""
    for k in range(min(len(first), len(second), 10), 0, -1):
        if first.endswith(second[:k]):
            return first + second[k:]
    return first + second


def _report_key(symbol: str) -> tuple:
    return sort_key(symbol)


def _table_rows(blocks: list[Block]) -> tuple[list[dict], str | None]:
    rows: list[dict] = []
    compilation = None
    page_break = False
    for b in blocks:
        if not b.table:
            continue
        cells = [c.strip() for c in b.cells] + ["", "", "", ""]
        if cells[0] in HEADER_FIRST or (not cells[0] and cells[1] in {"文件", "Document"}):
            if m := COMPILATION_RE.search(b.text):
                compilation = compilation or m.group(1)
            page_break = True
            continue
        report = cells[1]
        paras = cells[2]
        locs = cells[3]
        if not report and not paras:
            if cells[0] and not locs and rows and (page_break or b.page_break_before):
                # the rest of the last row's topic, carried over by a page break
                rows[-1]["cell"] = rows[-1]["topic_raw"] = join_wrapped(rows[-1]["topic_raw"], cells[0])
            continue
        rows.append({"cell": cells[0], "topic_raw": cells[0], "report": report, "paragraphs_raw": paras,
                     "locations_raw": locs, "source": b.source.as_dict(),
                     "page_break_before": page_break or b.page_break_before})
        page_break = False
    return rows, compilation


def assign_topics(rows: list[dict]) -> list[dict]:
    # 1. labels split by a page break
    for prev, row in zip(rows, rows[1:]):
        if row["page_break_before"] and prev["topic_raw"] and row["topic_raw"] \
                and bracket_balance(prev["topic_raw"]) > 0 and bracket_balance(row["topic_raw"]) < 0 \
                and _report_key(row["report"]) > _report_key(prev["report"]):
            prev["topic_raw"] = merge_split(clean_label(prev["topic_raw"]), clean_label(row["topic_raw"]))
            prev["topic_split"] = True
            row["topic_raw"] = ""
    # 2. continuation rows and orphans
    current = None
    previous_report = None
    orphans: list[dict] = []
    for row in rows:
        if row["topic_raw"]:
            label = clean_label(row["topic_raw"])
            for o in orphans:
                o["topic"] = label
            orphans = []
            current = label
            row["topic"] = label
        elif current is not None and previous_report is not None and not orphans \
                and _report_key(row["report"]) > _report_key(previous_report):
            row["topic"] = current
        else:
            row["topic"] = None
            orphans.append(row)
        previous_report = row["report"]
    for o in orphans:
        o["topic"] = current
    return rows


def check_patterns(rows: list[dict]) -> tuple[dict, list[dict]]:
    for i, row in enumerate(rows, 1):
        row["_row"] = i
    """Derive each report's section numeral and offset; list the rows that break them."""
    pairs: dict[str, list] = {}
    for row in rows:
        if row.get("_paras") and row.get("_locs") and len(row["_paras"]) == len(row["_locs"]):
            for p, l in zip(row["_paras"], row["_locs"]):
                pairs.setdefault(row["report"], []).append((p, l))
    patterns = {}
    for report, ps in sorted(pairs.items(), key=lambda kv: _report_key(kv[0])):
        section = Counter(l.section for _, l in ps).most_common(1)[0][0]
        offsets = Counter(p.number - l.number for p, l in ps)
        (offset, n), = offsets.most_common(1)
        patterns[report] = {"section": section, "offset": offset, "support": n, "pairs": len(ps)}
    discrepancies = []
    for row in rows:
        paras, locs = row.get("_paras"), row.get("_locs")
        if paras is None or locs is None or row["report"] not in patterns:
            continue
        pat = patterns[row["report"]]
        if len(paras) != len(locs):
            discrepancies.append({
                "kind": "count", "row": row["_row"],
                "topic": row["topic"], "report": row["report"], "paragraph": row["paragraphs_raw"],
                "expected": f"{len(paras)} locations", "found": f"{len(locs)} locations",
                "source": row["source"]})
            continue
        for p, l in zip(paras, locs):
            expected = Location(pat["section"], p.number - pat["offset"], p.sub)
            if expected != l:
                discrepancies.append({"kind": "location", "row": row["_row"],
                                      "topic": row["topic"], "report": row["report"],
                                      "paragraph": str(p), "expected": str(expected),
                                      "found": str(l), "source": row["source"]})
    return patterns, discrepancies


def parse_index(blocks: list[Block]) -> dict:
    rows, compilation = _table_rows(blocks)
    assign_topics(rows)
    warnings = []
    for row in rows:
        for key, parser, out in (("paragraphs_raw", parse_paragraphs, "_paras"),
                                 ("locations_raw", parse_locations, "_locs")):
            try:
                row[out] = parser(row[key]) if row[key] else []
            except GrammarError as exc:
                row[out] = None
                warnings.append(warning(f"cannot read {key[:-4]} {row[key]!r}: {exc}", **row["source"]))
        if not SYMBOL_RE.fullmatch(row["report"]):
            warnings.append(warning(f"report cell {row['report']!r} is not a document symbol",
                                    **row["source"]))
    patterns, discrepancies = check_patterns(rows)
    out_rows = []
    for row in rows:
        topic = row["topic"]
        out_rows.append({
            "topic": topic,
            "topic_raw": row["cell"] or None,
            "parent": parent_of(topic) if topic else None,
            "report": row["report"],
            "paragraphs": [str(p) for p in row["_paras"]] if row["_paras"] is not None else [],
            "paragraphs_raw": row["paragraphs_raw"],
            "locations": [str(l) for l in row["_locs"]] if row["_locs"] is not None else [],
            "locations_raw": row["locations_raw"],
            "source": row["source"],
        })
    return {"index_rows": out_rows, "compilation": compilation,
            "report_patterns": patterns, "discrepancies": discrepancies, "warnings": warnings}
