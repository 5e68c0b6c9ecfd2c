"""Glyph sources: every character a PDF draws, with its position, advance and size.

Two backends give the same glyphs, so the geometry layer (``pdfread``) never knows which
one read the file:

* ``pdfium`` (pypdfium2, the default): PDFium's text page, ~10× faster than pdfminer.six
  on real UN PDFs;
* ``pdfminer`` (pdfminer.six without layout analysis): the design's named dependency.

A glyph is ``(text, x, advance, baseline, size)`` in PDF points, origin bottom left.  A printed
space is kept as a glyph ``" "``: it only marks a word break between its neighbours (what a
backend inferred on its own is left out, so both backends mark the same breaks); the
geometry layer also breaks words at gaps, so a PDF that positions words without printing
spaces reads like one that prints them.  Line breaks
and glyphs on a rotated baseline (margin notes, vertical barcodes) are left out; slanted
ones (an oblique face made by shearing the upright one) are text like any other.
"""

from __future__ import annotations

import io
import unicodedata
from dataclasses import dataclass

from . import pdfguard
from ..errors import SourceError


@dataclass(slots=True)
class Glyph:
    text: str
    x: float        # origin (left end of the advance)
    w: float        # advance width
    y: float        # baseline
    size: float     # font size (points, scaled by the text matrix)


@dataclass
class GlyphPage:
    number: int
    width: float
    height: float
    glyphs: list[Glyph]


def _keep(ch: str) -> bool:
    return bool(ch) and (ch == " " or not ch.isspace()) and ch >= " " and ch not in _INVISIBLE


def _space(ch: str) -> str:
    return " " if ch in "\u00a0\u2002\u2003\u2009\u3000\t" else ch


def _shown(u: int) -> str | None:
    """The character a code (below the surrogates' end) stands for, or None if it prints
    nothing we keep."""
    if 0xDC00 <= u <= 0xDFFF:
        return None  # a lone low surrogate
    ch = "-" if u == 2 else _space(chr(u))  # 2: PDFium's code for a line-end hyphen
    return ch if _keep(ch) else None


_INVISIBLE = set("\ufffe\uffff\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff")


def _address_function(fn):
    """``fn`` (a PDFium function returning a pointer) as one returning the address, an int
    that compares cheaply (the binding's pointer objects do not compare by address); None if
    ctypes cannot make it, and the caller asks per glyph instead."""
    import ctypes
    try:
        proto = ctypes.CFUNCTYPE(ctypes.c_void_p, *fn.argtypes)
        return proto(ctypes.cast(fn, ctypes.c_void_p).value)
    except Exception:  # an unusual build of the binding
        return None


def pdfium_pages(data: bytes, name: str) -> list[GlyphPage]:
    import ctypes

    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        pdfguard.check_streams(data)
    except pdfguard.StreamTooLarge as exc:
        raise SourceError(name, f"PDF is not a plausible document: {exc}",
                          hint="check the file; a working-group document is a few MB") from None
    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        text = str(exc).lower()
        if "password" in text:
            raise SourceError(name, "PDF is encrypted with a password",
                              hint="save an unencrypted copy (e.g. qpdf --decrypt) and add that") from None
        raise SourceError(name, f"PDF is damaged or truncated ({exc})",
                          hint="download the document again") from None
    pages: list[GlyphPage] = []
    # bound once: each call is ~0.5 µs, the attribute lookups as much again
    get_unicode, is_generated, get_matrix = raw.FPDFText_GetUnicode, raw.FPDFText_IsGenerated, raw.FPDFText_GetMatrix
    get_origin, get_box, get_size = raw.FPDFText_GetCharOrigin, raw.FPDFText_GetLooseCharBox, raw.FPDFText_GetFontSize
    shown: dict[int, str | None | bool] = {}
    text_object = _address_function(raw.FPDFText_GetTextObject)
    ox, oy = ctypes.c_double(), ctypes.c_double()
    rect = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    try:
        for number in range(1, len(pdf) + 1):
            page = pdf[number - 1]
            width, height = page.get_size()
            tp = page.get_textpage()
            t = tp.raw
            n = raw.FPDFText_CountChars(t)
            codes = (ctypes.c_ushort * (n + 1))()
            raw.FPDFText_GetText(t, 0, n, codes)  # every character's code in one call
            glyphs: list[Glyph] = []
            last_obj, rotated, size = None, False, 0.0
            for i in range(n):
                u = codes[i]
                if u == 0xFFFE:  # where PDFium marked a hyphen it took for a line-end break
                    u = get_unicode(t, i)
                if u <= 0x20 or u == 0x3000 or u == 0xA0:  # PDFium's own guesses are spaces
                    if is_generated(t, i) == 1:         # and line ends: not printed
                        continue
                if 0xD800 <= u <= 0xDBFF and i + 1 < n:  # a surrogate pair: one character
                    ch = chr(0x10000 + ((u - 0xD800) << 10) + (codes[i + 1] - 0xDC00))
                    if not _keep(ch):
                        continue
                else:
                    ch = shown.get(u, False)
                    if ch is False:
                        ch = shown[u] = _shown(u)
                    if ch is None:
                        continue
                obj = text_object(t, i) if text_object else None
                if obj is None or obj != last_obj:
                    # size and matrix belong to the text object: asked once per object (measured
                    # on the 32 real PDFs: never different between two glyphs of one object)
                    last_obj = obj
                    if get_matrix(t, i, matrix):  # the size the reader sees; rotated glyphs out
                        # a rotated baseline is left out; a slanted glyph (oblique type) stays
                        rotated = abs(matrix.b) > 0.01 * abs(matrix.a) or matrix.a <= 0
                        size = get_size(t, i) * (abs(matrix.d) or 1.0)
                    else:
                        rotated = abs(raw.FPDFText_GetCharAngle(t, i)) > 0.01
                        size = get_size(t, i)
                if rotated:
                    continue
                get_origin(t, i, ox, oy)
                get_box(t, i, rect)
                glyphs.append(Glyph(ch, ox.value, max(0.0, rect.right - rect.left), oy.value, size))
            # the page box: glyphs outside it are not shown
            glyphs = [g for g in glyphs if -1 <= g.x <= width + 1 and -1 <= g.y <= height + 1]
            pages.append(GlyphPage(number, width, height, glyphs))
            tp.close()
            page.close()
    finally:
        pdf.close()
    return pages


