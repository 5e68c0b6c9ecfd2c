"""The record contract (spec §5) as typed dataclasses: a document record and its parts.

Field order is YAML order.  Parsers build a ``Record`` and hand on ``record.to_dict()``, the
plain, JSON-shaped form every later stage, the YAML/JSON files and the templates read; records
read back from disk (the parse cache, ``wgindex render``) are checked against the same types
by ``problems`` (``paragraphs[3].source.line: expected a whole number, found 'x'``), and their
dates revived at the places the types say hold dates (both in ``records``).
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from datetime import date


@dataclass
class Source:
    file: str
    page: int | None = None
    line: int | None = None


@dataclass
class DocumentSource:
    file: str
    sha256: str
    reader: str
    pages: int | None
    parser_version: str


@dataclass
class Meeting:
    number: int | None = None
    start: date | None = None
    end: date | None = None
    venue: str | None = None


@dataclass
class Subsection:
    label: str
    title: str
    source: Source


@dataclass
class Section:
    numeral: str
    title: str
    source: Source
    subsections: list[Subsection] = field(default_factory=list)


@dataclass
class Text:
    """A heading, or a stretch of text no numbered paragraph holds."""
    text: str
    source: Source


@dataclass
class Subparagraph:
    label: str | None
    text: str
    source: Source


@dataclass
class Paragraph:
    number: str
    text: str
    section: str | None
    subsection: str | None
    subparagraphs: list[Subparagraph]
    source: Source


@dataclass
class Subitem:
    label: str
    title: str
    source: Source


@dataclass
class Annotation:
    subitem: str | None
    text: str
    heading: bool
    source: Source


@dataclass
class ItemDocument:
    symbol: str
    description: str
    source: Source


@dataclass
class AgendaItem:
    number: str
    title: str
    subitems: list[Subitem]
    source: Source
    annotation: list[Annotation] = field(default_factory=list, metadata={"optional": True})
    documents: list[ItemDocument] = field(default_factory=list, metadata={"optional": True})


@dataclass
class ScheduleRow:
    date: date | str | None
    weekday: str | None
    slot: str | None
    item: str
    title: str
    continued: bool
    source: Source


@dataclass
class Recommendation:
    number: str
    text: str
    section: str | None
    heading: str | None
    paragraph: str | None
    source: Source


@dataclass
class RecommendationHeading:
    section: str | None
    heading: str | None
    count: int
    source: Source | None


@dataclass
class Attendance:
    category: str
    names: list[str]
    incomplete: bool
    paragraph: str
    source: Source


@dataclass
class Speakers:
    agenda_items: list[str]
    category: str
    names: list[str]
    incomplete: bool
    paragraph: str
    source: Source


@dataclass
class Person:
    name: str
    state: str


@dataclass
class DocumentBefore:
    symbol: str
    description: str
    label: str | None
    source: Source


@dataclass
class EarlierMeeting:
    number: int
    start: date | None
    end: date | None
    paragraph: str
    source: Source


@dataclass
class Footnote:
    mark: str
    text: str
    source: Source


@dataclass
class IndexRow:
    topic: str | None
    topic_raw: str | None
    parent: str | None
    report: str
    paragraphs: list[str]
    paragraphs_raw: str
    locations: list[str]
    locations_raw: str
    source: Source


@dataclass
class Discrepancy:
    kind: str
    row: int
    topic: str
    report: str
    paragraph: str
    expected: str
    found: str
    source: Source


@dataclass
class Correction:
    find: str
    replace: str
    line: int | None
    applied: int


@dataclass
class Warning:
    message: str
    source: Source


@dataclass
class Record:
    id: str
    symbol: str | None
    symbol_source: str | None
    kind: str
    draft: bool
    working_group: str | None
    body: str | None
    distribution: str | None
    issue_date: date | None
    language: str | None
    original_language: str | None
    title: str | None
    meeting: Meeting
    source: DocumentSource
    filed_under_agenda_item: str | None = None
    reissued: date | str | None = None
    provisional_agenda: str | None = None
    compilation: str | None = None
    sections: list[Section] = field(default_factory=list)
    headings: list[Text] = field(default_factory=list)
    paragraphs: list[Paragraph] = field(default_factory=list)
    # English reports only: text that no numbered paragraph holds (absent otherwise)
    texts: list[Text] | None = field(default=None, metadata={"omit_if_none": True})
    agenda_items: list[AgendaItem] = field(default_factory=list)
    schedule: list[ScheduleRow] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    recommendation_headings: list[RecommendationHeading] = field(default_factory=list)
    adopted_agenda: list[AgendaItem] = field(default_factory=list)
    attendance: list[Attendance] = field(default_factory=list)
    speakers: list[Speakers] = field(default_factory=list)
    chair: Person | None = None
    panellists: list[Person] = field(default_factory=list)
    sessions_held: int | None = None
    documents_before_meeting: list[DocumentBefore] = field(default_factory=list)
    list_of_participants: str | None = None
    adopted_on: date | None = None
    earlier_meetings: list[EarlierMeeting] = field(default_factory=list)
    mentions: dict = field(default_factory=dict)
    footnotes: list[Footnote] = field(default_factory=list)
    index_rows: list[IndexRow] = field(default_factory=list)
    report_patterns: dict = field(default_factory=dict)
    discrepancies: list[Discrepancy] = field(default_factory=list)
    corrections: list[Correction] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)

    def to_dict(self) -> dict:
        return to_dict(self)


KINDS = ("agenda", "report", "index", "other")
# the six official UN languages and their codes, in the order the site prefers one version of a
# document to the others (Chinese first): the first version present is the page at its symbol
LANG_CODES = {"Chinese": "zh", "English": "en", "French": "fr", "Spanish": "es", "Russian": "ru",
              "Arabic": "ar"}


def warning(message: str, file: str, page: int | None = None, line: int | None = None) -> dict:
    """A record's warning, in its dict form."""
    return to_dict(Warning(message, Source(file, page, line)))


# --- conversion ---------------------------------------------------------------------------

def to_dict(obj, _seen: dict | None = None):
    """A dataclass (and its parts) as plain dicts and lists, fields in order.  A part shared
    by two places stays one object (so the YAML is what it was: one anchor, one alias)."""
    t = type(obj)
    if t is str or t is int or obj is None or t is bool:
        return obj
    seen = {} if _seen is None else _seen
    if id(obj) in seen:
        return seen[id(obj)]
    if hasattr(t, "__dataclass_fields__") and t is not type:
        out = {}
        for name, omit_if_none in _fields_of(t):
            value = getattr(obj, name)
            if value is None and omit_if_none:
                continue
            out[name] = to_dict(value, seen)
    elif isinstance(obj, list):
        out = [to_dict(x, seen) for x in obj]
    elif isinstance(obj, dict):
        out = {k: to_dict(v, seen) for k, v in obj.items()}
    else:
        return obj
    seen[id(obj)] = out
    return out


@functools.lru_cache(maxsize=None)
def _fields_of(cls) -> tuple:
    return tuple((f.name, bool(f.metadata.get("omit_if_none"))) for f in dataclasses.fields(cls))
