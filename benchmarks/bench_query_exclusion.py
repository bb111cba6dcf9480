"""How much ``-word`` should subtract: the exclusion weight, measured on the CLIP fixture.

For every shape S and colour C of the generated photos (6 x 6 classes, ``--per-class``
photos each), the query ``a S -C`` runs over all photos at several weights; among the
top K (K = the photos of shape S in other colours, what a perfect answer returns) it
counts the share that are colour C (should fall to 0) and the share that are shape S
(should stay high). Weight 0 is the query without the exclusion.

    python benchmarks/bench_query_exclusion.py [--per-class 8]
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixture_images import COLOURS, SHAPES, make_image  # noqa: E402

from photosearch.core import query as q  # noqa: E402
from photosearch.core.model import load_encoder, resolve_source  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-class", type=int, default=8)
    ap.add_argument("--weights", type=float, nargs="+",
                    default=[0.0, 0.25, 0.5, 0.75, 1.0, 1.5])
    args = ap.parse_args()
    enc = load_encoder(resolve_source(f"local-dir:{ROOT / 'tests/fixtures/tiny_clip'}"),
                       device="cpu", precision="fp32", batch_size=64)
    rng = random.Random(7)
    labels = [(c, s) for c in COLOURS for s in SHAPES for _ in range(args.per_class)]
    vecs = enc.encode_pil([make_image(c, s, rng) for c, s in labels])
    colours = np.array([c for c, _ in labels])
    shapes = np.array([s for _, s in labels])
    k = args.per_class * (len(COLOURS) - 1)
    print(f"{len(labels)} photos; query 'a SHAPE -COLOUR', top {k} (the right answer's size)")
    print(f"{'weight':>6}  {'excluded colour in top-k':>24}  {'right shape in top-k':>20}")
    for w in args.weights:
        q.EXCLUDE_WEIGHT = w
        bad, good = [], []
        for s in SHAPES:
            for c in COLOURS:
                v = q.query_vector(enc, q.parse_query(f"a {s} -{c}"))
                top = np.argsort(-(vecs @ v))[:k]
                bad.append(np.mean(colours[top] == c))
                good.append(np.mean(shapes[top] == s))
        print(f"{w:6.2f}  {np.mean(bad):24.3f}  {np.mean(good):20.3f}")


if __name__ == "__main__":
    main()
