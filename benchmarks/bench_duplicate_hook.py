"""The duplicate hook's cost while indexing: near-identical photos against distinct ones.

Many small similar images (icons, screenshots, a burst) once stalled indexing: each new
photo re-linked its whole group (one reached 308 members; 20,000 such images ran at 0.3
photos/s). This drives the real ``DuplicateHook`` on a real library (catalog, HNSW index)
with synthetic photos, batch by batch as ``index_library`` does, and times the hook alone:

- distinct: random unit vectors (dim 512) and random pHashes;
- near-identical: one base vector plus noise (pairwise cosine ~0.97) and the base pHash
  with 0–4 bits flipped (every pair is the "same picture").

No image is decoded or embedded (that cost is the same for both sets and is measured by
bench_indexing.py). Prints numbers, asserts nothing.

Run: python benchmarks/bench_duplicate_hook.py [--photos 20000] [--batch 32]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DIM = 512


def make_set(kind: str, n: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(unit vectors, signed 64-bit pHashes) for ``n`` synthetic photos."""
    rng = np.random.default_rng(seed)
    if kind == "distinct":
        vecs = rng.normal(size=(n, DIM)).astype(np.float32)
        hashes = rng.integers(-2**63, 2**63 - 1, n, dtype=np.int64)
    else:
        base = rng.normal(size=DIM).astype(np.float32)
        vecs = base + rng.normal(size=(n, DIM)).astype(np.float32) * 0.17
        base_hash = int(rng.integers(0, 2**63 - 1))
        flips = [sum(1 << int(b) for b in rng.choice(64, int(rng.integers(0, 5)),
                                                     replace=False)) for _ in range(n)]
        hashes = np.array([base_hash ^ f for f in flips], np.uint64).astype(np.int64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    return vecs, hashes


def run(kind: str, n: int, batch: int) -> dict[str, float]:
    from photosearch.core import duplicates as dup
    from photosearch.core.duplicates.hook import DuplicateHook
    from photosearch.core.library import Library

    vecs, hashes = make_set(kind, n)
    encoder = SimpleNamespace(key="bench", dim=DIM)
    with tempfile.TemporaryDirectory() as tmp:
        library = Library.open(Path(tmp) / "lib")
        folder = library.catalog.add_folder(str(Path(tmp) / "photos"))
        index = library.index_for(encoder.key, DIM)
        hook = DuplicateHook()
        hook_seconds = other_seconds = 0.0
        tail_start = int(n * 0.9)
        tail_seconds = 0.0
        for start in range(0, n, batch):
            t0 = time.perf_counter()
            stop = min(n, start + batch)
            with library.catalog.write() as conn:
                ids = []
                for i in range(start, stop):
                    cur = conn.execute(
                        "INSERT INTO photos(folder_id, path, size, mtime, content_hash, width,"
                        " height, phash, status, added_at) VALUES (?,?,?,?,?,?,?,?,'ok',?)",
                        (folder.id, f"{tmp}/photos/{i:06d}.png", 5000 + i, 0.0, f"h{i}",
                         64, 64, int(hashes[i]), 0.0))
                    ids.append(cur.lastrowid)
                    conn.execute("INSERT INTO embeddings(model, photo_id, vector) VALUES (?,?,?)",
                                 (encoder.key, cur.lastrowid, vecs[i].tobytes()))
            ids_arr = np.array(ids, np.int64)
            index.add(ids_arr, vecs[start:stop])
            t1 = time.perf_counter()
            hook(library, encoder, ids_arr, vecs[start:stop])
            t2 = time.perf_counter()
            hook_seconds += t2 - t1
            other_seconds += t1 - t0
            if start >= tail_start:
                tail_seconds += t2 - t1
        groups = dup.stored_groups(library)
        library.close()
    tail = n - tail_start
    return {"hook_rate": n / hook_seconds, "tail_rate": tail / max(tail_seconds, 1e-9),
            "hook_s": hook_seconds, "write_s": other_seconds,
            "compared": getattr(hook, "compared", float("nan")) / n,
            "groups": len(groups), "grouped": sum(len(g.photos) for g in groups),
            "largest": max((len(g.photos) for g in groups), default=0)}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=32)
    args = parser.parse_args()
    print(f"{args.photos} synthetic photos per set, batches of {args.batch}; the hook alone")
    results = {}
    for kind in ("distinct", "near-identical"):
        r = results[kind] = run(kind, args.photos, args.batch)
        print(f"  {kind:15} hook {r['hook_rate']:8.1f} photos/s (last 10 %: "
              f"{r['tail_rate']:8.1f}), {r['hook_s']:7.1f} s; catalog+index writes "
              f"{r['write_s']:6.1f} s; {r['compared']:.0f} pair comparisons a photo; "
              f"{r['groups']} groups, {r['grouped']} photos grouped, largest {r['largest']}")
    ratio = results["near-identical"]["hook_rate"] / results["distinct"]["hook_rate"]
    print(f"  near-identical / distinct hook rate: {ratio:.2f}")


if __name__ == "__main__":
    main()