def pdfminer_pages(data: bytes, name: str) -> list[GlyphPage]:
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.layout import LTChar
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psexceptions import PSException

    pdfguard.install()
    pages: list[GlyphPage] = []
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser)
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            interpreter.process_page(page)
            layout = device.get_result()
            box = page.cropbox or page.mediabox or (0, 0, 595, 842)
            width, height = box[2] - box[0], box[3] - box[1]
            glyphs: list[Glyph] = []
            stack = [iter(layout)]
            while stack:
                obj = next(stack[-1], None)
                if obj is None:
                    stack.pop()
                    continue
                if isinstance(obj, LTChar):
                    text = obj.get_text()
                    a, b, c, d, e, f = obj.matrix
                    if not text or len(text) > 4 or abs(b) > 1e-3 or a <= 0:
                        continue  # a rotated baseline; a slanted glyph (oblique type) stays
                    # the advance in page space (adv is in text space, scaled by the matrix);
                    # a ligature is one glyph of several letters
                    step = max(0.0, obj.adv * a) / len(text)
                    if len(text) > 1 and unicodedata.bidirectional(text[0]) in ("R", "AL"):
                        text = text[::-1]  # a right-to-left ligature: letters in visual order
                    for k, ch in enumerate(text):
                        ch = _space(ch)
                        if _keep(ch):
                            glyphs.append(Glyph(ch, e - box[0] + k * step, step, f - box[1], obj.size))
                elif hasattr(obj, "__iter__"):
                    stack.append(iter(obj))
            glyphs = [g for g in glyphs if -1 <= g.x <= width + 1 and -1 <= g.y <= height + 1]
            pages.append(GlyphPage(number, width, height, glyphs))
    except PDFPasswordIncorrect:
        raise SourceError(name, "PDF is encrypted with a password",
                          hint="save an unencrypted copy (e.g. qpdf --decrypt) and add that") from None
    except PDFEncryptionError as exc:
        raise SourceError(name, f"PDF uses an encryption pdfminer cannot open ({exc})",
                          hint="save an unencrypted copy and add that") from None
    except (PDFSyntaxError, PSException) as exc:
        raise SourceError(name, f"PDF is damaged or truncated ({type(exc).__name__})",
                          hint="download the document again") from None
    except pdfguard.StreamTooLarge as exc:
        raise SourceError(name, f"PDF is not a plausible document: {exc}",
                          hint="check the file; a working-group document is a few MB") from None
    return pages


BACKENDS = {"pdfium": pdfium_pages, "pdfminer": pdfminer_pages}
DEFAULT_BACKEND = "pdfium"
ENV = "WGINDEX_PDF_BACKEND"  # how the CLI's choice reaches the parser processes


def current_backend() -> str:
    import os
    return os.environ.get(ENV) or DEFAULT_BACKEND
