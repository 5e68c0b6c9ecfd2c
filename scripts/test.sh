#!/usr/bin/env bash
# The test command of the README: installs what the tests need (Python packages, Debian's
# chromium for the browser tests, Node packages) and runs the whole suite.
set -euo pipefail
cd "$(dirname "$0")/.."
export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_ROOT_USER_ACTION=ignore
python3 -m pip install -q -e '.[test]'
if [ -f scripts/install-browser.sh ]; then
  bash scripts/install-browser.sh
fi
exec python3 -m pytest -p no:cacheprovider "$@"
