#!/usr/bin/env bash
# Make the project's virtual environment .venv/ and install wgindex into it (editable), with
# the extras named as arguments (e.g. `bash scripts/venv.sh test`).  Works on a stock
# Debian/Ubuntu Python, where installing into the system Python is refused (PEP 668): on a
# machine without the venv module it installs Debian's python3-venv first (as root, or with
# sudo).  Prints the path of the environment's python.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  if ! "$PY" -m venv .venv >/dev/null 2>&1; then
    rm -rf .venv
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    ver=$("$PY" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq "python${ver}-venv" >/dev/null 2>&1 || $SUDO apt-get install -y -qq python3-venv >/dev/null
    "$PY" -m venv .venv
  fi
fi
extras=""
if [ "$#" -gt 0 ]; then extras="[$(IFS=,; echo "$*")]"; fi
.venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
.venv/bin/python -m pip install -q -e ".${extras}" 2>&1 | grep -v "^WARNING: Location" >&2 || true
.venv/bin/python -c "import wgindex" || { echo "scripts/venv.sh: installing wgindex failed" >&2; exit 1; }
echo "$PWD/.venv/bin/python"
