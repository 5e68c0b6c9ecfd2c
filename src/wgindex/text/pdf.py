"""Read PDFs into the same text model as the text reader: one geometry layer over a glyph
source (``glyphs``: PDFium by default, pdfminer.six selectable, the same glyphs either way).

Everything is read from the page's geometry, typography and repetition, never from one
generator's habits:

* a *row* is the glyphs sharing a baseline (within 40% of the font size); words break at a
  printed or inferred space or a gap wider than 0.1 em (never between two CJK characters);
  a gap wider than 1.5 em splits the row into *segments*;
* a row whose first segment is a list label (``1.``, ``IV.``, ``A.``, ``(a)``) followed by
  one more segment is a hanging paragraph number before a tab stop: one line, label first;
* *page furniture* — running headers and footers — is found in the top and bottom margin
  bands by repetition across pages (digits aside: page numbers change) and by the shapes
  every UN document uses there (job numbers with typist codes and date stamps, barcodes,
  page numbers, the symbol, "Please recycle"); it never reaches a paragraph or heading;
* the *masthead* of the first page (symbol corner, Distr./date/languages column, body name)
  is written one segment a line, a symbol wrapped at a ``/`` joined again;
* *footnotes* are the rows at the foot of a page set smaller than the running text, from the
  first one that starts with a mark; they are moved after the text, so a paragraph cut by a
  page break joins up;
* *tables* are runs of multi-segment rows: columns from the segments' left edges, wrapped
  cell lines (rows closer than 1.3 em) joined, a header row that repeats on a later page
  dropped;
* a vertical gap larger than 1.35 times the usual line spacing is a blank line.
"""

from __future__ import annotations

import re
import statistics

from .clean import FURNITURE_RES as _FURNITURE_RES, JOB_RES as _JOB_RES
from .clean import TO_SUPERSCRIPT, display_width, drop_furniture, normalize_chars
from ..errors import SourceError
from .glyphs import BACKENDS, GlyphPage, current_backend
from .pdfrows import LABEL_RE, Row, is_cjk, join_hanging, read_rows
from .pdftables import TableReader, find_tables, join_row, with_run_on_rows
from .model import Line, Source, TextDocument
from ..symbols import UN_SYMBOL_RE

WIDE_BAND = 0.12     # job lines and barcodes are furniture anywhere in this band
BAND_MIN = 80.0      # points: the band is never narrower than the margins of a portrait page
BAND = 0.095         # top and bottom share of a page where running headers/footers stand
BLANK = 1.35         # times the usual line spacing
NEAR_TEXT = 1.6      # ems: a margin row this close to the text block is part of it


def is_furniture_text(text: str) -> bool:
    t = text.strip()
    return bool(t) and any(r.match(t) for r in _FURNITURE_RES)


def _distinct(text: str) -> bool:
    """Enough besides its digits to be recognised when it repeats (``GE.25-05795``, a running
    title), unlike a table cell such as ``一.2`` whose shape recurs on every page."""
    return len(re.sub(r"[\d\s.,;:/()\-–]", "", text)) >= 4


def _key(text: str) -> str:
    return re.sub(r"\d+", "#", re.sub(r"\s+", " ", text.strip()))


