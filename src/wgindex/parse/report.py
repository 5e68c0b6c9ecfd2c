"""Report records: recommendations, adopted agenda, attendance, speakers, chair, history."""

from __future__ import annotations

import re

from .extract import agenda_item_numbers, split_names
from ..numerals import CN_NUMERAL, DATE_RANGE_RE, cn_to_int, date_range_from_match
from ..records import full_text
from .outline import Outline
from ..symbols import SYMBOL_RE

INTRO_RE = re.compile(r"通过了(?:下述|以下|下列)建议")
ADOPTED_AGENDA_RE = re.compile(r"通过了(?:以下|下列|如下)议程")
SESSIONS_RE = re.compile(rf"共举行了\s*({CN_NUMERAL}|\d+)\s*(?:次|场)(?:全体)?会议")
PARTICIPANTS_RE = re.compile(r"与会者名单载于\s*(" + SYMBOL_RE.pattern + r")")
ADOPTED_ON_RE = re.compile(r"于\s*(" + DATE_RANGE_RE.pattern + r")\s*通过了本(?:次|届)?会议(?:的)?报告")
DOCS_BEFORE_RE = re.compile(r"收到了(?:以下|下列)文件")
CHAIR_RE = re.compile(r"主席\s*([A-Z][^（()\n]{1,60}?)\s*[（(]([^）)]{1,30})[）)]")
PANEL_RE = re.compile(r"由以下[^：:]{0,20}(?:成员|主讲人|专家|小组)[^：:]{0,10}[：:](.+)$")
PERSON_RE = re.compile(r"^(.+?)\s*(?:先生|女士|上校|博士|教授|法官|大使|阁下)?\s*[（(]([^）)]+)[）)]$")
LATIN_NAME_WORD = r"[A-Z][A-Za-zÀ-ÖØ-öø-ÿ'’\-]*"
ORDINAL_MEETING_RE = re.compile(rf"第\s*({CN_NUMERAL})\s*次会议于\s*(?P<d>{DATE_RANGE_RE.pattern})")
EARLIER_LIST_RE = re.compile(r"以往(?:几届|历次|各次|几次)会议于(.+?)举行")
PLACEHOLDER = re.compile(r"\[\s*[.…·。]+\s*\]")


def _clean_title(text: str) -> str:
    return text.strip().rstrip("：:；;。.").strip()


def agenda_from_items(items: list[dict]) -> list[dict]:
    """Flat list items (``1.``, ``(a)`` …) -> agenda items with sub-items."""
    agenda: list[dict] = []
    for it in items:
        label = it["label"]
        if label and label.isdigit():
            agenda.append({"number": label, "title": _clean_title(it["text"]), "subitems": [],
                           "source": it["source"]})
        elif label and agenda:
            agenda[-1]["subitems"].append({"label": label, "title": _clean_title(it["text"]),
                                           "source": it["source"]})
    return agenda


def recommendations(outline: Outline) -> tuple[list[dict], list[dict]]:
    """Recommendations with section and heading, and every heading with its count.

    A subsection of the recommendations section with no topic heading is itself the heading;
    headings with no recommendation are kept with ``count: 0`` (never skipped).
    """
    recs: list[dict] = []
    headings: list[dict] = []
    rec_paragraphs: list[dict] = []
    in_recs = False
    subsection = heading = current = None
    sub_entry: dict | None = None  # the subsection's own heading entry, until a topic appears

    for ev in outline.events:
        src = ev.block.source.as_dict()
        if ev.kind == "section":
            in_recs = "建议" in ev.text
            subsection = heading = current = sub_entry = None
            continue
        if not in_recs:
            continue
        if ev.kind == "subsection":
            subsection = f"{ev.label}. {ev.text}"
            heading, current = ev.text, None
            sub_entry = {"section": subsection, "heading": ev.text, "count": 0, "source": src}
            headings.append(sub_entry)
        elif ev.kind == "heading":
            if sub_entry is not None and sub_entry["count"] == 0:
                headings.remove(sub_entry)
            sub_entry = None
            heading, current = ev.text, None
            headings.append({"section": subsection, "heading": heading, "count": 0, "source": src})
        elif ev.kind == "rec_label":
            if not headings:
                headings.append({"section": subsection, "heading": heading, "count": 0,
                                 "source": src})
            headings[-1]["count"] += 1
            current = {"number": ev.label, "text": "", "section": subsection,
                       "heading": heading, "paragraph": None, "source": src}
            recs.append(current)
        elif ev.kind == "paragraph":
            current = None
            if not INTRO_RE.search(ev.text):
                rec_paragraphs.append({"ev": ev, "section": subsection, "heading": heading})
        elif current is not None and ev.kind in ("text", "item"):
            piece = ev.text if ev.kind == "text" else (
                f"{ev.label}. {ev.text}" if ev.label.isdigit() else f"({ev.label}) {ev.text}")
            current["text"] = (current["text"] + "\n" + piece).strip()
    if not recs and rec_paragraphs:
        # a report that numbers its recommendations as paragraphs
        by_number = {p["number"]: p for p in outline.paragraphs}
        for rp in rec_paragraphs:
            ev = rp["ev"]
            para = by_number.get(ev.label)
            recs.append({"number": ev.label, "text": full_text(para) if para else ev.text,
                         "section": rp["section"], "heading": rp["heading"],
                         "paragraph": ev.label, "source": ev.block.source.as_dict()})
        for h in headings:
            h["count"] = sum(1 for r in recs if r["section"] == h["section"]
                             and r["heading"] == h["heading"])
    return recs, headings


