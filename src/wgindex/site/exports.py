"""The site's downloads and static files: each record as YAML and JSON, the recommendations
and the topic index as CSV, all records as one JSON file, the link-target inventory."""

from __future__ import annotations

import csv
import io

from .. import groups
from ..corpus.urls import doc_dir
from ..records import jsonable, to_json, to_json_lines, to_yaml
from . import citation
from .exports_rows import csv_text, recommendation_rows
from .feeds import add_feeds
from .lookups import SiteData
from .templates import template_dir
from .write import SiteWriter


def record_texts(data: SiteData, r: dict) -> tuple[str, str]:
    """record.yaml and record.json of a record (made by the parser workers when they can)."""
    if r["id"] in data.serialized:
        return data.serialized[r["id"]]
    return to_yaml(r), to_json(jsonable(r))


def add_exports(out: SiteWriter, data: SiteData, inventory: dict) -> None:
    c = data.corpus
    texts = {r["id"]: record_texts(data, r) for r in data.records}
    for r in data.records:
        d = doc_dir(r)
        out.add(d + "record.yaml", texts[r["id"]][0])
        out.add(d + "record.json", texts[r["id"]][1])
        out.add(d + "cite.ris", citation.ris(r, data.base_url))
        out.add(d + "cite.bib", citation.bibtex(r, data.base_url))
        out.add(d + "cite.json", citation.csl_json(r, data.base_url))
    header, rows = recommendation_rows(data)
    out.add("data/recommendations.csv", csv_text([header] + rows))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["topic", "parent", "report", "meeting", "paragraphs", "paragraphs_raw", "locations",
                "locations_raw", "index_document", "source_file", "source_page", "source_line"])
    for r in data.records:
        for row in r["index_rows"]:
            key = c.meeting_key_of_symbol(row["report"])
            w.writerow([row["topic"] or "", row["parent"] or "", row["report"],
                        f"{groups.short(key[0])}/{key[1]}" if key else "",
                        " ".join(row["paragraphs"]), row["paragraphs_raw"],
                        " ".join(row["locations"]), row["locations_raw"], r["id"],
                        row["source"]["file"], row["source"]["page"] or "", row["source"]["line"]])
    out.add("data/topic-index.csv", buf.getvalue())
    out.add("data/corpus.json",
            "[\n" + ",\n".join(texts[r["id"]][1].rstrip("\n") for r in data.records) + "\n]\n")
    known = f'"base_url": {to_json(data.base_url)},\n' if data.base_url else ""
    out.add("inventory.json", '{"format": "wgindex-inventory", "version": 1,\n' + known + '"resolutions": '
            + to_json(inventory["resolutions"]) + ',\n"targets": ' + to_json_lines(inventory["targets"]) + "}\n")
    add_feeds(out, data)
    static = template_dir() / "static"
    for f in sorted(static.iterdir()):
        if f.is_file():
            out.add(f"static/{f.name}", f.read_bytes())
