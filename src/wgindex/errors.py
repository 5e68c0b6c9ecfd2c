"""Typed errors.  Library code raises these; only the CLI turns them into messages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """Something a person should look at, where it is: one kind for errors and warnings, one
    format (Sphinx's): ``path:page N:line: LEVEL: message (what to do)``."""

    file: str
    message: str
    page: int | None = None
    line: int | None = None
    level: str = "WARNING"
    hint: str | None = None

    @property
    def where(self) -> str:
        where = self.file
        if self.page is not None:
            where += f":page {self.page}"
        if self.line is not None:
            where += f":{self.line}"
        return where

    def format(self) -> str:
        return f"{self.where}: {self.level}: {self.message}" + (f" ({self.hint})" if self.hint else "")

    @classmethod
    def at(cls, source: dict | None, file: str, message: str, **kw) -> "Issue":
        """An issue at a record's ``source`` (file, page, line), falling back to ``file``."""
        source = source or {}
        return cls(source.get("file") or file, message, page=source.get("page"),
                   line=source.get("line"), **kw)


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

    @property
    def issue(self) -> Issue:
        return Issue(self.file, self.message, page=self.page, line=self.line, level="ERROR", hint=self.hint)

    def format(self) -> str:
        return self.issue.format()


class SidecarError(SourceError):
    """A ``<file>.meta.yaml`` sidecar is not valid."""


class SymbolError(WgindexError):
    """A string is not a valid document symbol (and must never become a path)."""


def _rebuild(cls, file, message, line, page, hint):
    return cls(file, message, line=line, page=page, hint=hint)
