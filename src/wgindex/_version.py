"""Versions: of wgindex, and of what parsing produces (part of the parse-cache key)."""

__version__ = "0.1.0"

# Bump whenever parsing output may change: it is part of the parse-cache key.
PARSER_VERSION = "2026.12.01.7"
