"""People: accuracy on the shared face photos, the cost of finding faces, indexing with
People on against off, and grouping 100k faces incrementally.

- accuracy: every pair of detected faces of the shared photos (identities from the
  folders and the README's group layout), same/different at the join distance and at
  dlib's 0.6; the closest different pair and the farthest same pair; the persons the
  real faces pass makes.
- cost: seconds a photo of our detection (1024-px copy, upsampled only below 640 px)
  against the issue's baseline (HOG upsampled once at 1000 px), on the same photos.
- indexing: ``index_library`` with the random ViT-B-32 on imagenet photos plus the face
  photos, People off and on: when search is ready (the embedding stage, which faces never
  hold up: they run after it) and when the whole run ends (faces included).
- grouping: 100k synthetic 128-d faces of 5,000 identities (spread as dlib's are: faces
  of one person ~0.35 apart, of two people ~0.85), placed by the real ``Grouper`` into a
  real catalog in chunks of 16, as the faces pass does; the time and the purity.

Prints numbers, asserts nothing. Run: python benchmarks/bench_faces.py [--photos 48]
[--faces 100000] [--skip-indexing]
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from common import SHARED, imagenet_photos, machine, random_vit_checkpoint  # noqa: E402

GROUPS = {"two_people.jpg": ["obama", "biden"],
          "obama_and_biden.jpg": ["biden", "obama", None],
          "kit_with_rose.jpg": ["rose_leslie", "kit_harington"]}


def face_photos() -> list[Path]:
    folder = SHARED / "faces"
    if not folder.is_dir():
        raise SystemExit(f"SKIPPED: {folder} is not here (only in the team's workspace)")
    return sorted(p for p in folder.glob("*/*") if p.suffix.lower() in (".jpg", ".png"))


def identity(path: Path, i: int) -> str | None:
    if path.parent.name != "groups":
        return path.parent.name
    names = GROUPS[path.name]
    return names[i] if i < len(names) else None


def accuracy(photos: list[Path]) -> None:
    from photosearch.core.faces import detect
    from photosearch.core.faces.grouping import JOIN_DISTANCE

    models = detect.FaceModels.shared()
    rows = []
    for path in photos:
        for i, face in enumerate(detect.faces_in_file(str(path), models)):
            rows.append((identity(path, i), face.vector))
    known = [(n, v) for n, v in rows if n is not None]
    same, diff = [], []
    for (a, va), (b, vb) in itertools.combinations(known, 2):
        (same if a == b else diff).append(float(np.linalg.norm(va - vb)))
    same_a, diff_a = np.array(same), np.array(diff)
    print(f"faces detected: {len(rows)} in {len(photos)} photos "
          f"({len(rows) - len(known)} of a stranger)")
    print(f"pairs: {len(same)} same-person, {len(diff)} different")
    print(f"same-person distance: mean {same_a.mean():.3f}, max {same_a.max():.3f}; "
          f"different: mean {diff_a.mean():.3f}, min {diff_a.min():.3f}")
    for t in (JOIN_DISTANCE, 0.6):
        right = int((same_a < t).sum() + (diff_a >= t).sum())
        print(f"pairwise verification at {t}: {right}/{len(same) + len(diff)} = "
              f"{right / (len(same) + len(diff)):.4f}")


def min_face(photos: list[Path]) -> None:
    """How far a face's vector moves from its full-size one when the photo is shrunk
    until the face is N px wide (what ``MIN_FACE`` is chosen from)."""
    from PIL import Image

    from photosearch.core.faces import detect

    models = detect.FaceModels.shared()
    kept, detect.MIN_FACE = detect.MIN_FACE, 0
    drift: dict[int, list[float | None]] = {}
    try:
        for path in photos:
            if path.parent.name == "groups":
                continue
            with Image.open(path) as im:
                image = im.convert("RGB")
            found = models.find(image)
            if len(found) != 1:
                continue
            side = found[0].box[2] - found[0].box[0]
            for target in (80, 48, 40, 32, 24):
                s = target / side
                small = image.resize((max(1, int(image.width * s)),
                                      max(1, int(image.height * s))), Image.Resampling.LANCZOS)
                faces = models.find(small)
                drift.setdefault(target, []).append(
                    min((float(np.linalg.norm(f.vector - found[0].vector)) for f in faces),
                        default=None))
    finally:
        detect.MIN_FACE = kept
    for target, values in drift.items():
        seen = [v for v in values if v is not None]
        moved = f", vector moved mean {np.mean(seen):.3f}, max {max(seen):.3f}" if seen else ""
        print(f"face shrunk to {target} px: found {len(seen)}/{len(values)}{moved}")


def cost(photos: list[Path]) -> None:
    from photosearch.core.faces import detect

    models = detect.FaceModels.shared()

    def per_photo() -> float:
        started = time.perf_counter()
        for path in photos:
            detect.faces_in_file(str(path), models)
        return (time.perf_counter() - started) / len(photos)

    ours = per_photo()
    side, below = detect.DETECT_SIDE, detect.UPSAMPLE_BELOW
    detect.DETECT_SIDE, detect.UPSAMPLE_BELOW = 1000, 10 ** 6     # the baseline
    try:
        base = per_photo()
    finally:
        detect.DETECT_SIDE, detect.UPSAMPLE_BELOW = side, below
    print(f"faces per photo: ours {ours:.3f} s, HOG x2 at 1000 px {base:.3f} s "
          f"({base / ours:.1f}x)")


def indexing(n: int) -> None:
    from photosearch.core.duplicates.hook import DuplicateHook
    from photosearch.core.faces.hook import FaceHook
    from photosearch.core.library import Library
    from photosearch.core.model import load_encoder, resolve_source
    from photosearch.core.pipeline import index_library

    encoder = load_encoder(resolve_source("ViT-B-32", weights=str(random_vit_checkpoint())))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "photos"
        folder.mkdir()
        for p in imagenet_photos(n) + face_photos():
            shutil.copy(p, folder / f"{p.parent.name}_{p.name}")
        total = len(list(folder.iterdir()))
        print(f"indexing {total} photos ({n} imagenet + the face photos), "
              f"{encoder.device} {encoder.precision}")
        runs = {}
        for people in (False, True):
            with Library.open(Path(tmp) / f"lib-{people}") as lib:
                lib.update_settings(people=people)
                lib.add_folder(folder)
                started = time.monotonic()
                # no TagHook: a random model's vocabulary would take minutes to embed
                report = index_library(lib, encoder, hooks=[DuplicateHook(), FaceHook()])
                runs[people] = (report.embed_seconds, time.monotonic() - started)
        (off_ready, off_all), (on_ready, on_all) = runs[False], runs[True]
        print(f"People off: search ready after {off_ready:.1f} s "
              f"({total / off_ready:.2f} photos/s); run {off_all:.1f} s")
        print(f"People on:  search ready after {on_ready:.1f} s "
              f"({total / on_ready:.2f} photos/s, {off_ready / on_ready:.2f}x of off); "
              f"run with the faces pass {on_all:.1f} s "
              f"({off_all / on_all:.2f}x the rate of off)")


def grouping(n_faces: int, identities: int = 5000, chunk: int = 16) -> None:
    from photosearch.core.faces import store
    from photosearch.core.faces.grouping import Grouper
    from photosearch.core.library import Library

    rng = np.random.default_rng(0)
    centres = rng.normal(0, 0.85 / 16, (identities, 128)).astype(np.float32)
    who = rng.integers(0, identities, n_faces)
    vectors = centres[who] + rng.normal(0, 0.35 / 16, (n_faces, 128)).astype(np.float32)
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "lib") as lib:
        folder = lib.catalog.add_folder(str(Path(tmp) / "photos"))
        with lib.catalog.write():
            photo_ids = [lib.catalog.add_photo(folder.id, f"{tmp}/photos/{i}.jpg", 1, 1.7e9)
                         for i in range(n_faces)]
        started = time.perf_counter()
        grouper = Grouper.load(lib.catalog)
        placed = []
        for start in range(0, n_faces, chunk):
            part = slice(start, start + chunk)
            with lib.catalog.write() as conn:
                ids = []
                for pid, v in zip(photo_ids[part], vectors[part], strict=True):
                    ids += store.replace_faces(conn, pid, "h", [((0, 0, 1, 1), v)])[0]
                placed += grouper.place(conn, ids, photo_ids[part], vectors[part])
        seconds = time.perf_counter() - started
    placed_a = np.array(placed)
    persons = len(set(placed))
    split = sum(len(set(placed_a[who == k])) > 1 for k in range(identities) if (who == k).any())
    mixed = sum(len(set(who[placed_a == p])) > 1 for p in set(placed))
    print(f"grouping {n_faces:,} faces ({identities:,} identities) incrementally, "
          f"chunks of {chunk}: {seconds:.1f} s ({n_faces / seconds:,.0f} faces/s); "
          f"{persons:,} persons, {split} identities split, {mixed} persons mixed")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=48)
    parser.add_argument("--faces", type=int, default=100_000)
    parser.add_argument("--skip-indexing", action="store_true")
    args = parser.parse_args()
    print(machine())
    photos = face_photos()
    accuracy(photos)
    min_face(photos)
    cost(photos)
    grouping(args.faces)
    if not args.skip_indexing:
        indexing(args.photos)


if __name__ == "__main__":
    main()
