"""A page: where it is written, the template that renders it, and its context (data only).

Most pages hold their context.  A *made* page (``made``) holds what its context is made from
instead — its inputs, data only — and the function that makes it, which is given those inputs
and nothing else: two pages with equal inputs have equal contexts, so the render memo digests
the inputs (cheap: a record is a token of its digest, an entry made from records a token of
theirs) and the context is made only for a page that is rendered.  At 1,000 documents, all
pages' contexts and digests took 0.58-0.74 s of CPU with document pages holding their
contexts, 0.30-0.36 s with document pages made (three runs each, one process).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from ..corpus.urls import page_file


@dataclass(frozen=True)
class Page:
    path: str        # the page file, e.g. ``meetings/WG.7/4/index.html``
    template: str
    context: dict

    @property
    def title(self) -> str | None:
        return self.context.get("title")

    def digest_input(self) -> tuple:
        """What the render memo digests: the page, its template and its context."""
        return (self.path, self.template, self.context)


@dataclass(frozen=True, eq=False)
class MadePage:
    """A page whose context is ``make(*inputs)``, made when first asked for (``context``)."""
    path: str
    template: str
    make: Callable[..., dict]   # a module-level function of the inputs alone
    inputs: tuple               # data only, as a context is
    title: str | None

    @functools.cached_property
    def context(self) -> dict:
        return self.make(*self.inputs)

    def digest_input(self) -> tuple:
        """The page, its template, the function (wgindex's code is in every digest) and the
        inputs: equal inputs make equal contexts, so the context itself need not be made."""
        return (self.path, self.template, ("made by", self.make.__module__, self.make.__qualname__),
                self.inputs)


def page(directory: str, template: str, **context) -> Page:
    return Page(page_file(directory), template, context)


def made(directory: str, template: str, make: Callable[..., dict], *inputs, title: str | None = None) -> MadePage:
    """A page whose context ``make`` makes from ``inputs`` alone, when it is rendered."""
    return MadePage(page_file(directory), template, make, inputs, title)
