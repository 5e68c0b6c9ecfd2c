"""The output folder: which folder a build may replace (nothing wgindex did not write is ever
deleted), and a previous site put back after a swap interrupted between its renames."""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import WgindexError

MARKER = ".wgindex-site"
MARKER_TEXT = (b"This folder was written by wgindex and is replaced whole by every build.\n"
               b"Do not keep anything of your own in it.\n")


class OutputError(WgindexError):
    """An output folder cannot or may not be written."""


def _inside(a: Path, b: Path) -> bool:
    """True when ``a`` is ``b`` or lies below it (both resolved)."""
    return a == b or b in a.parents


def prepare_output(out: Path, *, protected: list[Path] = (), label: str = "output folder") -> Path:
    """Check that ``out`` may be replaced by a build and return the folder to write.

    A symlinked output (``www/current -> releases/site``) is written in place of its target,
    so the link stays.  Raises ``OutputError`` naming the folder and the fix when ``out`` holds
    anything wgindex did not write, or is, contains or sits inside a ``protected`` path (the
    sources, the records folder).
    """
    out = Path(out)
    real = out.resolve()
    if real == Path(real.anchor):
        raise OutputError(f"{out}: refusing to use the root of the file system as the {label}")
    for p in protected:
        rp = Path(p).resolve()
        if _inside(real, rp) or _inside(rp, real):
            how = ("is" if real == rp else "is inside" if _inside(real, rp) else "contains")
            raise OutputError(f"{out}: the {label} {how} {p}, which wgindex reads and must not "
                              f"replace; choose a separate folder")
    _recover(real)
    if real.exists():
        if not real.is_dir():
            raise OutputError(f"{out}: exists and is not a folder; remove it or choose another {label}")
        try:
            entries = [e.name for e in os.scandir(real)]
        except OSError as exc:
            raise OutputError(f"{out}: cannot read the {label}: {exc.strerror}") from None
        if entries and MARKER not in entries:
            raise OutputError(f"{out}: folder is not empty and was not written by wgindex (no "
                              f"{MARKER} marker); wgindex replaces its {label} whole, so choose "
                              f"a new or empty folder, or delete this one yourself")
    return real


def _recover(out: Path) -> None:
    """Put back a previous site set aside by a swap that was interrupted between its renames."""
    if out.exists() or not out.parent.is_dir():
        return
    aside = sorted(out.parent.glob(f".{out.name}.old-*"), key=lambda p: p.stat().st_mtime)
    if aside and (aside[-1] / MARKER).exists():
        os.rename(aside[-1], out)
