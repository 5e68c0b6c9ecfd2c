"""The digest a page is reused by: of its path, template and context.

Equal contexts give equal digests however their objects are shared; any change, however deep,
gives another; a context holds data only (anything else is a ``TypeError``).  A record, and
each of its lists and their items, is named by the record's digest and its place; a corpus
entry (a dataclass: a row reference, a meeting, a recommendation) is spelled out once and
named by the digest of its spelling after that.  An entry made from records (a symbol's, a
topic: ``MADE_FROM_RECORDS_BUT``) is taken as its other fields and those records' digests.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import json
import operator
import pickle
from datetime import date
from json.encoder import c_make_encoder, encode_basestring

from markupsafe import Markup

from .page import Page

_PLAIN = frozenset({str, int, float, bool, type(None), list, tuple, dict, date, Markup,
                    bytes, type})  # bytes: how a date pickles; type: a dataclass's class, pickled by name


def _entry_fields(t: type) -> tuple:
    """How an entry of dataclass ``t`` is spelled out: its class's name and a function giving
    its fields' values, in order (found once a class: ``dataclasses.fields`` each time was a
    fifth of the digests' time)."""
    found = _ENTRY_FIELDS.get(t)
    if found is None:
        names = tuple(f.name for f in dataclasses.fields(t))
        get = operator.attrgetter(*names) if len(names) > 1 else \
            (lambda obj, name=names[0]: (getattr(obj, name),)) if names else (lambda obj: ())
        found = _ENTRY_FIELDS[t] = (t.__module__, t.__qualname__, get)
    return found


_ENTRY_FIELDS: dict[type, tuple] = {}


def _made_from(t: type):
    """For an entry class made from records (``MADE_FROM_RECORDS_BUT``, with ``made_from``
    the ids of its records): a function giving its other fields; else None."""
    found = _MADE_FROM.get(t, False)
    if found is False:
        but = getattr(t, "MADE_FROM_RECORDS_BUT", None)
        found = _MADE_FROM[t] = None if but is None else operator.attrgetter(*but, "made_from")
    return found


_MADE_FROM: dict[type, object] = {}


def _refuse(obj):
    raise TypeError(f"a page context holds data only, not {type(obj).__name__}")


class _Entries:
    """The tokens of the corpus entries met so far (``known``: id -> token, shared with the
    pickler, which also holds the records' tokens there).

    An entry is spelled out as the JSON text of its class's name and its fields, entries
    inside it included, by the C encoder: a symbol page lists ~200 row references and
    references, and the pickler called back into Python for each of their ~4,700 parts (symbol
    pages took 2.3 ms each to digest, most of all digests' time at 1,000 documents).  Only
    what JSON cannot say comes back to Python (``_other``): an entry inside the entry (spelled
    out in place, so an entry is spelled alike wherever and whenever it is met), a set (in
    sorted order), a date, bytes, a class.  JSON does not tell a tuple from a list, a ``str``
    from its subclass, or an integer key from its digits: an entry whose fields changed only
    so is not noticed.  An entry JSON refuses (a dict keyed by tuples) is pickled instead."""

    def __init__(self, known: dict, records: dict[str, str] | None = None):
        self.known = known
        self.records = records  # record id -> digest, for the entries made from records
        self.spare: list = []  # (buffer, pickler) pairs for the pickler's spelling, free to reuse
        if c_make_encoder is not None:  # one C encoder for all entries (JSONEncoder makes one a call)
            encoder = c_make_encoder(None, self._other, encode_basestring, None, ":", ",", False, False, True)
            self.encode = lambda value: "".join(encoder(value, 0))
        else:
            self.encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False,
                                           default=self._other).encode

    def token(self, obj) -> tuple:
        module, name, get = _entry_fields(type(obj))
        value = self._made(obj, module, name) or (module, name, get(obj))
        try:
            spelled = b"json\0" + self.encode(value).encode("utf-8", "surrogatepass")
        except (TypeError, ValueError):  # what JSON cannot say: the pickler's spelling
            spelled = b"pickle\0" + self._pickled(value)
        token = ("entry", hashlib.sha256(spelled).digest())
        self.known[id(obj)] = token
        return token

    def _made(self, obj, module: str, name: str) -> tuple | None:
        """An entry made from records, as its other fields and its records' digests: a symbol
        cited in many places is a page of hundreds of rows, spelled out in 1-2 ms, and the
        records' digests are known.  None when it is not one (or a record is not known)."""
        fields = _made_from(type(obj))
        if fields is None or self.records is None:
            return None
        *but, made_from = fields(obj)
        digests = [self.records.get(rid) for rid in made_from]
        return None if None in digests else ("made from", module, name, but, made_from, digests)

    def _pickled(self, value) -> bytes:
        if self.spare:
            buf, pickler = self.spare.pop()
        else:
            buf = io.BytesIO()
            pickler = _ContextPickler(buf, self.known, self)
        try:
            pickler.dump(value)
            return buf.getvalue()
        finally:
            buf.seek(0)
            buf.truncate()
            self.spare.append((buf, pickler))

    def _other(self, obj):
        t = type(obj)
        if t in _ENTRY_FIELDS or (dataclasses.is_dataclass(obj) and t is not type):
            module, name, get = _entry_fields(t)
            return self._made(obj, module, name) or ("\0entry", module, name, get(obj))
        if t is set or t is frozenset:
            return ("\0set", sorted(obj, key=repr))
        if t is date:
            return ("\0date", obj.isoformat())
        if t is bytes:
            return ("\0bytes", obj.hex())
        if t is type:
            return ("\0type", obj.__module__, obj.__qualname__)
        _refuse(obj)


