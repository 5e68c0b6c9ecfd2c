"""Files beside the site: cache files written whole or not at all, and the fingerprint of a
written site (by which a build notices a site changed behind its back)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path


def write_quietly(f: Path, data: str | bytes | list[bytes]) -> None:
    """Write a cache file atomically (aside, then renamed); a cache that cannot be written
    only makes the next build slower, so a failure is not an error.  A list is written
    piece by piece."""
    try:
        f.parent.mkdir(parents=True, exist_ok=True)
        tmp = f.with_name(f"{f.name}.tmp{os.getpid()}")
        with open(tmp, "wb") as out:
            for piece in data if isinstance(data, list) else [data]:
                out.write(piece.encode("utf-8") if isinstance(piece, str) else piece)
        os.replace(tmp, f)
    except OSError:
        try:
            tmp.unlink(missing_ok=True)
        except (OSError, NameError):
            pass


def tree_fingerprint(out: Path) -> str | None:
    """A digest of the files of a written site (path, size, mtime, inode): a build compares it
    with the one it recorded to notice a site changed behind its back.  (Paths cut from the
    entries' own, not ``os.path.relpath``: that was half the time of a walk over 10,000 files.)"""
    out = Path(out)
    if not out.is_dir():
        return None
    h = hashlib.sha256()
    root = str(out)
    cut = len(os.path.join(root, ""))
    stack = [root]
    rows = []
    while stack:
        d = stack.pop()
        try:
            with os.scandir(d) as it:
                for e in it:
                    if e.is_dir(follow_symlinks=False):
                        stack.append(e.path)
                    else:
                        st = e.stat(follow_symlinks=False)
                        rows.append(f"{e.path[cut:]}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}")
        except OSError:
            return None
    rows.sort()
    for row in rows:
        h.update(row.encode("utf-8", "surrogateescape") + b"\n")
    return h.hexdigest()
