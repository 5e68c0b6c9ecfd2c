"""Grammars of the topic index: paragraph lists and compilation locations.

Paragraph lists: ``24、25、28 和 30``, ``9、18 和 23-25``, ``7(d) 和 8(e) 及 (f)`` (a bare
``(f)`` takes the number before it), ``3 and 4``, ``10 (a)``, ``43-51``.  Joiners: ``、 ， ,
和 及 与 and 的`` (``的`` is a typo in the source but must parse).

Locations: ``一.21``, ``五.2.e``, ``三.19-21``, ``一.40- 48``, ``V.2.f`` (Latin numerals are
read as Chinese: V = 五).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import ROMAN, cn_to_int, section_numeral

JOINERS = r"(?:、|，|,|;|；|和|及|与|的|\band\b|&)"
_JOIN_RE = re.compile(rf"\s*{JOINERS}\s*")
_RANGE = r"\s*(?:-|–|—|至|~)\s*"


class GrammarError(ValueError):
    """A string does not follow the grammar; ``.text`` is the offending part."""

    def __init__(self, message: str, text: str):
        super().__init__(f"{message}: {text!r}")
        self.text = text


@dataclass(frozen=True, order=True)
class ParaRef:
    number: int
    sub: str = ""

    def __str__(self) -> str:
        return f"{self.number}({self.sub})" if self.sub else str(self.number)

    @property
    def anchor(self) -> str:
        return f"para-{self.number}-{self.sub}" if self.sub else f"para-{self.number}"


@dataclass(frozen=True, order=True)
class Location:
    section: str  # Chinese numeral
    number: int
    sub: str = ""

    def __str__(self) -> str:
        return f"{self.section}.{self.number}" + (f".{self.sub}" if self.sub else "")

    @property
    def anchor(self) -> str:
        base = f"loc-{cn_to_int(self.section)}-{self.number}"
        return f"{base}-{self.sub}" if self.sub else base


_PARA_ITEM_RE = re.compile(
    rf"^(?:(?P<n>\d{{1,4}})\s*(?:[(（]\s*(?P<s>[a-z]{{1,3}})\s*[)）])?"
    rf"(?:{_RANGE}(?:(?P<n2>\d{{1,4}})|[(（]\s*(?P<s2>[a-z])\s*[)）]))?"
    rf"|[(（]\s*(?P<bare>[a-z]{{1,3}})\s*[)）])$")


def _split(text: str) -> list[str]:
    text = text.strip().strip("。.")
    if not text:
        raise GrammarError("empty list", text)
    # "8(b)、(g)" and "28-31、 36": split on joiners, keep ranges together
    parts = [p for p in _JOIN_RE.split(text)]
    if any(not p.strip() for p in parts):
        raise GrammarError("empty item in list", text)
    return [p.strip() for p in parts]


# One list (an index cell) names at most this many paragraphs or locations once its ranges
# are expanded: a real cell names a handful, and a bound keeps a 100-character cell such as
# ``1-500、1-500、…`` from becoming ten thousand references (and pages listing each of them).
MAX_REFS = 200


def _bounded(out: list, part: str) -> None:
    if len(out) > MAX_REFS:
        raise GrammarError(f"the list names more than {MAX_REFS} references once its ranges "
                           f"are expanded", part)


def parse_paragraphs(text: str) -> list[ParaRef]:
    """``7(d) 和 8(e) 及 (f)`` -> [7(d), 8(e), 8(f)]."""
    out: list[ParaRef] = []
    for part in _split(text):
        m = _PARA_ITEM_RE.match(part)
        if not m:
            raise GrammarError("not a paragraph reference", part)
        if m.group("bare"):
            if not out:
                raise GrammarError("sub-paragraph without a paragraph before it", part)
            out.append(ParaRef(out[-1].number, m.group("bare")))
            continue
        n = int(m.group("n"))
        sub = m.group("s") or ""
        if m.group("n2"):
            n2 = int(m.group("n2"))
            if n2 < n or n2 - n > MAX_REFS or sub:
                raise GrammarError("bad range", part)
            out.extend(ParaRef(k) for k in range(n, n2 + 1))
            _bounded(out, part)
        elif m.group("s2"):
            if not sub or m.group("s2") < sub:
                raise GrammarError("bad sub-paragraph range", part)
            out.extend(ParaRef(n, chr(c)) for c in range(ord(sub), ord(m.group("s2")) + 1))
        else:
            out.append(ParaRef(n, sub))
        _bounded(out, part)
    return out


_SECTION = r"(?P<sec>[一二三四五六七八九十]+|" + "|".join(sorted(ROMAN, key=len, reverse=True)) + ")"
_LOC_ITEM_RE = re.compile(
    rf"^{_SECTION}\s*[.．]\s*(?P<n>\d{{1,4}})(?:\s*[.．]\s*(?P<s>[a-z]{{1,3}}))?"
    rf"(?:{_RANGE}(?P<n2>\d{{1,4}}))?$")


def parse_locations(text: str) -> list[Location]:
    """``一.21、一.22 和一.40- 48`` -> [一.21, 一.22, 一.40 … 一.48]."""
    out: list[Location] = []
    for part in _split(text):
        m = _LOC_ITEM_RE.match(part)
        if not m:
            raise GrammarError("not a location", part)
        sec = section_numeral(m.group("sec"))
        if sec is None:
            raise GrammarError("unknown section numeral", part)
        n = int(m.group("n"))
        if m.group("n2"):
            n2 = int(m.group("n2"))
            if n2 < n or n2 - n > MAX_REFS or m.group("s"):
                raise GrammarError("bad range", part)
            out.extend(Location(sec, k) for k in range(n, n2 + 1))
            _bounded(out, part)
        else:
            out.append(Location(sec, n, m.group("s") or ""))
        _bounded(out, part)
    return out


def format_paragraphs(refs: list[ParaRef]) -> str:
    """The canonical printed form (inverse of ``parse_paragraphs``)."""
    items = [str(r) for r in refs]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + " 和 " + items[-1]


def format_locations(locs: list[Location]) -> str:
    items = [str(l) for l in locs]
    if len(items) <= 1:
        return "".join(items)
    return "、".join(items[:-1]) + " 和 " + items[-1]


# The agenda items a text refers to: ``议程项目 2``, ``议程项目 3 和 4``, ``议程项目 5(a)``.
AGENDA_ITEM_RE = re.compile(r"议程项目\s*(\d{1,2}(?:\s*(?:[(（][a-z][)）]))?"
                            r"(?:\s*(?:和|及|、|至|-)\s*\d{1,2})*)")

_TOPIC_OPEN, _TOPIC_CLOSE = "(（《[", ")）》]"


def parent_of(label: str) -> str | None:
    """Topics form a tree on the first ``,`` ``，`` ``:`` ``：`` outside brackets."""
    depth = 0
    for i, ch in enumerate(label):
        if ch in _TOPIC_OPEN:
            depth += 1
        elif ch in _TOPIC_CLOSE:
            depth = max(0, depth - 1)
        elif depth == 0 and ch in ",，:：" and i > 0:
            return label[:i].strip()
    return None
