"""A Jinja2 environment whose templates run faster and render the same bytes.

Two costs of every page are taken out of the code Jinja2 generates (measured at 1,000
documents: the site's 2,135 pages 16.8-21.2 -> 10.8-10.9 s in one process, alternated):

- a call is made directly, not through ``Context.call``, which looks, for each of the ~1,000
  calls of a page, for a ``pass_context`` marker no function of the site has;
- an output is escaped by ``escaped_text``: markupsafe's escape, without a ``Markup`` made
  for each value.

And ``x.name`` of a plain dict (a record, a paragraph) is its item, found without raising
and catching the AttributeError Jinja2's ``getattr`` meets first.

The generator relies on Jinja2's compiler, which is not a public API: ``SiteEnvironment``
checks once per process that a probe template renders as Jinja2's own generator renders it,
and uses Jinja2's own generator when it does not (a Jinja2 this was not written for).
"""

from __future__ import annotations

import functools

from jinja2 import DictLoader, Environment, StrictUndefined
from jinja2.compiler import CodeGenerator, optimizeconst
from markupsafe import Markup, escape

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
    """Jinja2's code generator, calls made directly and outputs escaped by ``escaped_text``
    (the site is the same, byte for byte: the golden site tree; ``templates.environment``
    refuses a global that wants the context, and a page's functions are plain too)."""

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
    """Jinja2's environment, with ``_Generator`` (where ``generator_works``); and ``x.name``
    of a plain dict looked up as its item where Jinja2 would find no attribute, without first
    raising and catching an AttributeError (what ``Environment.getattr`` does for each)."""

    code_generator_class = _Generator

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not generator_works():
            self.code_generator_class = CodeGenerator

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


@functools.lru_cache(maxsize=1)
def generator_works() -> bool:
    """Whether ``_Generator`` renders the probe as Jinja2's own generator does."""
    probe = {"m.html": "{% macro box(x, k='<') %}<i k=\"{{ k }}\">{{ x }}{{ varargs|join }}</i>{% endmacro %}"
                       "{% macro wrap(x) %}[{{ caller(x) }}]{% endmacro %}",
             "p.html": "{% import 'm.html' as m %}{{ s }}{{ n }}{{ h }}{{ f(s, k=n) }}{{ d.k }}{{ d.items()|list }}"
                       "{% for x in [1, 2] %}{{ loop.index }}{{ f(x) }}{{ m.box(x, s, 3) }}{% endfor %}"
                       "{% call(v) m.wrap(s) %}{{ v }}{% endcall %}{% set t %}{{ s }}{% endset %}{{ t }}"}
    values = {"s": "<a & 'b'>", "n": 3, "h": Markup("<b>"), "d": {"k": "<"},
              "f": lambda *a, **k: f"{a}{sorted(k.items())}"}
    try:
        out = [cls(loader=DictLoader(probe), autoescape=True, undefined=StrictUndefined)
               .get_template("p.html").render(**values) for cls in (Environment, _Probe)]
    except Exception:  # noqa: BLE001 - any failure of the generator: Jinja2's own is used
        return False
    return out[0] == out[1]


class _Probe(Environment):
    code_generator_class = _Generator


def passes_context(fn) -> bool:
    """Whether Jinja2 would hand ``fn`` the context, the environment or the eval context."""
    return getattr(fn, "jinja_pass_arg", None) is not None or \
        getattr(getattr(fn, "__call__", None), "jinja_pass_arg", None) is not None
