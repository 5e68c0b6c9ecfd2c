"""YAML text of a record, written directly: block style, one value per line, no aliases.

PyYAML's dumper walks each value through its Python representer and serializer even with
libyaml's emitter: 8.3 s for the 1,000 records of the benchmark corpus, against 1.1 s here
(text parsing went from 62 to ~100 documents/s a core).  Records hold only dicts, lists,
strings, numbers, booleans, None and dates, so their YAML needs no general emitter: a string
is written plain when the loader reads it back as that same string (the loader's own
implicit resolvers decide), else single-quoted, or double-quoted with YAML's escapes when it
holds a character that must be escaped.  Anything
else raises ``Unsupported`` and the caller uses PyYAML.  ``tests/test_yamltext.py`` checks
that every value reads back equal with the loader ``from_yaml`` uses."""

from __future__ import annotations

import math
import re
from datetime import date

from yaml.resolver import Resolver


class Unsupported(TypeError):
    """A value this writer does not spell (PyYAML does)."""


# a plain scalar may not start with an indicator or a space, nor hold ": " or " #", nor end
# in ":" or a space; characters YAML does not print, line breaks and the BOM need escapes
_INDICATOR = frozenset(" -?:,[]{}#&*!|>'\"%@`\t")
_CONTROL = "\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff"
_NOT_PLAIN = re.compile(f"[{_CONTROL}]|: |:$| #| $")
_UNPRINTED = re.compile(f"[{_CONTROL}]")
_ESCAPE = re.compile(f'[\\\\"{_CONTROL}]')
_NAMED = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\t": "\\t", "\r": "\\r", "\0": "\\0",
          "\x85": "\\N", "\u2028": "\\L", "\u2029": "\\P"}
_RESOLVERS = Resolver.yaml_implicit_resolvers  # first character -> [(tag, pattern)]


def _escape(m: re.Match) -> str:
    ch = m.group()
    if "\ud800" <= ch <= "\udfff":  # libyaml's loader refuses the escape: no YAML reads it back
        raise Unsupported("a lone surrogate")
    return _NAMED.get(ch) or (f"\\x{ord(ch):02X}" if ord(ch) < 0x100 else f"\\u{ord(ch):04X}")


def string(s: str) -> str:
    """``s`` as a scalar: plain when it reads back as the same string, else single-quoted
    (as PyYAML writes ``'12'``), or double-quoted when it holds a character to escape."""
    if s and s[0] not in _INDICATOR and not _NOT_PLAIN.search(s) and not s.startswith(("---", "...")):
        for _tag, pattern in _RESOLVERS.get(s[0], ()):
            if pattern.match(s):  # it would read back as a number, a boolean, null, a date …
                break
        else:
            return s
    if not _UNPRINTED.search(s):
        return "'" + s.replace("'", "''") + "'"
    return '"' + _ESCAPE.sub(_escape, s) + '"'


def _float(x: float) -> str:
    if math.isnan(x):
        return ".nan"
    if math.isinf(x):
        return ".inf" if x > 0 else "-.inf"
    text = repr(x)
    if "." not in text and "e" in text:  # YAML 1.1 floats need a dot: 1e+17 -> 1.0e+17
        text = text.replace("e", ".0e", 1)
    return text


def scalar(v) -> str:
    t = type(v)
    if t is str:
        return string(v)
    if t is bool:
        return "true" if v else "false"
    if t is int:
        return str(v)
    if v is None:
        return "null"
    if t is float:
        return _float(v)
    if t is date:
        return v.isoformat()
    if (t is dict or t is list) and not v:
        return "{}" if t is dict else "[]"
    raise Unsupported(f"no YAML spelling here for {t.__name__}")


_KEYS: dict = {}  # a record's keys are its few field names: each spelled once


def _mapping(d: dict, indent: str, out: list[str]) -> None:
    for k, v in d.items():
        key = _KEYS.get(k)
        if key is None:
            key = scalar(k)
            if type(k) is str and len(_KEYS) < 4096:
                _KEYS[k] = key
        t = type(v)
        if t is dict and v:
            out.append(f"{indent}{key}:\n")
            _mapping(v, indent + "  ", out)
        elif t is list and v:
            out.append(f"{indent}{key}:\n")
            _sequence(v, indent, out)  # a mapping's list sits at the key's indent, as PyYAML's
        else:
            out.append(f"{indent}{key}: {scalar(v)}\n")


def _sequence(items: list, indent: str, out: list[str]) -> None:
    inner = indent + "  "
    for v in items:
        t = type(v)
        if (t is dict or t is list) and v:
            start = len(out)
            (_mapping if t is dict else _sequence)(v, inner, out)
            out[start] = indent + "- " + out[start][len(inner):]  # the first line on the dash
        else:
            out.append(f"{indent}- {scalar(v)}\n")


def dump(data) -> str:
    """The YAML text of ``data`` (a dict or list of record values)."""
    t = type(data)
    if (t is not dict and t is not list) or not data:
        return scalar(data) + "\n"
    out: list[str] = []
    (_mapping if t is dict else _sequence)(data, "", out)
    return "".join(out)
