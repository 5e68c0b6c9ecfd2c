"""wgindex as users install it: a wheel (not the checkout) in a fresh virtual environment,
used from a folder outside the repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """A fresh venv with wgindex installed from a wheel built from this checkout."""
    base = tmp_path_factory.mktemp("install")
    dist = base / "dist"
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                            str(ROOT)], capture_output=True, text=True, env=env, timeout=600)
    assert build.returncode == 0, build.stderr[-3000:]
    wheel = next(dist.glob("wgindex-*.whl"))
    vdir = base / "venv"
    venv.EnvBuilder(with_pip=True, clear=True).create(vdir)
    py = vdir / "bin" / "python"
    inst = subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], capture_output=True,
                          text=True, env=env, timeout=900)
    assert inst.returncode == 0, inst.stderr[-3000:]
    return vdir, env


def test_wheel_install_builds_checks_cites_notes_and_renders_outside_the_repository(installed, tmp_path):
    vdir, env = installed
    exe = vdir / "bin" / "wgindex"
    work = tmp_path / "elsewhere"
    work.mkdir()
    shutil.copytree(ROOT / "seeds", work / "docs")

    def run(*argv):
        return subprocess.run([str(exe), *argv], cwd=work, capture_output=True, text=True,
                              env=env, timeout=600)

    where = subprocess.run([str(vdir / "bin" / "python"), "-c", "import wgindex; print(wgindex.__file__)"],
                           cwd=work, capture_output=True, text=True, env=env)
    assert str(vdir) in where.stdout and str(ROOT) not in where.stdout
    r = run("build", "docs", "-o", "site")
    assert r.returncode == 0, r.stderr
    assert (work / "site" / "index.html").is_file()
    assert (work / "site" / "static" / "site.js").is_file()
    assert (work / "site" / "CTOC" / "COP" / "WG.7" / "2022" / "1" / "index.html").is_file()
    r = run("check", "docs")
    assert r.returncode == 0 and "source discrepancy" in r.stdout, r.stderr
    r = run("cite", "--site", "site", "CTOC/COP/WG.7/2015/6，第23段")
    assert r.returncode == 0 and "#para-23" in r.stdout, r.stdout + r.stderr
    (work / "note.md").write_text("见 CTOC/COP/WG.7/2017/5，第12段。\n", encoding="utf-8")
    r = run("note", "note.md", "--site", "site", "-o", "note.html")
    assert r.returncode == 0, r.stderr
    assert "para-12" in (work / "note.html").read_text(encoding="utf-8")
    r = run("render", "site", "-o", "again")
    assert r.returncode == 0, r.stderr
    assert (work / "again" / "index.html").read_bytes() == (work / "site" / "index.html").read_bytes()
    assert "Traceback" not in r.stderr
