"""Write the site: write it aside as it is made (or collect it in memory), then swap atomically
(one exchange where the kernel offers it, Linux ``renameat2``; elsewhere two renames).  Which
folder may be replaced: ``output``."""

from __future__ import annotations

import ctypes
import ctypes.util
import errno
import filecmp
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

from .output import MARKER, MARKER_TEXT, OutputError, prepare_output


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
    # (fresh, or a recycled one cleared of symbolic links), holding no link to lead elsewhere
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


def _new_file(path: str, mode: str = "xb", **kw):
    """A file made afresh.  One already at ``path`` (a recycled folder's, which may be the
    previous site's file too, by a hard link) is removed first, never written into."""
    try:
        return open(path, mode, **kw)
    except FileExistsError:
        _clear(path)
        return open(path, mode, **kw)


def _write_bytes(path: str, data: bytes) -> None:
    with _new_file(path) as f:
        f.write(data)


def _is_folder(path: str) -> bool:
    return os.path.isdir(path) and not os.path.islink(path)


def _clear(path: str) -> None:
    if _is_folder(path):
        shutil.rmtree(path)
    else:
        os.unlink(path)


def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samestat(os.stat(a), os.lstat(b))
    except OSError:
        return False


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except FileExistsError:  # a recycled folder's file: kept if it is the one, else replaced
        if not _same_file(src, dst):
            _clear(dst)
            _link_or_copy(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _inventory(root: str) -> tuple[set[str], list[str]]:
    """The files and folders below ``root`` (paths relative to it); anything else (a symbolic
    link, a device) is removed, so that nothing written below ``root`` can land elsewhere."""
    files, folders = set(), []
    cut = len(os.path.join(root, ""))
    stack = [root]
    while stack:
        with os.scandir(stack.pop()) as it:
            for e in it:
                if e.is_dir(follow_symlinks=False):
                    stack.append(e.path)
                    folders.append(e.path[cut:])
                elif e.is_file(follow_symlinks=False):
                    files.add(e.path[cut:])
                else:
                    os.unlink(e.path)
    return files, folders


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
    As a context manager: a failure removes the folder and leaves the previous site as it was.

    The folder written is, where there is one, the site the last commit replaced
    (``.<name>.spare``): its folders stand and its unchanged files are the live site's (one
    inode), so a build that changes a few pages makes a few files (a fresh folder: ~2,500
    folders and ~7,900 links at 1,000 documents, and ~10,000 unlinks of the site replaced).
    Its files are unlinked, never written into; what this build did not write goes at commit."""

    def __init__(self, out: Path, *, protected: list[Path] = ()):
        self.out = prepare_output(Path(out), protected=protected)
        self.files: dict[str, bool] = {}  # path -> written (False: the previous site's file)
        self._made: set[str] = set()  # folders made (as strings)
        self._remover: threading.Thread | None = None
        self._spare: tuple[set[str], list[str]] | None = None  # a recycled folder's files and folders
        try:
            self.out.parent.mkdir(parents=True, exist_ok=True)
            self.tmp = self._recycled() or Path(tempfile.mkdtemp(prefix=f".{self.out.name}.build-",
                                                                 dir=self.out.parent))
            os.chmod(self.tmp, 0o777 & ~_umask())
            _write_bytes(str(self.tmp / MARKER), MARKER_TEXT)
            self._tmp, self._out = str(self.tmp), str(self.out)
        except OSError as exc:
            if getattr(self, "tmp", None):
                shutil.rmtree(self.tmp, ignore_errors=True)
            raise _output_error(exc, self.out) from None

    def _recycled(self) -> Path | None:
        """The spare folder, claimed by renaming it (of two builds beside each other, one gets
        it), its files listed; None when there is none (or it is not a site of ours)."""
        spare = self.out.with_name(f".{self.out.name}.spare")
        tmp = self.out.with_name(f".{self.out.name}.build-{secrets.token_hex(6)}")
        try:
            if not stat.S_ISDIR(os.lstat(spare).st_mode) or not os.path.isfile(spare / MARKER):
                return None
            os.rename(spare, tmp)
        except OSError:
            return None
        try:
            self._spare = _inventory(str(tmp))
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            return None
        return tmp

    def _folder(self, folder: str) -> None:
        try:
            os.makedirs(folder, exist_ok=True)
        except (FileExistsError, NotADirectoryError):  # a recycled folder's file in the way
            where = self._tmp
            for part in os.path.relpath(folder, self._tmp).split(os.sep):
                where = os.path.join(where, part)
                if os.path.lexists(where) and not _is_folder(where):
                    os.unlink(where)
            os.makedirs(folder, exist_ok=True)

    def _sweep(self) -> None:
        """Remove what the recycled folder held and this build did not write."""
        files, folders = self._spare
        for rel in files:
            if rel not in self.files and rel != MARKER:
                try:
                    os.unlink(os.path.join(self._tmp, rel))
                except OSError:
                    pass
        needed = set()
        for rel in self.files:
            rel = os.path.dirname(rel)
            while rel and rel not in needed:
                needed.add(rel)
                rel = os.path.dirname(rel)
        for rel in sorted(folders, reverse=True):  # a folder's own folders first
            if rel not in needed:
                shutil.rmtree(os.path.join(self._tmp, rel), ignore_errors=True)

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
            self._folder(folder)
            self._made.add(folder)
        old = os.path.join(self._out, rel_path)
        if data is REUSE:
            _link_or_copy(old, target)
            return False
        if isinstance(data, str):
            data = data.encode("utf-8")
        elif not isinstance(data, bytes):  # pieces: written as they come, then compared on disk
            with _new_file(target, "x", encoding="utf-8", newline="") as f:
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
        The previous site is kept as the spare; where it is removed instead (a spare is there
        already), ``wait=False`` has a thread remove it while the caller goes on (``wait()``
        waits for it: ~10,000 unlinks at 1,000 documents, 0.4-0.6 s in the kernel), and
        ``wait="detach"`` renames it aside (``.<name>.trash-*``) for a process of its own.
        Either way, what an earlier removal left (its process killed) goes with it."""
        written = sum(self.files.values())
        stats = {"written": written, "unchanged": len(self.files) - written}
        out, tmp = self.out, self.tmp
        if self._spare is not None:
            self._sweep()
        if out.exists():
            if _exchange(tmp, out):  # tmp now holds the previous site
                self._keep(tmp, wait)
                return stats
            previous = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.rename(out, previous)
            os.rename(tmp, out)  # a crash here leaves `previous`, which _recover puts back
            self._keep(previous, wait)
        else:
            os.rename(tmp, out)
            self._remove(None, wait)
        return stats

    def _keep(self, previous: Path, wait: bool | str) -> None:
        """Keep the previous site as the next build's folder to write (``.<name>.spare``), or
        remove it where a spare is there already (a build beside this one kept its own)."""
        try:
            os.rename(previous, self.out.with_name(f".{self.out.name}.spare"))
        except OSError:
            self._remove(previous, wait)
        else:
            self._remove(None, wait)

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
