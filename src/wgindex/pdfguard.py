"""Bounds on what pdfminer.six may inflate: a 1 MB PDF can hold a stream that deflates to
gigabytes, and pdfminer inflates every stream whole (and mends a bad checksum one byte at a
time, which is quadratic).  ``install()`` gives pdfminer a zlib whose ``decompress`` stops at
``MAX_STREAM`` bytes and a linear ``decompress_corrupted``; a stream over the bound raises
``StreamTooLarge``, which the reader reports as an error naming the file.
"""

from __future__ import annotations

import zlib as _zlib

MAX_STREAM = 128 * 1024 * 1024  # one page's content or font stream: real ones are < 10 MB


class StreamTooLarge(Exception):
    pass


def _inflate(data: bytes, *, lenient: bool) -> bytes:
    d = _zlib.decompressobj()
    try:
        out = d.decompress(data, MAX_STREAM + 1)
    except _zlib.error:
        if not lenient:
            raise
        return b""
    if len(out) > MAX_STREAM or d.unconsumed_tail:
        raise StreamTooLarge(f"a PDF stream inflates to more than {MAX_STREAM // (1024 * 1024)} MB")
    return out


class _BoundedZlib:
    error = _zlib.error
    decompressobj = staticmethod(_zlib.decompressobj)

    @staticmethod
    def decompress(data, *args, **kwargs):
        return _inflate(data, lenient=False)


def _decompress_corrupted(data: bytes) -> bytes:
    """Inflate what can be inflated of a stream with a bad checksum (linear, bounded)."""
    d = _zlib.decompressobj()
    out = bytearray()
    step = 1 << 16
    for i in range(0, len(data), step):
        try:
            out += d.decompress(data[i:i + step], MAX_STREAM + 1 - len(out))
        except _zlib.error:
            break
        if len(out) > MAX_STREAM or d.unconsumed_tail:
            raise StreamTooLarge(f"a PDF stream inflates to more than {MAX_STREAM // (1024 * 1024)} MB")
    return bytes(out)


def install() -> None:
    from pdfminer import pdftypes
    pdftypes.zlib = _BoundedZlib
    pdftypes.decompress_corrupted = _decompress_corrupted
