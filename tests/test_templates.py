"""The site's Jinja2 code generator (direct calls, escaping without ``Markup`` per value)
writes what Jinja2's own writes: the same templates, rendered by both, give the same text."""

from __future__ import annotations

import pytest
from jinja2 import DictLoader, Environment, StrictUndefined, UndefinedError, pass_context
from markupsafe import Markup

from wgindex.site import fastjinja
from wgindex.site.fastjinja import SiteEnvironment, escaped_text
from wgindex.site.templates import environment


class Html:
    def __html__(self):
        return "<b>safe</b>"


class Obj:
    def __str__(self):
        return "o<&>\"'"

    def method(self, *args, **kwargs):
        return f"{args}|{sorted(kwargs.items())}<"


MACROS = """{% macro box(x, cls='c') -%}
<div class="{{ cls }}">{{ x }}{{ varargs|join(',') }}{{ kwargs }}</div>
{%- endmacro %}{% macro wrap(x) %}[{{ caller(x) }}|{{ caller(x ~ '<') }}]{% endmacro %}"""

SOURCES = {
    "plain": "{{ s }} {{ n }} {{ none }} {{ f }} {{ m }} {{ h }} {{ o }} {{ lst }} {{ d }}",
    "calls": "{{ f1(s) }} {{ f1(s ~ 'x') }}{{ kw(a=1, b=s) }}{{ kw(*lst) }}{{ kw(**d) }}"
             "{{ kw(1, *lst, c=2, **d) }}{{ o.method(1, x=s) }}{{ kw(**{'class': 1}) }}{{ kw(class=s) }}",
    "loops": "{% for x in lst %}{{ loop.index }}{{ f1(x) }}{% for y in lst %}{{ kw(x, y) }}{% endfor %}"
             "{% else %}none{% endfor %}{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}",
    "macros": "{% import 'macros.html' as mc %}{{ mc.box(s) }}{{ mc.box(s, 'k', 1, 2) }}"
              "{% for x in lst %}{{ mc.box(x, cls=s) }}{% endfor %}"
              "{% call(v) mc.wrap(s) %}in {{ v }} {{ s }}{% endcall %}",
    "from": "{% from 'macros.html' import box with context %}{% set t %}{{ s }}{{ box(m) }}{% endset %}"
            "{{ t }}{{ t|length }}{% set u = box(s) %}{{ u }}{{ (u ~ s) }}",
    "filters": "{{ s|upper }}{{ lst|join(s) }}{{ s|e }}{{ m|safe }}{{ s|safe }}{% filter upper %}{{ s }}"
               "{% endfilter %}{{ '%s<' % s }}{{ [s, m]|join }}",
    "autoescape": "{% autoescape false %}{{ s }}{% endautoescape %}{{ s }}"
                  "{% autoescape flag %}{{ s }}{% endautoescape %}",
    "extends": "{% extends 'base.html' %}{% block b %}{{ f1(s) }}{{ super() }}{% endblock %}",
    "base.html": "<{% block b %}{{ s }}{% endblock %}>{{ self.b() }}",
    "macros.html": MACROS,
    "globals": "{{ range(3)|list }}{{ dict(a=s) }}{{ namespace(x=1).x }}{% set ns = namespace(v=0) %}"
               "{% for x in lst %}{% set ns.v = ns.v + x %}{% endfor %}{{ ns.v }}{{ cycler(s, m).next() }}",
}

VALUES = dict(s="<a & 'b' \"c\">", n=3, none=None, f=1.5, m=Markup("<i>m</i>"), h=Html(), o=Obj(),
              lst=[1, 2], d={"k": "<v>"}, flag=True,
              f1=lambda x: f"[{x}]", kw=lambda *a, **k: f"{a}{sorted(k.items())}&")


def _envs():
    out = []
    for cls in (Environment, SiteEnvironment):
        out.append(cls(loader=DictLoader(SOURCES), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True))
    return out


@pytest.mark.parametrize("name", sorted(n for n in SOURCES if "." not in n))
def test_site_generator_renders_what_jinja2_renders(name):
    jinja, site = _envs()
    want = jinja.get_template(name).render(**VALUES)
    assert site.get_template(name).render(**VALUES) == want
    assert "context.call" not in site.compile(SOURCES[name], raw=True)  # the calls are direct


@pytest.mark.parametrize("name", ["plain", "macros", "filters", "autoescape"])
def test_site_generator_without_autoescape(name):
    plain = [cls(loader=DictLoader(SOURCES)) for cls in (Environment, SiteEnvironment)]
    assert plain[1].get_template(name).render(**VALUES) == plain[0].get_template(name).render(**VALUES)


def test_errors_are_jinja2s():
    jinja, site = _envs()
    for env in (jinja, site):
        with pytest.raises(UndefinedError):
            env.from_string("{{ missing(1) }}").render()
        with pytest.raises(TypeError):
            env.from_string("{{ f1(1, 2) }}").render(**VALUES)


def test_escaped_text_is_markupsafes_escape():
    for value in ["", "<&>'\"", "纯文本", 0, -1.5, None, Markup("<b>"), Html(), Obj(), ["<"], True]:
        assert escaped_text(value) == str(__import__("markupsafe").escape(value))