ATTENDANCE_RULES = [
    ("regional_organization_party", re.compile(r"区域经济一体化组织")),
    ("non_signatory_states", re.compile(r"非(?:《[^》]*》)?(?:缔约|签署)")),
    ("signatories", re.compile(r"签署(?:国|方)")),
    ("intergovernmental_organizations_and_un_entities", re.compile(r"政府间组织和联合国")),
    ("intergovernmental_organizations", re.compile(r"政府间组织")),
    ("states_parties", re.compile(r"缔约(?:国|方)")),
    ("un_entities", re.compile(r"联合国.*(?:实体|机构|办公室|部|署|基金|计划|方案)|^联合国")),
    ("other_entities", re.compile(r"实体|组织")),
]


def _attendance_entry(p: dict) -> dict | None:
    text = p["text"]
    if "出席" not in text:
        return None
    colon = re.search(r"[：:]", text)
    head, sep, tail = (text[:colon.start()], colon.group(), text[colon.end():]) if colon \
        else (text, "", "")
    head_clean = re.sub(r"《[^》]*》", "", head.replace("缔约方会议", ""))
    category = None
    for name, rule in ATTENDANCE_RULES:
        if rule.search(head_clean):
            category = name
            break
    if category is None:
        return None
    if sep:
        names, incomplete = split_names(tail)
    else:
        m = (re.search(r"区域经济一体化组织(.+?)作为", text) if category == "regional_organization_party"
             else re.search(r"实体(.+?)派(?:观察员|代表)", text) if category == "other_entities"
             else re.search(r"^(.+?)派(?:观察员|代表)", text))
        if not m:
            return None
        names, incomplete = split_names(m.group(1))
    return {"category": category, "names": names, "incomplete": incomplete,
            "paragraph": p["number"], "source": p["source"]}


def attendance(outline: Outline) -> list[dict]:
    out = []
    for p in outline.paragraphs:
        if p.get("subsection") and "出席" in p["subsection"]:
            entry = _attendance_entry(p)
            if entry:
                out.append(entry)
    return out


def speakers(outline: Outline) -> list[dict]:
    out: list[dict] = []
    items: list[str] = []
    for p in outline.paragraphs:
        if not (p.get("subsection") and "发言" in p["subsection"]):
            continue
        text = p["text"]
        if "发言" not in text or "讨论由" in text:
            continue
        found = agenda_item_numbers(text)
        if found:
            items = found
        entry = None
        if m := re.search(r"下列(缔约方|缔约国|签署国|观察员)[^：:]*[：:](.+)$", text):
            category = {"缔约方": "parties", "缔约国": "parties", "签署国": "signatories"}.get(
                m.group(1), "observers")
            names, incomplete = split_names(m.group(2))
            entry = (category, names, incomplete)
        elif m := re.search(r"非缔约(?:国|方)(?:和非签署国)?(.+?)也作了发言", text):
            entry = ("non_parties", *split_names(m.group(1)))
        elif m := re.search(r"^(.+?)的观察员也作了发言", text):
            entry = ("observers", *split_names(m.group(1)))
        elif m := re.search(r"听取了(.+?)观察员的发言", text):
            entry = ("observers", *split_names(m.group(1)))
        elif m := re.search(r"^(秘书处)(?:代表)?在", text):
            entry = ("secretariat", [m.group(1)], False)
        if entry and entry[1]:
            out.append({"agenda_items": list(items), "category": entry[0], "names": entry[1],
                        "incomplete": entry[2], "paragraph": p["number"], "source": p["source"]})
    return out


