"""The site's templates: where they are, their digest (with the code's), and the Jinja2
environment with the pure helpers every template may call."""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path

import jinja2
from jinja2 import Environment, FileSystemBytecodeCache, FileSystemLoader, StrictUndefined, select_autoescape

from .. import groups
from .._version import __version__
from ..corpus import urls
from ..errors import WgindexError
from ..numerals import int_to_cn
from ..symbols import is_valid
from . import labels
from .fastjinja import SiteEnvironment, passes_context

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


class CompiledTemplates(FileSystemBytecodeCache):
    """The templates' compiled code kept between builds in ``directory``, so a build compiles
    only a template that changed (compiling the site's 22 took 0.34 s, in each render worker
    that met them).  Jinja2 checks each file against its template's source; the file's name
    carries a digest of wgindex's code and Jinja2's version (the code generator is ours), and
    files of other digests are removed.  A file that cannot be read (damaged) or written (a
    read-only cache) costs a compile, never the build."""

    def __init__(self, directory: Path, salt: str):
        self.salt = hashlib.sha256(f"{salt}\0{jinja2.__version__}".encode()).hexdigest()[:16]
        super().__init__(str(directory), f"%s-{self.salt}.cache")

    def prune(self) -> None:
        """Remove the files of other code (another wgindex or Jinja2 built with this cache)."""
        try:
            names = os.listdir(self.directory)
        except OSError:
            return
        for name in names:
            if name.endswith(".cache") and not name.endswith(f"-{self.salt}.cache"):
                try:
                    os.unlink(os.path.join(self.directory, name))
                except OSError:
                    pass

    def load_bytecode(self, bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - a damaged file (marshal's errors vary): compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        try:
            os.makedirs(self.directory, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def environment(compiled: Path | None = None) -> Environment:
    """The site's Jinja2 environment; ``compiled``: a folder where the templates' compiled code
    is kept between builds (``CompiledTemplates``)."""
    env = SiteEnvironment(loader=FileSystemLoader(str(template_dir())),
                      autoescape=select_autoescape(["html", "xml", "svg"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    if compiled is not None:  # the generator in use is part of the code (``fastjinja``)
        env.bytecode_cache = CompiledTemplates(compiled, f"{code_digest()}\0{env.code_generator_class.__name__}")
        env.bytecode_cache.prune()
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
