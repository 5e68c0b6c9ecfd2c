"""How the site names things in Chinese: categories, kinds, meetings, documents."""

from __future__ import annotations

from .. import groups
from ..corpus.urls import doc_dir
from ..numerals import int_to_cn

CATEGORY_LABELS = {
    "states_parties": "缔约国", "regional_organization_party": "区域经济一体化组织（缔约方）",
    "signatories": "签署国", "non_signatory_states": "非缔约国和非签署国",
    "un_entities": "联合国实体", "intergovernmental_organizations": "政府间组织",
    "intergovernmental_organizations_and_un_entities": "政府间组织和联合国实体",
    "other_entities": "其他实体",
    "parties": "缔约方", "non_parties": "非缔约方", "observers": "观察员", "secretariat": "秘书处",
}
KIND_LABELS = {"agenda": "临时议程说明", "report": "报告", "index": "建议索引", "other": "其他文件"}


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


DISTRIBUTION_LABELS = {"General": "一般分发", "Limited": "限制分发", "Restricted": "内部分发"}
LANGUAGE_LABELS = {"Chinese": "中文", "English": "英文", "French": "法文", "Spanish": "西班牙文",
                   "Russian": "俄文", "Arabic": "阿拉伯文"}


def distribution_label(value: str) -> str:
    return DISTRIBUTION_LABELS.get(value, value)


def language_label(value: str) -> str:
    return LANGUAGE_LABELS.get(value, value)


def doc_name(x: dict) -> str:
    """How a link names a document: its symbol, else the group, meeting and kind a reader can
    place ("偷运移民问题工作组第四次会议报告草稿"), never an internal id."""
    return x.get("symbol") or x.get("cite") or cite_prefix(x)


def same_text(a: str | None, b: str | None) -> bool:
    """Whether a printed value says what its reading says, but for the spaces a line wrap left
    ("贩 运人口" = "贩运人口"): then the page shows it once."""
    return "".join((a or "").split()) == "".join((b or "").split())


def meeting_label(key) -> str:
    if not key:
        return ""
    return f"{groups.short(key[0])} 第{int_to_cn(key[1])}次会议"


def meeting_title(key) -> str:
    return f"{groups.chinese_name(key[0])}第{int_to_cn(key[1])}次会议"


def cite_prefix(record: dict) -> str:
    """How a citation of the document begins: its symbol, else a name a reader can place."""
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


def doc_ref(record: dict) -> dict:
    """What a page shows of another document: how to name it and where it is."""
    return {"id": record["id"], "symbol": record.get("symbol"),
            "name": doc_name(record), "dir": doc_dir(record),
            "title": doc_title(record), "cite": cite_prefix(record),
            "compilation": record.get("compilation")}
