"""Forked workers of the render that cannot leave a build waiting for ever: a worker that
dies (the system out of memory kills it) is an error naming what stopped and what to do."""

from __future__ import annotations

import ctypes
import multiprocessing as mp

from ..errors import WgindexError


class WorkerDied(WgindexError):
    """A forked worker of the render stopped without a result (killed, out of memory)."""

    def __init__(self, what: str, code: int | None = None):
        how = "" if code is None else f"killed by signal {-code}; " if code < 0 else f"exit code {code}; "
        super().__init__(f"a {what} stopped unexpectedly ({how}often the system running out of "
                         f"memory); nothing was published: free memory or build with --jobs 1")


def return_freed_memory() -> None:
    """Large blocks go back to the system when freed.  glibc raises its mmap threshold after
    the first large block is freed, so a worker that makes one big file after another keeps
    the first one's memory for the next: measured at 1,000 documents, the downloads worker's
    peak RSS 537 -> 486 MB with the threshold fixed.  Fixed at 32 MB (the most glibc's own
    rule would raise it to), not at its default 128 KB: there, every array of the search
    index above 128 KB was mapped afresh and faulted in page by page (an edit-one rebuild's
    search worker: 108,000 page faults and 0.24-0.32 s of system time at 128 KB, 33,000 and
    0.13-0.17 s at 32 MB; its peak in a cold build 453 -> 455 MB, the downloads worker's
    371 MB both).  Elsewhere (another C library) nothing happens."""
    try:
        ctypes.CDLL(None).mallopt(-3, 32 * 1024 * 1024)  # M_MMAP_THRESHOLD
    except (OSError, AttributeError, TypeError):
        pass


def _run_and_send(send, fn) -> None:
    return_freed_memory()
    try:
        result = (True, fn())
    except BaseException as exc:  # noqa: BLE001 - the build raises it, in its own process
        result = (False, exc)
    try:
        send.send(result)
    except Exception as exc:  # noqa: BLE001 - an exception that does not pickle
        send.send((False, RuntimeError(repr(exc))))
    finally:
        send.close()


class Forked:
    """``fn()`` in a forked process, its result sent back through a pipe: a process that dies
    is ``WorkerDied``, never a wait without end (``multiprocessing.Pool`` waits forever)."""

    def __init__(self, fn, what: str):
        ctx = mp.get_context("fork")
        self.what = what
        self.conn, send = ctx.Pipe(duplex=False)
        self.proc = ctx.Process(target=_run_and_send, args=(send, fn), daemon=True)
        self.proc.start()
        send.close()

    def result(self):
        try:
            ok, value = self.conn.recv()
        except EOFError:
            self.proc.join()
            raise WorkerDied(self.what, self.proc.exitcode) from None
        self.proc.join()
        if not ok:
            raise value
        return value

    def stop(self) -> None:
        if self.proc.is_alive():
            self.proc.terminate()
        self.proc.join()
        self.conn.close()
