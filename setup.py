"""Ship the top-level ``templates/`` (the source of the site's templates and static files)
inside the package, so a wheel or a plain ``pip install .`` renders sites anywhere.
Everything else is in pyproject.toml."""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class build_py_with_templates(build_py):
    def run(self):
        super().run()
        src = HERE / "templates"
        if src.is_dir():  # an sdist carries them too (MANIFEST.in)
            dst = Path(self.build_lib) / "wgindex" / "templates"
            shutil.rmtree(dst, ignore_errors=True)
            shutil.copytree(src, dst)


setup(cmdclass={"build_py": build_py_with_templates})
