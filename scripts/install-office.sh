#!/usr/bin/env bash
# Install what the office-exported fixture PDFs need on a fresh Debian machine: LibreOffice
# Writer without a GUI and CJK fonts (tests/officemake.py, tests/test_office_pdfs.py).
set -euo pipefail
if command -v soffice >/dev/null 2>&1 && fc-list | grep -qi "UMing" && fc-list | grep -qi "Zen Hei"; then
  exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-arphic-uming \
  fonts-wqy-zenhei fonts-liberation2 >/dev/null
