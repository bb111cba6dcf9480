#!/usr/bin/env bash
# Set up on first use, then start photosearch (arguments go to the app or the CLI).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/setup-env.sh"
exec "${PHOTOSEARCH_VENV:-$here/.venv}/bin/photosearch" "$@"
