"""Do a tag's Russian label help a multilingual model tag photos? Measured on a fixture.

Generated photos (6 colours × 6 shapes, ``--per-class`` each) are scored against the
fixture vocabulary (tests/tag_helpers.py: the 12 colour and shape words with Russian
labels, plus 6 distractors) three ways: English prompts only (what an English-only model
uses), Russian label prompts only, and both (``vocabulary_vectors`` for a multilingual
model: the normalised sum). Reported: how often a photo's best colour tag is its colour
and its best shape tag its shape, and how often its two best tags overall are exactly its
colour and shape.

Needs a model that reads Russian, e.g. the SigLIP fixture (tests/fixtures/tiny_siglip):

    python benchmarks/bench_tags_multilingual.py --model local-dir:tests/fixtures/tiny_siglip
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
from tag_helpers import DISTRACTORS, RU  # noqa: E402

from photosearch.core.model import load_encoder, resolve_source  # noqa: E402
from photosearch.core.tagging.embed import RU_TEMPLATES, TEMPLATES, ensemble  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--per-class", type=int, default=6)
    args = ap.parse_args()
    enc = load_encoder(resolve_source(args.model), device="cpu", precision="fp32")
    tags = [*COLOURS, *SHAPES, *DISTRACTORS]
    labels = {**RU, **DISTRACTORS}
    rng = random.Random(5)
    truth = [(c, s) for c in COLOURS for s in SHAPES for _ in range(args.per_class)]
    images = enc.encode_pil([make_image(c, s, rng) for c, s in truth])
    en = ensemble(enc, tags, TEMPLATES)
    ru = ensemble(enc, [labels[t] for t in tags], RU_TEMPLATES)
    both = en + ru
    both /= np.linalg.norm(both, axis=1, keepdims=True)
    colours, shapes = slice(0, len(COLOURS)), slice(len(COLOURS), len(COLOURS) + len(SHAPES))
    print(f"{len(truth)} photos, {len(tags)} tags, model {args.model}")
    print(f"{'tag vectors':<22} {'colour right':>12} {'shape right':>12} {'top-2 exact':>12}")
    ways = (("English prompts", en), ("Russian labels", ru), ("both (multilingual)", both))
    for name, vecs in ways:
        scores = images @ vecs.T
        colour_ok = np.mean([tags[colours][i] == c for i, (c, _) in
                             zip(scores[:, colours].argmax(1), truth, strict=True)])
        shape_ok = np.mean([tags[shapes][i] == s for i, (_, s) in
                            zip(scores[:, shapes].argmax(1), truth, strict=True)])
        top2 = np.mean([{tags[j] for j in np.argsort(-row)[:2]} == {c, s}
                        for row, (c, s) in zip(scores, truth, strict=True)])
        print(f"{name:<22} {colour_ok:12.3f} {shape_ok:12.3f} {top2:12.3f}")


if __name__ == "__main__":
    main()