def test_a_global_that_wants_the_context_is_refused(monkeypatch):
    @pass_context
    def wants(context):
        return context

    class Callable:
        @pass_context
        def __call__(self, context):
            return context

    assert fastjinja.passes_context(wants) and fastjinja.passes_context(Callable())
    assert not fastjinja.passes_context(len) and not fastjinja.passes_context(lambda: 1)
    environment()  # the site's own globals are plain
    real = fastjinja.SiteEnvironment.__init__

    def init(self, *a, **k):
        real(self, *a, **k)
        self.globals["wants"] = wants

    monkeypatch.setattr(fastjinja.SiteEnvironment, "__init__", init)
    with pytest.raises(TypeError, match="wants"):
        environment()


def test_attributes_of_a_dict_are_looked_up_as_jinja2_does():
    jinja, site = _envs()
    source = "{{ d.k }}{{ d['k'] }}{{ d.items()|list }}{{ d.get('k') }}{{ e.keys }}{{ e.x }}{{ o.method() }}"
    values = dict(d={"k": "<v>"}, e={"keys": 1, "x": 2}, o=Obj())
    assert site.from_string(source).render(**values) == jinja.from_string(source).render(**values)
    for env in (jinja, site):
        with pytest.raises(UndefinedError, match="has no attribute 'missing'"):
            env.from_string("{{ d.missing }}").render(d={"k": 1})
        assert env.from_string("{{ d.missing is defined }}").render(d={}) == "False"
        with pytest.raises(UndefinedError):
            env.from_string("{{ n.missing }}").render(n=1)


def test_a_generator_that_renders_otherwise_is_not_used(monkeypatch):
    """The generator leans on Jinja2's compiler, which is not public API: a Jinja2 it does not
    fit (here: escaping that lets markup through) makes the site use Jinja2's own generator."""
    assert fastjinja.generator_works()
    assert "context.call" not in SiteEnvironment().compile("{{ f(1) }}", raw=True)
    fastjinja.generator_works.cache_clear()
    monkeypatch.setattr(fastjinja, "escaped_text", lambda value: str(value))
    try:
        assert not fastjinja.generator_works()
        env = SiteEnvironment(autoescape=True)
        assert "context.call" in env.compile("{{ f(1) }}", raw=True)
        assert env.from_string("{{ s }}").render(s="<a>") == "&lt;a&gt;"
    finally:
        fastjinja.generator_works.cache_clear()


def _compiles(monkeypatch) -> list:
    """The names of the templates compiled from here on (Jinja2 compiles what its bytecode
    cache does not give it)."""
    names: list = []
    real = SiteEnvironment.compile

    def compile(self, source, name=None, filename=None, *a, **k):
        names.append(name)
        return real(self, source, name, filename, *a, **k)

    monkeypatch.setattr(SiteEnvironment, "compile", compile)
    return names


SEARCH = dict(page="search/", root="../", u=lambda path: "../" + path, base_url="", title="搜索")


def test_compiled_templates_are_kept_between_builds(tmp_path, monkeypatch):
    compiled = _compiles(monkeypatch)
    folder = tmp_path / "templates"
    first = environment(folder).get_template("search.html").render(**SEARCH)
    assert set(compiled) == {"search.html", "base.html"}
    kept = sorted(p.name for p in folder.iterdir())
    assert len(kept) == 2 and all(name.endswith(".cache") for name in kept)
    compiled.clear()
    again = environment(folder).get_template("search.html").render(**SEARCH)
    assert compiled == []  # both came from their kept code, which renders the same
    assert again == first == environment().get_template("search.html").render(**SEARCH)
    assert "<h1>搜索</h1>" in first


def test_kept_code_of_other_code_is_removed_and_damage_costs_a_compile(tmp_path, monkeypatch):
    folder = tmp_path / "templates"
    environment(folder).get_template("search.html")
    (folder / "0123-ffffffffffffffff.cache").write_bytes(b"another wgindex's")
    (folder / "notes.txt").write_text("not ours")
    kept = [p for p in folder.iterdir() if p.name.endswith(".cache") and not p.name.startswith("0123")]
    for p in kept:  # damaged: cut short
        p.write_bytes(p.read_bytes()[:40])
    compiled = _compiles(monkeypatch)
    env = environment(folder)
    assert not (folder / "0123-ffffffffffffffff.cache").exists() and (folder / "notes.txt").exists()
    html = env.get_template("search.html").render(**SEARCH)
    assert "search.html" in compiled and "<html" in html
    compiled.clear()
    environment(folder).get_template("search.html")
    assert compiled == []  # written again whole


def test_a_folder_that_cannot_hold_compiled_templates_costs_a_compile(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    env = environment(blocked / "templates")
    assert env.get_template("search.html") is not None
    assert blocked.read_text() == "a file where the folder would be"


def test_an_edited_template_is_compiled_again(tmp_path, monkeypatch):
    import shutil

    from wgindex.site.templates import template_dir
    mine = tmp_path / "mine"
    shutil.copytree(template_dir(), mine)
    monkeypatch.setenv("WGINDEX_TEMPLATES", str(mine))
    folder = tmp_path / "templates"
    assert "<h1>搜索</h1>" in environment(folder).get_template("search.html").render(**SEARCH)
    search = mine / "search.html"
    search.write_text(search.read_text(encoding="utf-8").replace("<h1>搜索</h1>", "<h1>查找</h1>"), encoding="utf-8")
    compiled = _compiles(monkeypatch)
    html = environment(folder).get_template("search.html").render(**SEARCH)
    assert compiled == ["search.html"] and "<h1>查找</h1>" in html
