"""Sidecar files ``<source>.meta.yaml``: metadata and corrections kept beside a source.

``corrections`` fix the source text before it is parsed (a typo in a table cell, a wrongly
printed location), so a rebuild never loses them::

    corrections:
      - {find: "一.3 和一.46", replace: "一.38 和一.46", line: 154}
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import yaml

from ..text.read import read_limited
from ..errors import SidecarError
from ..symbols import is_valid, valid_body

FIELDS = {
    "symbol": str, "kind": str, "working_group": str, "draft": bool, "distribution": str,
    "issue_date": (date, str), "language": str, "original_language": str, "title": str,
    "meeting": dict, "meeting_number": int, "corrections": list,
}
MEETING_FIELDS = {"number", "start", "end", "venue"}
KINDS = {"agenda", "report", "index", "other"}
MAX_SIDECAR_BYTES = 64 * 1024
MAX_MEETING = 999


class _NoAliasLoader(yaml.SafeLoader):
    """safe_load without aliases: a sidecar never needs them, and they allow alias bombs."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(None, None, "aliases are not allowed in sidecars",
                                              event.start_mark)
        return super().compose_node(parent, index)


def sidecar_path(source: Path) -> Path:
    return source.with_name(source.name + ".meta.yaml")


def load_sidecar(source: Path, name: str) -> dict:
    """The sidecar of ``source`` as a dict ({} when there is none)."""
    path = sidecar_path(source)
    if not path.exists() and not path.is_symlink():
        return {}
    label = name + ".meta.yaml"
    try:
        data = read_limited(path, MAX_SIDECAR_BYTES)
    except OSError as exc:
        raise SidecarError(label, f"cannot read sidecar: {exc.strerror or exc}") from None
    if data is None:
        raise SidecarError(label, f"sidecar is not a regular file of at most "
                           f"{MAX_SIDECAR_BYTES // 1024} KB", hint="a sidecar is a short YAML file")
    try:
        meta = yaml.load(data.decode("utf-8-sig"), Loader=_NoAliasLoader)  # noqa: S506 (safe loader)
    except UnicodeDecodeError:
        raise SidecarError(label, "sidecar is not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
        line = mark.line + 1 if mark else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise SidecarError(label, f"sidecar is not valid YAML: {problem}", line=line,
                           hint="fix the YAML or delete the sidecar") from None
    if meta is None:
        return {}
    if not isinstance(meta, dict):
        raise SidecarError(label, "sidecar must be a mapping of field: value",
                           hint=f"allowed fields: {', '.join(sorted(FIELDS))}")
    unknown = sorted(str(k) for k in meta if k not in FIELDS)
    if unknown:
        raise SidecarError(label, f"unknown field(s) {', '.join(unknown)}",
                           hint=f"allowed fields: {', '.join(sorted(FIELDS))}")
    for key, value in meta.items():
        if value is not None and (not isinstance(value, FIELDS[key])
                                  or (isinstance(value, bool) and FIELDS[key] is not bool)):
            raise SidecarError(label, f"field {key!r} has the wrong type ({type(value).__name__})")
    numbers = [("meeting_number", meta.get("meeting_number"))]
    if isinstance(meta.get("meeting"), dict):
        numbers.append(("meeting.number", meta["meeting"].get("number")))
    for key, value in numbers:
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)
                                  or not 1 <= value <= MAX_MEETING):
            raise SidecarError(label, f"field {key!r} must be a meeting number from 1 to "
                               f"{MAX_MEETING}, not {value!r}")
    if meta.get("working_group") is not None and not valid_body(meta["working_group"]):
        raise SidecarError(label, f"working_group {meta['working_group']!r} is not a body's "
                           f"symbol prefix", hint="e.g. CTOC/COP/WG.7 or CTOC/COP/WG.4")
    if meta.get("symbol") is not None and not is_valid(meta["symbol"]):
        raise SidecarError(label, f"symbol {meta['symbol']!r} is not a valid document symbol",
                           hint="segments of letters and digits, each beginning with a capital or a digit, "
                                "joined by '/', e.g. CTOC/COP/WG.7/2017/5")
    if meta.get("kind") is not None and meta["kind"] not in KINDS:
        raise SidecarError(label, f"kind {meta['kind']!r} is not one of {', '.join(sorted(KINDS))}")
    for i, c in enumerate(meta.get("corrections") or [], 1):
        if not isinstance(c, dict) or not isinstance(c.get("find"), str) or not c["find"] \
                or not isinstance(c.get("replace"), str) or set(c) - {"find", "replace", "line"} \
                or ("line" in c and not (isinstance(c["line"], int) and c["line"] > 0)):
            raise SidecarError(label, f"correction {i} must be a mapping with find (text), "
                               f"replace (text) and optionally line (a line number)")
    if isinstance(meta.get("meeting"), dict):
        bad = sorted(str(k) for k in meta["meeting"] if k not in MEETING_FIELDS)
        if bad:
            raise SidecarError(label, f"unknown meeting field(s) {', '.join(bad)}",
                               hint=f"allowed: {', '.join(sorted(MEETING_FIELDS))}")
    return meta
