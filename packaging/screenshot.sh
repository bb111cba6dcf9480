#!/bin/sh
# Regenerate the README's screenshots from the real app under a virtual X server (Debian:
# xvfb): the search on generated photos, and browsing real photos in English and Russian
# (needs ../shared/datasets/imagenet-sample).
set -eu
cd "$(dirname "$0")/.."
[ -d .venv ] && . .venv/bin/activate
run() { QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" python docs/make_screenshot.py "$@"; }
run search
run browse en
run browse ru
