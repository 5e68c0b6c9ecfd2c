"""Records as files: YAML (libyaml's C classes when present) and JSON, deterministic."""

from __future__ import annotations

import json
from datetime import date

import yaml

from .errors import Issue

try:  # libyaml: ~4x faster than the pure-Python classes (spec §8)
    from yaml import CSafeDumper as _Dumper, CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper, SafeLoader as _Loader


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def to_yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False,
                     default_flow_style=False, width=100)


def from_yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (safe loader)


def to_json(data, indent: int | None = None) -> str:
    """JSON text; compact by default (json's C encoder; ``indent`` uses the slow Python one)."""
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default,
                      sort_keys=False)


def to_json_lines(items: list) -> str:
    """A JSON list with one item per line: readable and diffable, at the C encoder's speed."""
    return "[\n" + ",\n".join(to_json(x) for x in items) + "\n]\n"


DATE_KEYS = ("issue_date", "reissued", "adopted_on")


def revive_dates(r: dict) -> dict:
    """JSON records carry dates as ISO strings: turn them back into dates, where records keep
    dates (a fixed set of fields, so this is fast on large records)."""
    def d(v):
        if isinstance(v, str) and len(v) == 10:
            try:
                return date.fromisoformat(v)
            except ValueError:
                return v
        return v
    for k in DATE_KEYS:
        if k in r:
            r[k] = d(r[k])
    for item in [r.get("meeting") or {}] + list(r.get("earlier_meetings") or []):
        for k in ("start", "end"):
            if k in item:
                item[k] = d(item[k])
    for row in r.get("schedule") or []:
        if "date" in row:
            row["date"] = d(row["date"])
    return r


def jsonable(data):
    """Dates -> ISO strings, recursively (what a record looks like after a JSON round trip)."""
    return json.loads(to_json(data, indent=None))


# The record contract's shape (spec §5), for records read back from disk (cache entries,
# edited records given to ``wgindex render``): key -> allowed types.
_LIST_OF_DICTS = ("paragraphs", "agenda_items", "schedule", "recommendations",
                  "recommendation_headings", "adopted_agenda", "attendance", "speakers",
                  "panellists", "documents_before_meeting", "earlier_meetings", "footnotes",
                  "index_rows", "discrepancies", "warnings")
_SHAPE = {
    "id": (str,), "symbol": (str, type(None)), "symbol_source": (str, type(None)),
    "kind": (str,), "draft": (bool,), "working_group": (str, type(None)),
    "meeting": (dict,), "source": (dict,), "mentions": (dict,),
    "chair": (dict, type(None)), "sessions_held": (int, type(None)),
    **{k: (list,) for k in _LIST_OF_DICTS},
}


def record_problems(r) -> list[str]:
    """What is wrong with the shape of a record read back from disk ([] when nothing)."""
    if not isinstance(r, dict):
        return [f"a record must be a mapping, not {type(r).__name__}"]
    problems = []
    for key, types in _SHAPE.items():
        if key not in r:
            problems.append(f"field {key!r} is missing")
        elif not isinstance(r[key], types):
            problems.append(f"field {key!r} has the wrong type ({type(r[key]).__name__})")
    for key in _LIST_OF_DICTS:
        if isinstance(r.get(key), list) and not all(isinstance(x, dict) for x in r[key]):
            problems.append(f"field {key!r} must be a list of mappings")
    src = r.get("source")
    if isinstance(src, dict) and not isinstance(src.get("file"), str):
        problems.append("field 'source' has no 'file'")
    if r.get("kind") not in ("agenda", "report", "index", "other"):
        problems.append(f"field 'kind' is {r.get('kind')!r}, not agenda, report, index or other")
    return problems


def full_text(paragraph: dict) -> str:
    """A paragraph with its list items, as one string (for search and mentions)."""
    parts = [paragraph["text"]]
    for sp in paragraph.get("subparagraphs", []):
        label = sp["label"]
        if label is None:
            parts.append(sp["text"])
        elif label.isdigit():
            parts.append(f"{label}. {sp['text']}")
        else:
            parts.append(f"({label}) {sp['text']}")
    return "\n".join(parts)


def record_issues(record: dict) -> list[Issue]:
    """The warnings of one record: its own and its source discrepancies."""
    file = record["source"]["file"]
    out = [Issue.at(w.get("source"), file, w["message"]) for w in record.get("warnings", [])]
    for d in record.get("discrepancies", []):
        out.append(Issue.at(d.get("source"), file,
                            f"source discrepancy: topic {d['topic']}, {d['report']} paragraph "
                            f"{d['paragraph']}: expected location {d['expected']}, found {d['found']}",
                            hint="a correction belongs in a sidecar or the source; the record keeps "
                                 "the printed value"))
    return out
