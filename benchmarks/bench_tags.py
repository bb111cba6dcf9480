"""Tagging benchmarks: speed of (re-)tagging stored vectors, and zero-shot tag quality.

1. Speed: tag 100k stored vectors (synthetic unit vectors, dim 512) against a vocabulary
   the size of the shipped one: the selection alone (matrix product, calibration,
   synonym suppression), and ``retag_library`` end to end on a real catalog holding those
   vectors (reading them, selecting, writing ``photo_tags``). Also the one-off cost of
   embedding the vocabulary's prompts with a random-initialised ViT-B-32 (same compute
   as real weights), measured on a slice and scaled up.
2. Quality: zero-shot tagging of ``../shared/datasets/imagenet-sample`` (1,000 photos,
   the class in the file name): top-1/top-5 against the 1,000 class names, and how often
   the class (or a tag naming it: the whole class name or its last word, "shark" for
   "tiger shark") is among the photo's tags from the shipped vocabulary. Needs real
   weights: the default preset in the Hugging Face cache, or ``--model ARCH --weights
   FILE``; otherwise it prints SKIPPED. Random weights would give meaningless numbers.

    python benchmarks/bench_tags.py [--photos 100000] [--weights FILE --model ViT-B-32]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import SHARED, machine, random_vit_checkpoint  # noqa: E402

from photosearch.core.catalog.embeddings import encode_vector  # noqa: E402
from photosearch.core.library import Library  # noqa: E402
from photosearch.core.tagging.embed import TEMPLATES, ensemble  # noqa: E402
from photosearch.core.tagging.select import Selector, TagStats  # noqa: E402
from photosearch.core.tagging.tagger import Tagger, retag_library  # noqa: E402
from photosearch.core.tagging.vocab import load_vocabulary  # noqa: E402

DIM = 512


def unit(rows: int, rng: np.random.Generator) -> np.ndarray:
    v = rng.standard_normal((rows, DIM), dtype=np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def bench_speed(n: int, k: int | None) -> None:
    vocab = load_vocabulary()
    if k is not None and k != len(vocab) or not len(vocab):
        k = k or 4585
        vocab = load_vocabulary([f"word {i}" for i in range(k)], path=Path("/nonexistent"))
    k = len(vocab)
    rng = np.random.default_rng(0)
    # Text vectors of real CLIP share a common direction; imitate that so that synonym
    # suppression and calibration see a realistic spread rather than orthogonal noise.
    common = unit(1, rng)
    tags = unit(k, rng) + 1.5 * common
    tags /= np.linalg.norm(tags, axis=1, keepdims=True)
    photos = unit(n, rng) + 0.8 * common
    photos /= np.linalg.norm(photos, axis=1, keepdims=True)
    print(f"\n[1] tagging {n:,} stored vectors (dim {DIM}) against {k:,} tags")

    t = time.perf_counter()
    stats = TagStats.from_scores(photos[:2000] @ tags.T)
    selector = Selector(tags, stats)
    setup = time.perf_counter() - t
    t = time.perf_counter()
    chosen = 0
    for start in range(0, n, 4096):
        chosen += sum(len(r) for r in selector.select(photos[start:start + 4096]))
    sel = time.perf_counter() - t
    print(f"  selection only: {sel:.2f} s ({sel / n * 1e4:.2f} s per 10k; setup incl. "
          f"synonym table {setup:.2f} s), {chosen / n:.1f} tags per photo")

    with tempfile.TemporaryDirectory() as tmp:
        lib = Library.open(Path(tmp) / "lib")
        key = "bench@synthetic"
        t = time.perf_counter()
        with lib.catalog.write() as conn:
            conn.execute("INSERT INTO folders(id, path, added_at) VALUES (1, '/bench', 0)")
            conn.executemany(
                "INSERT INTO photos(id, folder_id, path, size, mtime, status, added_at) "
                "VALUES (?, 1, ?, 1, 0, 'ok', 0)", ((i + 1, f"/bench/{i}.jpg") for i in range(n)))
            conn.executemany(
                "INSERT INTO embeddings(model, photo_id, vector, half) VALUES (?, ?, ?, 1)",
                ((key, i + 1, encode_vector(photos[i])) for i in range(n)))
        print(f"  (catalog of {n:,} photos with vectors written in "
              f"{time.perf_counter() - t:.1f} s)")

        class FakeEncoder:  # retag_library needs only the key
            pass

        enc = FakeEncoder()
        enc.key = key
        t, cpu = time.perf_counter(), time.process_time()
        tagger = Tagger(vocab, tags, key, TagStats.from_scores(photos[:2000] @ tags.T))
        report = retag_library(lib, enc, tagger=tagger)  # type: ignore[arg-type]
        total, cpu = time.perf_counter() - t, time.process_time() - cpu
        goal = 10.0 * n / 100_000
        print(f"  retag_library end to end (read vectors, select, write photo_tags): "
              f"{total:.2f} s wall, {cpu:.2f} s CPU (goal <= {goal:.0f} s: "
              f"{'met' if total <= goal else 'NOT met'}; CPU time is what a quiet machine "
              f"would take, less the BLAS threads' overlap), {report.tags:,} tags")
        tagger.selector.params = replace(tagger.selector.params, z_min=3.0)
        t, cpu = time.perf_counter(), time.process_time()
        retag_library(lib, enc, tagger=tagger)  # type: ignore[arg-type]
        again, cpu = time.perf_counter() - t, time.process_time() - cpu
        print(f"  again with a changed threshold (most tags stay, rows written as a "
              f"difference): {again:.2f} s wall, {cpu:.2f} s CPU")
        lib.close()


def bench_embedding(slice_words: int = 128) -> None:
    from photosearch.core.model import load_encoder, resolve_source

    vocab = load_vocabulary()
    words = vocab.tags[:slice_words]
    enc = load_encoder(resolve_source("ViT-B-32", str(random_vit_checkpoint())),
                       allow_download=False)
    ensemble(enc, words[:8])  # warm-up
    t = time.perf_counter()
    ensemble(enc, words)
    took = time.perf_counter() - t
    full = took / len(words) * len(vocab)
    print(f"\n[1b] embedding the vocabulary once per model ({len(TEMPLATES)} prompts per "
          f"word, ViT-B-32 text tower, random weights, {enc.device}/{enc.precision}): "
          f"{len(words)} words in {took:.1f} s → {len(vocab):,} words ≈ {full:.0f} s "
          "(then cached on disk)")


def class_names(files: list[Path]) -> list[str]:
    return [f.stem.split("_", 1)[1].replace("_", " ").lower() for f in files]


def bench_quality(model: str, weights: str | None) -> None:
    from photosearch.core.errors import ModelUnavailable
    from photosearch.core.model import find_cached_weights, load_encoder, resolve_source
    from photosearch.core.presets import PRESETS

    print("\n[2] zero-shot tagging accuracy on imagenet-sample")
    folder = SHARED / "imagenet-sample"
    if not folder.is_dir():
        print(f"  SKIPPED: {folder} is not here")
        return
    preset = PRESETS.get(model)
    if weights is None and (preset is None or find_cached_weights(preset) is None):
        print("  SKIPPED: no real weights on this machine (the default preset is not in the "
              "Hugging Face cache and no --weights FILE was given). Random weights would "
              "give meaningless numbers.")
        return
    try:
        enc = load_encoder(resolve_source(model, weights), allow_download=False)
    except ModelUnavailable as e:
        print(f"  SKIPPED: {e}")
        return
    from photosearch.core.decoding import decode

    files = sorted(folder.glob("*.JPEG"))
    names = class_names(files)
    vecs = []
    t = time.perf_counter()
    for start in range(0, len(files), 32):
        images = [decode(str(f), min_side=enc.image_size).image for f in files[start:start + 32]]
        vecs.append(enc.encode_pil(images))
    photos = np.concatenate(vecs)
    print(f"  embedded {len(files)} photos in {time.perf_counter() - t:.0f} s")
    classes = ensemble(enc, names)
    scores = photos @ classes.T
    top5 = np.argsort(-scores, axis=1)[:, :5]
    truth = np.arange(len(files))
    print(f"  top-1 against the 1,000 class names: {np.mean(top5[:, 0] == truth):.3f}; "
          f"top-5: {np.mean((top5 == truth[:, None]).any(axis=1)):.3f}")
    vocab = load_vocabulary()
    with tempfile.TemporaryDirectory() as tmp:
        lib = Library.open(Path(tmp) / "lib")
        tagger = Tagger.load(lib, enc, vocab=vocab)
        lib.close()
    tagger.selector.stats = TagStats.from_scores(photos @ tagger.selector.tag_vectors.T)
    chosen = tagger.tags_for(photos)
    hit = sum(any(t == n or t == n.split()[-1] for t, _ in row)
              for n, row in zip(names, chosen, strict=True))
    in_vocab = [i for i, n in enumerate(names) if n in vocab or n.split()[-1] in vocab]
    hit_iv = sum(any(t == names[i] or t == names[i].split()[-1] for t, _ in chosen[i])
                 for i in in_vocab)
    per = np.mean([len(r) for r in chosen])
    print(f"  class (or its head noun) among the photo's tags ({len(vocab):,}-word vocabulary, "
          f"{per:.1f} tags per photo): {hit / len(files):.3f} of all photos; "
          f"{hit_iv / max(len(in_vocab), 1):.3f} of the {len(in_vocab)} whose class the "
          "vocabulary can name")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--photos", type=int, default=100_000)
    ap.add_argument("--model", default="default")
    ap.add_argument("--weights")
    ap.add_argument("--tags", type=int, help="vocabulary size (default: the shipped one)")
    ap.add_argument("--skip-embedding", action="store_true")
    args = ap.parse_args()
    print(f"machine: {machine()}")
    bench_speed(args.photos, args.tags)
    if not args.skip_embedding:
        bench_embedding()
    bench_quality(args.model, args.weights)


if __name__ == "__main__":
    main()
