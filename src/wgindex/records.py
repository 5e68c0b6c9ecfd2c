"""Records as files: YAML (libyaml's C classes when present) and JSON, deterministic."""

from __future__ import annotations

import dataclasses
import functools
import json
import types
import typing
from datetime import date

import yaml

from . import yamltext
from .errors import Issue
from .schema import KINDS, Record

try:  # libyaml: ~4x faster than the pure-Python classes (spec §8)
    from yaml import CSafeDumper as _Dumper, CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeDumper as _Dumper, SafeLoader as _Loader


def _json_default(value):
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


class _PlainDumper(_Dumper):
    """A record's YAML spells every value out: a part shared by two fields (one source line
    for a paragraph and the recommendation in it) is written twice, never as ``&id001``."""

    def ignore_aliases(self, data) -> bool:
        return True


def to_yaml(data) -> str:
    """Block-style YAML, keys in their order, every value spelled out (``yamltext``: a
    record's values need no general emitter; PyYAML for any other value)."""
    try:
        return yamltext.dump(data)
    except yamltext.Unsupported:
        return yaml.dump(data, Dumper=_PlainDumper, allow_unicode=True, sort_keys=False,
                         default_flow_style=False, width=100)


def from_yaml(text: str):
    return yaml.load(text, Loader=_Loader)  # noqa: S506 (safe loader)


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=_json_default, sort_keys=False)
# the C encoder ``_ENCODER.encode`` makes anew for every list or dict, made once (the inventory
# encodes 81,000 small items one by one); without the check for circular references, which
# records, trees read from JSON or made by the parser, never have
_C_ENCODE = None if json.encoder.c_make_encoder is None else json.encoder.c_make_encoder(
    None, _json_default, json.encoder.encode_basestring, None, _ENCODER.key_separator,
    _ENCODER.item_separator, False, False, True)


def to_json(data, indent: int | None = None) -> str:
    """JSON text, on one line (json's C encoder, one instance: ``json.dumps`` with options
    makes a new encoder every call; ``indent`` uses the slow Python one)."""
    if indent is None:
        if _C_ENCODE is not None and type(data) in (dict, list):
            return "".join(_C_ENCODE(data, 0))
        return _ENCODER.encode(data)
    return json.dumps(data, ensure_ascii=False, indent=indent, default=_json_default,
                      sort_keys=False)


def jsonable(data):
    """Dates -> ISO strings, recursively (what a record looks like after a JSON round trip)."""
    return json.loads(to_json(data, indent=None))


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


# --- the record contract's types, checked on records read back from disk ---------------

@functools.lru_cache(maxsize=None)
def _hints(cls) -> dict:
    return typing.get_type_hints(cls)


def _options(tp) -> tuple:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        return typing.get_args(tp)
    return (tp,)


_NAMES = {str: "text", int: "a whole number", bool: "true or false", float: "a number",
          date: "a date", type(None): "null", dict: "a mapping", list: "a list"}


def _describe(tp) -> str:
    names = []
    for t in _options(tp):
        origin = typing.get_origin(t) or t
        names.append(_NAMES.get(origin) or (f"a mapping ({t.__name__})" if dataclasses.is_dataclass(t)
                                            else str(t)))
    return " or ".join(names)


def _check(value, tp, path: str, out: list[str]) -> None:
    """Whether ``value`` (as read from YAML/JSON) has type ``tp``; problems go to ``out``.
    Which value fits which type is ``_valid``'s rule; this walks lists and mappings to say
    where and why one does not."""
    for t in _options(tp):
        origin = typing.get_origin(t) or t
        if origin is list and isinstance(value, list):
            (item,) = typing.get_args(t) or (object,)
            if item is not object:
                for i, x in enumerate(value):
                    _check(x, item, f"{path}[{i}]", out)
            return
        if dataclasses.is_dataclass(t) and isinstance(value, dict):
            _check_fields(value, t, path, out)
            return
        if _valid(t)(value):
            return
    out.append(f"{path}: expected {_describe(tp)}, found {value!r:.60}")


def _is_iso(text: str) -> bool:
    try:
        date.fromisoformat(text)
        return True
    except ValueError:
        return False


