"""Make fixture PDFs from seed texts with reportlab (CID font STSong-Light, A4).

The PDF looks like a UN document: ~40 characters a line, a running header (job number and
optionally the document symbol), page numbers and a barcode line in the footer, the annex and
index tables drawn as tables whose cells wrap inside their column.  No binary fixture is
committed: tests build these on the fly.
"""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
from wgindex.text.clean import normalize_chars, strip_markdown  # noqa: E402

CJK = "STSong-Light"
LATIN = "Helvetica"
pdfmetrics.registerFont(UnicodeCIDFont(CJK))

W, H = A4
LEFT, RIGHT, TOP, BOTTOM = 57, 57, 75, 70
BODY = 12
LEAD = 18
TABLE = 6.5
NOTE = 9
NOTE_LEAD = 12


def _font(ch: str) -> str:
    # Latin-1 letters that GB1 lacks (é, ¹ …) come from Helvetica
    return LATIN if 0x80 <= ord(ch) < 0x100 else CJK


def _width(text: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(c, _font(c), size) for c in text)


def _draw(c: canvas.Canvas, x: float, y: float, text: str, size: float) -> None:
    run, font = "", None
    for ch in text:
        f = _font(ch)
        if f != font and run:
            c.setFont(font, size)
            c.drawString(x, y, run)
            x += _width(run, size)
            run = ""
        font = f
        run += ch
    if run:
        c.setFont(font, size)
        c.drawString(x, y, run)


def _units(text: str) -> list[str]:
    """Unbreakable units: a CJK character, a Latin word; a space next to CJK glues its
    neighbours (a break there would lose the space when the lines are joined again)."""
    raw = re.findall(r"[A-Za-z0-9À-ÿ.,:;/()\-'’%&*+=\[\]_]+| |.", text)
    units: list[str] = []
    i = 0
    while i < len(raw):
        u = raw[i]
        if u == " " and units and i + 1 < len(raw):
            prev, nxt = units[-1], raw[i + 1]
            if not (prev[-1].isascii() and prev[-1].isalnum() and nxt[0].isascii() and nxt[0].isalnum()):
                units[-1] = prev + " " + nxt
                i += 2
                continue
        units.append(u)
        i += 1
    return units


def wrap(text: str, width: float, size: float) -> list[str]:
    lines, cur = [], ""
    for u in _units(text):
        if cur and _width(cur + u, size) > width:
            lines.append(cur.rstrip())
            cur = "" if u == " " else u
        else:
            cur += u
    if cur.strip():
        lines.append(cur.rstrip())
    return lines or [""]


def _cell_lines(cell: str, width: float) -> list[str]:
    out = []
    for piece in cell.split(" "):
        if not piece:
            continue
        if _width(piece, TABLE) <= width:
            out.append(piece)
            continue
        cur = ""
        for ch in piece:  # break long list cells after 、 or anywhere in CJK labels
            if cur and _width(cur + ch, TABLE) > width:
                cut = max(cur.rfind("、"), cur.rfind("，"))
                if 0 < cut < len(cur) - 1:
                    out.append(cur[:cut + 1])
                    cur = cur[cut + 1:]
                else:
                    out.append(cur)
                    cur = ""
            cur += ch
        out.append(cur)
    return out or [""]


