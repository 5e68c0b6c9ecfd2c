"""Read PDFs with pdfminer.six into the same text model as the text reader.

Layout choice: pdfminer's own layout analysis (LAParams) is skipped (``laparams=None``):
it is the slow part of pdfminer and it regroups Chinese lines and table cells in ways that
lose reading order.  Instead the characters of each page are grouped here:

* a *line* is the characters sharing a baseline (within 40% of the font size);
* within a line, a horizontal gap wider than 1.5 em splits *segments* (table cells), a gap
  wider than 0.25 em is a space;
* lines with two or more segments mark a *table region* on the page; inside it, segments are
  assigned to columns (clustered from the segments' left edges) and written tab-separated,
  and lines closer together than 1.3 em are wrapped text of the same row, so their cells are
  joined with a space (as the UN text dumps show them);
* a vertical gap larger than 1.5 times the usual line spacing becomes a blank line;
* footnotes at the foot of a page (smaller font, from the first row starting with a mark)
  are moved after the text, so a paragraph cut by a page break and its footnotes joins up;
* the top and bottom 7% of a page are the running header/footer zone: each of its segments
  becomes a line of its own, so ``clean.drop_furniture`` can drop job numbers, barcodes,
  page numbers and the repeated symbol (keeping the first symbol: the masthead).
"""

from __future__ import annotations

import io
import re
import statistics
from dataclasses import dataclass

from . import pdfguard
from .clean import display_width, drop_furniture, normalize_chars
from .errors import SourceError
from .model import Line, Source, TextDocument

MARGIN = 0.07
SEGMENT_GAP = 1.5   # em
SPACE_GAP = 0.25    # em
ROW_WRAP = 1.3      # em: closer lines inside a table are one row
BASELINE_TOL = 0.4  # em


@dataclass
class _Seg:
    x0: float
    x1: float
    text: str


@dataclass
class _Row:
    y: float
    size: float
    segs: list[_Seg]


def _chars(layout_obj, out: list) -> None:
    from pdfminer.layout import LTChar
    for obj in layout_obj:
        if isinstance(obj, LTChar):
            t = obj.get_text()
            if t and not t.isspace():
                out.append((obj.x0, obj.x1, obj.y0, obj.size or (obj.y1 - obj.y0), t))
            elif t == " ":
                out.append((obj.x0, obj.x1, obj.y0, obj.size or (obj.y1 - obj.y0), " "))
        elif hasattr(obj, "__iter__"):
            _chars(obj, out)


def _rows(chars: list) -> list[_Row]:
    """Group characters into baseline rows (top to bottom), split rows into segments.

    Gaps are measured from left edge to left edge minus at most one em: CID fonts without
    width tables report every glyph as 1 em wide, so right edges cannot be trusted.  Spaces
    come from the space characters the PDF draws.
    """
    chars.sort(key=lambda c: (-c[2], c[0]))
    rows: list[list] = []
    for c in chars:
        size = c[3] or 10
        if rows and abs(rows[-1][0][2] - c[2]) <= BASELINE_TOL * size:
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c[0])
        size = statistics.median(c[3] for c in row) or 10
        segs: list[_Seg] = []
        prev = None
        for x0, x1, _y, _s, t in row:
            if prev is not None:
                advance = min(max(prev[1] - prev[0], 0.0), size)
                gap = x0 - prev[0] - advance
                if gap > SEGMENT_GAP * size:
                    segs.append(_Seg(x0, x1, ""))
            elif t == " ":
                continue
            if not segs:
                segs.append(_Seg(x0, x1, ""))
            if not (t == " " and segs[-1].text.endswith(" ")):
                segs[-1].text += t
            segs[-1].x1 = max(segs[-1].x1, x1)
            prev = (x0, x1)
        segs = [sg for sg in segs if sg.text.strip()]
        for sg in segs:
            sg.text = sg.text.strip()
        if segs:
            out.append(_Row(y=row[0][2], size=size, segs=segs))
    return out


def _columns(rows: list[_Row]) -> list[float]:
    starts = sorted(s.x0 for r in rows if len(r.segs) > 1 for s in r.segs)
    clusters: list[list[float]] = []
    for x in starts:
        if clusters and x - clusters[-1][-1] <= 6:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return [min(c) for c in clusters if len(c) >= 2] or [min(c) for c in clusters]


