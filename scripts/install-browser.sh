#!/usr/bin/env bash
# Install what the browser and conformance tests need on a fresh Debian machine:
# Debian's chromium (Playwright drives it; no browser download) and the Node packages of
# package.json (axe-core, commonmark-spec) from the npm registry.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends chromium >/dev/null
fi
if [ ! -f node_modules/axe-core/axe.min.js ] || [ ! -f node_modules/commonmark-spec/spec.txt ]; then
  npm ci --no-audit --no-fund --silent
fi
