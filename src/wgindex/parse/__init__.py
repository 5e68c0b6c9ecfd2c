"""Parsing: a TextDocument -> one record (classification, agenda, report, index, sidecars)."""
