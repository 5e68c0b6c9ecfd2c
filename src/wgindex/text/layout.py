"""Join physical lines into logical blocks (paragraphs, headings, table rows).

Rules (spec §3): Chinese joins with no space; a line that ends without closing punctuation
continues on the next non-blank line, even across a blank line or a page break; a line that
fills the page width of hard-wrapped text continues too.  A numbered paragraph start, a
heading, a list item, a footnote or a table row never joins onto the line before it.
"""

from __future__ import annotations

import re

from .clean import display_width
from .model import Block, Line

NUM_START_RE = re.compile(r"^(\d{1,3})\s*[.．](?![0-9])\s*")
SECTION_RE = re.compile(r"^([一二三四五六七八九十]+|[IVX]+)\s*[.．、]\s*(\S.*)$")
SUBSECTION_RE = re.compile(r"^([A-Z])\s*[.．]\s*([^\x00-\x7f].*)$")
SUBITEM_RE = re.compile(r"^[（(]\s*([a-z]{1,2}|[ivx]{1,5})\s*[)）]\s*")
REC_LABEL_RE = re.compile(r"^建议\s*(\d{1,3})$")
FOOTNOTE_RE = re.compile(r"^([¹²³⁴⁵⁶⁷⁸⁹⁰]+|\*{1,3})\s*(?=\S)")
TERMINAL_RE = re.compile(r"(?:[。！？；：!?;:][”’」』）)\]】]*|[）)])[¹²³⁴⁵⁶⁷⁸⁹⁰*]*$")

# characters CJK typesetting never puts at the start of a line (kinsoku): a line that begins
# with one was wrapped from the line before
NO_LINE_START = frozenset("、，。；：！？）」』】〉》〕］｝”’・")
_CJK_RE = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_TRAILING_TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9./\-]*$")
# a symbol in brackets cut after its first letters: "（C" + "TOC/COP/WG.7/2022/2）"
_BRACKETED_HEAD_RE = re.compile(r"[（(][A-Z][A-Z0-9.]*$")
_BRACKETED_TAIL_RE = re.compile(r"[A-Za-z0-9.]*/[A-Za-z0-9./\-]*[）)]")

LONG_LINE = 100      # display columns: unwrapped text, a line this long is prose, not a title
FULL_FRACTION = 0.85  # hard-wrapped text: a line this close to the width is a full line
CUT_FRACTION = 0.7    # hard-wrapped text: an unpunctuated line this long was cut by the wrap
OPEN_RUNS_MIN, OPEN_RUNS_FRACTION = 6, 0.6  # blank-separated runs that mostly end mid-sentence


def is_start(text: str) -> bool:
    """A line that begins a unit of its own and is never joined onto the previous line."""
    return bool(NUM_START_RE.match(text) or SECTION_RE.match(text)
                or SUBSECTION_RE.match(text) or SUBITEM_RE.match(text)
                or REC_LABEL_RE.match(text) or FOOTNOTE_RE.match(text))


def wrap_width(lines: list[Line]) -> int | None:
    """The page width of hard-wrapped text, or None when lines are not hard-wrapped.

    Hard-wrapped text has most of its long lines within a narrow band below the maximum;
    text with one paragraph per line has widths all over the place.
    """
    widths = sorted(display_width(l.text) for l in lines if l.text and "\t" not in l.text)
    widths = [w for w in widths if w >= 10]
    if len(widths) < 8:
        return None
    width = widths[int(len(widths) * 0.9)]
    band = [w for w in widths if FULL_FRACTION * width <= w <= 1.1 * width]
    if len(band) >= 0.3 * len(widths) and widths[-1] <= 1.4 * width:
        return width
    return None


def join_wrapped(a: str, b: str) -> str:
    """Wrapped lines: Latin words get a space (also after a comma or a closing bracket),
    Chinese none, and a hyphen or a slash at a line end none.  In Chinese text a Latin word
    or a symbol cut in mid-token (CJK line breaking allows it: ``Roujanavon`` + ``g 先生``,
    ``（CTOC/COP/W`` + ``G.7/2017/4）``, ``（C`` + ``TOC/COP/WG.7/2022/2）``, ``15、2`` +
    ``0、25``) joins whole."""
    if a and b and b[0].isascii() and b[0].isalnum() and _CJK_RE.search(a) and (
            a[-1].islower() and a[-1].isascii() and b[0].islower()
            or a[-1].isdigit() and a[-1].isascii() and b[0].isdigit()
            or "/" in (_TRAILING_TOKEN_RE.search(a) or [""])[0]
            or _BRACKETED_HEAD_RE.search(a) and _BRACKETED_TAIL_RE.match(b)):
        return a + b  # a word or a symbol cut by CJK line breaking: CTOC/COP/W + G.7/2017/4
    if a and b and a[-1].isascii() and (b[0].isascii() and b[0].isalnum() or b[0] in "‘“(\"'[$") and (
            a[-1].isalnum() or a[-1] in ",;:)]”’"):
        return a + " " + b
    return a + b


def blanks_informative(lines: list[Line]) -> bool:
    """Whether blank lines separate paragraphs (True) or follow nearly every line, as in
    page-layout dumps that double-space every line (False)."""
    content = [i for i, l in enumerate(lines) if l.text]
    if len(content) < 4:
        return True
    followed = sum(1 for i in content[:-1] if not lines[i + 1].text)
    return followed < 0.6 * (len(content) - 1)


