"""Readable, stable ASCII slugs for topics and states (pinyin)."""

from __future__ import annotations

import hashlib
import re

try:
    from pypinyin import lazy_pinyin
except ImportError:  # pragma: no cover - pypinyin is a declared dependency
    lazy_pinyin = None

MAX_LEN = 60


def slugify(label: str) -> str:
    """``对被偷运移民的协助`` -> ``dui-bei-tou-yun-yi-min-de-xie-zhu``.

    Depends only on the label itself.  Long labels are cut and given a short hash of the
    whole label, so two labels that share a long prefix never share a slug.
    """
    words = lazy_pinyin(label, errors=lambda s: [s]) if lazy_pinyin else [label]
    text = "-".join(words).lower()
    text = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    digest = hashlib.sha1(label.encode("utf-8")).hexdigest()[:6]
    if not text:
        return f"x-{digest}"
    if len(text) > MAX_LEN:
        return text[:MAX_LEN].rstrip("-") + "-" + digest
    return text


def unique_slugs(labels) -> dict[str, str]:
    """label -> slug for a set of labels; homophones get the label's hash appended."""
    out: dict[str, str] = {}
    taken: dict[str, str] = {}
    for label in sorted(set(labels)):
        slug = slugify(label)
        if slug in taken and taken[slug] != label:
            slug = f"{slug}-{hashlib.sha1(label.encode('utf-8')).hexdigest()[:6]}"
        taken[slug] = label
        out[label] = slug
    return out
