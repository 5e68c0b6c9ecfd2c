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


def to_json(data, indent: int | None = 1) -> str:
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default,
                      sort_keys=False)


def jsonable(data):
    """Dates -> ISO strings, recursively (what a record looks like after a JSON round trip)."""
    return json.loads(to_json(data, indent=None))