def _furniture(pages: list[tuple[list[Row], float]]) -> set[tuple[int, int, int]]:
    """(page, row, segment) of every running header/footer segment.

    Candidates stand in the top or bottom band of a page.  A segment is furniture when it has
    the shape of page furniture, or (after the first page, whose top band is the masthead) it
    is the document's symbol or repeats — digits aside — in the same band of other pages."""
    def band(y: float, h: float) -> str | None:
        edge = max(BAND * h, BAND_MIN)  # a landscape page keeps the portrait margins
        return "top" if y >= h - edge else "bottom" if y <= edge else None

    seen: dict[tuple[str, str], set[int]] = {}
    for p, (rows, h) in enumerate(pages):
        for r in rows:
            if (b := band(r.y, h)) and p > 0:
                for s in r.segs:
                    seen.setdefault((b, _key(s.text)), set()).add(p)
    later = len(pages) - 1
    need = max(2, round(0.4 * later))
    out = set()
    for p, (rows, h) in enumerate(pages):
        for i, r in enumerate(rows):
            b = band(r.y, h)
            if b is None:
                if r.y >= (1 - WIDE_BAND) * h or r.y <= WIDE_BAND * h:
                    out.update((p, i, k) for k, s in enumerate(r.segs)
                               if any(x.match(s.text.strip()) for x in _JOB_RES))
                continue
            # the row next to it on the text's side: above a footer row, below a header row
            inner = rows[i - 1] if b == "bottom" and i > 0 else rows[i + 1] if b == "top" and i + 1 < len(rows) else None
            if inner is not None and band(inner.y, h) is None and abs(inner.y - r.y) < NEAR_TEXT * r.size:
                # set as close to the text as its own lines are: a wrapped line of the text (a
                # table cell's "15/6" at the foot of a page), not a page number
                out.update((p, i, k) for k, s in enumerate(r.segs)
                           if any(x.match(s.text.strip()) for x in _JOB_RES))
                continue
            flags = []
            for s in r.segs:
                t = s.text.strip()
                flags.append(is_furniture_text(t) or (p > 0 and bool(
                    UN_SYMBOL_RE.fullmatch(t) or (_distinct(t) and len(seen.get((b, _key(t)), ())) >= need))))
            if all(flags):  # a running header or footer row: every segment is furniture
                out.update((p, i, k) for k in range(len(r.segs)))
            else:  # a row of the text that reaches into the margin: only unmistakable shapes
                out.update((p, i, k) for k, s in enumerate(r.segs)
                           if any(x.match(s.text.strip()) for x in _JOB_RES))
    return out


# --- footnotes ------------------------------------------------------------------------------

_NOTE_MARK_RE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}|\d{1,3}(?=\s))\s*(?=\S)")


def _glue(a: str, b: str) -> str:
    """Join wrapped text: Latin words get a space, CJK and a ``/`` at a line end none."""
    if not a or not b:
        return a + b
    if a.endswith("/") or (is_cjk(a[-1]) and is_cjk(b[0])):
        return a + b
    return a + " " + b


def text_size(pages: list[tuple[list[Row], float]]) -> float:
    """The font size of the running text: the size most characters of long single-segment
    rows (prose, not table cells) are set in."""
    weight: dict[float, int] = {}
    for rows, _h in pages:
        for r in rows:
            if len(r.segs) == 1 and len(r.segs[0].text) >= 10:
                weight[round(r.size, 1)] = weight.get(round(r.size, 1), 0) + len(r.segs[0].text)
    if not weight:
        sizes = [r.size for rows, _h in pages for r in rows]
        return statistics.median(sizes) if sizes else 10.0
    return max(weight.items(), key=lambda kv: (kv[1], kv[0]))[0]


