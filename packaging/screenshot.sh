#!/bin/sh
# Regenerate the README's screenshots from the real app under a virtual X server (Debian:
# xvfb xauth xdotool, and the Qt xcb libraries the README lists: libxcb-cursor0
# libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
# libxcb-xinerama0 libxcb-shape0 libegl1 libgl1): the search on
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
