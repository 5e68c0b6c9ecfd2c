"""Parse cache: one file per source, keyed by the content hash of source + sidecar +
parser version (Pelican-style).  Corrupted entries are detected and rebuilt.

An entry is three parts, one after the other: a line of JSON (the key and a checksum of the
rest), the record's JSON text on one line (compact JSON has no raw line break), and its YAML
text.  As strings inside one JSON document they had to be escaped and unescaped: reading the
1,000 entries of the benchmark corpus took 0.58 s in the JSON decoder, 0.45 s as three parts.
An entry is read as bytes and checked as the bytes it is (read as text and encoded again to
be checked, the 57 MB of those entries took 0.25 s more)."""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import time
from pathlib import Path

from ._version import PARSER_VERSION
from .corpus import slug
from .text.glyphs import current_backend
from .text.read import MAX_BYTES, read_limited
from .parse.sidecar import MAX_SIDECAR_BYTES
from .records import revive_dates, to_json
from .site.templates import code_digest, files_digest, templates_digest
from .site.files import tree_fingerprint, write_quietly
from .parse.sidecar import sidecar_path


@functools.lru_cache(maxsize=1)
def parser_code_digest() -> str:
    """The code a record depends on (readers, parsers and the shared modules): an entry made
    by other code is never served, even when the parser version was not bumped."""
    root = Path(__file__).resolve().parent
    return files_digest(root, [*root.glob("*.py"), *(root / "text").rglob("*.py"), *(root / "parse").rglob("*.py")])


KEYS_FILE, KEYS_FORMAT = "source-keys.json", "wgindex-source-keys/1"
RACY_NS = 2_000_000_000  # the coarsest clock a file system keeps (FAT: 2 s)