def line_pitch(pages: list[tuple[list[Row], float]], size: float) -> float:
    """The distance from one baseline of running text to the next, in ems (fonts and line
    spacing differ: 1.15 em in one, 1.4 in another): the common gap between prose rows."""
    gaps = sorted(a.y - b.y for rows, _h in pages for a, b in zip(rows, rows[1:])
                  if len(a.segs) == 1 and len(b.segs) == 1 and abs(a.size - size) <= 0.6
                  and abs(b.size - size) <= 0.6 and 0.8 * size < a.y - b.y < 3 * size)
    return gaps[len(gaps) // 5] / size if len(gaps) >= 5 else 0.0


def split_footnotes(body: list[Row], size: float) -> tuple[list[Row], list[str]]:
    """Footnotes at the foot of a page: the single-segment rows at the bottom set smaller
    than the running text, from the first one that starts with a footnote mark.  Their
    marks become superscripts."""
    if len(body) < 2:
        return body, []
    k = len(body)
    while k > 0 and body[k - 1].size < 0.95 * size and len(body[k - 1].segs) == 1:
        k -= 1
    for i in range(k, len(body)):
        if _NOTE_MARK_RE.match(body[i].text):
            notes: list[str] = []
            for r in body[i:]:
                text = r.text
                mm = _NOTE_MARK_RE.match(text)
                if mm and mm.group(1).isdigit() and (not notes or r.segs[0].x0 <= body[i].segs[0].x0 + 1):
                    text = mm.group(1).translate(TO_SUPERSCRIPT) + " " + text[mm.end():]
                    notes.append(text)
                elif mm and not mm.group(1).isdigit():
                    notes.append(text)
                elif not notes:
                    notes.append(text)
                else:
                    notes[-1] = _glue(notes[-1], text)  # a footnote's wrapped lines
            return body[:i], notes
    return body, []


# --- the masthead ---------------------------------------------------------------------------

def text_measure(pages: list[tuple[list[Row], float]], size: float) -> float:
    """The width of the text block: what most full lines of running text span (the 90th
    percentile of prose rows' widths; short last lines and headings fall below it)."""
    widths = sorted(r.segs[0].x1 - r.segs[0].x0 for rows, _h in pages for r in rows
                    if len(r.segs) == 1 and abs(r.size - size) <= 0.6 and len(r.segs[0].text) >= 10)
    return widths[int(len(widths) * 0.9)] if widths else 0.0


PROSE_SHARE = 0.75  # of the text block's width: a row this wide is running text


def _masthead_end(rows: list[Row], size: float, measure: float = 0.0) -> int:
    """Index of the row after the masthead on the first page: the masthead ends before the
    first row of running text (one segment in the text's size, spanning most of the text
    block), after its last row of several cells; a page without running text is all
    masthead."""
    end = next((i for i, r in enumerate(rows) if len(r.segs) == 1 and abs(r.size - size) <= 0.6
                and (r.segs[0].x1 - r.segs[0].x0 >= PROSE_SHARE * measure if measure
                     else len(r.segs[0].text) >= 40)), len(rows))
    if end == len(rows):
        return end  # a cover page: no running text under the masthead
    # the masthead's table ends with its last row of several cells; the title under it is
    # read as text
    last = max((i for i in range(end) if len(rows[i].segs) > 1), default=end - 1)
    return min(end, last + 1)


def _masthead_lines(rows: list[Row]) -> list[str]:
    """The masthead one segment a line, in reading order; a symbol wrapped after a ``/`` is
    joined with the segment under it."""
    cells = [(r.y, s) for r in rows for s in r.segs]
    used = set()
    out = []
    for k, (y, s) in enumerate(cells):
        if k in used:
            continue
        text = s.text.strip()
        while k + 1 < len(cells) and k + 1 not in used and cells[k + 1][0] == y \
                and (text.endswith("/") or cells[k + 1][1].text.startswith("/")):
            used.add(k + 1)  # a symbol split by a wide gap: DP  /OPS/2025/3
            text += cells[k + 1][1].text.strip()
            k += 1
        while text.endswith("/"):
            below = next((j for j, (y2, s2) in enumerate(cells) if j > k and j not in used
                          and y2 < y and abs(s2.x0 - s.x0) < 3), None)
            if below is None:
                break
            used.add(below)
            text += cells[below][1].text.strip()
        out.append(text)
    return out


def _page_lines(rows: list[Row], size: float, first: bool, tables: TableReader,
                pitch: float = 0.0, measure: float = 0.0
                ) -> tuple[list[tuple[str, bool, float | None]], list[str]]:
    """(text, blank_before, left edge) for the flow of one page (furniture already removed),
    and the page's footnotes."""
    tables.new_page()
    out: list[tuple[str, bool, float | None]] = []
    body = [join_hanging(r) for r in rows]
    if first:
        end = _masthead_end(body, size, measure)
        if any(len(r.segs) > 1 for r in body[:end]):  # a masthead laid out as a table
            out.extend((t, False, None) for t in _masthead_lines(body[:end]))
            body = body[end:]
    body, notes = split_footnotes(body, size)
    spans = with_run_on_rows(body, find_tables(body, pitch))
    in_table = {k for a, b in spans for k in range(a, b + 1)}
    gaps = sorted(body[i].y - body[i + 1].y for i in range(len(body) - 1)
                  if i not in in_table and i + 1 not in in_table)
    usual = gaps[len(gaps) // 5] if len(gaps) >= 3 else \
        1.6 * statistics.median([r.size for i, r in enumerate(body) if i not in in_table] or [10])
    starts = {a: b for a, b in spans}
    prev_y = None
    i = 0
    while i < len(body):
        r = body[i]
        blank = prev_y is not None and (prev_y - r.y) > BLANK * usual
        if i in starts:
            end = starts[i]
            lines = tables.read(body, i, end, pitch, at_top=not out)
            out.extend((t, blank and k == 0, None) for k, t in enumerate(lines))
            prev_y = body[end].y
            i = end + 1
            continue
        text, first_row = r.text, r
        # a heading set larger than the running text and wrapped: its lines are one line
        while i + 1 < len(body) and i + 1 not in in_table and _heading_continues(r, body[i + 1], size):
            i += 1
            text = _glue(text, body[i].text)
            r = body[i]
        out.append((text, blank, first_row.segs[0].x0))
        prev_y = r.y
        i += 1
    return out, notes


def _margin(starts: list[float]) -> float | None:
    """The page's text margin: the left edge most lines start at (to the point)."""
    if not starts:
        return None
    counts: dict[int, int] = {}
    for x in starts:
        counts[round(x)] = counts.get(round(x), 0) + 1
    best = max(counts.items(), key=lambda kv: (kv[1], -kv[0]))[0]
    return min(x for x in starts if abs(x - best) <= 1)


def _heading_continues(a: Row, b: Row, size: float) -> bool:
    """``b`` is the wrapped next line of the heading ``a``: both single segments in the same
    type, larger than the running text, close below, starting at or a little right of ``a``
    (under the text after a hanging numeral)."""
    return (len(a.segs) == 1 and len(b.segs) == 1 and a.size >= size + 1 and abs(a.size - b.size) < 0.3
            and a.y - b.y < 1.6 * a.size and -2 <= b.segs[0].x0 - a.segs[0].x0 <= 3 * a.size
            and not LABEL_RE.match(b.segs[0].text.split(" ")[0]))


def read_pdf(data: bytes, name: str, sha: str, backend: str | None = None) -> TextDocument:
    """Extract the text of a PDF, page by page, keeping page and line of every line."""
    backend = backend or current_backend()
    if backend not in BACKENDS:
        raise SourceError(name, f"unknown PDF backend {backend!r}",
                          hint=f"choose one of {', '.join(sorted(BACKENDS))}")
    try:
        pages: list[GlyphPage] = BACKENDS[backend](data, name)
    except SourceError:
        raise
    except MemoryError:
        raise
    except Exception as exc:  # the PDF libraries raise many kinds on broken files
        raise SourceError(name, f"cannot read PDF ({type(exc).__name__}: {exc})",
                          hint="download the document again, or convert it to text") from None
    if not pages:
        raise SourceError(name, "PDF has no pages", hint="download the document again")
    if not any(g.text != " " for p in pages for g in p.glyphs):
        raise SourceError(name, f"PDF has no text layer ({len(pages)} page(s) of images): OCR is needed",
                          hint="run OCR first (e.g. ocrmypdf -l chi_sim) and add the OCRed PDF")
    page_rows = [(read_rows(p.glyphs), p.height) for p in pages]
    size = text_size(page_rows)
    pitch = line_pitch(page_rows, size)
    drop = _furniture(page_rows)
    lines: list[Line] = []
    footnotes: list[Line] = []
    tables = TableReader()
    measure = text_measure(page_rows, size)
    for p, (rows, _h) in enumerate(page_rows):
        kept = []
        for i, r in enumerate(rows):
            segs = [s for k, s in enumerate(r.segs) if (p, i, k) not in drop]
            if segs:
                kept.append(Row(r.y, r.size, segs))
        number = p + 1
        page_lines, notes = _page_lines(kept, size, p == 0, tables, pitch, measure)
        if tables.continuation:
            join_row(lines, tables.continuation)
        for k, text in enumerate(notes, len(page_lines) + 1):
            footnotes.append(Line(normalize_chars(text).strip(), Source(name, number, k)))
        margin = _margin([x for _t, _b, x in page_lines if x is not None])
        for k, (text, blank, x0) in enumerate(page_lines, 1):
            if blank:
                lines.append(Line("", Source(name, number, k)))
            lines.append(Line(normalize_chars(text).strip("\t ") if "\t" not in text
                              else normalize_chars(text), Source(name, number, k),
                              page_break_before=(k == 1 and number > 1),
                              indent=None if x0 is None or margin is None
                              else round((x0 - margin) / size, 2)))
    for note in footnotes:  # after the text, so paragraphs flow across page breaks
        lines.append(Line("", note.source))
        lines.append(note)
    lines, _ = drop_furniture(lines)
    widths = sorted(display_width(l.text) for l in lines if l.text and "\t" not in l.text)
    wrap = widths[int(len(widths) * 0.95)] if widths else None
    return TextDocument(file=name, lines=lines, sha256=sha, reader="pdf", pages=len(pages),
                        wrap_width=wrap)
