#!/usr/bin/env bash
# Set up on first use, then lint and run the whole test suite (pytest arguments pass on).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/setup-env.sh" "[test]"
venv="${PHOTOSEARCH_VENV:-$here/.venv}"
cd "$here"
"$venv/bin/ruff" check photosearch tests benchmarks
"$venv/bin/lint-imports"   # the import contracts in pyproject.toml (the core never imports Qt)
QT_QPA_PLATFORM=offscreen exec "$venv/bin/python" -m pytest "$@"
