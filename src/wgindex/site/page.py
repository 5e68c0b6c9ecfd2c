"""A page: where it is written, the template that renders it, and its context (data only)."""

from __future__ import annotations

from dataclasses import dataclass

from ..corpus.urls import page_file


@dataclass(frozen=True)
class Page:
    path: str        # the page file, e.g. ``meetings/WG.7/4/index.html``
    template: str
    context: dict


def page(directory: str, template: str, **context) -> Page:
    return Page(page_file(directory), template, context)
