"""The site's templates: where they are, their digest (with the code's), and the Jinja2
environment with the pure helpers every template may call."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2.compiler import CodeGenerator, optimizeconst
from markupsafe import escape

from .. import groups
from .._version import __version__
from ..corpus import urls
from ..errors import WgindexError
from ..numerals import int_to_cn
from ..symbols import is_valid
from . import labels

PACKAGE = Path(__file__).resolve().parents[1]  # src/wgindex (checkout) or site-packages/wgindex


def template_dir() -> Path:
    env = os.environ.get("WGINDEX_TEMPLATES")
    candidates = [Path(env)] if env else []
    candidates += [PACKAGE / "templates", PACKAGE.parents[1] / "templates"]  # wheel, then checkout
    for c in candidates:
        if (c / "base.html").exists():
            return c
    raise WgindexError("the site templates are not installed with wgindex (reinstall it, or "
                       "set WGINDEX_TEMPLATES to a folder of templates)")


def files_digest(root: Path, files) -> str:
    """A digest of files by their path under ``root`` and their bytes (caches not counted)."""
    h = hashlib.sha256()
    for f in sorted(files):
        if f.is_file() and "__pycache__" not in f.parts:
            h.update(f.relative_to(root).as_posix().encode() + b"\0" + f.read_bytes())
    return h.hexdigest()


def _tree_digest(root: Path, pattern: str) -> str:
    return files_digest(root, root.rglob(pattern))


def templates_digest() -> str:
    """The templates and static files, as bytes: a change to any re-renders what uses them."""
    return _tree_digest(template_dir(), "*")


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """wgindex's own code: pages rendered by other code are never reused."""
    return _tree_digest(PACKAGE, "*.py")


try:
    from markupsafe import _escape_inner  # markupsafe's own escaping of a str, in C
except ImportError:  # pragma: no cover - another markupsafe
    def _escape_inner(text: str) -> str:
        return str(escape(text))


def escaped_text(value) -> str:
    """What autoescaped ``{{ value }}`` writes: markupsafe's ``escape``, without wrapping each
    value in a ``Markup`` (what a template writes is joined into one text at once; a macro's
    and a ``set`` block's are made ``Markup`` as a whole)."""
    if value.__class__ is str:
        return _escape_inner(value)
    html = getattr(value, "__html__", None)
    return html() if html is not None else _escape_inner(str(value))


class _Generator(CodeGenerator):
    """Jinja2's code generator, with two costs of every page taken out (the output is the
    same, byte for byte: the golden site tree).

    - A call is made directly, not through ``Context.call``, which looks, for each of the
      ~1,000 calls of a page, for a ``pass_context`` marker no function here has
      (``environment`` checks its globals; a page's functions are plain too).
    - An output is escaped by ``escaped_text``."""

    def visit_Template(self, node, frame=None) -> None:
        self.writeline(f"from {__name__} import escaped_text as _escaped_text")
        super().visit_Template(node, frame)

    @optimizeconst
    def visit_Call(self, node, frame, forward_caller: bool = False) -> None:
        if self.environment.is_async or self.environment.sandboxed:
            return super().visit_Call(node, frame, forward_caller)
        self.write("(")
        self.visit(node.node, frame)
        self.write(")(*()")  # so that the leading comma of each argument is valid Python
        self.signature(node, frame, {"caller": "caller"} if forward_caller else None)
        self.write(")")

    def _output_child_pre(self, node, frame, finalize) -> None:
        if frame.eval_ctx.autoescape and not frame.eval_ctx.volatile and finalize.src is None:
            self.write("_escaped_text(")
        else:
            super()._output_child_pre(node, frame, finalize)


_DICT_NAMES = frozenset(name for name in dir(dict) if hasattr({}, name))


class SiteEnvironment(Environment):
    """Jinja2's environment, with ``_Generator``; and ``x.name`` of a plain dict (a record,
    a paragraph) looked up as the item where Jinja2 would find no attribute, without first
    raising and catching an AttributeError (what ``Environment.getattr`` does for each)."""

    code_generator_class = _Generator

    def getattr(self, obj, attribute):
        if obj.__class__ is dict and attribute not in _DICT_NAMES:
            try:
                return obj[attribute]
            except KeyError:
                return self.undefined(obj=obj, name=attribute)
        try:
            return getattr(obj, attribute)
        except AttributeError:  # an item, or undefined: as Jinja2 decides
            return Environment.getattr(self, obj, attribute)


def passes_context(fn) -> bool:
    """Whether Jinja2 would hand ``fn`` the context, the environment or the eval context."""
    return getattr(fn, "jinja_pass_arg", None) is not None or \
        getattr(getattr(fn, "__call__", None), "jinja_pass_arg", None) is not None


def environment() -> Environment:
    env = SiteEnvironment(loader=FileSystemLoader(str(template_dir())),
                      autoescape=select_autoescape(["html", "xml", "svg"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters["cn"] = int_to_cn
    env.tests["symbol"] = is_valid
    # pure functions of their arguments: what a page shows still depends on its context only
    env.globals.update(
        category_label=labels.category_label, kind_label=labels.kind_label,
        meeting_label=labels.meeting_label, meeting_title=labels.meeting_title,
        doc_title=labels.doc_title, cite_prefix=labels.cite_prefix, doc_name=labels.doc_name,
        distribution_label=labels.distribution_label, language_label=labels.language_label,
        same_text=labels.same_text,
        group_name=groups.chinese_name, short_group=groups.short, version=__version__,
        symbol_dir=urls.symbol_dir, meeting_dir=urls.meeting_dir, topic_dir=urls.topic_dir,
        entity_dir=urls.entity_dir, doc_dir=urls.doc_dir, para_anchor=urls.para_anchor,
        resolution_dir=urls.resolution_dir, loc_anchor=urls.loc_anchor)
    wanting = sorted(name for name, fn in env.globals.items() if callable(fn) and passes_context(fn))
    if wanting:  # calls are direct (``_Generator``): none of them would get what it asks for
        raise TypeError(f"template globals that want the context: {', '.join(wanting)}")
    return env
