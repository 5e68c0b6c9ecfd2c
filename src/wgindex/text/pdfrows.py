"""PDF rows: glyphs sharing a baseline, split into words and into segments at wide gaps;
a hanging list label joined to its text across a tab stop (see ``pdf``)."""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from dataclasses import dataclass

from .glyphs import Glyph
from .layout import NO_LINE_START

SEGMENT_GAP = 1.5    # em
WORD_GAP = 0.1       # em
CJK_SPACE = 0.2      # em: a space printed between two CJK characters is kept
BASELINE_TOL = 0.4   # em
HANG_GAP = 5.0       # em: at most this from a hanging number to its text


@dataclass
class Seg:
    x0: float
    x1: float
    text: str
    xs: list[float] | None = None  # where each character of ``text`` starts

    def split_at(self, x: float) -> tuple["Seg", "Seg"] | None:
        """The segment cut where a character starts at or right of ``x`` (a table cell that
        ran up to the next column's start without a gap)."""
        if not self.xs:
            return None
        k = next((i for i, cx in enumerate(self.xs) if cx >= x - 1.5), None)
        if k is None or k == 0:
            return None
        a, b = self.text[:k].rstrip(), self.text[k:].lstrip()
        if not a or not b:
            return None
        return Seg(self.x0, x, a, self.xs[:k]), Seg(x, self.x1, b, self.xs[k:])


@dataclass
class Row:
    y: float
    size: float
    segs: list[Seg]

    @property
    def text(self) -> str:
        return " ".join(s.text for s in self.segs)


_CJK: dict[str, bool] = {}


def is_cjk(ch: str) -> bool:
    v = _CJK.get(ch)
    if v is None:
        v = _CJK[ch] = unicodedata.east_asian_width(ch) in "WF"
    return v


CJK_OPENING = frozenset("（【「『《〈〔［｛")
CJK_CLOSING = NO_LINE_START  # what no line may begin with takes no space before it either