class _ContextPickler(pickle.Pickler):
    """Pickles a page context as its digest's input: a record or a part of one is written as
    its token (the record's digest and the part's place), a set in sorted order, a corpus
    entry as its token (``_Entries``); anything that is not data is refused.  Everything else
    pickles as it is: the build iterates in sorted order, so equal contexts pickle to equal
    bytes.  (The C pickler: 2.6 s instead of 3.5 s for the Python walk it replaced; with
    entries named, 1.9 s instead of 2.5 s; with the entries' picklers reused and their fields
    found once a class, 2.41-2.69 -> 1.85-1.88 s; entries spelled out as JSON, see
    ``_Entries``; 1,000 documents.)"""

    def __init__(self, file, known: dict, entries: _Entries):
        super().__init__(file, protocol=5)
        self.known = known
        self.entries = entries
        # no memo: equal values pickle alike whether or not they are one object (a record
        # read from the cache shares fewer strings than one just parsed)
        self.fast = True

    def persistent_id(self, obj):
        t = type(obj)
        if t is str or t is int:
            return None
        token = self.known.get(id(obj))
        if token is not None:
            return token
        if t in _PLAIN:
            return None
        if t in _ENTRY_FIELDS or dataclasses.is_dataclass(obj):
            # a corpus entry: the same object stands in many pages, so it is spelled out once
            # and named by its digest after (the corpus's entries live as long as the build,
            # so their ids stay theirs)
            return self.entries.token(obj)
        if t is set or t is frozenset:
            return ("set", tuple(sorted(obj, key=repr)))
        _refuse(obj)


class _Digest:
    """A digest of a page context; records are hashed by their JSON text."""

    def __init__(self, data):
        self.known: dict[int, tuple] = {}
        by_id: dict[str, str] = {}
        self.entries = _Entries(self.known, by_id)
        for r in data.records:
            h = data.record_digests[r["id"]]
            self.known[id(r)] = ("record", h)
            by_id[r["id"]] = h
            # the record's lists and their items (its paragraphs, recommendations …) are named by
            # the record's digest and their place: a page that shows one paragraph need not spell
            # it out.  Deeper parts pickle as they are (naming them too held 41 MB more of the
            # build's memory at 1,000 documents, for no measurable speed)
            n = 0
            for v in r.values():
                t = type(v)
                if t is dict or t is list:
                    n += 1
                    self.known[id(v)] = ("part", h, n)
                    for w in (v.values() if t is dict else v):
                        if type(w) is dict or type(w) is list:
                            n += 1
                            self.known[id(w)] = ("part", h, n)

    def page(self, base: str, p: Page) -> str:
        buf = io.BytesIO()
        _ContextPickler(buf, self.known, self.entries).dump(p.digest_input())
        return hashlib.sha256(base.encode("utf-8") + buf.getvalue()).hexdigest()
