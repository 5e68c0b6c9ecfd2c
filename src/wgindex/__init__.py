"""wgindex: faithful records and a cross-linked site for UNTOC working-group documents.

The pipeline reads one way: sources -> text (with provenance) -> classified document ->
records (YAML) -> linked corpus -> site.  Each stage is one module named by its verb:
``read`` / ``clean`` / ``layout`` / ``classify`` / ``parse_*`` / ``link`` / ``render``.
"""

__version__ = "0.1.0"

# Bump whenever parsing output may change: it is part of the parse-cache key.
PARSER_VERSION = "2026.12.01.5"  # bump on every change to what parsing produces (the cache key)