def _full_latin_name(short: str, text: str) -> str:
    """Expand a surname to the fullest form of that name printed in the same document."""
    pattern = rf"((?:{LATIN_NAME_WORD}\s+)*){re.escape(short)}(?![A-Za-z])"
    best = short
    for m in re.finditer(pattern, text):
        cand = (m.group(1) + short).strip()
        if len(cand) > len(best):
            best = cand
    return best


def chair_and_panel(outline: Outline, doc_text: str) -> tuple[dict | None, list[dict]]:
    chair = None
    panel: list[dict] = []
    for p in outline.paragraphs:
        if chair is None and (m := CHAIR_RE.search(p["text"])):
            chair = {"name": m.group(1).strip(), "state": m.group(2).strip()}
        if not panel and (m := PANEL_RE.search(p["text"])):
            names, _ = split_names(m.group(1))
            for n in names:
                pm = PERSON_RE.match(n)
                if pm:
                    panel.append({"name": _full_latin_name(pm.group(1).strip(), doc_text),
                                  "state": pm.group(2).strip()})
    return chair, panel


def earlier_meetings(outline: Outline, current: int | None) -> list[dict]:
    """Meetings listed in the introduction (the first section)."""
    intro = [p for p in outline.paragraphs
             if outline.sections and p["section"] and p["section"].startswith(outline.sections[0]["numeral"] + ".")]
    found: list[dict] = []
    for p in intro:
        text = p["text"]
        for m in ORDINAL_MEETING_RE.finditer(text):
            n = cn_to_int(m.group(1))
            start, end = date_range_from_match(DATE_RANGE_RE.search(m.group("d")))
            if n and (current is None or n < current):
                found.append({"number": n, "start": start, "end": end, "paragraph": p["number"],
                              "source": p["source"]})
        if found:
            continue
        if m := EARLIER_LIST_RE.search(text):
            ranges = [date_range_from_match(d) for d in DATE_RANGE_RE.finditer(m.group(1))]
            first = (current - len(ranges)) if current and current > len(ranges) else 1
            for i, (start, end) in enumerate(ranges):
                found.append({"number": first + i, "start": start, "end": end,
                              "paragraph": p["number"], "source": p["source"]})
    uniq = {}
    for f in found:
        uniq.setdefault(f["number"], f)
    return [uniq[k] for k in sorted(uniq)]


def parse_report(outline: Outline, doc_text: str, meeting_number: int | None) -> dict:
    """The report's own parts, read from its outline (``outline.walk`` of its text)."""
    recs, headings = recommendations(outline)
    adopted = []
    docs_before = []
    for p in outline.paragraphs:
        if not adopted and ADOPTED_AGENDA_RE.search(p["text"]):
            adopted = agenda_from_items(p["subparagraphs"])
        if not docs_before and DOCS_BEFORE_RE.search(p["text"]):
            for sp in p["subparagraphs"]:
                syms = SYMBOL_RE.findall(sp["text"])
                if syms:
                    desc = re.sub(r"[（(]\s*" + re.escape(syms[-1]) + r"\s*[）)]", "", sp["text"])
                    docs_before.append({"symbol": syms[-1], "description": _clean_title(desc),
                                        "label": sp["label"], "source": sp["source"]})
    chair, panel = chair_and_panel(outline, doc_text)
    sessions = None
    participants = None
    adopted_on = None
    for p in outline.paragraphs:
        text = full_text(p)  # with its continuations (a sentence after a line break) and items
        if sessions is None and (m := SESSIONS_RE.search(text)):
            sessions = cn_to_int(m.group(1))
        if participants is None and (m := PARTICIPANTS_RE.search(text)):
            participants = m.group(1)
        if adopted_on is None and (m := ADOPTED_ON_RE.search(text)):
            adopted_on = date_range_from_match(DATE_RANGE_RE.search(m.group(1)))[0]
    return {
        "recommendations": recs,
        "recommendation_headings": headings,
        "adopted_agenda": adopted,
        "attendance": attendance(outline),
        "speakers": speakers(outline),
        "chair": chair,
        "panellists": panel,
        "sessions_held": sessions,
        "documents_before_meeting": docs_before,
        "list_of_participants": participants,
        "adopted_on": adopted_on,
        "earlier_meetings": earlier_meetings(outline, meeting_number),
    }