def _cells(row: _Row, columns: list[float]) -> list[str]:
    cells = [""] * len(columns)
    for s in row.segs:
        idx = max([i for i, c in enumerate(columns) if c <= s.x0 + 3] or [0])
        cells[idx] = (cells[idx] + " " + s.text.strip()).strip()
    return cells


_NOTE_MARK_RE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3}|\d{1,2}(?=\s))\s*(?=\S)")
_TO_SUPER = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _row_text(r: _Row) -> str:
    return " ".join(s.text.strip() for s in r.segs)


def text_size(pages: list[tuple[list[_Row], float]]) -> float:
    """The font size of the document's running text: the size most characters of long
    single-segment lines (prose, not table cells) are set in."""
    weight: dict[float, int] = {}
    for rows, _h in pages:
        for r in rows:
            if len(r.segs) == 1 and len(r.segs[0].text) >= 10:
                weight[round(r.size, 1)] = weight.get(round(r.size, 1), 0) + len(r.segs[0].text)
    if not weight:
        sizes = [r.size for rows, _h in pages for r in rows]
        return statistics.median(sizes) if sizes else 10.0
    return max(weight.items(), key=lambda kv: (kv[1], kv[0]))[0]


def split_footnotes(body: list[_Row], size: float) -> tuple[list[_Row], list[str]]:
    """Footnotes at the foot of a page: the single-segment rows at the bottom set smaller
    than the running text (``size``), from the first one that starts with a footnote mark.
    They are taken out of the flow so a paragraph cut by the page break joins up again;
    their marks become superscripts."""
    if len(body) < 2:
        return body, []
    k = len(body)
    while k > 0 and body[k - 1].size < 0.92 * size and len(body[k - 1].segs) == 1:
        k -= 1
    for i in range(k, len(body)):
        m = _NOTE_MARK_RE.match(_row_text(body[i]))
        if m:
            notes: list[str] = []
            for r in body[i:]:
                text = _row_text(r)
                mm = _NOTE_MARK_RE.match(text)
                if mm and mm.group(1).isdigit():
                    text = mm.group(1).translate(_TO_SUPER) + " " + text[mm.end():]
                if mm or not notes:
                    notes.append(text)
                else:
                    notes[-1] += text  # a footnote's wrapped lines
            return body[:i], notes
    return body, []


