#!/bin/sh
# Regenerate docs/screenshot.png from the real app under a virtual X server (Debian: xvfb).
set -eu
cd "$(dirname "$0")/.."
[ -d .venv ] && . .venv/bin/activate
QT_QPA_PLATFORM=xcb exec xvfb-run -a -s "-screen 0 1600x1000x24" python docs/make_screenshot.py