def _read_keys(f: Path) -> dict:
    """The recorded keys (path -> [name, parser, stats, key, when made]); an empty table when
    the file is missing, unreadable or not one (each entry is checked where it is used)."""
    try:
        data = json.loads(f.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    keys = data.get("keys") if isinstance(data, dict) and data.get("format") == KEYS_FORMAT else None
    if not isinstance(keys, dict):
        return {}
    return {p: e for p, e in keys.items() if isinstance(e, list) and len(e) == 5
            and isinstance(e[3], str) and isinstance(e[4], int)}


def _stats_json(seen: tuple) -> list:
    """A source's and its sidecar's stat as the file of keys holds them."""
    return [list(s) if s is not None else None for s in seen]


def _stat(path: Path) -> tuple | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_ino, st.st_dev, st.st_size, st.st_mtime_ns, st.st_ctime_ns


class ParseCache:
    def __init__(self, directory: Path):
        self.dir = Path(directory)
        self.corrupt = 0
        # (path, name, parser) -> (the source's and sidecar's stat, key): a build asks for the
        # keys twice (is anything new? then: what is cached?), and a key reads the whole source.
        # Kept between builds (``save_keys``), as git's index keeps its files' stat: a source
        # whose stat is the one recorded is not read again to learn that it did not change
        self._keys: dict[tuple, tuple] = {}
        self._stored: dict | None = None  # the recorded keys (``_table``)
        self._dirty = False
        self._asked: set[str] = set()
        # the keys sources had before this build made them anew (an edit, other parser code):
        # their entries are removed by ``save_keys`` unless a source still has that key, or
        # the cache would keep every version of every document (10,119 entries, 608 MB, for
        # a 1,000-document corpus rebuilt through a few hundred edits and code changes)
        self._superseded: set[str] = set()

    def _table(self) -> dict:
        """The recorded keys, read when first asked."""
        if self._stored is None:
            self._stored = _read_keys(self.dir / KEYS_FILE)
        return self._stored

    def _recorded(self, memo: tuple, seen: tuple) -> str | None:
        entry = self._table().get(memo[0])
        if entry is None or entry[0] != memo[1] or entry[1] != list(memo[2]):
            return None
        # a source (or sidecar) changed within its clock's grain of the moment its key was made
        # could have changed again unseen (git's "racily clean" entries): its key is made again
        if entry[2] != _stats_json(seen) or max(st[3] for st in seen if st) >= entry[4] - RACY_NS:
            return None
        return entry[3]

    def key(self, path: Path, name: str) -> str | None:
        parser = (PARSER_VERSION, parser_code_digest(), current_backend())
        memo = (str(path), name, parser)
        self._asked.add(memo[0])
        seen = (_stat(path), _stat(sidecar_path(path)))
        known = self._keys.get(memo)
        if known is not None and seen[0] is not None and known[0] == seen:
            return known[1]
        recorded = self._recorded(memo, seen) if seen[0] is not None else None
        if recorded is not None:
            self._keys[memo] = (seen, recorded)
            return recorded
        made = time.time_ns()
        key = self._key(path, name)
        if key is not None and seen == (_stat(path), _stat(sidecar_path(path))):  # not changed while read
            self._keys[memo] = (seen, key)
            old = self._table().get(memo[0])
            if old is not None and old[3] != key:
                self._superseded.add(old[3])
            self._table()[memo[0]] = [name, list(parser), _stats_json(seen), key, made]
            self._dirty = True
        return key

    def save_keys(self) -> None:
        """Keep the keys of the sources this build asked about for the next (written when a
        key was made or one of another source is to be dropped)."""
        if self._stored is not None and (self._dirty or not self._asked.issuperset(self._stored)):
            keys = {p: e for p, e in self._stored.items() if p in self._asked}
            write_quietly(self.dir / KEYS_FILE, json.dumps({"format": KEYS_FORMAT, "keys": keys},
                                                           sort_keys=True, ensure_ascii=False))
            self._dirty = False
        if self._superseded:
            used = {e[3] for e in self._table().values()}  # every key this build has is there
            for key in sorted(self._superseded - used):
                try:
                    self._file(key).unlink()
                except OSError:  # gone already, or not ours to remove: it only takes room
                    pass
            self._superseded.clear()

    def _key(self, path: Path, name: str) -> str | None:
        h = hashlib.sha256()
        h.update(PARSER_VERSION.encode() + b"\0" + parser_code_digest().encode() + b"\0"
                 + current_backend().encode())
        h.update(b"\0" + name.encode("utf-8") + b"\0")
        try:
            data = read_limited(path, MAX_BYTES)
            side = sidecar_path(path)
            sdata = read_limited(side, MAX_SIDECAR_BYTES) if side.exists() else None
        except OSError:
            return None
        if data is None or (side.exists() and sdata is None):
            return None  # too large or not a regular file: the reader reports it, uncached
        h.update(data)
        if sdata is not None:
            h.update(b"\0sidecar\0" + sdata)
        return h.hexdigest()

    def _file(self, key: str) -> Path:
        return self.dir / key[:2] / f"{key}.entry"

    def get(self, path: Path, name: str) -> tuple[dict, tuple[str, str]] | None:
        key = self.key(path, name)
        if key is None:
            return None
        f = self._file(key)
        if not f.exists():
            return None
        try:
            raw = f.read_bytes()
            cut = raw.index(b"\n")
            entry = json.loads(raw[:cut])
            if not isinstance(entry, dict) or entry.get("key") != key:
                raise ValueError("key mismatch")
            # the checksum was made from the parser's output, which the parser checked against
            # the record contract: a damaged entry fails it, so the record is not re-validated
            # field by field on every build (that is for records from elsewhere: ``render``)
            body = memoryview(raw)[cut + 1:]
            if entry.get("check") != hashlib.sha256(body).hexdigest():
                raise ValueError("damaged entry")
            json_text, yaml_text = str(body, "utf-8").split("\n", 1)
            record = json.loads(json_text)
            if not isinstance(record, dict):
                raise ValueError("not a record")
            return revive_dates(record), (yaml_text, json_text)
        except (ValueError, OSError, UnicodeDecodeError, TypeError, AttributeError, KeyError):
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
        yaml_text, json_text = serialized
        if "\n" in json_text:  # not compact JSON: it would not read back as one line
            json_text = to_json(json.loads(json_text))
        body = (json_text + "\n" + yaml_text).encode("utf-8")
        head = to_json({"key": key, "check": hashlib.sha256(body).hexdigest()})
        write_quietly(self._file(key), head.encode("utf-8") + b"\n" + body)


def inputs_digest(keys: list[tuple[str, str | None]], extra: str) -> str:
    """A digest of the sources themselves (their cache keys), templates and options: equal
    digests mean nothing to parse and nothing to render, without loading any record."""
    h = hashlib.sha256(extra.encode("utf-8"))
    h.update(json.dumps(sorted(keys), ensure_ascii=False).encode("utf-8"))
    h.update((templates_digest() + code_digest()).encode())
    return h.hexdigest()


def build_digest(records: list[dict], serialized: dict, extra: str) -> str:
    """A digest of everything a render depends on: the records, the templates, the version
    and options.  Equal digests mean the site would come out byte-identical."""
    h = hashlib.sha256(extra.encode("utf-8"))
    for r in sorted(records, key=lambda r: r["id"]):
        text = serialized.get(r["id"], (None, None))[1] or to_json(r)
        h.update(text.encode("utf-8"))
    h.update((templates_digest() + code_digest()).encode())
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

    def _tree_ok(self, out: Path, entry) -> bool:
        """The output folder is as the last build left it (nothing deleted or rewritten)."""
        return isinstance(entry, dict) and entry.get("tree") is not None \
            and entry.get("tree") == tree_fingerprint(out)

    def unchanged(self, out: Path, digest: str) -> bool:
        entry = self._load().get(str(Path(out).resolve()))
        return isinstance(entry, dict) and entry.get("digest") == digest and self._tree_ok(out, entry)

    def fast(self, out: Path, digest: str) -> dict | None:
        """The summary of the last build of ``out`` if its inputs digest is ``digest`` and the
        folder is as that build left it."""
        data = self._load()
        entry = data.get("inputs:" + str(Path(out).resolve()))
        if isinstance(entry, dict) and entry.get("digest") == digest \
                and self._tree_ok(out, data.get(str(Path(out).resolve()))):
            return entry
        return None

    def intact(self, out: Path) -> bool:
        """True when ``out`` is as the last recorded build left it (its render memo may be used)."""
        return self._tree_ok(out, self._load().get(str(Path(out).resolve())))

    def record_fast(self, out: Path, digest: str, summary: dict) -> None:
        data = self._load()
        data["inputs:" + str(Path(out).resolve())] = {"digest": digest, **summary}
        self._save(data)

    def record_options(self, out: Path, options: dict) -> None:
        """How ``out`` was last built (its sources, base URL …): ``serve --watch`` rebuilds so."""
        data = self._load()
        data["options:" + str(Path(out).resolve())] = options
        self._save(data)

    def options(self, out: Path) -> dict | None:
        entry = self._load().get("options:" + str(Path(out).resolve()))
        return entry if isinstance(entry, dict) else None

    def _memo_file(self, out: Path) -> Path:
        name = hashlib.sha1(str(Path(out).resolve()).encode()).hexdigest()[:16]
        return self.file.parent / "render-memo" / f"{name}.json"

    def search_state(self, out: Path) -> Path:
        """Where the search index of ``out`` is kept between builds (``site.searchindex``)."""
        return self._memo_file(out).with_suffix(".search")

    def memo(self, out: Path) -> dict | None:
        """The render memo of the last build of ``out`` (job id -> digest and paths)."""
        try:
            data = json.loads(self._memo_file(out).read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else None
        except (OSError, ValueError):
            return None

    def record(self, out: Path, digest: str, memo: dict | None = None) -> None:
        if memo is not None:
            write_quietly(self._memo_file(out), json.dumps(memo, sort_keys=True, ensure_ascii=False))
        data = self._load()
        data[str(Path(out).resolve())] = {"digest": digest, "tree": tree_fingerprint(out)}
        self._save(data)

    def _save(self, data: dict) -> None:
        write_quietly(self.file, json.dumps(data, sort_keys=True, indent=1))


class SlugCache:
    """The slugs of topics and states (``corpus.slug.KNOWN``) kept between builds, valid for
    one version of wgindex's code and of pypinyin's files, checked against a digest of their text: a
    build whose labels were all seen before does not import pypinyin (0.3 s of dictionaries)."""

    def __init__(self, directory: Path):
        self.file = Path(directory) / "slugs.json"
        self.seen, self.valid = 0, False

    @staticmethod
    def _version() -> str:
        """wgindex's code and pypinyin's installed files (names, sizes, mtimes: another release
        or a reinstall changes them), found without importing pypinyin or ``importlib.metadata``
        (imported, the metadata was 25-50 ms of every command's start)."""
        spec = importlib.util.find_spec("pypinyin")
        if spec is None:
            return f"{code_digest()} no pypinyin"
        h = hashlib.sha256()
        for folder in spec.submodule_search_locations or []:
            try:
                with os.scandir(folder) as it:
                    files = sorted((e.name, e.stat()) for e in it if e.is_file())
                files = [(name, st.st_size, st.st_mtime_ns) for name, st in files]
            except OSError:
                files = [("unreadable", 0, 0)]
            h.update(repr((folder, files)).encode("utf-8", "surrogateescape"))
        return f"{code_digest()} {h.hexdigest()}"

    @staticmethod
    def _digest(slugs: dict) -> str:
        return hashlib.sha256(json.dumps(slugs, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()

    def load(self) -> None:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            data = None
        if isinstance(data, dict) and data.get("version") == self._version() \
                and isinstance(data.get("slugs"), dict) and data.get("digest") == self._digest(data["slugs"]) \
                and all(isinstance(k, str) and isinstance(v, str) for k, v in data["slugs"].items()):
            for label, known in data["slugs"].items():
                slug.KNOWN.setdefault(label, known)
            self.valid = True
        self.seen = len(slug.KNOWN)

    def save(self) -> None:
        if len(slug.KNOWN) != self.seen or not self.valid:
            slugs = dict(sorted(slug.KNOWN.items()))
            write_quietly(self.file, json.dumps({"version": self._version(), "digest": self._digest(slugs),
                                                 "slugs": slugs}, ensure_ascii=False, indent=0))
