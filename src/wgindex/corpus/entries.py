"""The linked corpus's entries as typed dataclasses: what ``build_corpus`` makes and the pages read.

A record is the parser's contract (``schema``); these are the linker's: a meeting known from
documents and report histories, a symbol and everything that points at it, a topic and its index
rows, a state or organisation and where it attended and spoke, a recommendation or source
discrepancy placed in its document and meeting.  Record parts inside them (``source``) stay in
the record's own plain form, so a page shows them the way the record file prints them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import ClassVar

from ..schema import Discrepancy, Recommendation

MeetingKey = tuple  # (working group, meeting number)


@dataclass
class MeetingEntry:
    group: str
    short: str
    number: int
    start: date | None = None
    end: date | None = None
    venue: str | None = None
    documents: list[str] = field(default_factory=list)    # record ids of the meeting's documents
    known_from: list[str] = field(default_factory=list)   # record ids that name the meeting


@dataclass
class Reference:
    """One place a document points at a symbol: the citing record, the anchor there, and why."""
    doc: str
    anchor: str
    context: str


@dataclass
class RowRef:
    """One row of a thematic index, placed in its index document (``row`` counts from 0)."""
    doc: str
    row: int
    topic: str | None
    report: str
    paragraphs: list[str]
    locations: list[str]
    source: dict

    def citing(self, paragraphs: list[str]) -> "RowRef":
        """This row as it cites ``paragraphs`` only (one compilation location's paragraph):
        ``dataclasses.replace`` without its work per field, which was a fifth of linking
        (76,000 rows at 1,000 documents)."""
        row = object.__new__(RowRef)
        row.__dict__.update(self.__dict__, paragraphs=paragraphs)
        return row


@dataclass
class SymbolEntry:
    symbol: str
    in_corpus: bool = False
    referenced_by: list[Reference] = field(default_factory=list)
    paragraphs: dict[str, list[RowRef]] = field(default_factory=dict)  # paragraph -> index rows
    locations: dict[str, list[RowRef]] = field(default_factory=dict)   # compilation location -> rows
    made_from: list[str] = field(default_factory=list)  # ids of the records its references come from
    # the fields not made from those records: with the records' digests they are what a page
    # digest takes the entry as (``site.digest``); ``corpus.link`` makes the rest from the
    # records of ``made_from`` alone, and ``tests/test_digest.py`` checks that it does
    MADE_FROM_RECORDS_BUT: ClassVar[tuple] = ("symbol", "in_corpus")


@dataclass
class Topic:
    label: str
    rows: list[RowRef] = field(default_factory=list)
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    synthetic: bool = False   # a parent no row names by itself
    made_from: list[str] = field(default_factory=list)  # ids of the records its rows come from
    MADE_FROM_RECORDS_BUT: ClassVar[tuple] = ("label", "parent", "children", "synthetic")  # see SymbolEntry


@dataclass
class Attended:
    meeting: MeetingKey | None
    category: str
    doc: str
    paragraph: str | None


@dataclass
class Spoke:
    meeting: MeetingKey | None
    agenda_items: list[str]
    doc: str
    paragraph: str | None
    category: str


@dataclass
class Entity:
    """A state or an organisation, under its name without a bracketed abbreviation."""
    name: str
    attended: list[Attended] = field(default_factory=list)
    spoke: list[Spoke] = field(default_factory=list)
    kinds: set[str] = field(default_factory=set)   # "state", "organization"
    aliases: list[str] = field(default_factory=list)


@dataclass
class Mention:
    doc: str


@dataclass
class LinkedRecommendation(Recommendation):
    """A recommendation of a record (``schema.Recommendation``'s fields; ``source`` in the
    record's plain form) with its document and meeting."""
    doc: str
    meeting: MeetingKey | None


@dataclass
class LinkedDiscrepancy(Discrepancy):
    """A source discrepancy of a record (``schema.Discrepancy``'s fields) with its document."""
    doc: str
