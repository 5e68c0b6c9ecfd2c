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


_STREAM_RE = None


def check_streams(data: bytes) -> None:
    """Raise ``StreamTooLarge`` when a Flate stream of the PDF inflates past ``MAX_STREAM``.

    For backends (PDFium) that inflate without a bound of their own: each stream is inflated
    in chunks that are thrown away, so the check costs time in proportion to the bound and
    constant memory; streams that are not Flate fail zlib's header check at once."""
    import re
    global _STREAM_RE
    if _STREAM_RE is None:
        _STREAM_RE = re.compile(rb"stream\r?\n")
    pos = 0
    while (m := _STREAM_RE.search(data, pos)) is not None:
        start = m.end()
        end = data.find(b"endstream", start)
        if end < 0:
            end = len(data)
        pos = end + 9
        if data[start:start + 1] not in (b"x", b"h", b"H", b"X", b"8", b"("):  # zlib headers
            continue
        d = _zlib.decompressobj()
        total = 0
        chunk = data[start:end]
        try:
            out = d.decompress(chunk, 1 << 20)
            while True:
                total += len(out)
                if total > MAX_STREAM:
                    raise StreamTooLarge(f"a PDF stream inflates to more than {MAX_STREAM // (1024 * 1024)} MB")
                if not d.unconsumed_tail or d.eof:
                    break
                tail = d.unconsumed_tail
                out = d.decompress(tail, 1 << 20)
                if not out and d.unconsumed_tail == tail:
                    break  # no progress: a damaged stream
        except _zlib.error:
            continue
