"""Typed errors.  Library code raises these; only the CLI turns them into messages."""

from __future__ import annotations


class WgindexError(Exception):
    """Base class of every error wgindex reports to a person."""


class SourceError(WgindexError):
    """A source document cannot be read or parsed.

    ``file`` names the file, ``line``/``page`` point into it where known, ``hint`` says
    what the user can do about it.
    """

    def __init__(self, file: str, message: str, *, line: int | None = None,
                 page: int | None = None, hint: str | None = None):
        self.file = file
        self.line = line
        self.page = page
        self.message = message
        self.hint = hint
        super().__init__(self.format())

    def __reduce__(self):
        # keyword-only arguments are lost by Exception's default pickling: rebuild from the
        # fields, so an error raised in a parser process reaches the parent intact
        return (_rebuild, (type(self), self.file, self.message, self.line, self.page, self.hint))

    def format(self) -> str:
        where = self.file
        if self.page is not None:
            where += f":page {self.page}"
        if self.line is not None:
            where += f":{self.line}"
        text = f"{where}: ERROR: {self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class SidecarError(SourceError):
    """A ``<file>.meta.yaml`` sidecar is not valid."""


class SymbolError(WgindexError):
    """A string is not a valid document symbol (and must never become a path)."""


def _rebuild(cls, file, message, line, page, hint):
    return cls(file, message, line=line, page=page, hint=hint)
