"""wgindex: faithful records and a cross-linked site for UNTOC working-group documents.

The pipeline reads one way, one package per stage (see ARCHITECTURE.md):
``text`` (sources -> lines with provenance) -> ``parse`` (lines -> records) ->
``corpus`` (records -> linked corpus, the URL scheme) -> ``site`` (corpus -> pages) and
``cite`` (citations in text -> link targets); ``cli`` only parses arguments and prints.
"""

from ._version import PARSER_VERSION, __version__
from .api import build, inventory, load_records, parse, render

__all__ = ["PARSER_VERSION", "__version__", "build", "inventory", "load_records", "parse", "render"]
