#!/usr/bin/env python3
"""Validate resources/vocab/tags.tsv (stdlib only).

Usage: python3 check_vocab.py [path/to/tags.tsv]

Checks: UTF-8 without BOM, header `tag<TAB>ru<TAB>category`, exactly 3 columns per row,
no empty or padded fields, no duplicate `tag` or `ru` (case-insensitive, as the app looks them up),
every `ru` has Cyrillic and no Latin letters (except the listed exceptions), no `ё`
(labels use `е` so that typed queries match), category in the allowed set.
Prints counts per category. Exit status 0 when valid, 1 otherwise.
"""
import collections
import os
import re
import sys

HEADER = ["tag", "ru", "category"]
CATEGORIES = [
    "scene", "nature", "weather", "time", "animal", "plant", "food", "drink", "object",
    "vehicle", "building", "person", "activity", "event", "document", "art", "clothing",
    "sport", "other",
]
# Russian labels where a Latin part is the normal written form.
LATIN_EXCEPTIONS = {"QR-код"}

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
LATIN = re.compile(r"[A-Za-z]")


def main(argv):
    path = argv[1] if len(argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "tags.tsv")
    errors = []
    raw = open(path, "rb").read()
    if raw.startswith(b"\xef\xbb\xbf"):
        errors.append("file starts with a UTF-8 BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        print(f"ERROR: not valid UTF-8: {e}")
        return 1
    if "\r" in text:
        errors.append("file contains CR characters (use LF line endings)")
    if not text.endswith("\n"):
        errors.append("file does not end with a newline")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0].split("\t") != HEADER:
        errors.append(f"bad header: {lines[0] if lines else ''!r} (expected {'<TAB>'.join(HEADER)})")

    tags = {}
    rus = collections.defaultdict(list)
    cats = collections.Counter()
    latin_used = []
    for n, line in enumerate(lines[1:], start=2):
        cols = line.split("\t")
        if len(cols) != 3:
            errors.append(f"line {n}: {len(cols)} columns, expected 3: {line!r}")
            continue
        tag, ru, cat = cols
        for name, val in zip(HEADER, cols):
            if not val:
                errors.append(f"line {n}: empty {name}")
            elif val != val.strip() or "  " in val:
                errors.append(f"line {n}: stray whitespace in {name}: {val!r}")
        key = tag.casefold()
        if key in tags:
            errors.append(f"line {n}: duplicate tag {tag!r} (first on line {tags[key]})")
        else:
            tags[key] = n
        rus[" ".join(ru.split()).casefold()].append(tag)
        if ru and not CYRILLIC.search(ru):
            errors.append(f"line {n}: ru has no Cyrillic: {ru!r}")
        if LATIN.search(ru):
            if ru in LATIN_EXCEPTIONS:
                latin_used.append(ru)
            else:
                errors.append(f"line {n}: ru contains Latin letters: {ru!r}")
        if "ё" in ru or "Ё" in ru:
            errors.append(f"line {n}: ru contains ё (write е): {ru!r}")
        if cat not in CATEGORIES:
            errors.append(f"line {n}: unknown category {cat!r}")
        else:
            cats[cat] += 1

    dup_ru = {ru: t for ru, t in rus.items() if len(t) > 1}
    for ru, t in sorted(dup_ru.items()):
        errors.append(f"duplicate ru {ru!r} for tags: {', '.join(t)}")

    total = sum(cats.values())
    print(f"{path}: {total} tags")
    for cat in CATEGORIES:
        print(f"  {cat:<9} {cats[cat]:>5}")
    if latin_used:
        print("ru labels with Latin letters (allowed exceptions): " + ", ".join(sorted(latin_used)))
    if errors:
        print(f"FAILED: {len(errors)} problem(s)")
        for e in errors:
            print("  " + e)
        return 1
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
