"""The command line: argument parsing and printing only; the work is the library's."""

from .main import main  # noqa: F401