def _page_lines(rows: list[_Row], height: float, size: float
                ) -> tuple[list[tuple[str, bool, float]], list[str]]:
    """(text, blank_before, y) for the flow of one page, and the page's footnotes."""
    top, bottom = height * (1 - MARGIN), height * MARGIN
    body = [r for r in rows if bottom <= r.y <= top]
    furniture = [r for r in rows if not (bottom <= r.y <= top)]
    body, notes = split_footnotes(body, size)
    out: list[tuple[str, bool, float]] = []
    for r in furniture:
        if r.y > top:
            out.extend((s.text.strip(), False, r.y) for s in r.segs)
    multi = [i for i, r in enumerate(body) if len(r.segs) > 1]
    t_start, t_end = (multi[0], multi[-1]) if multi else (None, None)
    while t_end is not None and t_end + 1 < len(body) \
            and body[t_end].y - body[t_end + 1].y < ROW_WRAP * body[t_end].size:
        t_end += 1  # wrapped lines of the last row
    columns = _columns(body[t_start:t_end + 1]) if multi else []
    in_table = set(range(t_start, t_end + 1)) if t_start is not None else set()
    gaps = sorted(body[i].y - body[i + 1].y for i in range(len(body) - 1)
                  if i not in in_table and i + 1 not in in_table)
    # the usual line spacing: the low end of the gaps between prose lines (paragraph gaps
    # are larger); with too few prose lines, 1.5 times the font size
    usual = gaps[len(gaps) // 5] if len(gaps) >= 3 else \
        1.6 * statistics.median([r.size for i, r in enumerate(body) if i not in in_table] or [10])
    prev_y = None
    i = 0
    while i < len(body):
        r = body[i]
        blank = prev_y is not None and usual and (prev_y - r.y) > 1.5 * usual * 1.01
        if t_start is not None and t_start <= i <= t_end:
            cells = _cells(r, columns)
            j = i + 1
            while j <= t_end and body[j - 1].y - body[j].y < ROW_WRAP * r.size:
                more = _cells(body[j], columns)
                cells = [(a + " " + b).strip() if b else a for a, b in zip(cells, more)]
                j += 1
            out.append(("\t".join(cells), blank, r.y))
            prev_y = body[j - 1].y
            i = j
            continue
        out.append((" ".join(s.text.strip() for s in r.segs), blank, r.y))
        prev_y = r.y
        i += 1
    for r in furniture:
        if r.y < bottom:
            out.extend((s.text.strip(), False, r.y) for s in r.segs)
    return out, notes


def read_pdf(data: bytes, name: str, sha: str) -> TextDocument:
    """Extract the text of a PDF, page by page, keeping page and line of every line."""
    from pdfminer.converter import PDFPageAggregator
    from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdfparser import PDFParser, PDFSyntaxError
    from pdfminer.psexceptions import PSException

    pdfguard.install()
    lines: list[Line] = []
    footnotes: list[Line] = []
    pages_rows: list[tuple[list[_Row], float]] = []
    pages = 0
    total_chars = 0
    try:
        parser = PDFParser(io.BytesIO(data))
        document = PDFDocument(parser)
        manager = PDFResourceManager(caching=True)
        device = PDFPageAggregator(manager, laparams=None)
        interpreter = PDFPageInterpreter(manager, device)
        for number, page in enumerate(PDFPage.create_pages(document), 1):
            pages = number
            interpreter.process_page(page)
            layout = device.get_result()
            chars: list = []
            _chars(layout, chars)
            total_chars += len(chars)
            height = (page.mediabox[3] - page.mediabox[1]) if page.mediabox else 842
            pages_rows.append((_rows(chars), height))
        size = text_size(pages_rows)
        for number, (rows, height) in enumerate(pages_rows, 1):
            page_lines, notes = _page_lines(rows, height, size)
            for k, text in enumerate(notes, len(page_lines) + 1):
                footnotes.append(Line(normalize_chars(text).strip(), Source(name, number, k)))
            for k, (text, blank, _y) in enumerate(page_lines, 1):
                if blank:
                    lines.append(Line("", Source(name, number, k)))
                line = Line(normalize_chars(text).strip("\t ") if "\t" not in text
                            else normalize_chars(text), Source(name, number, k),
                            page_break_before=(k == 1 and number > 1))
                lines.append(line)
    except PDFPasswordIncorrect:
        raise SourceError(name, "PDF is encrypted with a password",
                          hint="save an unencrypted copy (e.g. qpdf --decrypt) and add that") from None
    except PDFEncryptionError as exc:
        raise SourceError(name, f"PDF uses an encryption pdfminer cannot open ({exc})",
                          hint="save an unencrypted copy and add that") from None
    except (PDFSyntaxError, PSException) as exc:
        raise SourceError(name, f"PDF is damaged or truncated ({type(exc).__name__})",
                          hint="download the document again") from None
    except SourceError:
        raise
    except pdfguard.StreamTooLarge as exc:
        raise SourceError(name, f"PDF is not a plausible document: {exc}",
                          hint="check the file; a working-group document is a few MB") from None
    except Exception as exc:  # pdfminer raises many kinds on broken files
        raise SourceError(name, f"cannot read PDF ({type(exc).__name__}: {exc})",
                          hint="download the document again, or convert it to text") from None
    if pages == 0:
        raise SourceError(name, "PDF has no pages", hint="download the document again")
    if total_chars == 0:
        raise SourceError(name, f"PDF has no text layer ({pages} page(s) of images): OCR is needed",
                          hint="run OCR first (e.g. ocrmypdf -l chi_sim) and add the OCRed PDF")
    for note in footnotes:  # after the text, so paragraphs flow across page breaks
        lines.append(Line("", note.source))
        lines.append(note)
    lines, _ = drop_furniture(lines)
    widths = sorted(display_width(l.text) for l in lines if l.text and "\t" not in l.text)
    wrap = widths[int(len(widths) * 0.95)] if widths else None
    return TextDocument(file=name, lines=lines, sha256=sha, reader="pdf", pages=pages,
                        wrap_width=wrap)
