"""Query latency and HNSW recall at 10k and 100k stored vectors.

End-to-end text query = encode the text (random-init ViT-B-32, loaded as real weights
are) + HNSW search + catalog look-up of paths + the vanished-file check. Vectors are
synthetic (clustered unit vectors, like photo embeddings; random weights would not give
meaningful ones anyway); every photo row points at a real (empty) file so the vanished
check does its real work. Recall@10 is measured against exact (brute-force) search
over the same vectors.

Run: python benchmarks/bench_query.py [--sizes 10000 100000] [--queries 200]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import machine, random_vit_checkpoint  # noqa: E402


def synthetic_vectors(n: int, dim: int, seed: int = 0, kind: str = "isotropic",
                      ) -> np.ndarray:
    """Clustered unit vectors. ``isotropic``: noise in all 512 dimensions, the hardest case
    for HNSW; ``low-rank``: clusters in a 48-dimensional subspace plus a little noise,
    closer to real CLIP embeddings, whose intrinsic dimension is far below 512."""
    rng = np.random.default_rng(seed)
    if kind == "low-rank":
        basis = np.linalg.qr(rng.normal(size=(dim, 48)))[0].astype(np.float32)
        centres = rng.normal(size=(max(1, n // 50), 48)).astype(np.float32)
        latent = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.normal(
            size=(n, 48)).astype(np.float32)
        vecs = latent @ basis.T + 0.05 * rng.normal(size=(n, dim)).astype(np.float32)
    else:
        centres = rng.normal(size=(max(1, n // 50), dim)).astype(np.float32)
        vecs = centres[rng.integers(0, len(centres), n)] + 0.6 * rng.normal(
            size=(n, dim)).astype(np.float32)
    return vecs / np.linalg.norm(vecs, axis=1, keepdims=True)


def fill_library(lib, vecs: np.ndarray, model_key: str, folder: Path) -> None:
    """Catalog rows, stored vectors and the index, as indexing would leave them."""
    folder.mkdir(parents=True, exist_ok=True)
    f = lib.catalog.add_folder(str(folder))
    with lib.catalog.write() as conn:
        for i in range(len(vecs)):
            path = folder / f"{i:06d}.jpg"
            path.touch()
            conn.execute("INSERT INTO photos(id, folder_id, path, size, mtime, status, "
                         "added_at) VALUES (?, ?, ?, 0, 0, 'ok', 0)", (i + 1, f.id, str(path)))
            conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES (?, ?, ?)",
                         (model_key, i + 1, vecs[i].tobytes()))  # float32 rows (half=0) still read


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--kinds", nargs="+", default=["isotropic", "low-rank"])
    args = parser.parse_args()

    from photosearch.core.library import Library
    from photosearch.core.model import load_encoder, resolve_source
    from photosearch.core.search import search_text, search_vector

    print(f"machine: {machine()}")
    encoder = load_encoder(resolve_source("ViT-B-32", weights=str(random_vit_checkpoint())))
    print(f"model: ViT-B-32 random-init weights; {encoder.device} {encoder.precision}")
    words = ["dog", "beach", "sunset", "receipt", "cat", "mountain", "birthday", "car",
             "snow", "city", "flower", "kitchen", "кот на подоконнике", "forest", "boat"]
    t = time.perf_counter()
    for q in range(args.queries):
        encoder.encode_texts([f"{words[q % len(words)]} {q}"])
    print(f"text encoding alone: {(time.perf_counter() - t) / args.queries * 1000:.1f} ms "
          "per query (mean)")
    for n, kind in [(n, k) for n in args.sizes for k in args.kinds]:
        with tempfile.TemporaryDirectory() as tmp:
            lib = Library.open(Path(tmp) / "lib")
            t = time.perf_counter()
            # queries come from the same distribution, and are not in the index
            both = synthetic_vectors(n + args.queries, encoder.dim, kind=kind)
            data = both[:n]
            fill_library(lib, data, encoder.key, Path(tmp) / "photos")
            t_fill = time.perf_counter() - t
            t = time.perf_counter()
            lib.index_for(encoder.key, encoder.dim)   # built from the catalog
            t_build = time.perf_counter() - t
            lat = []
            for q in range(args.queries):
                # distinct texts in every run: no cached text vectors
                text = f"{words[q % len(words)]} {q} {n} {kind}"
                start = time.perf_counter()
                hits = search_text(lib, encoder, text, k=20)
                lat.append((time.perf_counter() - start) * 1000)
                assert len(hits) == 20
            qs = both[n:]
            recall, lat_search = [], []
            for q in qs:
                start = time.perf_counter()
                approx = search_vector(lib, encoder, q, k=10)
                lat_search.append((time.perf_counter() - start) * 1000)
                exact = set((np.argsort(-(data @ q))[:10] + 1).tolist())  # ids are row + 1
                recall.append(len({h.photo_id for h in approx} & exact) / 10)
            lat, lat_search = np.array(lat), np.array(lat_search)
            print(f"{n:>7} {kind} vectors: catalog fill {t_fill:.1f} s, "
                  f"index build {t_build:.1f} s; "
                  f"text query p50 {np.percentile(lat, 50):.1f} ms, "
                  f"p95 {np.percentile(lat, 95):.1f} ms (target p50 <= 30 ms at 100k); "
                  f"search+lookup only p50 {np.percentile(lat_search, 50):.2f} ms; "
                  f"recall@10 {np.mean(recall):.3f} (target >= 0.98)")
            lib.close()


if __name__ == "__main__":
    main()
