"""The rows of the CSV downloads, shared by the files and the pages that filter them."""

from __future__ import annotations

import csv
import io

from ..corpus.urls import doc_dir, rec_anchor
from .lookups import SiteData

RECOMMENDATION_COLUMNS = ["working_group", "meeting", "document", "symbol", "number", "section",
                          "heading", "text", "url", "source_file", "source_page", "source_line"]


def recommendation_rows(data: SiteData) -> tuple[list[str], list[list[str]]]:
    """``recommendations.csv``: one row per recommendation, in the corpus's order, as strings."""
    c = data.corpus
    rows = []
    for rec in c.recommendations:
        doc = c.docs[rec.doc]
        rows.append([str(v) for v in (
            doc.get("working_group") or "", rec.meeting[1] if rec.meeting else "", doc["id"],
            doc.get("symbol") or "", rec.number, rec.section or "", rec.heading or "", rec.text,
            doc_dir(doc) + "#" + rec_anchor(rec.number), rec.source["file"],
            rec.source["page"] or "", rec.source["line"])])
    return RECOMMENDATION_COLUMNS, rows


def csv_text(rows: list[list[str]]) -> str:
    """CSV as the site writes it (and ``site.js`` repeats for a filtered download): fields quoted
    only when they hold a comma, a quote or a line break; lines end in ``\\n``."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()
