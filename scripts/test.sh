#!/usr/bin/env bash
# The test command of the README: makes the project's virtual environment (.venv/, see
# scripts/venv.sh) with the test dependencies and the optional Dask extra (its test runs), installs Debian's chromium (browser tests),
# LibreOffice with CJK fonts (office-exported fixture PDFs) and the Node packages, then runs the
# whole suite with the environment's python.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=$(bash scripts/venv.sh test dask)
bash scripts/install-browser.sh
bash scripts/install-office.sh
exec "$PY" -m pytest -p no:cacheprovider "$@"