def _check_fields(value: dict, cls, path: str, out: list[str]) -> None:
    hints = _hints(cls)
    prefix = f"{path}." if path else ""
    for f in dataclasses.fields(cls):
        optional = f.metadata.get("omit_if_none") or f.metadata.get("optional")
        if f.name not in value:
            if not optional:
                out.append(f"{prefix}{f.name}: missing")
            continue
        _check(value[f.name], hints[f.name], prefix + f.name, out)
    for key in value:
        if key not in hints:
            out.append(f"{prefix}{key}: not a field of the record contract")


@functools.lru_cache(maxsize=None)
def _valid(tp):
    """A function telling whether a value has type ``tp``: ``_check``'s verdict without its
    messages, the type's options resolved once instead of on every value (a fifth of the
    parse of a text document went to asking ``typing`` again about each field)."""
    tests = []
    for t in _options(tp):
        origin = typing.get_origin(t) or t
        if t is type(None):
            tests.append(lambda v: v is None)
        elif origin is list:
            (item,) = typing.get_args(t) or (object,)
            each = None if item is object else _valid(item)
            tests.append(lambda v, each=each: isinstance(v, list) and (each is None or all(map(each, v))))
        elif dataclasses.is_dataclass(t):
            tests.append(_fields_valid(t))
        elif origin is dict:
            tests.append(lambda v: isinstance(v, dict))
        elif t is date:
            tests.append(lambda v: isinstance(v, date) or (isinstance(v, str) and _is_iso(v)))
        elif t is int:
            tests.append(lambda v: isinstance(v, int) and not isinstance(v, bool))
        elif t in (str, bool, float):
            tests.append(lambda v, t=t: isinstance(v, t))
        else:
            tests.append(lambda v: False)
    return tests[0] if len(tests) == 1 else (lambda v: any(f(v) for f in tests))


def _fields_valid(cls):
    hints = _hints(cls)
    fields = [(f.name, bool(f.metadata.get("omit_if_none") or f.metadata.get("optional")), hints[f.name])
              for f in dataclasses.fields(cls)]
    names = frozenset(hints)

    def valid(v) -> bool:
        if not isinstance(v, dict):
            return False
        for name, optional, tp in fields:
            if name in v:
                if not _valid(tp)(v[name]):  # looked up when called: a type may hold itself
                    return False
            elif not optional:
                return False
        return names.issuperset(v)
    return valid


def problems(record) -> list[str]:
    """What is wrong with a record read back from disk, field by field ([] when nothing)."""
    if not isinstance(record, dict):
        return [f"a record must be a mapping, not {type(record).__name__}"]
    if _valid(Record)(record) and record.get("kind") in KINDS:
        return []
    out: list[str] = []
    _check_fields(record, Record, "", out)
    if record.get("kind") not in KINDS:
        out.append(f"kind: {record.get('kind')!r} is not one of {', '.join(KINDS)}")
    return out


@functools.lru_cache(maxsize=None)
def date_paths(cls=Record) -> tuple:
    """Where the type says a date is: ``(("issue_date",), ("meeting", "start"), ("schedule",
    "[]", "date"), …)``, for reviving the dates of JSON records."""
    out = []
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        for t in _options(hints[f.name]):
            if t is date:
                out.append((f.name,))
            elif typing.get_origin(t) is list and dataclasses.is_dataclass(typing.get_args(t)[0]):
                out += [(f.name, "[]") + p for p in date_paths(typing.get_args(t)[0])]
            elif dataclasses.is_dataclass(t):
                out += [(f.name,) + p for p in date_paths(t)]
    return tuple(dict.fromkeys(out))


def revive_dates(record: dict) -> dict:
    """Turn the ISO strings of a JSON record back into dates, where the types hold dates."""
    for path in date_paths():
        _revive(record, path)
    return record


def _revive(node, path: tuple) -> None:
    key, rest = path[0], path[1:]
    if key == "[]":
        for x in node if isinstance(node, list) else ():
            _revive(x, rest)
        return
    if not isinstance(node, dict) or key not in node:
        return
    if rest:
        _revive(node[key], rest)
        return
    v = node[key]
    if isinstance(v, str) and len(v) == 10:
        try:
            node[key] = date.fromisoformat(v)
        except ValueError:
            pass
