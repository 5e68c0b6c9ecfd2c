"""PDF tables: runs of multi-segment rows, their columns (segment edges and aligned words)
and cells, a cell's wrapped lines joined (see ``pdf``)."""

from __future__ import annotations

from .pdfrows import Row

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
    return sorted(columns)


def row_cells(row: Row, columns: list[float]) -> list[str]:
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


# --- one page -------------------------------------------------------------------------------
