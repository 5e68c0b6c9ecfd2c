"""Write the site: write it aside as it is made (or collect it in memory), then swap atomically.

Nothing wgindex did not write is ever deleted: an output folder is replaced only when it is
missing, empty or carries the marker file wgindex writes into every site (``.wgindex-site``);
it may not be, contain or sit inside the sources.  The swap is one atomic exchange where the
kernel offers it (Linux ``renameat2``); elsewhere two renames, and a build that finds the
output missing but the previous site set aside puts it back first.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import filecmp
import hashlib
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
from glob import escape as glob_escape
from pathlib import Path

from ..errors import WgindexError

MARKER = ".wgindex-site"
MARKER_TEXT = (b"This folder was written by wgindex and is replaced whole by every build.\n"
               b"Do not keep anything of your own in it.\n")


class OutputError(WgindexError):
    """An output folder cannot or may not be written."""


class SiteWriter:
    """Collects output files in memory; refuses two writes to one path (Pelican's rule).

    ``put`` is what a render worker does with a page (here: encode it) and ``claim`` what the
    build does with the result; ``add`` is both.  ``Staging`` writes to disk the same way."""

    def __init__(self):
        self.files: dict[str, bytes] = {}

    def put(self, path: str, content) -> bytes:
        """``content``: str, bytes, ``REUSE``, or an iterable of str pieces (a large file made
        piece by piece, which ``Staging`` writes as the pieces come)."""
        _check_path(path)
        if isinstance(content, str):
            return content.encode("utf-8")
        if isinstance(content, bytes) or content is REUSE:
            return content
        return "".join(content).encode("utf-8")

    def claim(self, path: str, value) -> None:
        self._new(path)
        self.files[path] = value

    def add(self, path: str, content: str | bytes) -> None:
        self._new(path)  # before ``put``: a second file never replaces the first on disk
        self.files[path] = self.put(path, content)

    def _new(self, path: str) -> None:
        if path in self.files:
            raise OutputError(f"two pages would be written to {path}")


def _check_path(path: str) -> None:
    norm = os.path.normpath(path)
    # a normalised relative path that does not climb stays inside: the build folder is our own
    # fresh folder, holding no symbolic link to lead elsewhere
    if norm.startswith("..") or os.path.isabs(norm) or "\\" in path or norm in (".", ""):
        raise OutputError(f"refusing to write outside the site: {path!r}")


class Reuse:
    """Marks an output file to be taken unchanged from the previous site (render memo)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "REUSE"

    def __reduce__(self) -> str:
        return "REUSE"  # the one instance, also when a render worker sends it back


REUSE = Reuse()


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


_libc = None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2 RENAME_EXCHANGE); False if unsupported."""
    global _libc
    if not hasattr(os, "uname") or os.uname().sysname != "Linux":
        return False
    if _libc is None:
        _libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
    fn = getattr(_libc, "renameat2", None)
    if fn is None:
        return False
    at_fdcwd, rename_exchange = -100, 2
    if fn(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _write_bytes(path: str, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _output_error(exc: OSError, where: Path) -> OutputError:
    return OutputError(f"{exc.filename or where}: cannot write the site: {exc.strerror or exc} (check "
                       f"free space and permissions; the previous site, if any, is unchanged)")


class Staging(SiteWriter):
    """A site written as it is made, into a folder beside the output, and swapped in whole by
    ``commit`` (a ``SiteWriter`` whose ``put`` writes, so a build holds no page in memory).  A file whose
    bytes equal the previous site's is a hard link to it (so its mtime stays put and nothing is
    rewritten); ``REUSE`` takes the previous site's file without comparing.  Forked render
    workers ``put`` their pages themselves; the build ``claim``s each path, which refuses two
    writes to one.  Folders and files get the usual permissions under the umask (0755/0644).
    As a context manager: a failure removes the folder and leaves the previous site as it was."""

    def __init__(self, out: Path, *, protected: list[Path] = ()):
        self.out = prepare_output(Path(out), protected=protected)
        self.files: dict[str, bool] = {}  # path -> written (False: the previous site's file)
        self._made: set[str] = set()  # folders made (as strings)
        self._remover: threading.Thread | None = None
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".{self.out.name}.build-", dir=self.out.parent))
            os.chmod(self.tmp, 0o777 & ~_umask())
            (self.tmp / MARKER).write_bytes(MARKER_TEXT)
            self._tmp, self._out = str(self.tmp), str(self.out)
        except OSError as exc:
            if getattr(self, "tmp", None):
                shutil.rmtree(self.tmp, ignore_errors=True)
            raise _output_error(exc, self.out) from None

    def __enter__(self) -> "Staging":
        return self

    def __exit__(self, kind, exc, tb):
        if exc is not None:
            shutil.rmtree(self.tmp, ignore_errors=True)
            if isinstance(exc, OSError):
                raise _output_error(exc, self.out) from None
        return False

    def put(self, rel_path: str, data) -> bool:
        """Write one file; True when it was written, False when it is the previous site's.
        (Paths as strings: ``pathlib``'s joins were a fifth of the time of 5,000 reused
        downloads.)"""
        _check_path(rel_path)
        target = os.path.join(self._tmp, rel_path)
        folder = os.path.dirname(target)
        if folder not in self._made:
            os.makedirs(folder, exist_ok=True)
            self._made.add(folder)
        old = os.path.join(self._out, rel_path)
        if data is REUSE:
            _link_or_copy(old, target)
            return False
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, bytes):  # pieces: written as they come, then compared on disk
            with open(target, "w", encoding="utf-8", newline="") as f:
                f.writelines(data)
            try:
                if os.path.isfile(old) and filecmp.cmp(old, target, shallow=False):
                    os.unlink(target)
                    _link_or_copy(old, target)
                    return False
            except OSError:
                pass
            return True
        try:
            st = os.stat(old)
            if stat.S_ISREG(st.st_mode) and st.st_size == len(data):
                with open(old, "rb") as f:
                    same = f.read() == data
                if same:
                    _link_or_copy(old, target)
                    return False
        except OSError:
            pass
        _write_bytes(target, data)
        return True

    def commit(self, *, wait: bool | str = True) -> dict:
        """Swap the written folder in for the output; counts of written / unchanged files.
        With ``wait=False`` the previous site is removed by a thread while the caller goes on
        (``wait()`` waits for it): unlinking its ~10,000 files and folders took 0.4-0.6 s at
        1,000 documents, in the kernel, so the thread holds the interpreter little.  With
        ``wait="detach"`` it is renamed aside (``.<name>.trash-*``) and removed by a process of
        its own, which outlives the caller: a command returns once the new site is in place.
        Either way, what an earlier removal left (its process killed) goes with it."""
        written = sum(self.files.values())
        stats = {"written": written, "unchanged": len(self.files) - written}
        out, tmp = self.out, self.tmp
        if out.exists():
            if _exchange(tmp, out):  # tmp now holds the previous site
                self._remove(tmp, wait)
                return stats
            previous = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.rename(out, previous)
            os.rename(tmp, out)  # a crash here leaves `previous`, which _recover puts back
            self._remove(previous, wait)
        else:
            os.rename(tmp, out)
            self._remove(None, wait)
        return stats

    def _remove(self, old: Path | None, wait: bool | str) -> None:
        olds = sorted(self.out.parent.glob(f".{glob_escape(self.out.name)}.trash-*"))
        if old is not None:
            if wait == "detach":
                trash = self.out.with_name(f".{self.out.name}.trash-{secrets.token_hex(6)}")
                try:  # renamed first: a process left to remove it is never mistaken for a site
                    os.rename(old, trash)
                    old = trash
                except OSError:
                    wait = False  # not to be left: a thread, which the caller waits for
            olds.append(old)
        if not olds:
            return
        if wait == "detach" and _remove_detached(olds):
            return
        if wait is True:
            _remove_all(olds)
        else:
            self._remover = threading.Thread(target=_remove_all, args=(olds,),
                                             name="wgindex: removing the previous site")
            self._remover.start()

    def wait(self) -> None:
        """Return once the previous site set aside by ``commit(wait=False)`` is removed."""
        remover, self._remover = self._remover, None
        if remover is not None:
            remover.join()


def _remove_all(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


_REMOVER = "import shutil, sys\nfor f in sys.argv[1:]: shutil.rmtree(f, ignore_errors=True)\n"


def _remove_detached(folders: list[Path]) -> bool:
    """Start a process that removes ``folders`` and outlives this one (its own session, no
    terminal, nothing inherited); False where none can be started (no interpreter to run, not
    POSIX, out of processes), and the caller removes them itself."""
    if os.name != "posix" or not sys.executable:
        return False
    try:
        subprocess.Popen([sys.executable, "-I", "-S", "-c", _REMOVER, *map(str, folders)],
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                         close_fds=True, start_new_session=True)
    except OSError:
        return False
    return True


def write_site(files: dict[str, bytes], out: Path, *, protected: list[Path] = ()) -> dict:
    """Write ``files`` into ``out`` atomically (``Staging``).  Returns counts of written /
    unchanged files."""
    with Staging(out, protected=protected) as site:
        for rel_path in sorted(files):
            site.add(rel_path, files[rel_path])
        return site.commit()


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