def cut_pages(lines: list[Line], width: int | None = None) -> set[int | None]:
    """Pages whose blank-separated runs of prose (several lines, or one filling the
    ``width``) mostly stop in mid-sentence before a line that begins nothing: there the blanks
    are the layout's (a dump double-spaced line by line, then re-wrapped), not paragraph
    gaps, which follow a sentence's end.  Every page where the whole document shows it, else
    the pages that show it themselves."""
    runs: list[list[Line]] = [[]]
    for l in lines:
        if l.text:
            runs[-1].append(l)
        elif runs[-1]:
            runs.append([])
    runs = [r for r in runs if r]
    counts: dict[int | None, list[int]] = {}
    for r, nxt in zip(runs, runs[1:]):
        if "\t" in r[0].text or not (
                len(r) > 1 or width and display_width(r[0].text) >= FULL_FRACTION * width):
            continue
        c = counts.setdefault(r[-1].source.page, [0, 0])
        c[0] += 1
        c[1] += not _ends(r[-1].text) and not is_start(nxt[0].text)
    def layout(n: int, open_: int) -> bool:
        return n >= OPEN_RUNS_MIN and open_ > OPEN_RUNS_FRACTION * n

    whole = layout(sum(n for n, _o in counts.values()), sum(o for _n, o in counts.values()))
    return {l.source.page for l in lines if whole or layout(*counts.get(l.source.page, (0, 0)))}


def _ends(text: str) -> bool:
    """The line ends a sentence (Chinese punctuation; a full stop after Latin text)."""
    return bool(TERMINAL_RE.search(text)) or (text.endswith(".") and text[-2:-1].isascii()
                                               and not text[-2:-1].isdigit())


def _continues(line: Line, nxt: Line, width: int | None, full: bool,
               blank_between: bool = False, multi_line: bool = False,
               layout_gap: bool = False) -> bool:
    if nxt.heading or "\t" in nxt.text or is_start(nxt.text):
        return False
    if line.heading or "\t" in line.text:
        return False
    if nxt.text[:1] in NO_LINE_START:
        return True  # punctuation no line may begin with (CJK line-breaking rules): a wrap
    if _ends(line.text) and not line.text.endswith((":", "：")) and width and not _ends(nxt.text) \
            and display_width(nxt.text) < CUT_FRACTION * width:
        return False  # a short unpunctuated line after a sentence is a heading ("文件")
    if (nxt.page_break_before or layout_gap) and multi_line and not TERMINAL_RE.search(line.text) \
            and not (line.text.endswith(".") and line.text[-2:-1].isascii()):
        # a paragraph cut in mid-sentence by a page break (or a blank the layout put there)
        return True
    if nxt.page_break_before and width and not full:
        return False  # a one-line unit short of the width ends there (a heading at a page foot)
    if width and blank_between:
        # hard-wrapped text with real paragraph gaps: a gap ends the block
        return False
    if width and full:
        return True
    if TERMINAL_RE.search(line.text):
        return False
    # Cut mid-sentence (page break in the middle of a paragraph).  A short line without
    # closing punctuation is a title or heading, not a cut sentence.
    return display_width(line.text) >= (CUT_FRACTION * width if width else LONG_LINE)


INDENT_TOLERANCE = 0.5  # em


def _leaves_margin(parts: list[Line], nxt: Line) -> bool:
    """Where the reader measured indents (PDF): the lines after a paragraph's first all start
    at one left edge (its margin, or the text after a hanging number); a line at another edge
    begins something else (the text under a wrapped numbered heading)."""
    if len(parts) < 2 or nxt.page_break_before:
        return False
    a, b = parts[-1].indent, nxt.indent
    return a is not None and b is not None and abs(a - b) > INDENT_TOLERANCE


def join_lines(lines: list[Line], width: int | None = -1) -> list[Block]:
    """Join physical lines into blocks; each block keeps the source of its first line."""
    if width == -1:
        width = wrap_width(lines)
    informative = blanks_informative(lines)
    cut = cut_pages(lines, width) if informative else set()
    content: list[Line] = []
    blank_before: list[bool] = []
    layout_gap: list[bool] = []
    gap = False
    for l in lines:
        if not l.text:
            gap = True
            continue
        content.append(l)
        blank_before.append(gap and informative and l.source.page not in cut)
        layout_gap.append(l.source.page in cut)  # there a line break says no more than a blank
        gap = False
    blocks: list[Block] = []
    i = 0
    while i < len(content):
        first = content[i]
        text = first.text
        parts = [first]
        page_break = first.page_break_before
        while i + 1 < len(content):
            cur, nxt = parts[-1], content[i + 1]
            full = bool(width) and display_width(cur.text) >= FULL_FRACTION * width
            if not _continues(cur, nxt, width, full, blank_before[i + 1], len(parts) > 1,
                              layout_gap[i + 1]):
                break
            if _leaves_margin(parts, nxt):
                break
            text = join_wrapped(text, nxt.text)
            parts.append(nxt)
            i += 1
        blocks.append(Block(text=text, source=first.source, heading=first.heading,
                            table="\t" in first.text, lines=parts,
                            page_break_before=page_break))
        i += 1
    return blocks
