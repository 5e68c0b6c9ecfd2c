"""Records as files: YAML (libyaml's C classes when present) and JSON, deterministic."""

from __future__ import annotations

import json
from datetime import date

import yaml

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
