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

    def get(self, path: Path, name: str) -> tuple[dict, tuple[str, str]] | None:
        key = self.key(path, name)
        if key is None:
            return None
        f = self._file(key)
        if not f.exists():
            return None
        try:
            entry = json.loads(f.read_text(encoding="utf-8"))
            if entry.get("key") != key or not isinstance(entry.get("yaml"), str) \
                    or not isinstance(entry.get("json"), str):
                raise ValueError("key mismatch")
            record = json.loads(entry["json"])
            if not isinstance(record, dict) or "id" not in record:
                raise ValueError("not a record")
            from .records import revive_dates
            return revive_dates(record), (entry["yaml"], entry["json"])
        except (ValueError, OSError, UnicodeDecodeError):
            self.corrupt += 1
            try:
                f.unlink()
            except OSError:
                pass
            return None

    def put(self, path: Path, name: str, record: dict, serialized: tuple[str, str]) -> None:
        key = self.key(path, name)
        if key is None:
            return
        f = self._file(key)
        try:
            f.parent.mkdir(parents=True, exist_ok=True)
            tmp = f.with_suffix(f".tmp{os.getpid()}")
            entry = {"key": key, "yaml": serialized[0], "json": serialized[1]}
            tmp.write_text(to_json(entry, indent=None), encoding="utf-8")
            os.replace(tmp, f)
        except OSError:
            pass


def templates_digest() -> str:
    from .render import template_dir
    h = hashlib.sha256()
    tdir = template_dir()
    for f in sorted(tdir.rglob("*")):
        if f.is_file():
            h.update(f.relative_to(tdir).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def inputs_digest(keys: list[tuple[str, str | None]], extra: str) -> str:
    """A digest of the sources themselves (their cache keys), templates and options: equal
    digests mean nothing to parse and nothing to render, without loading any record."""
    h = hashlib.sha256(extra.encode("utf-8"))
    h.update(json.dumps(sorted(keys), ensure_ascii=False).encode("utf-8"))
    h.update(templates_digest().encode())
    return h.hexdigest()


def build_digest(records: list[dict], serialized: dict, extra: str) -> str:
    """A digest of everything a render depends on: the records, the templates, the version
    and options.  Equal digests mean the site would come out byte-identical."""
    from .records import jsonable
    h = hashlib.sha256(extra.encode("utf-8"))
    for r in sorted(records, key=lambda r: r["id"]):
        text = serialized.get(r["id"], (None, None))[1] or to_json(jsonable(r))
        h.update(text.encode("utf-8"))
    h.update(templates_digest().encode())
    return h.hexdigest()


class BuildStamps:
    """Digest of the last render of each output folder (kept in the cache folder)."""

    def __init__(self, directory: Path):
        self.file = Path(directory) / "builds.json"

    def _load(self) -> dict:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def unchanged(self, out: Path, digest: str) -> bool:
        return (Path(out) / "index.html").exists() and self._load().get(str(Path(out).resolve())) == digest

    def fast(self, out: Path, digest: str) -> dict | None:
        """The summary of the last build of ``out`` if its inputs digest is ``digest``."""
        entry = self._load().get("inputs:" + str(Path(out).resolve()))
        if isinstance(entry, dict) and entry.get("digest") == digest and (Path(out) / "index.html").exists():
            return entry
        return None

    def record_fast(self, out: Path, digest: str, summary: dict) -> None:
        data = self._load()
        data["inputs:" + str(Path(out).resolve())] = {"digest": digest, **summary}
        self._save(data)

    def _memo_file(self, out: Path) -> Path:
        name = hashlib.sha1(str(Path(out).resolve()).encode()).hexdigest()[:16]
        return self.file.parent / "render-memo" / f"{name}.json"

    def memo(self, out: Path) -> dict | None:
        """The render memo of the last build of ``out`` (job id -> digest and paths)."""
        try:
            data = json.loads(self._memo_file(out).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def record(self, out: Path, digest: str, memo: dict | None = None) -> None:
        if memo is not None:
            f = self._memo_file(out)
            try:
                f.parent.mkdir(parents=True, exist_ok=True)
                tmp = f.with_suffix(f".tmp{os.getpid()}")
                tmp.write_text(json.dumps(memo, sort_keys=True, ensure_ascii=False), encoding="utf-8")
                os.replace(tmp, f)
            except OSError:
                pass
        data = self._load()
        data[str(Path(out).resolve())] = digest
        self._save(data)

    def _save(self, data: dict) -> None:
        try:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.file.with_suffix(f".tmp{os.getpid()}")
            tmp.write_text(json.dumps(data, sort_keys=True, indent=1), encoding="utf-8")
            os.replace(tmp, self.file)
        except OSError:
            pass
