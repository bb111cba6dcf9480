#!/usr/bin/env bash
# Refresh the .ts sources from the GUI's tr()/translate() calls, without line locations, so
# that edits elsewhere in a file (and parallel branches) do not churn every message.
# Then fill the new Russian <translation> entries and drop type="unfinished".
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PHOTOSEARCH_VENV:-$here/.venv}"
cd "$here"
"$venv/bin/pyside6-lupdate" -locations none -no-obsolete photosearch/gui/*.py \
    -ts resources/i18n/photosearch_en.ts resources/i18n/photosearch_ru.ts
