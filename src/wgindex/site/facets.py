"""What a recommendation or paragraph is about, for the filters and tags of the site: the topics
a thematic index maps to it, and the states and organisations its text names."""

from __future__ import annotations

from .. import groups
from ..corpus.link import Corpus, entity_name


def group_and_year_of(corpus: Corpus, record: dict) -> tuple[str, int | None]:
    """The working group (``WG.7``, or "") and year a document is filed under: the year of its
    meeting, else of its issue.  Search and the recommendations page filter by these."""
    key = corpus.meeting_of_record(record)
    m = corpus.meetings.get(key) if key else None
    when = (m.start if m else None) or record.get("issue_date")
    group = groups.short(record["working_group"]) if record.get("working_group") else ""
    return group, when.year if when else None


def topics_of(corpus: Corpus, record: dict, paragraph: str | None) -> list[str]:
    """The topics whose index rows cite this paragraph of this report (by its symbol), sorted
    as the topics page sorts them."""
    ref = corpus.symbols.get(record.get("symbol") or "") if paragraph else None
    if not ref:
        return []
    base = paragraph.split("(")[0]
    rows = ref.paragraphs.get(paragraph, []) + (ref.paragraphs.get(base, []) if base != paragraph else [])
    return sorted({row.topic for row in rows if row.topic}, key=lambda t: corpus.topic_slugs.get(t, t))


def entities_named(text: str, names_re) -> list[str]:
    """The states and organisations of the corpus that a text names, by any printed form of
    their names (``SiteData.names_re``: longest first, so 南苏丹 is not read as 苏丹), under
    their entity names."""
    if not names_re or not text:
        return []
    return sorted({entity_name(m.group(0)) for m in names_re.finditer(text)})
