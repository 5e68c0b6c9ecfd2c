"""The command line: argument parsing and printing only; the work is the library's."""

from .main import main, run  # noqa: F401
