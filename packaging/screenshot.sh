#!/bin/sh
# Regenerate the README's screenshots from the real app under a virtual X server (Debian:
# xvfb, and Qt's xcb libraries: libxcb-cursor0 libxkbcommon-x11-0): the search on
# generated photos, and browsing, duplicates and tags on real photos in English and
# Russian (needs ../shared/datasets/imagenet-sample, or $PHOTOSEARCH_DATASETS).
set -eu
cd "$(dirname "$0")/.."
[ -d .venv ] && . .venv/bin/activate
run() { QT_QPA_PLATFORM=xcb xvfb-run -a -s "-screen 0 1600x1000x24" python docs/make_screenshot.py "$@"; }
run search
for view in browse duplicates tags; do
    for lang in en ru; do
        run "$view" "$lang"
    done
done