class _Writer:
    def __init__(self, header: str, symbol: str | None, masthead: str | None,
                 chars: int | None = None):
        # the text block: ``chars`` CJK characters a line (default: the page width, ~40)
        self.width = chars * BODY if chars else W - LEFT - RIGHT
        self.buf = io.BytesIO()
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1)
        self.page = 0
        self.notes: list[str] = []
        self.notes_h = 0
        self.header, self.symbol, self.masthead = header, symbol, masthead
        self._new_page()

    def _flush_notes(self):
        """Footnotes at the foot of the page, smaller, under a short rule (as UN PDFs do)."""
        if not self.notes:
            return
        y = BOTTOM + self.notes_h - 4
        self.c.setLineWidth(0.5)
        self.c.line(LEFT, y + 2, LEFT + 120, y + 2)
        y -= NOTE_LEAD
        for line in self.notes:
            _draw(self.c, LEFT, y, line, NOTE)
            y -= NOTE_LEAD
        self.notes, self.notes_h = [], 0

    def _new_page(self):
        if self.page:
            self._flush_notes()
            self.c.showPage()
        self.page += 1
        _draw(self.c, LEFT, H - 40, self.header, 8)
        if self.symbol and (self.page > 1 or not self.masthead):
            _draw(self.c, W - RIGHT - _width(self.symbol, 8), H - 40, self.symbol, 8)
        if self.page == 1 and self.masthead:
            _draw(self.c, W - RIGHT - _width(self.masthead, 14), H - 60, self.masthead, 14)
        _draw(self.c, W / 2, 35, str(self.page), 8)
        _draw(self.c, LEFT, 22, "*" + re.sub(r"\D", "", self.header)[:7] + "*", 8)
        self.y = H - TOP - (20 if self.page == 1 and self.masthead else 0)

    def page_break(self):
        self._new_page()

    def need(self, height: float):
        if self.y - height < BOTTOM + self.notes_h:
            self._new_page()

    def footnote(self, line: str):
        wrapped = wrap(line, self.width, NOTE)
        h = len(wrapped) * NOTE_LEAD + (0 if self.notes else 8)
        if self.y - LEAD < BOTTOM + self.notes_h + h:
            self._new_page()
        self.notes.extend(wrapped)
        self.notes_h += h

    def text(self, line: str):
        if re.match(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})\s", line):
            self.footnote(line)
            return
        for piece in wrap(line, self.width, BODY):
            self.need(LEAD)
            _draw(self.c, LEFT, self.y, piece, BODY)
            self.y -= LEAD

    def gap(self):
        self.y -= LEAD * 0.9

    def row(self, cells: list[str], fractions: list[float]):
        width = self.width
        xs, x = [], LEFT
        for f in fractions:
            xs.append(x)
            x += f * width
        cols = [_cell_lines(c, f * width - 8) if c else [] for c, f in zip(cells, fractions)]
        n = max([len(c) for c in cols] + [1])
        lead = TABLE * 1.15
        self.need(n * lead + 6)
        for k in range(n):
            for xcol, lines in zip(xs, cols):
                if k < len(lines):
                    _draw(self.c, xcol, self.y, lines[k], TABLE)
            self.y -= lead
        self.y -= 6  # cell padding between rows

    def save(self) -> bytes:
        self._flush_notes()
        self.c.showPage()
        self.c.save()
        return self.buf.getvalue()


def seed_units(text: str):
    """A seed text as the fixture makers lay it out: ``("table", rows, prev)`` for a run of
    tab-separated lines (cells cleaned), ``("line", text, prev)`` for every other line (blank
    ones included), with the line before it."""
    lines = [strip_markdown(normalize_chars(l))[0] for l in text.replace("\r", "").split("\n")]
    i = 0
    while i < len(lines):
        prev = lines[i - 1] if i else ""
        if "\t" in lines[i]:
            rows = []
            while i < len(lines) and "\t" in lines[i]:
                rows.append([c.strip() for c in lines[i].split("\t")])
                i += 1
            yield "table", rows, prev
            continue
        yield "line", lines[i].strip(), prev
        i += 1


def text_to_pdf(text: str, *, header: str = "V.22-01234 (C)", symbol: str | None = None,
                masthead: str | None = None, chars: int | None = None) -> bytes:
    """Lay out a seed text as a UN-style PDF and return its bytes (``chars`` a line)."""
    w = _Writer(header, symbol, masthead, chars)
    for kind, value, prev in seed_units(text):
        if kind == "table":
            ncols = max(len(r) for r in value)
            fractions = {3: [0.26, 0.12, 0.62], 4: [0.3, 0.24, 0.2, 0.26]}.get(ncols, [1 / ncols] * ncols)
            for r in value:
                w.row(r + [""] * (ncols - len(r)), fractions)
        elif value:
            w.text(value)
        elif len(prev) > 50 and not re.search(r"[。；：！？）)”]$", prev.strip()):
            w.page_break()  # a blank inside a sentence is where the dump's page broke
        else:
            w.gap()
    return w.save()


def seed_pdf(path: Path, out: Path, **kw) -> Path:
    out.write_bytes(text_to_pdf(path.read_text(encoding="utf-8-sig"), **kw))
    return out


if __name__ == "__main__":  # python tests/pdfmake.py seeds/*.txt -o seeds-as-pdf/
    import argparse
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("files", nargs="+")
    ap.add_argument("-o", "--out", default="seeds-as-pdf")
    args = ap.parse_args()
    Path(args.out).mkdir(exist_ok=True)
    for f in args.files:
        p = Path(f)
        print(seed_pdf(p, Path(args.out) / (p.stem + ".pdf")))
