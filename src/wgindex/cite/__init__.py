"""Citations: one finder for document text, notes and the cite command; the resolver."""
