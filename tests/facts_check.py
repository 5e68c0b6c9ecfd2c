"""Assert the hand-checked facts of tests/seed-facts.yaml against records.

Shared by the text-seed tests and the PDF-fixture tests, so both must give the same facts.
"""

from __future__ import annotations

from collections import Counter
from datetime import date


def _iso(v):
    return v.isoformat() if isinstance(v, date) else v


def check_names(entry: dict | None, spec, label: str) -> None:
    assert entry is not None, f"{label}: missing"
    names = entry["names"]
    if isinstance(spec, list):
        assert names == spec, label
        return
    if "names" in spec:
        assert names == spec["names"], label
    if "count" in spec:
        assert len(names) == spec["count"], f"{label}: {len(names)} names"
    if "first" in spec:
        assert names[0] == spec["first"], label
    if "last" in spec:
        assert names[-1] == spec["last"], label
    if "incomplete" in spec:
        assert entry["incomplete"] is spec["incomplete"], label
    for n in spec.get("includes", []):
        assert n in names, f"{label}: {n} missing"


def check_agenda(items: list[dict], spec: list[dict]) -> None:
    assert [i["number"] for i in items] == [s["number"] for s in spec]
    for item, s in zip(items, spec):
        assert item["title"] == s["title"]
        subs = {x["label"]: x["title"] for x in item["subitems"]}
        assert subs == s.get("subitems", {})


def check_record(r: dict, f: dict, corpus=None) -> None:
    for key in ("kind", "working_group", "distribution", "language", "original_language",
                "symbol", "symbol_source"):
        if key in f:
            assert r[key] == f[key], key
    if "draft" in f:
        assert r["draft"] is f["draft"]
    if "issue_date" in f:
        assert _iso(r["issue_date"]) == _iso(f["issue_date"])
    if "meeting" in f:
        m = r["meeting"]
        assert {k: _iso(m[k]) for k in ("number", "start", "end", "venue")} == \
            {k: _iso(v) for k, v in f["meeting"].items()}
    if "agenda_items" in f:
        check_agenda(r["agenda_items"], f["agenda_items"])
    for item, syms in (f.get("documents_by_item") or {}).items():
        item_rec = next(i for i in r["agenda_items"] if i["number"] == item)
        assert [d["symbol"] for d in item_rec["documents"]] == syms, item
    if "schedule" in f:
        got = [[_iso(s["date"]), s["slot"], s["item"]] + (["continued"] if s["continued"] else [])
               for s in r["schedule"]]
        assert got == [[_iso(x) for x in row] for row in f["schedule"]]
    if "resolutions_mentioned" in f:
        assert r["mentions"]["resolutions"] == f["resolutions_mentioned"]
    if "joined_text_contains" in f:
        texts = [a["text"] for i in r["agenda_items"] for a in i["annotation"]]
        texts += [p["text"] for p in r["paragraphs"]]
        assert any(f["joined_text_contains"] in t for t in texts)
    if "paragraphs" in f:
        assert [p["number"] for p in r["paragraphs"]] == [str(i) for i in range(1, f["paragraphs"] + 1)]
    if "sections" in f:
        sec_titles = [sec["title"] for sec in r["sections"]]
        assert sec_titles == f["sections"]
    if "recommendations" in f:
        check_recommendations(r, f["recommendations"])
    if "adopted_agenda" in f:
        check_agenda(r["adopted_agenda"], f["adopted_agenda"])
    if "adopted_agenda_items" in f:
        assert len(r["adopted_agenda"]) == f["adopted_agenda_items"]
    for cat, spec in (f.get("attendance") or {}).items():
        entry = next((a for a in r["attendance"] if a["category"] == cat), None)
        check_names(entry, spec, f"attendance {cat}")
    if "speakers" in f:
        check_speakers(r["speakers"], f["speakers"])
    if "chair" in f:
        assert r["chair"] == f["chair"]
    if "panellists" in f:
        assert r["panellists"] == f["panellists"]
    for key in ("sessions_held", "list_of_participants"):
        if key in f:
            assert r[key] == f[key], key
    if "adopted_on" in f:
        assert _iso(r["adopted_on"]) == _iso(f["adopted_on"])
    if "documents_before_meeting" in f:
        assert [d["symbol"] for d in r["documents_before_meeting"]] == f["documents_before_meeting"]
    if "earlier_meetings" in f:
        got = [{"number": m["number"], "start": _iso(m["start"]), "end": _iso(m["end"])}
               for m in r["earlier_meetings"]]
        assert got == [{k: _iso(v) for k, v in m.items()} for m in f["earlier_meetings"]]
    if f.get("kind") == "index":
        check_index(r, f, corpus)


