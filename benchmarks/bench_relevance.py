"""Where relevant results stop: the cut-off measured on the two fixture models.

Prints numbers, asserts nothing. Run: ``python benchmarks/bench_relevance.py
[--per-class 4]``.

A library of generated shapes (36 colour × shape classes); for each query "a {colour}
{shape}" the returned set is the photos whose match strength (core/relevance.py) passes
the cut-off. Per cut-off level: mean precision and recall of that set over the 36 queries,
and for "absent" queries (the class removed from the library) how many photos still pass.
For CLIP, the z-score calibration is shown at several midpoints, which is how Z_MIDPOINT
was chosen; for the SigLIP fixture, the sigmoid probability at several levels.
"""

from __future__ import annotations

import argparse
import sys
import tempfile

import numpy as np
from common import ROOT

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fixture_images import COLOURS, SHAPES, write_dataset  # noqa: E402
from PIL import Image  # noqa: E402

from photosearch.core.model import load_encoder, resolve_source  # noqa: E402
from photosearch.core.relevance import SAMPLE, calibrate  # noqa: E402

CLASSES = [(c, s) for c in COLOURS for s in SHAPES]


def embed(encoder, per_class: int):
    with tempfile.TemporaryDirectory() as tmp:
        items = write_dataset(tmp, per_class, seed=404)
        images = []
        for p, _, _ in items:
            with Image.open(p) as im:
                images.append(im.convert("RGB"))
        vecs = np.concatenate([encoder.encode_pil(images[i:i + 64])
                               for i in range(0, len(images), 64)])
    labels = np.array([CLASSES.index((c, s)) for _, c, s in items])
    return vecs, labels


def passing(encoder, q, vecs, level) -> np.ndarray:
    """Which of ``vecs`` pass for query ``q`` at ``level``: the sigmoid probability for
    sigmoid models, the z-score (strength 0.5 sits at Z_MIDPOINT) for CLIP."""
    cal = calibrate(encoder, q, vecs[:SAMPLE])
    if cal.kind == "sigmoid":
        return cal.strength(vecs @ q) >= level
    return (vecs @ q - cal.a) / cal.b >= level


def sweep(encoder, vecs, labels, queries, levels) -> None:
    texts = encoder.encode_texts(queries)
    for level in levels:
        precision, recall, absent = [], [], []
        for k, q in enumerate(texts):
            truth = labels == k
            kept = passing(encoder, q, vecs, level)
            precision.append((kept & truth).sum() / max(kept.sum(), 1))
            recall.append((kept & truth).sum() / truth.sum())
            # the same query with its class taken out of the library
            absent.append(int(passing(encoder, q, vecs[~truth], level).sum()))
        print(f"  level {level:>5}: precision {np.mean(precision):.3f}  recall "
              f"{np.mean(recall):.3f}  min P {np.min(precision):.2f}  min R "
              f"{np.min(recall):.2f}  absent-class queries: mean {np.mean(absent):.1f} "
              f"max {max(absent)} pass")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-class", type=int, default=4)
    args = ap.parse_args()
    queries = [f"a {c} {s}" for c, s in CLASSES]
    fixtures = ROOT / "tests" / "fixtures"

    enc = load_encoder(resolve_source(f"local-dir:{fixtures / 'tiny_clip'}"), device="cpu",
                       precision="fp32")
    vecs, labels = embed(enc, args.per_class)
    print(f"CLIP fixture, {len(vecs)} photos, z-score level (Z_MIDPOINT):")
    sweep(enc, vecs, labels, queries, [2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0])

    siglip = fixtures / "tiny_siglip"
    if siglip.is_dir():
        enc = load_encoder(resolve_source(f"local-dir:{siglip}"), device="cpu",
                           precision="fp32")
        vecs, labels = embed(enc, args.per_class)
        print(f"SigLIP fixture (scale {enc.logit_scale:.1f}, bias {enc.logit_bias:.2f}), "
              "probability cut-off:")
        sweep(enc, vecs, labels, queries, [0.01, 0.05, 0.1, 0.3, 0.5, 0.7, 0.9])
        print("  Russian queries:")
        from make_siglip_fixture import RU_COLOURS, RU_SHAPES

        ru = [f"{RU_COLOURS[c][RU_SHAPES[s][1]]} {RU_SHAPES[s][0]}" for c, s in CLASSES]
        sweep(enc, vecs, labels, ru, [0.1, 0.5])


if __name__ == "__main__":
    main()
