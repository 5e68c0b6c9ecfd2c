"""The text model shared by every reader: lines that remember where they came from."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Source:
    """Where a piece of text came from: file, page (PDF only) and line (1-based)."""

    file: str
    page: int | None
    line: int

    def as_dict(self) -> dict:
        return {"file": self.file, "page": self.page, "line": self.line}


@dataclass
class Line:
    """One physical line of cleaned text.

    ``heading`` is set when the source marked the line as a heading (Markdown ``#``),
    ``page_break_before`` when a page boundary (PDF page, or a running header dropped from a
    text dump) precedes it.  ``indent`` (PDF only) is how far the line starts right of the
    page's text margin, in ems of the running text.
    """

    text: str
    source: Source
    heading: bool = False
    page_break_before: bool = False
    indent: float | None = None


@dataclass
class Block:
    """A logical line: one or more physical lines joined by ``layout.join_lines``."""

    text: str
    source: Source
    heading: bool = False
    table: bool = False
    lines: list[Line] = field(default_factory=list)
    page_break_before: bool = False

    @property
    def cells(self) -> list[str]:
        return self.text.split("\t")


@dataclass
class TextDocument:
    """What every reader returns: cleaned lines with provenance, plus reader facts."""

    file: str
    lines: list[Line]
    sha256: str
    reader: str  # "text" | "pdf"
    pages: int | None = None
    warnings: list[dict] = field(default_factory=list)
    # the page width in display columns when the reader knows the text is hard-wrapped
    wrap_width: int | None = None
