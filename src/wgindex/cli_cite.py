"""The writers' commands: ``wgindex cite`` and ``wgindex note``."""

from __future__ import annotations


def add_cite_commands(sub) -> None:
    return None