def check_recommendations(r: dict, f: dict) -> None:
    recs = r["recommendations"]
    assert len(recs) == f["count"]
    assert [x["number"] for x in recs] == [str(i) for i in range(1, f["count"] + 1)]
    if "all_under" in f:
        for x in recs:
            assert x["section"] == f["all_under"]["section"]
            assert x["heading"] == f["all_under"]["heading"]
    empty = [h["heading"] for h in r["recommendation_headings"] if h["count"] == 0]
    for h in f.get("empty_headings", []):
        assert h in empty, h
    if "first_text_starts" in f:
        assert recs[0]["text"].startswith(f["first_text_starts"])
    if "rec_8_text_starts" in f:
        assert recs[7]["text"].startswith(f["rec_8_text_starts"])


def check_speakers(speakers: list[dict], f: dict) -> None:
    for key, spec in f.items():
        if key == "non_party":
            entry = next(s for s in speakers if s["category"] == "non_parties")
            check_names(entry, spec, key)
            continue
        # items_2_and_3_parties / item_2_parties
        parts = key.split("_")
        category = parts[-1]
        items = [p for p in parts[1:-1] if p.isdigit()]
        entry = next((s for s in speakers if s["category"] == category
                      and s["agenda_items"] == items), None)
        check_names(entry, spec, key)


def check_index(r: dict, f: dict, corpus) -> None:
    if "reissued" in f:
        assert _iso(r["reissued"]) == _iso(f["reissued"])
    assert r["filed_under_agenda_item"] == f["filed_under_agenda_item"]
    assert r["meeting"]["number"] == f["for_meeting"]
    assert r["provisional_agenda"] == f["provisional_agenda"]
    assert r["compilation"] == f["compilation"]
    rows = r["index_rows"]
    assert len(rows) == f["rows"]
    assert len({row["topic"] for row in rows}) == f["topics"]
    assert sum(len(row["paragraphs"]) for row in rows) == f["row_references"]
    assert len({(row["report"], p) for row in rows for p in row["paragraphs"]}) == \
        f["distinct_report_paragraphs"]
    assert dict(Counter(row["report"] for row in rows)) == f["rows_per_report"]
    for report, spec in f["reports"].items():
        pat = r["report_patterns"][report]
        assert pat["section"] == spec["section"], report
        assert pat["offset"] == spec["offset"], report
        if corpus is not None:
            assert corpus.meeting_key_of_symbol(report) == (r["working_group"], spec["meeting"])
    for topic, spec in f["topics_checked"].items():
        trows = [row for row in rows if row["topic"] == topic]
        assert len(trows) == spec["rows"], topic
        if "reports" in spec:
            assert [row["report"].split("WG.7/")[1] for row in trows] == spec["reports"]
    for ex in f["row_examples"]:
        match = [row for row in rows if row["topic"] == ex["topic"] and row["report"] == ex["report"]]
        assert match, ex
        ok = False
        for row in match:
            good = True
            if "paragraphs" in ex:
                good &= row["paragraphs"] == [str(p) for p in ex["paragraphs"]]
            if "locations" in ex:
                good &= row["locations"] == ex["locations"]
            if "locations_raw" in ex:
                good &= row["locations_raw"] == ex["locations_raw"]
            ok |= good
        assert ok, ex
    got = [{k: d[k] for k in ("topic", "report", "paragraph", "expected", "found")}
           for d in r["discrepancies"]]
    assert sorted(got, key=str) == sorted(f["source_discrepancies"], key=str)
