"""Parse cache: one JSON file per source, keyed by the content hash of source + sidecar +
parser version (Pelican-style).  Corrupted entries are detected and rebuilt."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from . import PARSER_VERSION
from .records import to_json
from .sidecar import sidecar_path


class ParseCache:
    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.corrupt = 0

    def key(self, path: Path, name: str) -> str | None:
        h = hashlib.sha256()
        h.update(PARSER_VERSION.encode())
        h.update(b"\0" + name.encode("utf-8") + b"\0")
        try:
            h.update(path.read_bytes())
            side = sidecar_path(path)
            if side.exists():
                h.update(b"\0sidecar\0" + side.read_bytes())
        except OSError:
            return None
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.json"

    def get(self, path: Path, name: str) -> dict | None:
        key = self.key(path, name)
        if key is None:
            return None
        f = self._file(key)
        if not f.exists():
            return None
        try:
            entry = json.loads(f.read_text(encoding="utf-8"))
            if entry.get("key") != key or not isinstance(entry.get("record"), dict):
                raise ValueError("key mismatch")
            from .cli_site import _revive
            return _revive(entry["record"])
        except (ValueError, OSError, UnicodeDecodeError):
            self.corrupt += 1
            try:
                f.unlink()
            except OSError:
                pass
            return None

    def put(self, path: Path, name: str, record: dict) -> None:
        key = self.key(path, name)
        if key is None:
            return
        f = self._file(key)
        try:
            f.parent.mkdir(parents=True, exist_ok=True)
            tmp = f.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(to_json({"key": key, "record": record}, indent=None), encoding="utf-8")
            os.replace(tmp, f)
        except OSError:
            pass
