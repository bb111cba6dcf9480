"""Few-shot tags, relevance feedback and themes: quality and speed.

1. Few-shot on the fixture model (tests/fixtures/tiny_clip) over generated coloured
   shapes (tests/fixture_images.py): teach "red things" (and a shape, and a colour+shape)
   from 1, 3, 5, 10 examples, without and with 3 rejected examples (the 3 best-scoring
   wrong photos, as a review would reject first); precision and recall of the tag over
   the library (examples excluded) and the ranking's average precision, for prototype,
   probe and triplet metric, averaged over seeds.
2. The same harness on ../shared/datasets/imagenet-sample (one photo per class; the
   coarse group of a class, dog/bird/reptile/..., is the concept) with a random-weight
   ViT-B-32: the numbers say nothing about quality until real weights are here; the
   harness is what will report them.
3. Relevance feedback on the fixture: "circle" with one blue circle marked good and one
   red circle marked bad, the red share of the top 12 for several "less like" weights.
4. Speed over synthetic vectors (as bench_query.py makes them) in a real catalog:
   teaching over 100k stored vectors (catalog read + learn + score + write) and a full
   themes clustering over 100k.

Run: python benchmarks/bench_teach.py [--seeds 10] [--size 100000]
     [--parts fixture imagenet speed]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from common import BENCH_DIR, ROOT, imagenet_photos, machine, random_vit_checkpoint  # noqa: E402

from photosearch.core.teaching.learners import METHODS, learn  # noqa: E402

KS = (1, 3, 5, 10)


def fixture_vectors(per_class: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray, object]:
    from fixture_images import write_dataset
    from PIL import Image

    from photosearch.core.model import load_encoder, resolve_source

    encoder = load_encoder(resolve_source(f"local-dir:{ROOT / 'tests/fixtures/tiny_clip'}"),
                           device="cpu", precision="fp32", batch_size=32)
    cache = BENCH_DIR / f"teach-fixture-{per_class}.npz"
    if not cache.is_file():
        with tempfile.TemporaryDirectory() as tmp:
            rows = write_dataset(Path(tmp), per_class, 5)
            vecs = encoder.encode_pil([Image.open(p).convert("RGB") for p, _, _ in rows])
        BENCH_DIR.mkdir(exist_ok=True)
        np.savez(cache, v=vecs, c=[c for _, c, _ in rows], s=[s for _, _, s in rows])
    z = np.load(cache)
    return z["v"], z["c"], z["s"], encoder


def evaluate(v: np.ndarray, mask: np.ndarray, k: int, method: str, rejects: int,
             seeds: int) -> tuple[float, float, float]:
    """Mean precision, recall and average precision of a tag taught from ``k`` random
    members of ``mask`` (plus ``rejects`` rejected examples) over the rest."""
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    out = []
    for seed in range(seeds):
        rng = np.random.default_rng(seed)
        pos = rng.choice(np.flatnonzero(mask), min(k, int(mask.sum())), replace=False)
        neg = np.zeros(0, int)
        model = learn(v[pos], v[neg], v, method)
        if rejects:
            order = np.argsort(-model.scores(v))
            neg = np.array([i for i in order if not mask[i]][:rejects])
            model = learn(v[pos], v[neg], v, method)
        scores = model.scores(v)
        chosen = scores >= model.threshold
        rest = np.ones(len(v), bool)
        rest[pos] = rest[neg] = False
        tp = int((chosen & mask & rest).sum())
        fp = int((chosen & ~mask & rest).sum())
        fn = int((~chosen & mask & rest).sum())
        ranked = mask[rest][np.argsort(-scores[rest])]
        ap = float((np.cumsum(ranked) / np.arange(1, len(ranked) + 1))[ranked].mean())
        out.append((tp / (tp + fp) if tp + fp else 1.0, tp / max(tp + fn, 1), ap))
    return tuple(np.mean(out, axis=0))


def table(title: str, v: np.ndarray, concepts: dict[str, np.ndarray], seeds: int) -> None:
    print(f"\n{title}")
    print(f"{'concept':<12} {'k':>3} {'rej':>3}  " + "  ".join(
        f"{m + ' P/R/AP':<20}" for m in METHODS))
    for name, mask in concepts.items():
        for k in KS:
            for rejects in (0, 3):
                cells = []
                if k + 2 > mask.sum():
                    continue                        # nothing left to find
                for method in METHODS:
                    p, r, ap = evaluate(v, mask, k, method, rejects, seeds)
                    cells.append(f"{p:.2f}/{r:.2f}/{ap:.2f}".ljust(20))
                print(f"{name:<12} {k:>3} {rejects:>3}  " + "  ".join(cells))


IMAGENET_GROUPS = {           # class index ranges of coarse ImageNet groups
    "dog": [(151, 268)], "bird": [(7, 24), (80, 100), (127, 146)],
    "reptile": [(33, 68)], "insect": [(300, 326)], "primate": [(365, 382)],
}


def imagenet_vectors(n: int) -> np.ndarray:
    """The first ``n`` photos' vectors (the first 300 classes hold the dog and bird
    groups; embedding all 1000 at random weights takes long on a shared 2-core CPU)."""
    cache = BENCH_DIR / f"teach-imagenet-random-{n}.npy"
    if cache.is_file():
        return np.load(cache)
    from PIL import Image

    from photosearch.core.model import load_encoder, resolve_source

    encoder = load_encoder(resolve_source("ViT-B-32", weights=str(random_vit_checkpoint())))
    vecs = []
    photos = imagenet_photos(n)
    for start in range(0, len(photos), 32):
        vecs.append(encoder.encode_pil([Image.open(p).convert("RGB")
                                        for p in photos[start:start + 32]]))
    out = np.concatenate(vecs)
    np.save(cache, out)
    return out


def feedback(v: np.ndarray, colours: np.ndarray, shapes: np.ndarray, encoder) -> None:
    print("\nrelevance feedback: 'circle' + like a blue circle - unlike a red circle "
          "(red share / blue share of the top 12, the marked photos left out)")
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    text = encoder.encode_texts(["circle"])[0]
    good = np.flatnonzero((colours == "blue") & (shapes == "circle"))[0]
    bad = np.flatnonzero((colours == "red") & (shapes == "circle"))[0]
    for like_w, unlike_w in ((0, 0), (1, 0), (1, 0.25), (1, 0.5), (1, 1.0)):
        q = text + like_w * v[good] - unlike_w * v[bad]
        order = [i for i in np.argsort(-(v @ q)) if i not in (good, bad)][:12]
        print(f"  like {like_w}  unlike {unlike_w:<4}  red {np.mean(colours[order] == 'red'):.2f}"
              f"  blue {np.mean(colours[order] == 'blue'):.2f}"
              f"  circles {np.mean(shapes[order] == 'circle'):.2f}")


def speed(size: int) -> None:
    from bench_query import fill_library, synthetic_vectors

    from photosearch.core.catalog.schema import add_functions
    from photosearch.core.library import Library
    from photosearch.core.teaching.teach import teach
    from photosearch.core.teaching.themes import build

    print(f"\nspeed over {size} synthetic stored vectors (512-d, low-rank clusters)")
    vecs = synthetic_vectors(size, 512, kind="low-rank")
    with tempfile.TemporaryDirectory() as tmp, Library.open(Path(tmp) / "lib") as lib:
        started = time.perf_counter()
        fill_library(lib, vecs, "synthetic", Path(tmp) / "photos")
        with lib.catalog.write() as conn:      # stored as indexing stores them: float16
            add_functions(conn)
            conn.execute("UPDATE embeddings SET vector=photosearch_half(vector), half=1")
        print(f"  (filling the catalog: {time.perf_counter() - started:.1f} s)")
        # examples: a photo and its 4 nearest neighbours (one cluster); rejected: the
        # next 3 beyond them (near misses, as a review meets them)
        near = np.argsort(-(vecs @ vecs[0]))
        pos, neg = (near[:5] + 1).tolist(), (near[50:53] + 1).tolist()
        for method in METHODS:
            learn(vecs[near[:5]], vecs[near[50:53]], vecs[:100], method)   # imports, warm-up
            t0, c0 = time.perf_counter(), time.process_time()
            report = teach(lib, "synthetic", f"tag {method}", pos, neg, method=method)
            print(f"  teach ({method}, 5 examples + 3 rejected): "
                  f"{time.perf_counter() - t0:.2f} s wall, {time.process_time() - c0:.2f} s "
                  f"CPU; {report.photos} photos tagged")
        t0, c0 = time.perf_counter(), time.process_time()
        lib.catalog.vectors("synthetic")
        print(f"    of which reading the vectors: {time.perf_counter() - t0:.2f} s wall, "
              f"{time.process_time() - c0:.2f} s CPU")
        t0, c0 = time.perf_counter(), time.process_time()
        k = build(lib, "synthetic")
        print(f"  themes: {k} themes in {time.perf_counter() - t0:.1f} s wall, "
              f"{time.process_time() - c0:.1f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--imagenet-n", type=int, default=300)
    parser.add_argument("--parts", nargs="+", default=["fixture", "imagenet", "speed"],
                        choices=["fixture", "imagenet", "speed"])
    args = parser.parse_args()
    print(f"machine: {machine()}")
    if "fixture" in args.parts:
        v, colours, shapes, encoder = fixture_vectors()
        table(f"fixture model, {len(v)} generated photos (36 classes x 10); "
              "precision/recall/average precision", v,
              {"red": colours == "red", "circle": shapes == "circle",
               "red circle": (colours == "red") & (shapes == "circle")}, args.seeds)
        feedback(v, colours, shapes, encoder)
    if "imagenet" in args.parts:
        iv = imagenet_vectors(args.imagenet_n)
        index = np.arange(len(iv))
        groups = {name: np.any([(index >= a) & (index <= b) for a, b in spans], axis=0)
                  for name, spans in IMAGENET_GROUPS.items()}
        table("imagenet-sample, RANDOM-WEIGHT ViT-B-32 (a harness: these numbers mean "
              "nothing until real weights are here)", iv,
              {k: groups[k] for k in ("dog", "bird")}, args.seeds)
    if "speed" in args.parts:
        speed(args.size)


if __name__ == "__main__":
    main()
