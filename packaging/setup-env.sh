#!/usr/bin/env bash
# Create (or update) the project's virtual environment in .venv; sourced by run.sh/test.sh.
# pip + venv on purpose: it takes torch from a local wheel cache where one exists, and
# builds hnswlib from source where no wheel fits (needs a C++ compiler, about a minute).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${PHOTOSEARCH_VENV:-$here/.venv}"
extras="${1:-}"
python="${PYTHON:-python3}"
if [ ! -x "$venv/bin/python" ]; then
    echo "Creating $venv…" >&2
    "$python" -m venv "$venv"
    "$venv/bin/python" -m pip install -q --upgrade pip
fi
stamp="$venv/.installed$extras"
if [ ! -f "$stamp" ] || [ "$here/pyproject.toml" -nt "$stamp" ]; then
    echo "Installing photosearch$extras and its dependencies (first time: a few minutes)…" >&2
    "$venv/bin/python" -m pip install -q -e "$here$extras"
    touch "$stamp"
fi
# The interface's translations: .ts sources in the repository, .qm built here (the app
# builds missing or stale ones into the user cache itself, so this only saves that step).
for ts in "$here"/resources/i18n/*.ts; do
    qm="${ts%.ts}.qm"
    if [ ! -f "$qm" ] || [ "$ts" -nt "$qm" ]; then
        "$venv/bin/pyside6-lrelease" -silent "$ts" -qm "$qm" || echo "Could not build $qm" >&2
    fi
done
if [ "$(uname -s)" = "Linux" ] && command -v ldconfig >/dev/null; then
    missing=""
    for lib in libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1; do
        ldconfig -p | grep -q "$lib" || missing="$missing $lib"
    done
    if [ -n "$missing" ]; then
        echo "Qt needs system libraries that are missing:$missing" >&2
        echo "On Debian/Ubuntu: sudo apt-get install libegl1 libgl1 libxkbcommon0 libfontconfig1 \\" >&2
        echo "  libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 \\" >&2
        echo "  libxcb-render-util0 libxcb-xinerama0 libxcb-shape0" >&2
    fi
fi
