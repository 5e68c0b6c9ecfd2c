"""Clean text: normalise characters, strip Markdown/HTML markers, drop page furniture.

Everything here works on single strings or lists of ``Line`` and never knows which reader
produced them (Pelican's "one text model out").
"""

from __future__ import annotations

import re
import unicodedata

from .model import Line
from ..symbols import SYMBOL_RE

# --- characters --------------------------------------------------------------------------

_SPACES = dict.fromkeys(map(ord, "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
                                 "\u2008\u2009\u200a\u202f\u205f\u3000"), " ")
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
# CJK compatibility ideographs, Kangxi radicals and CJK radicals supplement: some PDF fonts
# map common characters (了 年 不 力 十 大) to these code points
_COMPAT_RE = re.compile("[\uf900-\ufaff\U0002f800-\U0002fa1f\u2f00-\u2fdf\u2e80-\u2eff]")
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize_chars(text: str) -> str:
    """NBSP and ideographic spaces -> space, zero-width characters removed, CJK compatibility
    ideographs (U+F900-FAFF, U+2F800-2FA1F), Kangxi radicals (U+2F00-2FDF) and CJK radicals
    supplement characters (U+2E80-2EFF, those Unicode decomposes) -> their unified forms.

    NFKC is applied to the compatibility ideographs alone: on the whole text it would turn
    full-width punctuation (``，`` ``（``) into ASCII.
    """
    text = text.translate(_SPACES).translate(_ZERO_WIDTH)
    text = _COMPAT_RE.sub(lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return _CONTROL_RE.sub("", text)


class _Widths(dict):
    """character -> the columns it takes, looked up once a character"""

    def __missing__(self, ch: str) -> int:
        width = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return width


_WIDTHS = _Widths()


def display_width(text: str) -> int:
    """Columns the text takes in a monospaced layout (CJK = 2)."""
    # asked for every line several times while a layout is read (750,000 characters for 200
    # text documents): each character's width is looked up once, not asked of unicodedata
    return len(text) if text.isascii() else sum(map(_WIDTHS.__getitem__, text))


# --- Markdown and stray HTML ---------------------------------------------------------------

TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
FROM_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_MD_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_BULLET_RE = re.compile(r"^\s*[-+*]\s+(?=\S)")
_MD_ESCAPE_RE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\]^_`{|}~\\])")
_SUP_RE = re.compile(r"<sup>\s*([0-9]+|\*+)\s*</sup>", re.I)
# Every pattern here runs on document text, so each is linear in the line's length: tag and
# link bodies stop at the next bracket, and the two pairings that would need backtracking
# across the line (``<a …>…</a>``, ``**…**``) are done by scanning (``_unwrap``).
_A_OPEN_RE = re.compile(r"<a\b[^<>]*>", re.I)
_A_CLOSE_RE = re.compile(r"</a\s*>", re.I)
_MD_LINK_RE = re.compile(r"\[([^\[\]\n]+)\]\((?:#[^()\s]*|)\)")
_INLINE_TAG_RE = re.compile(r"</?(?:b|strong|i|em|u|span|font|sub|small|big)\b[^<>]*>|<br\s*/?>", re.I)
_PLACEHOLDER = "\ue000"


def _sup(match: re.Match) -> str:
    mark = match.group(1)
    return mark if mark.startswith("*") else mark.translate(TO_SUPERSCRIPT)


def strip_markdown(text: str) -> tuple[str, bool]:
    """Strip Markdown and stray inline HTML from one line; return (text, is_heading).

    Keeps link text, turns ``<sup>1</sup>`` into ``¹`` (so Markdown and plain dumps give the
    same text), unescapes ``\\*``.  Unknown tags (``<script>``) are kept as text: they are
    document content, escaped when rendered.
    """
    escapes: list[str] = []

    def protect(m: re.Match) -> str:
        escapes.append(m.group(1))
        return f"{_PLACEHOLDER}{len(escapes) - 1}{_PLACEHOLDER}"

    text = _MD_ESCAPE_RE.sub(protect, text)
    heading = bool(_MD_HEADING_RE.match(text))
    if heading:
        text = _MD_HEADING_RE.sub("", text, count=1).rstrip("#").rstrip()
    text = _MD_BULLET_RE.sub("", text, count=1)
    text = _SUP_RE.sub(_sup, text)
    if "<" in text:
        text = _unwrap_tags(text)
    if "](" in text:
        text = _MD_LINK_RE.sub(lambda m: m.group(1), text)
    if "<" in text:
        text = _INLINE_TAG_RE.sub("", text)
    for marker in ("**", "__"):
        if marker in text:
            text = _unwrap_emphasis(text, marker)
    text = re.sub(f"{_PLACEHOLDER}(\\d+){_PLACEHOLDER}", lambda m: escapes[int(m.group(1))], text)
    return text, heading


def _unwrap_tags(text: str) -> str:
    """``<a href="#">text</a>`` -> ``text``, pairing each opening tag with the next closing
    one, in one pass (a line of unclosed ``<a>`` costs its length, not its square)."""
    out, pos = [], 0
    while (m := _A_OPEN_RE.search(text, pos)) is not None:
        close = _A_CLOSE_RE.search(text, m.end())
        if close is None:
            break
        out += [text[pos:m.start()], text[m.end():close.start()]]
        pos = close.end()
    out.append(text[pos:])
    return "".join(out)


def _unwrap_emphasis(text: str, marker: str) -> str:
    """``**bold**`` -> ``bold``: an opener followed by a non-space pairs with the nearest
    closer preceded by a non-space; one pass over the marker positions."""
    at = [m.start() for m in re.finditer(re.escape(marker), text)]
    out, last, i, n = [], 0, 0, len(marker)
    while i < len(at):
        a = at[i]
        if a + n < len(text) and not text[a + n].isspace():
            j = i + 1
            while j < len(at) and (at[j] < a + n + 1 or text[at[j] - 1].isspace()):
                j += 1
            if j == len(at):
                break  # no closer after this opener, so none after any later one
            out += [text[last:a], text[a + n:at[j]]]
            last, i = at[j] + n, j + 1
            continue
        i += 1
    out.append(text[last:])
    return "".join(out)


# --- page furniture ----------------------------------------------------------------------

# Page furniture as it stands on a line of its own (PDF running headers and footers, and
# text dumps of PDFs).  Shapes that only page furniture has (job lines, barcodes, date
# stamps) are furniture anywhere near the page edges; page numbers only in the margins.
JOB_RES = [
    # job line: GE.25-05795 (E) 170425 170425, V.15-01965 (C) GP 130415 130415, 25-11202 (E) 150725
    re.compile(r"^(?:[A-Z]{1,3}\.?\s?)?\d{2}-\d{4,6}[A-Z*]?(?:\s*\([A-Z]\))?(?:\s+[A-Z]{1,3})?(?:\s+\d{6}){0,2}"
               r"(?:\s+\*\s?\d{6,}\s?\*)?$"),
    re.compile(r"^\*\s?\d{6,}\s?\*$"),                                  # barcode *2201234*
    re.compile(r"^\d{6}(?:\s+\d{6})?$"),                               # date stamps 160322
    re.compile(r"^please recycle$", re.I),
    re.compile(r"^GZ\s*\.?\s*\d{5,6}(?:\s+\d{5,6})*$"),
]
FURNITURE_RES = JOB_RES + [
    re.compile(r"^(?:[-–—]\s*)?\d{1,4}(?:\s*[-–—])?$"),                # page number
    re.compile(r"^\d{1,4}\s*/\s*\d{1,4}$"),                            # 3/12
    re.compile(r"^(?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?$", re.I),
]


FURNITURE_RES += [re.compile(r"^_{5,}$|^[-–—]{5,}$")]  # footnote rules in text dumps


def is_furniture(text: str) -> bool:
    """A running header/footer line that no reader wants inside a paragraph."""
    t = text.strip()
    return bool(t) and "\t" not in t and any(r.match(t) for r in FURNITURE_RES)


def running_symbol(lines: list[Line], head: int = 25) -> str | None:
    """The symbol printed alone on a line (masthead or running header), if any."""
    counts: dict[str, int] = {}
    first_at: dict[str, int] = {}
    for i, line in enumerate(lines):
        t = line.text.strip()
        m = SYMBOL_RE.fullmatch(t)
        if m:
            counts[t] = counts.get(t, 0) + 1
            first_at.setdefault(t, i)
    candidates = [s for s in counts if counts[s] >= 2 or first_at[s] < head]
    if not candidates:
        return None
    return sorted(candidates, key=lambda s: (-counts[s], first_at[s]))[0]


def drop_furniture(lines: list[Line]) -> tuple[list[Line], str | None]:
    """Remove page furniture; mark the line after a dropped run as following a page break.

    The document's own symbol printed alone on a line is kept once (the masthead, where it
    is the printed symbol) and dropped where it repeats as a running header.
    """
    symbol = running_symbol(lines)
    out: list[Line] = []
    seen_symbol = False
    pending_break = False
    for line in lines:
        t = line.text.strip()
        junk = "\t" not in line.text and is_furniture(t)  # a table cell "18/3" is no page number
        if symbol and t == symbol:
            junk = seen_symbol
            seen_symbol = True
        if junk:
            pending_break = True
            continue
        if pending_break and t:
            line.page_break_before = True
            pending_break = False
        out.append(line)
    return out, symbol
