"""Read a source file into a ``TextDocument``: the reader is chosen by content and extension.

``.txt`` / ``.md`` go through ``decode`` + ``clean``; ``.pdf`` through ``pdfread``.  Both
return the same model, so parsers never know where the text came from.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import re
import stat
from pathlib import Path

from .clean import drop_furniture, normalize_chars, strip_markdown
from ..errors import SourceError
from ..schema import warning
from .model import Line, Source, TextDocument
from .pdf import read_pdf

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
PDF_SUFFIXES = {".pdf"}
SOURCE_SUFFIXES = TEXT_SUFFIXES | PDF_SUFFIXES
MAX_BYTES = 20 * 1024 * 1024  # a working-group document is < 5 MB; refuse what is not one


def is_source(path: Path) -> bool:
    return path.suffix.lower() in SOURCE_SUFFIXES and not path.name.startswith(".")


def display_name(path: Path, root: Path | None = None) -> str:
    """The name a record uses for its file: relative to the current directory when possible."""
    path = Path(path)
    for base in ([root.parent] if root else []) + [Path.cwd()]:
        try:
            return path.resolve().relative_to(base.resolve()).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def read_limited(path: Path, limit: int) -> bytes | None:
    """The bytes of a regular file of at most ``limit`` bytes; None when it is larger or not a
    regular file (a FIFO would block for ever).  Never reads more than ``limit + 1`` bytes."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        chunks, total = [], 0
        while True:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                return None
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_source(path: Path, name: str | None = None) -> TextDocument:
    """Read one source; raise ``SourceError`` (naming the file) when it cannot be read."""
    path = Path(path)
    name = name or display_name(path)
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):
            raise SourceError(name, "not a regular file (a pipe, device or folder)",
                              hint="give the document itself")
        if st.st_size > MAX_BYTES:
            raise SourceError(name, f"file is {st.st_size // (1024 * 1024)} MB, larger than the "
                              f"{MAX_BYTES // (1024 * 1024)} MB a document may be",
                              hint="split it or check that it is really a working-group document")
        data = read_limited(path, MAX_BYTES)
        if data is None:
            raise SourceError(name, f"file grew past the {MAX_BYTES // (1024 * 1024)} MB a "
                              f"document may be while it was read")
    except OSError as exc:
        raise SourceError(name, f"cannot read file: {exc.strerror or exc}") from None
    if not data.strip():
        raise SourceError(name, "file is empty", hint="remove it or replace it with the document")
    sha = hashlib.sha256(data).hexdigest()
    suffix = path.suffix.lower()
    warnings: list[dict] = []
    if data.startswith(b"%PDF-"):
        if suffix not in PDF_SUFFIXES:
            warnings.append(warning(f"file is a PDF although named {suffix or 'without extension'};"
                                    " read as PDF (rename it to .pdf)", name))
        doc = read_pdf(data, name, sha)
    else:
        try:
            doc = read_text(data, name, sha)
        except SourceError:
            if suffix in PDF_SUFFIXES:
                raise SourceError(name, "file is named .pdf but is not a PDF (no %PDF- header) "
                                  "and not text either",
                                  hint="download the document again") from None
            raise
        if suffix in PDF_SUFFIXES:
            warnings.append(warning("file is named .pdf but holds text; read as text "
                                    "(rename it to .txt)", name))
    doc.warnings[:0] = warnings
    return doc


_BOMS = [(codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
         (codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"),
         (codecs.BOM_UTF16_BE, "utf-16-be")]
_ODD_RE = re.compile("[\ue000-\uf8ff\ufffd\x80-\x9f]")


def _plausible(text: str) -> bool:
    """Decoded text that looks like a document, not mojibake or binary."""
    if not text:
        return False
    odd = len(_ODD_RE.findall(text)) + text.count("\x00")
    return odd <= max(2, len(text) // 200)


def decode(data: bytes, name: str) -> tuple[str, str | None]:
    """Decode bytes: BOMs first, then UTF-8, UTF-16 without BOM, GB18030.  Returns
    (text, warning or None)."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(enc), None
            except UnicodeDecodeError as exc:
                raise SourceError(name, f"bytes after the {enc} byte-order mark are not valid "
                                  f"{enc} (offset {exc.start})", hint="re-save the file as UTF-8") from None
    try:
        return data.decode("utf-8"), None
    except UnicodeDecodeError:
        pass
    sample = data[:4000]
    if len(sample) >= 4:
        zeros_odd = sample[1::2].count(0) / max(1, len(sample[1::2]))
        zeros_even = sample[0::2].count(0) / max(1, len(sample[0::2]))
        for enc, ratio in (("utf-16-le", zeros_odd), ("utf-16-be", zeros_even)):
            if ratio > 0.2 and len(data) % 2 == 0:
                try:
                    text = data.decode(enc)
                except UnicodeDecodeError:
                    continue
                if _plausible(text):
                    return text, f"no byte-order mark; decoded as {enc.upper()}"
    if b"\x00" not in data:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            text = None
        if text is not None and _plausible(text):
            return text, "decoded as GB18030"
    raise SourceError(name, "cannot decode the text: not UTF-8, UTF-16 or GB18030 "
                      "(or the file is binary)",
                      hint="re-save it as UTF-8, or give a PDF the .pdf extension")


def read_text(data: bytes, name: str, sha: str) -> TextDocument:
    text, note = decode(data, name)
    if "\x00" in text or not _plausible(text):
        raise SourceError(name, "file looks binary, not text",
                          hint="give it the extension of what it really is (e.g. .pdf)")
    warnings = []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines: list[Line] = []
    for number, raw in enumerate(text.split("\n"), 1):
        cleaned, heading = strip_markdown(normalize_chars(raw))
        if "\t" in cleaned:
            cells = [c.strip() for c in cleaned.split("\t")]
            cleaned = "\t".join(cells) if any(cells) else ""
        else:
            cleaned = cleaned.strip()
        lines.append(Line(cleaned, Source(name, None, number), heading=heading))
    lines, _ = drop_furniture(lines)
    doc = TextDocument(file=name, lines=lines, sha256=sha, reader="text", warnings=warnings)
    if note and note != "decoded as GB18030":
        warnings.append(warning(note, name))
    return doc