def read_rows(glyphs: list[Glyph]) -> list[Row]:
    """Group glyphs into baseline rows (top to bottom) and rows into segments."""
    # rows from the printed glyphs; a space only joins the row whose baseline it sits on (a
    # stray space glyph must not decide which glyphs share a row)
    ink = sorted((g for g in glyphs if g.text != " "), key=lambda g: (-round(g.y * 2), g.x))
    groups: list[list[Glyph]] = []
    cur: list[Glyph] = []
    y0 = s0 = 0.0
    for g in ink:  # half-point baselines above: the backends differ in the thousandths
        gs = g.size
        if cur and abs(y0 - g.y) <= BASELINE_TOL * (gs if gs > s0 else s0 if s0 > 1 else 1):
            cur.append(g)
        else:
            cur = [g]
            groups.append(cur)
            y0, s0 = g.y, (gs if gs > 1 else 1)
    if len(groups) > 0:
        ys = [-grp[0].y for grp in groups]
        for g in glyphs:
            if g.text != " ":
                continue
            k = bisect.bisect_left(ys, -g.y)
            for j in (k - 1, k):
                if 0 <= j < len(groups) and abs(groups[j][0].y - g.y) <= BASELINE_TOL * max(groups[j][0].size, 1):
                    groups[j].append(g)
                    break
    out = []
    for row in groups:
        row.sort(key=lambda g: g.x)
        row = drop_overstrikes(row)
        ink = [g for g in row if g.text != " "]
        if not ink:
            continue
        size = statistics.median(g.size for g in ink) or 10
        # the row's word gaps: a gap well beyond them (and beyond an em) separates segments,
        # so a masthead set in 20 pt splits although its gap is under 1.5 em
        gaps = [g.x - (p.x + p.w) for p, g in zip(ink, ink[1:])]
        word = sorted(x for x, p in zip(gaps, ink) if WORD_GAP * p.size < x <= SEGMENT_GAP * p.size)
        typical = word[len(word) // 2] if word else None
        # where the row prints (or the backend inferred) spaces, their gaps tell how wide a word
        # space is here: an unmarked gap breaks a word only when it is half as wide (kerning
        # and justification inside a word stay below that)
        marked = []
        for k, g in enumerate(row):
            if g.text == " " and 0 < k < len(row) - 1 and row[k - 1].text != " " and row[k + 1].text != " ":
                a, b = row[k - 1], row[k + 1]
                if not (is_cjk(a.text[-1]) and is_cjk(b.text[0])):
                    marked.append((b.x - (a.x + a.w)) / max(a.size, 1))
        marked.sort()
        word_gap = max(WORD_GAP, 0.5 * marked[len(marked) // 2]) if marked else WORD_GAP
        # justified CJK text spreads every character of a line apart, digits and stops too
        # ("4 、 5 、 8" for "4、5、8"): the gap most neighbours nearby share is no word space
        spaced, seen_space = set(), False  # ink glyphs with a printed space before them
        for g in row:
            if g.text == " ":
                seen_space = True
            else:
                if seen_space:
                    spaced.add(id(g))
                seen_space = False
        position = {id(g): k for k, g in enumerate(ink)}

        def spread_before(g: Glyph) -> float:
            k = position[id(g)] - 1
            near = sorted(max(0.0, x) for x, h in zip(gaps[max(0, k - 3):k + 4], ink[max(1, k - 2):k + 5])
                          if id(h) not in spaced and x <= SEGMENT_GAP * h.size)
            return near[(len(near) - 1) // 2] if near else 0.0
        segs: list[Seg] = []
        prev: Glyph | None = None
        seg: Seg | None = None
        space = False
        for g in row:  # the hot loop of the reader: locals, no calls where none are needed
            t = g.text
            if t == " ":
                space = prev is not None
                continue
            gx = g.x
            if prev is None:
                seg = Seg(gx, gx + g.w, t, [gx] * len(t))
                segs.append(seg)
            else:
                ps, gs = prev.size, g.size
                em = ps if ps > gs else gs
                if em < 1:
                    em = 1
                pend = prev.x + prev.w
                gap = gx - pend
                if gap > SEGMENT_GAP * em or (typical is not None and gap > 0.8 * em
                                              and gap > 3 * typical):
                    seg = Seg(gx, gx + g.w, t, [gx] * len(t))
                    segs.append(seg)
                else:
                    last, first = prev.text[-1], t[0]
                    if last in CJK_OPENING or first in CJK_CLOSING:
                        brk = False  # full-width punctuation carries its own space: "（CTOC"
                    elif is_cjk(last) and is_cjk(first):
                        brk = space and gap > CJK_SPACE * em  # a printed space, not justification
                    else:
                        brk = space or (gap > word_gap * em and gap - spread_before(g) > word_gap * em)
                    if brk:
                        seg.text += " "
                        seg.xs.append(pend)
                    seg.text += t
                    if len(t) == 1:
                        seg.xs.append(gx)
                    else:
                        seg.xs.extend([gx] * len(t))
                    end = gx + g.w
                    if end > seg.x1:
                        seg.x1 = end
            prev, space = g, False
        out.append(Row(y=ink[0].y, size=size, segs=segs))
    return out


def drop_overstrikes(row: list[Glyph]) -> list[Glyph]:
    """Drop a glyph drawn again over itself (a bold face simulated by overprinting, shadow
    text): the same character, same size, shifted by less than a third of its width."""
    out: list[Glyph] = []
    for g in row:
        t = g.text
        if t != " ":
            for p in out[-3:]:
                if p.text == t and abs(p.size - g.size) < 0.1 and abs(p.x - g.x) < max(0.34 * p.w, 0.5) \
                        and abs(p.y - g.y) < 0.2 * g.size:
                    break
            else:
                out.append(g)
            continue
        out.append(g)
    return out


# --- hanging numbers ------------------------------------------------------------------------

LABEL_RE = re.compile(r"^(?:\d{1,3}\.|\(?[a-z]{1,4}\)|\(?\d{1,3}\)|[IVXL]{1,6}\.|[A-Z]\.|"
                      r"[一二三四五六七八九十]+[、.．]|[•▪◦–—-])$")


def join_hanging(row: Row) -> Row:
    """``1.`` <tab> ``text`` is one line: a paragraph number hanging before a tab stop (a
    tab, not a table's column: a wider gap is two cells, ``(e)`` and the next column's text)."""
    if len(row.segs) == 2 and LABEL_RE.match(row.segs[0].text) \
            and row.segs[1].x0 - row.segs[0].x1 <= HANG_GAP * row.size:
        a, b = row.segs
        row.segs = [Seg(a.x0, b.x1, a.text + " " + b.text)]
    return row


# --- page furniture -----------------------------------------------------------------------
