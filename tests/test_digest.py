"""The digest a page is reused by (``digest._Digest``): equal contexts give equal digests,
however their objects are shared; any change, however deep, gives another; only data is taken."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

import pytest
from markupsafe import Markup

from wgindex.site.page import Page
from wgindex.site.digest import _Digest


@dataclass
class Leaf:
    text: str


@dataclass
class Empty:
    pass


@dataclass
class Node:
    name: str
    leaves: list = field(default_factory=list)
    child: object = None
    tags: set = field(default_factory=set)
    when: date | None = None


def tree(text="a", tags=("x", "y"), depth=3):
    node = Node("root", [Leaf(text), Leaf("b"), Empty()], None, set(tags), date(2020, 1, 2))
    for n in range(depth):  # entries inside entries inside entries
        node = Node(f"n{n}", [Leaf(f"l{n}"), node], Node("side", [Leaf(text)]), {"t"})
    return node


def digest(*contexts, digester=None):
    d = digester or _Digest(SimpleNamespace(records=[]))
    return [d.page("base", Page(f"p{i}/index.html", "t.html", c)) for i, c in enumerate(contexts)]


def test_equal_contexts_give_equal_digests_however_objects_are_shared():
    shared = tree()
    one = digest({"a": shared, "b": shared, "m": Markup("<b>")})
    two = digest({"a": tree(), "b": tree(), "m": Markup("<b>")})
    assert one == two
    # the same entries met again, in another page of the same build, are named alike
    d = _Digest(SimpleNamespace(records=[]))
    first = digest({"a": tree()}, {"a": shared}, digester=d)
    assert first[1] == digest({"a": tree()}, {"a": tree()})[1]


@pytest.mark.parametrize("change", [
    lambda t: setattr(t.leaves[1].leaves[1].leaves[1].leaves[0], "text", "changed"),  # deepest leaf
    lambda t: t.leaves[1].leaves[1].leaves[1].tags.add("z"),
    lambda t: setattr(t.leaves[1].leaves[1].leaves[1], "when", date(2020, 1, 3)),
    lambda t: setattr(t.child.leaves[0], "text", "b"),
    lambda t: t.leaves[1].leaves.append(Empty()),
    lambda t: setattr(t, "name", "other"),
])
def test_any_change_however_deep_gives_another_digest(change):
    changed = tree()
    change(changed)
    assert digest({"a": tree()}) != digest({"a": changed})
    # and while other entries are being spelled out around it
    assert digest({"x": tree("q"), "a": tree(), "y": tree("r")}) != \
        digest({"x": tree("q"), "a": changed, "y": tree("r")})


def test_sets_are_digested_in_sorted_order():
    assert digest({"s": {"b", "a", "c"}}) == digest({"s": {"c", "b", "a"}})
    assert digest({"s": {"b", "a"}}) != digest({"s": {"b", "a", "c"}})


def test_an_entry_of_another_class_with_the_same_fields_differs():
    @dataclass
    class Other:
        text: str

    assert digest({"a": Leaf("x")}) != digest({"a": Other("x")})


@pytest.mark.parametrize("value", [lambda: 1, object(), SimpleNamespace(a=1), iter([1])])
def test_only_data_is_taken(value):
    with pytest.raises(TypeError, match="data only"):
        digest({"a": [1, {"b": value}]})
    with pytest.raises(TypeError, match="data only"):
        digest({"a": Node("n", [Leaf("x")], value)})


@dataclass
class Keyed:
    by: dict


def test_an_entry_json_cannot_spell_is_pickled_and_still_compared():
    # a dict keyed by tuples: JSON refuses it, the pickler spells the entry out
    one = digest({"a": Keyed({("WG.7", 1): Leaf("x")})})
    assert one == digest({"a": Keyed({("WG.7", 1): Leaf("x")})})
    assert one != digest({"a": Keyed({("WG.7", 2): Leaf("x")})})
    assert one != digest({"a": Keyed({("WG.7", 1): Leaf("y")})})


@pytest.mark.parametrize("value,other", [
    (b"ab", b"ac"), (Leaf, Empty), (frozenset({"a"}), frozenset({"b"})), (date(2020, 1, 1), "2020-01-01"),
    (1, 1.0), (1, True), (None, "null"), ([Leaf("x")], [{"text": "x"}]),
])
def test_inside_an_entry_values_json_would_confuse_stay_apart(value, other):
    assert digest({"a": Node("n", [value])}) != digest({"a": Node("n", [other])})


def test_a_page_digest_does_not_depend_on_the_pages_digested_before_it():
    # an entry met first inside another entry, or first on its own, is spelled alike: the
    # pages a worker happens to digest first (its chunk) never change another page's digest
    def pages(shared):
        return [{"in": Node("outer", [shared])}, {"alone": shared}, {"set": {"k": [shared, Leaf("z")]}}]

    forward = digest(*pages(tree()))
    d = _Digest(SimpleNamespace(records=[]))
    backward = [d.page("base", Page(f"p{i}/index.html", "t.html", c))
                for i, c in reversed(list(enumerate(pages(tree()))))]
    assert forward == backward[::-1]
