"""Readable, stable ASCII slugs for topics and states (pinyin)."""

from __future__ import annotations

import hashlib
import re

MAX_LEN = 60

# label -> slugify(label).  A label's slug depends on the label alone, so the build keeps
# them between builds (``cache.SlugCache``): a build whose labels were all seen before does
# not load pypinyin, whose dictionaries take 0.3 s to import.
KNOWN: dict[str, str] = {}


def _pinyin(text: str) -> list[str]:
    try:
        from pypinyin import lazy_pinyin
    except ImportError:  # pragma: no cover - pypinyin is a declared dependency
        return [text]
    return lazy_pinyin(text, errors=lambda s: [s])


def slugify(label: str) -> str:
    """``对被偷运移民的协助`` -> ``dui-bei-tou-yun-yi-min-de-xie-zhu``.

    Depends only on the label itself.  Long labels are cut and given a short hash of the
    whole label, so two labels that share a long prefix never share a slug.
    """
    slug = KNOWN.get(label)
    if slug is None:
        slug = KNOWN[label] = _slugify(label)
    return slug


def _slugify(label: str) -> str:
    words = _pinyin(label)
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
