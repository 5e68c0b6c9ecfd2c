"""Citation metadata for reference managers: Highwire ``citation_*`` and Dublin Core ``<meta>``
tags on every document page (Zotero's web translator reads them), and per-document RIS,
BibTeX and CSL-JSON downloads.  The official text is linked at ``undocs.org`` (a link, never a
request: the site itself fetches nothing from outside)."""

from __future__ import annotations

import json
import re

from .. import groups
from ..corpus.urls import doc_dir
from ..schema import LANG_CODES
from ..symbols import is_valid
from .labels import KIND_LABELS

# what a UN body is called in the language of the document
BODY_EN = "Conference of the Parties to the United Nations Convention against Transnational Organized Crime"
BODY_ZH = "联合国打击跨国有组织犯罪公约缔约方会议"
EXPORTS = {"cite.ris": "RIS", "cite.bib": "BibTeX", "cite.json": "CSL-JSON"}


def official_urls(symbol: str | None) -> list[tuple[str, str, str]]:
    """(label, URL, hreflang) of the official document at undocs.org, for a real symbol."""
    if not symbol or not is_valid(symbol):
        return []
    return [("联合国正式文件（中文）", f"https://undocs.org/zh/{symbol}", "zh"),
            ("Official document (English)", f"https://undocs.org/{symbol}", "en")]


def _author(r: dict) -> str:
    english = r.get("language") == "English"
    g = r.get("working_group")
    if g and g in groups.GROUPS:
        return groups.GROUPS[g]["en"] if english else groups.chinese_name(g)
    if (r.get("symbol") or "").startswith("CTOC/COP"):
        return BODY_EN if english else BODY_ZH
    return r.get("body") or "United Nations"


def _title(r: dict) -> str:
    return r.get("title") or KIND_LABELS.get(r["kind"], r["kind"])


def _date(r: dict):
    return r.get("issue_date") or (r.get("meeting") or {}).get("start")


def fields(r: dict, base_url: str = "") -> dict:
    """What every format says about a document, in one place."""
    d = _date(r)
    official = official_urls(r.get("symbol"))
    return {"title": _title(r), "author": _author(r), "date": d.isoformat() if d else None,
            "year": d.year if d else None, "symbol": r.get("symbol"),
            "language": LANG_CODES.get(r.get("language") or "", None),
            "publisher": "United Nations", "url": (base_url.rstrip("/") + "/" + doc_dir(r)) if base_url else None,
            "official": official[1][1] if official else None,  # the English original
            "id": r["id"]}


def meta_tags(r: dict, base_url: str = "") -> list[tuple[str, str]]:
    """(name, content) pairs of the page's ``<meta>`` tags, in a fixed order."""
    f = fields(r, base_url)
    tags = [("citation_title", f["title"]), ("citation_author", f["author"])]
    if f["date"]:
        tags += [("citation_date", f["date"].replace("-", "/")), ("citation_publication_date", f["date"])]
    if f["symbol"]:
        tags.append(("citation_technical_report_number", f["symbol"]))
    tags.append(("citation_technical_report_institution", f["publisher"]))
    if f["language"]:
        tags.append(("citation_language", f["language"]))
    if f["url"]:
        tags.append(("citation_abstract_html_url", f["url"]))
    tags += [("DC.title", f["title"]), ("DC.creator", f["author"]), ("DC.publisher", f["publisher"]),
             ("DC.type", "Text")]
    if f["date"]:
        tags.append(("DC.date", f["date"]))
    if f["symbol"]:
        tags.append(("DC.identifier", f["symbol"]))
    if f["language"]:
        tags.append(("DC.language", f["language"]))
    if f["official"]:
        tags.append(("DC.relation", f["official"]))
    return tags


def ris(r: dict, base_url: str = "") -> str:
    f = fields(r, base_url)
    lines = [("TY", "RPRT"), ("TI", f["title"]), ("AU", f["author"]), ("PB", f["publisher"])]
    if f["year"]:
        lines += [("PY", str(f["year"])), ("DA", f["date"].replace("-", "/"))]
    if f["symbol"]:
        lines.append(("SN", f["symbol"]))
    if f["language"]:
        lines.append(("LA", f["language"]))
    for url in (f["url"], f["official"]):
        if url:
            lines.append(("UR", url))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}".rstrip() + "\r\n" for tag, value in lines)


def _bib_escape(text: str) -> str:
    return re.sub(r"([{}&%$#_])", r"\\\1", text)


def bibtex_key(r: dict) -> str:
    return re.sub(r"[^A-Za-z0-9]+", "_", r.get("symbol") or r["id"]).strip("_")


def bibtex(r: dict, base_url: str = "") -> str:
    f = fields(r, base_url)
    entries = [("title", "{" + _bib_escape(f["title"]) + "}"), ("author", "{{" + _bib_escape(f["author"]) + "}}"),
               ("institution", "{" + f["publisher"] + "}")]
    if f["symbol"]:
        entries.append(("number", "{" + _bib_escape(f["symbol"]) + "}"))
    if f["year"]:
        entries += [("year", "{" + str(f["year"]) + "}"), ("date", "{" + f["date"] + "}")]
    if f["language"]:
        entries.append(("langid", "{" + f["language"] + "}"))
    if f["url"] or f["official"]:
        entries.append(("url", "{" + (f["url"] or f["official"]) + "}"))
    body = ",\n".join(f"  {k} = {v}" for k, v in entries)
    return f"@techreport{{{bibtex_key(r)},\n{body}\n}}\n"


def csl_json(r: dict, base_url: str = "") -> str:
    f = fields(r, base_url)
    item = {"id": f["id"], "type": "report", "title": f["title"], "author": [{"literal": f["author"]}],
            "publisher": f["publisher"]}
    if f["symbol"]:
        item["number"] = f["symbol"]
    if f["date"]:
        item["issued"] = {"date-parts": [[int(x) for x in f["date"].split("-")]]}
    if f["language"]:
        item["language"] = f["language"]
    if f["url"] or f["official"]:
        item["URL"] = f["url"] or f["official"]
    return json.dumps([item], ensure_ascii=False, indent=1) + "\n"
