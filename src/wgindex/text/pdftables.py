"""PDF tables: runs of multi-segment rows, their columns (segment edges and aligned words)
and cells, a cell's wrapped lines joined; a table going on over pages keeps its columns,
drops its repeated header and joins a row the page broke (see ``pdf``)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .clean import normalize_chars
from .layout import join_wrapped
from .model import Line
from .pdfrows import Row, is_cjk

ROW_WRAP = 1.3       # em: closer lines inside a table are one row
WRAP_SLACK = 1.1     # times the line pitch: as close as this is a cell's wrapped line


def wrap_gap(size: float, pitch: float) -> float:
    """Rows closer than this are the wrapped lines of one table row: the text's own line
    pitch, with a little room (separate rows add their cells' padding)."""
    return max(ROW_WRAP, WRAP_SLACK * pitch) * size


def x_clusters(xs: list[float], tol: float) -> list[list[float]]:
    clusters: list[list[float]] = []
    for x in sorted(xs):
        if clusters and x - clusters[-1][-1] <= tol:
            clusters[-1].append(x)
        else:
            clusters.append([x])
    return clusters


def table_columns(rows: list[Row]) -> list[float]:
    """Column starts: where segments of multi-segment rows start, and where words start at
    one x in many rows (a cell set so close to the next that no gap separates them, as a
    symbol filling its column before the paragraph numbers)."""
    clusters = x_clusters([s.x0 for r in rows if len(r.segs) > 1 for s in r.segs], 6)
    columns = [min(c) for c in clusters if len(c) >= 2] or [min(c) for c in clusters]
    multi = sum(1 for r in rows if len(r.segs) > 1)
    words = []  # (x, row) of every word start after the first in a segment
    for k, r in enumerate(rows):
        for s in r.segs:
            if s.xs:
                words.extend((s.xs[i], k) for i in range(1, len(s.text)) if s.text[i - 1] == " ")
    by_x = sorted(words)
    groups: list[list[tuple[float, int]]] = []
    for w in by_x:
        if groups and w[0] - groups[-1][-1][0] <= 1.5:
            groups[-1].append(w)
        else:
            groups.append([w])
    seg_starts = [s.x0 for r in rows for s in r.segs]
    for g in groups:
        if len({k for _x, k in g}) >= max(3, ALIGNED_SHARE * multi):
            x = min(x for x, _k in g)
            # a column, not words that line up after a repeated first word ("上午 10 时"): some
            # row starts a cell there (a wrapped cell line, a header)
            if all(abs(x - c) > 6 for c in columns) and any(abs(x - s0) <= 2 for s0 in seg_starts):
                columns.append(x)
    # A cell run into the next with no gap at all (a symbol broken to fill a narrow column,
    # the paragraph numbers right after it): under a header cell (a cell of the table's
    # first rows; justified text in a data cell lines up too) that starts at x, most rows
    # have a character starting at x, and not the same one in every row (a shared prefix
    # such as "CTOC/COP/" lines up too, but says nothing).
    lone = sorted(s.x0 for r in rows[:HEADER_LINES] if len(r.segs) > 1 for s in r.segs[1:]
                  if all(abs(s.x0 - c) > 6 for c in columns))
    for x in lone:
        at = {}
        for k, r in enumerate(rows):
            for s in r.segs:
                if s.xs and s.x0 < x - 3:
                    ch = next((s.text[i] for i, cx in enumerate(s.xs) if abs(cx - x) <= 1.5), None)
                    if ch is not None and not ch.isspace():
                        at[k] = ch
        if len(at) >= max(3, ALIGNED_SHARE * multi) and len(set(at.values())) > 1 \
                and all(abs(x - c) > 6 for c in columns):
            columns.append(x)
    return sorted(columns)


def row_cells(row: Row, columns: list[float], ends: list[float | None] | None = None) -> list[str]:
    """The row's text by column; ``ends`` (one per column) gets where each cell's text ends."""
    cells = [""] * len(columns)
    segs = []
    for s in row.segs:
        for c in columns:  # a cell that runs into the next column is two cells
            if s.x0 + 3 < c < s.x1 - 1 and (cut := s.split_at(c)):
                segs.append(cut[0])
                s = cut[1]
        segs.append(s)
    for s in segs:
        idx = max([i for i, c in enumerate(columns) if c <= s.x0 + 3] or [0])
        cells[idx] = (cells[idx] + " " + s.text.strip()).strip()
        if ends is not None:
            ends[idx] = s.x1
    return cells


def find_tables(body: list[Row], pitch: float = 0.0) -> list[tuple[int, int]]:
    """(first, last) row index of each table: runs of multi-segment rows, bridged by the
    wrapped lines of their cells (rows closer than ROW_WRAP to the row above) and by at most
    ``TABLE_BRIDGE`` other single rows (a cell spanning the row, a date line)."""
    def wrapped(k: int) -> bool:
        return k > 0 and body[k - 1].y - body[k].y < wrap_gap(body[k - 1].size, pitch)
    multi = [i for i, r in enumerate(body) if len(r.segs) > 1]
    spans: list[list[int]] = []
    for i in multi:
        if spans:
            loose = sum(1 for k in range(spans[-1][1] + 1, i) if not wrapped(k))
            if loose <= TABLE_BRIDGE:
                spans[-1][1] = i
                continue
        spans.append([i, i])
    for sp in spans:
        while sp[1] + 1 < len(body) and len(body[sp[1] + 1].segs) == 1 and wrapped(sp[1] + 1):
            sp[1] += 1
    return [(a, b) for a, b in spans]


TABLE_BRIDGE = 3
ALIGNED_SHARE = 0.4  # of a table's rows: word starts aligned in this many rows are a column
HEADER_LINES = 6  # physical lines at a table's top where its header stands


# --- a table on a page and over pages ----------------------------------------------------


def with_run_on_rows(body: list[Row], spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tables with the rows under them whose cells ran together into one segment (no gap
    between them): the segment starts at one of the table's later columns, not at the text's
    margin, and runs on over the next column's start, a row's distance below the table."""
    out = []
    for n, (a, b) in enumerate(spans):
        columns = table_columns(body[a:b + 1])
        stop = spans[n + 1][0] if n + 1 < len(spans) else len(body)
        while b + 1 < stop and len(body[b + 1].segs) == 1 and len(columns) > 2:
            seg, r = body[b + 1].segs[0], body[b + 1]
            later = [c for c in columns[1:] if abs(seg.x0 - c) <= 3]
            across = [c for c in columns if seg.x0 + 3 < c < seg.x1 - r.size]
            if not later or not across or body[b].y - r.y > ROW_DISTANCE * r.size:
                break
            b += 1
        out.append((a, b))
    return out


ROW_DISTANCE = 2.5  # ems between a table's rows at most


_SYMBOL_HEAD_RE = re.compile(r"[A-Z][A-Za-z0-9.]*/[A-Za-z0-9./]*\d$")
_SYMBOL_TAIL_RE = re.compile(r"\d[A-Za-z0-9.]*/")


def _glue_cell(a: str, b: str) -> str:
    """A cell's wrapped lines, joined as wrapped lines of running text are, except that a
    number keeps its space from the CJK text beside it (``上午`` + ``10 时``: cells are
    wrapped at those spaces)."""
    if not b:
        return a
    if not a:
        return b
    if _SYMBOL_HEAD_RE.search(a) and _SYMBOL_TAIL_RE.match(b):
        return a + b  # a symbol broken inside a number to fill a narrow cell: …/20 + 13/5
    joined = join_wrapped(a, b)
    if joined == a + b and (is_cjk(a[-1]) and b[0].isascii() and b[0].isalnum()
                            or a[-1].isascii() and a[-1].isalnum() and is_cjk(b[0])):
        return a + " " + b
    return joined


def join_row(lines: list[Line], rest: list[str]) -> None:
    """Join the rest of a table row broken over a page onto its start (the last table row
    read before), cell by cell."""
    last = next((l for l in reversed(lines) if "\t" in l.text), None)
    if last is None:
        return
    cells = last.text.split("\t")
    if len(cells) == len(rest):
        last.text = "\t".join(_glue_cell(a, normalize_chars(b)) for a, b in zip(cells, rest))


HEAD_ROWS = 3  # a header repeated on later pages is at most this many rows
FULL_CELL = 1.2  # ems short of its column's right edge: a cell line that filled its column


def _continued_columns(columns: list[float], carried: list[float] | None) -> list[float]:
    """A table at the head of a page under a table that filled the page before: the earlier
    columns, when every column found here is one of them (a few rows do not show them all)."""
    if carried and all(any(abs(c - k) <= 3 for k in carried) for c in columns):
        return carried
    return columns


@dataclass
class TableReader:
    """Reads a document's tables page after page, keeping what a page's tables leave for the
    next: header rows seen (a repeat is dropped), the columns of a table that ran to the
    page's foot (its continuation keeps them) and which cells of its last row were filled to
    their right edge (the office suite broke that row over the page: its rest, under the
    repeated header, is ``continuation``, to be joined onto it with ``join_row``)."""
    headers: set[tuple[str, ...]] = field(default_factory=set)
    head_rows: list[tuple[str, ...]] = field(default_factory=list)  # a table's first rows
    open_columns: list[float] | None = None
    open_full: list[bool] | None = None
    continuation: list[str] | None = None
    _carried: list[float] | None = None
    _carried_full: list[bool] | None = None

    def new_page(self) -> None:
        self._carried, self._carried_full = self.open_columns, self.open_full
        self.open_columns = self.open_full = self.continuation = None

    def read(self, body: list[Row], i: int, end: int, pitch: float, at_top: bool) -> list[str]:
        """The rows ``body[i:end + 1]`` of one table as tab-separated lines."""
        out: list[str] = []
        columns = table_columns(body[i:end + 1])
        continued = i == 0 and self._carried is not None
        if continued:
            columns = _continued_columns(columns, self._carried)
        self.open_columns = columns if end == len(body) - 1 else None
        limits = columns[1:] + [max(s.x1 for r in body[i:end + 1] for s in r.segs)]
        full: list[bool] = []
        j, n, heading = i, 0, True
        while j <= end:
            ends: list[float | None] = [None] * len(columns)
            cells = row_cells(body[j], columns, ends)
            k = j + 1
            while k <= end and body[k - 1].y - body[k].y < wrap_gap(body[j].size, pitch):
                cells = [_glue_cell(a, b) for a, b in zip(cells, row_cells(body[k], columns, ends))]
                k += 1
            key = tuple(cells)
            repeated = (j == i and key in self.headers) or (
                continued and heading and n < len(self.head_rows) and key == self.head_rows[n])
            heading = heading and repeated
            if repeated:
                pass  # a header row repeated on a later page
            elif continued and at_top and not out and self._carried_full and not self.continuation \
                    and not cells[0] and any(cells) \
                    and all(self._carried_full[c] for c, t in enumerate(cells) if t):
                self.continuation = cells  # the rest of the row the page before broke
            else:
                if j == i:
                    self.headers.add(key)
                out.append("\t".join(cells))
            if not continued:
                if j == i:
                    self.head_rows = []
                if len(self.head_rows) < HEAD_ROWS:
                    self.head_rows.append(key)
            full = [e is not None and e >= lim - FULL_CELL * body[j].size for e, lim in zip(ends, limits)]
            j, n = k, n + 1
        if self.open_columns is not None:
            self.open_full = full
        return out
