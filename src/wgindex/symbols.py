"""Document symbols: recognising them in text and turning them into safe paths."""

from __future__ import annotations

import functools
import re

from .errors import SymbolError

# A page path is made of a symbol's segments, so a symbol's segments are those of UN symbols:
# each begins with a capital letter or a digit (``CTOC``, ``WG.7``, ``INF.1``, ``Rev.1``,
# ``L.4``).  The site's own folders and files (``static/``, ``meetings/``, ``record.json``,
# ``index.html``) are lower-case, so no symbol can ever claim them.
_PAGE_SEG = r"[A-Z0-9][A-Za-z0-9]*(?:\.[A-Za-z0-9]+)*"
_VALID_RE = re.compile(rf"{_PAGE_SEG}(?:/{_PAGE_SEG})+")
_GROUP_VALID_RE = re.compile(rf"{_PAGE_SEG}(?:/{_PAGE_SEG})*")
# A UN document symbol as printed in the working-group documents: issuing body, optional
# subsidiary body, year, then one or more segments (number, INF.1, Rev.1 ...).  A bare
# ``CTOC/COP/WG.7/2015`` (no document number) is not a symbol; a lower-case path after a
# symbol (``…/2022/1/record.json``) is not part of it.
SYMBOL_RE = re.compile(
    rf"(?<![A-Za-z0-9/])CTOC/COP(?:/WG\.\d+)?/(?:19|20)\d\d(?:/{_PAGE_SEG})+"
    r"(?![A-Za-z0-9]|/[A-Z0-9]|\.[A-Za-z0-9])"
)
# Any UN document symbol, as printed in a masthead or a running header: a body (``A``,
# ``E``, ``HRI``, ``CTOC``), more segments (``HRC``, ``CN.15``, ``2025``, ``L.4``, ``Add.10``),
# at least one digit, and sometimes a part in brackets (``A/80/15 (Part I)``).
UN_SYMBOL_RE = re.compile(
    rf"[A-Z]{{1,8}}(?:\.\d+)?(?:/{_PAGE_SEG})+(?:\s*\((?:Part|Vol\.?)\s*[IVXL\d]+\))?"
    r"(?<=\d|\))(?![A-Za-z0-9/])")
_PART_RE = re.compile(r"\s*\((Part|Vol)\.?\s*([IVXL\d]+)\)$")
_GROUP_RE = re.compile(r"^(CTOC/COP/WG\.\d+)/((?:19|20)\d\d)/")


def find_symbols(text: str) -> list[str]:
    """Every symbol mentioned in ``text``, in order of appearance (duplicates kept).  A string
    followed by a lower-case path (``…/2022/1/record.json``) is the symbol alone."""
    return [m.group() for m in SYMBOL_RE.finditer(text)]


def page_symbol(symbol: str) -> str:
    """The path form of a symbol: ``A/80/15 (Part I)`` -> ``A/80/15/Part.I``."""
    return _PART_RE.sub(lambda m: f"/{m.group(1)}.{m.group(2)}", symbol) if "(" in symbol else symbol


def body_of(symbol: str) -> str | None:
    """The issuing body of a symbol, from its prefix: ``A/HRC/59/60`` -> ``A/HRC``,
    ``E/CN.15/2025/1`` -> ``E/CN.15``, ``CTOC/COP/WG.7/2017/5`` -> ``CTOC/COP/WG.7``: the
    segments before the first one that is a number (a session or a year)."""
    parts = page_symbol(symbol).split("/")
    body = []
    for p in parts:
        if p[:1].isdigit():
            break
        body.append(p)
    return "/".join(body) or None


def validate(symbol: str) -> str:
    """Return ``symbol`` if it may become a path; raise SymbolError otherwise.

    Segments are ``[A-Za-z0-9]`` runs joined by single dots, each beginning with a capital
    or a digit: no ``..``, no leading ``/``, no backslashes, nothing outside ASCII, and never
    one of the site's own (lower-case) folder or file names.
    """
    if not isinstance(symbol, str) or len(symbol) > 120 or not _VALID_RE.fullmatch(page_symbol(symbol)):
        raise SymbolError(f"not a valid document symbol: {symbol!r}")
    return symbol


def valid_body(prefix: str) -> bool:
    """A working group or other body as a symbol prefix (``CTOC/COP/WG.7``, ``A/HRC``)."""
    return isinstance(prefix, str) and len(prefix) <= 60 and bool(_GROUP_VALID_RE.fullmatch(prefix))


def is_valid(symbol: str) -> bool:
    return isinstance(symbol, str) and _valid_str(symbol)


@functools.lru_cache(maxsize=1 << 16)  # asked 82,000 times a build at 1,000 documents
def _valid_str(symbol: str) -> bool:
    try:
        validate(symbol)
    except SymbolError:
        return False
    return True


def url_path(symbol: str) -> str:
    """``CTOC/COP/WG.7/2017/5`` -> ``CTOC/COP/WG.7/2017/5/`` (relative to the site root)."""
    return page_symbol(validate(symbol)) + "/"


@functools.lru_cache(maxsize=1 << 16)
def group_and_year(symbol: str) -> tuple[str, int] | None:
    """``CTOC/COP/WG.7/2017/5`` -> (``CTOC/COP/WG.7``, 2017)."""
    m = _GROUP_RE.match(symbol or "")
    return (m.group(1), int(m.group(2))) if m else None


@functools.lru_cache(maxsize=1 << 16)  # the key of every sort of symbols, page after page
def sort_key(symbol: str) -> tuple:
    """Natural order: numbers compare as numbers (…/2017/9 before …/2017/10)."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p)
                 for p in re.split(r"[/.]", symbol))
