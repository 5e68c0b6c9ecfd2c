"""Write the site: collect files in memory, then write them aside and swap atomically."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


class SiteWriter:
    """Collects output files in memory; refuses two writes to one path (Pelican's rule)."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def add(self, path: str, content: str | bytes) -> None:
        if path in self.files:
            raise ValueError(f"two pages would be written to {path}")
        norm = os.path.normpath(path)
        if norm.startswith("..") or os.path.isabs(norm) or "\\" in path:
            raise ValueError(f"refusing to write outside the site: {path!r}")
        self.files[path] = content.encode("utf-8") if isinstance(content, str) else content  # bytes or REUSE


class Reuse:
    """Marks an output file to be taken unchanged from the previous site (render memo)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REUSE"


REUSE = Reuse()


def _link_or_copy(src: Path, dst: Path) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def write_site(files: dict[str, bytes], out: Path) -> dict:
    """Write ``files`` into ``out`` atomically: build aside, swap.  Files whose bytes did not
    change are hard links to the previous site's files (so their mtimes stay put and nothing
    is rewritten); ``REUSE`` entries are taken from the previous site without comparing.
    Returns counts of written / unchanged files."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.build-", dir=out.parent))
    stats = {"written": 0, "unchanged": 0}
    try:
        root = tmp.resolve()
        made: set[Path] = set()
        for rel_path in sorted(files):
            data = files[rel_path]
            target = tmp / rel_path
            norm = os.path.normpath(rel_path)
            if norm.startswith("..") or os.path.isabs(norm) or "\\" in rel_path \
                    or root not in (root / norm).resolve().parents:
                raise ValueError(f"refusing to write outside the site: {rel_path!r}")
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            old = out / rel_path
            if data is REUSE:
                _link_or_copy(old, target)
                stats["unchanged"] += 1
                continue
            try:
                if old.is_file() and old.stat().st_size == len(data) and old.read_bytes() == data:
                    _link_or_copy(old, target)
                    stats["unchanged"] += 1
                    continue
            except OSError:
                pass
            target.write_bytes(data)
            stats["written"] += 1
        previous = None
        if out.exists():
            previous = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.rename(out, previous)
        os.rename(tmp, out)
        if previous is not None:
            shutil.rmtree(previous, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return stats
