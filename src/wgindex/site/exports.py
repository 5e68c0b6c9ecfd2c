"""The site's downloads and static files: each record as YAML and JSON, the recommendations
and the topic index as CSV, all records as one JSON file, the link-target inventory."""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import os
from pathlib import Path

from .. import groups
from ..corpus.urls import doc_dir
from ..records import to_json, to_yaml
from . import citation
from .exports_rows import csv_text, recommendation_rows
from .feeds import add_feeds
from .lookups import SiteData
from .templates import template_dir
from .write import REUSE, SiteWriter


def _listed(items):
    """The pieces of a JSON list with one item per line (readable and diffable), as they come."""
    yield "[\n"
    for i, item in enumerate(items):
        yield ",\n" + item if i else item
    yield "\n]\n"


def record_texts(data: SiteData, r: dict) -> tuple[str, str]:
    """record.yaml and record.json of a record (made by the parser workers when they can)."""
    if r["id"] in data.serialized:
        return data.serialized[r["id"]]
    return to_yaml(r), to_json(r)


PER_RECORD = ("record.yaml", "record.json", "cite.ris", "cite.bib", "cite.json")


def add_exports(out: SiteWriter, data: SiteData, inventory: dict, memo: dict | None = None,
                previous: Path | None = None, base: str = "") -> dict:
    """Add the downloads to ``out``.  A record's own files (``PER_RECORD``) are functions of
    the record, the base URL and the code alone: with ``memo`` (the previous build's render
    memo) and ``previous`` (its site), a record whose digest is unchanged keeps the previous
    site's files (``REUSE``).  Returns this build's memo entries for them."""
    c = data.corpus
    texts = {r["id"]: record_texts(data, r) for r in data.records}
    kept: dict = {}
    for r in data.records:
        d = doc_dir(r)
        key = "\0exports/" + d  # no page path starts with a NUL
        digest = hashlib.sha256((base + "\0" + data.record_digests[r["id"]]).encode("utf-8")).hexdigest()
        kept[key] = {"digest": digest}
        old = (memo or {}).get(key)
        if previous is not None and isinstance(old, dict) and old.get("digest") == digest \
                and all(os.path.isfile(os.path.join(previous, d + f)) for f in PER_RECORD):
            for f in PER_RECORD:
                out.add(d + f, REUSE)
            continue
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
    # the two largest files go out piece by piece (a whole 30 MB string, then its bytes, was
    # the peak of the worker that makes the downloads)
    out.add("data/corpus.json", _listed(texts[r["id"]][1].rstrip("\n") for r in data.records))
    known = f'"base_url": {to_json(data.base_url)},\n' if data.base_url else ""
    out.add("inventory.json", itertools.chain(
        ['{"format": "wgindex-inventory", "version": 1,\n' + known + '"resolutions": '
         + to_json(inventory["resolutions"]) + ',\n"targets": '],
        _listed(map(to_json, inventory["targets"])), ["}\n"]))
    add_feeds(out, data)
    static = template_dir() / "static"
    for f in sorted(static.iterdir()):
        if f.is_file():
            out.add(f"static/{f.name}", f.read_bytes())
    return kept
