"""Python's cyclic garbage collector paused while a build makes objects that live as long as it."""

from __future__ import annotations

import contextlib
import gc


@contextlib.contextmanager
def paused():
    """No cyclic collection inside the block.  The block makes objects that live as long as the
    build (the records read back from the cache, the linked corpus); each collection would walk
    all of them again, and none of them is garbage.  Measured at 1,000 documents, each in a
    fresh process: reading the cached records 1.26-1.34 -> 0.94-0.95 s, linking 1.09-1.11 ->
    0.56-0.80 s.  Reference counting still frees what is not in a cycle, and the collector runs
    as before after the block (unless it was off already)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
