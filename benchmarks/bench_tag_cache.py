"""The shared tag-vector cache: what a second library saves.

Before, every library embedded the vocabulary itself (1,921 words × 7 templates, about
100 s on this 2-core machine) before its first tags; now the vectors are kept per model in
the user cache directory. This times ``Tagger.load`` for a first library (embeds) and a
second one (reads the cache), with a random-initialised ViT-B-32 (the compute of real
weights), on the first ``--words`` words of the shipped vocabulary, scaled to all of it.

    python benchmarks/bench_tag_cache.py [--words 200]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common import machine, random_vit_checkpoint  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--words", type=int, default=200)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["XDG_CACHE_HOME"] = str(Path(tmp) / "cache")   # an empty user cache
        from photosearch.core.library import Library
        from photosearch.core.model import load_encoder, resolve_source
        from photosearch.core.tagging.tagger import Tagger
        from photosearch.core.tagging.vocab import Vocabulary, load_vocabulary

        full = load_vocabulary()
        vocab = Vocabulary(full.terms[:args.words])
        enc = load_encoder(resolve_source("ViT-B-32", str(random_vit_checkpoint())),
                           allow_download=False)
        enc.encode_texts(["warm-up"])
        times = []
        for name in ("first", "second"):
            with Library.open(Path(tmp) / name) as lib:
                t = time.perf_counter()
                Tagger.load(lib, enc, vocab=vocab)
                times.append(time.perf_counter() - t)
    scale = len(full) / len(vocab)
    print(machine())
    print(f"Tagger.load, {len(vocab)} words × 7 templates, ViT-B-32 text tower "
          f"({enc.device}/{enc.precision}):")
    print(f"  first library (embeds):        {times[0]:7.2f} s  "
          f"(all {len(full):,} words ≈ {times[0] * scale:.0f} s)")
    print(f"  second library (shared cache): {times[1]:7.2f} s  (reads one file)")


if __name__ == "__main__":
    main()
