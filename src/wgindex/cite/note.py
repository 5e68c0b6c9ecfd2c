"""Render a Markdown briefing note with every citation turned into a link.

The citation rule is a markdown-it-py *core* rule in the style of ``rules_core/linkify.py``:
markdown-it's ``text`` rule swallows CJK characters, so an inline rule would never be
reached in the middle of Chinese prose.  The core rule walks the inline tokens after
parsing, skips everything inside links (and code spans, autolinks, raw HTML, which are not
text tokens), and splits text tokens around citations.  Nothing else changes: on the
652 CommonMark examples the output equals markdown-it-py's with GFM tables and strikethrough.

Two more rules, both as CommonMark allows: a line break between two CJK characters is no
space (Chinese is written without spaces; elsewhere a soft break stays one), and a citation
that does not resolve is marked ``<span class="cite unresolved no_such_paragraph"
title="reason">`` instead of being left as plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import escape

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .finder import LINKED, Citation, Resolver, find_citations

# East Asian wide characters: CJK ideographs, kana, hangul, CJK and full-width punctuation
_WIDE = re.compile(r"[\u1100-\u11ff\u2e80-\u303f\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
                   r"\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


@dataclass
class NoteResult:
    html: str
    citations: list[tuple[int, Citation]] = field(default_factory=list)  # (line, citation)

    @property
    def unresolved(self) -> list[tuple[int, Citation]]:
        return [(line, c) for line, c in self.citations if c.status not in LINKED]


def citation_plugin(md: MarkdownIt, resolver: Resolver | None, found: list) -> None:
    def rule(state: StateCore) -> None:
        for block in state.tokens:
            if block.type != "inline" or not block.children:
                continue
            line = (block.map[0] + 1) if block.map else 1
            depth = 0
            children: list[Token] = []
            kids = block.children
            for k, tok in enumerate(kids):
                if tok.type == "link_open":
                    depth += 1
                elif tok.type == "link_close":
                    depth -= 1
                elif tok.type in ("softbreak", "hardbreak"):
                    line += 1
                if tok.type == "softbreak" and _between_wide(kids, k):
                    continue  # 挑战。\n关于 -> 挑战。关于
                if tok.type != "text" or depth > 0 or not tok.content:
                    children.append(tok)
                    continue
                cites = find_citations(tok.content)
                if not cites:
                    children.append(tok)
                    continue
                pos = 0
                for c in cites:
                    if resolver is not None:
                        resolver.resolve(c)
                    found.append((line + tok.content[:c.start].count("\n"), c))
                    if c.start > pos:
                        children.append(_text(state, tok.content[pos:c.start], tok.level))
                    if c.url and c.status in LINKED:
                        op = Token("link_open", "a", 1)
                        op.attrs = {"href": c.url, "class": f"cite {c.status}"}
                        op.level = tok.level
                        op.markup = "wgindex"
                        op.info = "auto"
                        children.append(op)
                        children.append(_text(state, c.text, tok.level + 1))
                        cl = Token("link_close", "a", -1)
                        cl.level = tok.level
                        cl.markup = "wgindex"
                        cl.info = "auto"
                        children.append(cl)
                    else:
                        op = Token("span_open", "span", 1)
                        op.attrs = {"class": f"cite unresolved {c.status or 'unresolved'}",
                                    "title": c.reason or c.status or ""}
                        children += [op, _text(state, c.text, tok.level + 1), Token("span_close", "span", -1)]
                    pos = c.end
                if pos < len(tok.content):
                    children.append(_text(state, tok.content[pos:], tok.level))
            block.children = children
    md.core.ruler.after("inline", "wgindex_citations", rule)


def _between_wide(tokens: list[Token], k: int) -> bool:
    """Whether the soft break ``tokens[k]`` stands between two wide (CJK) characters."""
    before = next((t.content for t in reversed(tokens[:k]) if t.type == "text" and t.content), "")
    after = next((t.content for t in tokens[k + 1:] if t.type == "text" and t.content), "")
    return bool(before and after and _WIDE.match(before[-1]) and _WIDE.match(after[0]))


def _text(state: StateCore, content: str, level: int) -> Token:
    t = Token("text", "", 0)
    t.content = content
    t.level = level
    return t


def make_markdown(resolver: Resolver | None, found: list, *, allow_html: bool = False) -> MarkdownIt:
    """CommonMark with the citation rule.  Raw HTML in a note is escaped unless
    ``allow_html`` (a note someone else wrote must not run scripts in the reader's browser);
    markdown-it's link validation already refuses ``javascript:`` and ``data:`` URLs."""
    md = MarkdownIt("commonmark", {"html": allow_html}).enable(["table", "strikethrough"])
    citation_plugin(md, resolver, found)
    return md


def render_note(text: str, resolver: Resolver | None, *, allow_html: bool = False) -> NoteResult:
    found: list = []
    html = make_markdown(resolver, found, allow_html=allow_html).render(text)
    return NoteResult(html=html, citations=found)


PAGE = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif;
       line-height: 1.7; max-width: 46rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }}
a.cite {{ color: #005a9c; }}
.cite.unresolved {{ text-decoration: underline wavy #b3261e; text-underline-offset: .2em; cursor: help; }}
code, pre {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f6f9; }}
pre {{ padding: .5rem; overflow-x: auto; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
th, td {{ border: 1px solid #c6ccd2; padding: .3rem .6rem; vertical-align: top; }}
th {{ background: #f3f6f9; }}
.link-list {{ display: none; }}
@media print {{
  body {{ margin: 0; max-width: none; counter-reset: link; }}
  a {{ color: inherit; }}
  main a[href^="http"], main a[href*="/"] {{ counter-increment: link; }}
  main a[href^="http"]::after, main a[href*="/"]::after {{ content: "[" counter(link) "]"; font-size: .7em; vertical-align: super; }}
  .link-list {{ display: block; break-before: auto; font-size: .85em; word-break: break-all; }}
}}
</style>
</head>
<body>
<main>
{body}</main>
{links}</body>
</html>
"""


_HREF = re.compile(r'<a href="([^"]+)"')


def link_list(html: str) -> str:
    """The URLs of the note's links, numbered in reading order: printed at the end, since a
    printed note cannot be clicked (the print stylesheet numbers the links to match)."""
    urls = [u for u in _HREF.findall(html) if u.startswith("http") or "/" in u]
    if not urls:
        return ""
    items = "".join(f"<li>{u}</li>\n" for u in urls)  # already escaped by the renderer
    return f'<section class="link-list" aria-label="链接"><h2>链接</h2>\n<ol>\n{items}</ol>\n</section>\n'


def standalone(html: str, text: str) -> str:
    title = "briefing note"
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            title = line.lstrip("# ").strip() or title
            break
    return PAGE.format(title=escape(title), body=html, links=link_list(html))
