"""Render a Markdown briefing note with every citation turned into a link.

The citation rule is a markdown-it-py *core* rule in the style of ``rules_core/linkify.py``:
markdown-it's ``text`` rule swallows CJK characters, so an inline rule would never be
reached in the middle of Chinese prose.  The core rule walks the inline tokens after
parsing, skips everything inside links (and code spans, autolinks, raw HTML, which are not
text tokens), and splits text tokens around citations.  Nothing else changes: on the
652 CommonMark examples the output equals plain markdown-it-py's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore
from markdown_it.token import Token

from .finder import LINKED, Citation, Resolver, find_citations



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
            for tok in block.children:
                if tok.type == "link_open":
                    depth += 1
                elif tok.type == "link_close":
                    depth -= 1
                elif tok.type in ("softbreak", "hardbreak"):
                    line += 1
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
                        children.append(_text(state, c.text, tok.level))
                    pos = c.end
                if pos < len(tok.content):
                    children.append(_text(state, tok.content[pos:], tok.level))
            block.children = children
    md.core.ruler.after("inline", "wgindex_citations", rule)


def _text(state: StateCore, content: str, level: int) -> Token:
    t = Token("text", "", 0)
    t.content = content
    t.level = level
    return t


def make_markdown(resolver: Resolver | None, found: list, *, allow_html: bool = False) -> MarkdownIt:
    """CommonMark with the citation rule.  Raw HTML in a note is escaped unless
    ``allow_html`` (a note someone else wrote must not run scripts in the reader's browser);
    markdown-it's link validation already refuses ``javascript:`` and ``data:`` URLs."""
    md = MarkdownIt("commonmark", {"html": allow_html})
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
code, pre {{ font-family: ui-monospace, "DejaVu Sans Mono", monospace; background: #f3f6f9; }}
pre {{ padding: .5rem; overflow-x: auto; }}
@media print {{ body {{ margin: 0; max-width: none; }} a.cite {{ color: inherit; }}
  a.cite::after {{ content: " <" attr(href) ">"; font-size: .8em; color: #555; word-break: break-all; }} }}
</style>
</head>
<body>
<main>
{body}</main>
</body>
</html>
"""


def standalone(html: str, text: str) -> str:
    from html import escape
    title = "briefing note"
    for line in text.splitlines():
        if line.lstrip().startswith("#"):
            title = line.lstrip("# ").strip() or title
            break
    return PAGE.format(title=escape(title), body=html)
