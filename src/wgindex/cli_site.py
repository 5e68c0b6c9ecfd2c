"""Site commands of the CLI (build, render, serve, cite, note); filled in by the site stage."""

from __future__ import annotations


def add_commands(sub) -> None:
    return None
