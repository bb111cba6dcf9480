"""A large library on one PC: the issue-13 table at 100k and 1M photos.

Synthetic vectors (clustered unit vectors, as in ``bench_query``) in a real catalog whose
rows point at real (empty) files. Each phase that has a goal runs in a fresh process, so
its time and peak memory are its own:

- build: the first ``index_for`` builds the HNSW index from the catalog (hnswlib threads)
  and saves it;
- open: ``Library.open``, the first ``index_for`` (loads the saved index and only appends
  what the catalog holds beyond it: the items added are counted), ``status`` counts and
  folder counts, then queries (search + catalog look-up + vanished check; the model is
  excluded) and recall@10 against exact search; peak RSS of the process;
- append: 1 % more photos are stored, and the next open appends only those.

Recall@10 is against exact search over the vectors as the catalog stores them (float16);
``int8 storage`` is what exact search over the same vectors quantised to int8 (one scale
per vector) would find of that top 10: what storing int8 would cost in recall.

Peak RAM is the phase's own high-water mark (``VmHWM`` of the child process). Opening the
index is split into hnswlib's load, our sidecar and catalog sync, and beside it the cost
of reading the index file into fresh memory once (page cache warm, as after the build;
on a VM whose page faults are dear this costs as much as hnswlib's whole load).

Run: python benchmarks/bench_scale.py [--sizes 100000 1000000] [--queries 200] [--no-index]
     [--keep DIR] [--reuse DIR] [--ef-construction N]
(BENCH_TMP=DIR puts the scratch library there; 1M photos take about 2 GB of disk.
``--keep DIR`` leaves the library in DIR/lib (for ``bench_gui.py --library``); ``--reuse
DIR`` measures a library kept that way without filling or building it again.
``--ef-construction N`` builds with another HNSW breadth than the app's 200, to save time
at 1M: the build's rate at the app's breadth is then an estimate, and recall is that of
the cheaper graph.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

DIM = 512
MODEL = "bench@synthetic"
CHUNK = 20_000
STORE = "fp16"      # how the bench stores vectors: fp16 (as the app does) or fp32 (before)


class _Encoder:
    """All that search needs of an encoder when the query vector is given."""
    key, dim = MODEL, DIM


def vector_chunks(n: int, seed: int = 0, start: int = 0, clusters: int | None = None):
    """Clustered unit vectors (the ``isotropic`` kind of ``bench_query``), made chunk by
    chunk so that 1M of them never sit in memory at once. ``clusters``: how many centres
    to draw around (default: one per 50 vectors up to ``start + n``; the first centres
    are the same whatever the count)."""
    count = clusters or max(1, (start + n) // 50)
    centres = np.random.default_rng(seed).normal(size=(count, DIM))
    centres = centres.astype(np.float32)
    for lo in range(start, start + n, CHUNK):
        rng = np.random.default_rng([seed, lo])
        m = min(CHUNK, start + n - lo)
        v = centres[rng.integers(0, len(centres), m)] + 0.6 * rng.normal(
            size=(m, DIM)).astype(np.float32)
        yield lo, v / np.linalg.norm(v, axis=1, keepdims=True)


def fill(lib, n: int, start: int, folder_ids: list[int], photos: Path, queries: np.ndarray,
         best: tuple[np.ndarray, np.ndarray]) -> None:
    """Rows + stored vectors for photos ``start+1 … start+n`` spread over the folders,
    keeping the exact top-10 of every query up to date (for recall)."""
    from photosearch.core.catalog.embeddings import encode_vector

    half = int(STORE == "fp16")
    top_s, top_i = best
    for lo, vecs in vector_chunks(n, start=start):
        rows, embs = [], []
        for j, v in enumerate(vecs):
            pid = lo + j + 1
            fid = folder_ids[pid % len(folder_ids)]
            path = photos / str(fid) / f"{pid:07d}.jpg"
            path.touch()
            rows.append((pid, fid, str(path)))
            embs.append((MODEL, pid, encode_vector(v) if half else v.tobytes(), half))
        with lib.catalog.write() as conn:
            conn.executemany("INSERT INTO photos(id, folder_id, path, size, mtime, status, "
                             "added_at) VALUES (?, ?, ?, 0, 0, 'ok', 0)", rows)
            conn.executemany("INSERT INTO embeddings(model, photo_id, vector, half) "
                             "VALUES (?, ?, ?, ?)",
                             embs)
        sims = queries @ vecs.T
        ids = np.arange(lo + 1, lo + 1 + len(vecs))[None, :].repeat(len(queries), 0)
        all_s, all_i = np.hstack([top_s, sims]), np.hstack([top_i, ids])
        keep = np.argsort(-all_s, axis=1)[:, :10]
        top_s[:] = np.take_along_axis(all_s, keep, 1)
        top_i[:] = np.take_along_axis(all_i, keep, 1)


def exact_tops(lib, queries: np.ndarray, k: int = 10) -> tuple[np.ndarray, np.ndarray]:
    """Exact top-``k`` ids of each query over the stored (float16) vectors, and over the
    same vectors quantised to int8 with one scale per vector, a batch at a time."""
    tops = []
    for quantise in (False, True):
        best_s = np.full((len(queries), k), -np.inf, np.float32)
        best_i = np.zeros((len(queries), k), np.int64)
        for ids, vecs in lib.catalog.vector_batches(MODEL):
            if quantise:
                scale = np.abs(vecs).max(axis=1, keepdims=True) / 127
                vecs = np.round(vecs / scale).astype(np.int8).astype(np.float32) * scale
            sims = queries @ vecs.T
            all_s = np.hstack([best_s, sims])
            all_i = np.hstack([best_i, np.broadcast_to(ids, sims.shape)])
            keep = np.argsort(-all_s, axis=1)[:, :k]
            best_s = np.take_along_axis(all_s, keep, 1)
            best_i = np.take_along_axis(all_i, keep, 1)
        tops.append(best_i)
    return tops[0], tops[1]


def recall(found, exact: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(e.tolist())) / len(e)
                          for f, e in zip(found, exact, strict=True)]))


def peak_mb() -> float:
    """This process's peak resident memory (``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # not Linux


def child(phase: str, root: str, queries_path: str) -> None:
    """One phase in this fresh process; prints one JSON line."""
    from photosearch.core import index as index_module
    from photosearch.core.catalog import Counts  # noqa: F401  (import cost outside timing)
    from photosearch.core.index import VectorIndex
    from photosearch.core.library import Library
    from photosearch.core.search import search_vector

    if ef := os.environ.get("BENCH_EF_CONSTRUCTION"):
        index_module._EF_CONSTRUCTION = int(ef)

    added = [0]
    original = VectorIndex.add

    def counting_add(self, ids, vectors, threads=1):
        added[0] += len(ids)
        return original(self, ids, vectors, threads)

    VectorIndex.add = counting_add  # type: ignore[method-assign]
    synced = [0.0, 0.0]
    original_sync = Library.sync_index

    def timed_sync(self, index):
        t, cpu = time.perf_counter(), time.process_time()
        try:
            return original_sync(self, index)
        finally:
            synced[0] += time.perf_counter() - t
            synced[1] += time.process_time() - cpu

    Library.sync_index = timed_sync  # type: ignore[method-assign]
    out: dict[str, object] = {}
    t = time.perf_counter()
    lib = Library.open(Path(root))
    out["open_s"] = time.perf_counter() - t
    if phase == "counts":  # the catalog alone (no index): status and folder counts
        for name, call in (("status_s", lambda: (lib.catalog.counts(MODEL),
                                                  lib.catalog.failures(),
                                                  lib.catalog.retrying())),
                           ("folders_s", lambda: lib.catalog.folder_counts(MODEL))):
            t = time.perf_counter()
            call()
            out[name] = time.perf_counter() - t
        out["peak_mb"] = peak_mb()
        print(json.dumps(out, default=float))
        return
    if phase == "read":  # the floor of opening the index: its file read into memory once
        t, cpu = time.perf_counter(), time.process_time()
        for path in (Path(root) / "indexes").rglob("*.hnsw"):
            buffer = np.empty(path.stat().st_size, np.uint8)   # fresh pages, as a load's
            with open(path, "rb", buffering=0) as f:
                f.readinto(memoryview(buffer))
        out["read_s"], out["read_cpu_s"] = time.perf_counter() - t, time.process_time() - cpu
        print(json.dumps(out, default=float))
        return
    t, cpu = time.perf_counter(), time.process_time()
    lib.index_for(MODEL, DIM)
    out["index_s"] = time.perf_counter() - t
    out["index_cpu_s"] = time.process_time() - cpu     # what a loaded machine can't hide
    out["sync_s"], out["sync_cpu_s"] = synced
    out["added"] = added[0]
    out["rebuilt"] = bool(lib.rebuilt)
    if phase == "build":
        t = time.perf_counter()
        lib.close()
        out["save_s"] = time.perf_counter() - t
    else:
        t = time.perf_counter()
        counts = lib.catalog.counts(MODEL)
        lib.catalog.failures()
        lib.catalog.retrying()
        out["status_s"] = time.perf_counter() - t
        out["indexed"] = counts.indexed
        t = time.perf_counter()
        lib.catalog.folder_counts(MODEL)
        out["folders_s"] = time.perf_counter() - t
        queries = np.load(queries_path)
        lat, lat_cpu, hits = [], [], []
        for q in queries:
            start, cpu = time.perf_counter(), time.process_time()
            found = search_vector(lib, _Encoder(), q, k=10)  # type: ignore[arg-type]
            lat.append((time.perf_counter() - start) * 1000)
            lat_cpu.append((time.process_time() - cpu) * 1000)
            hits.append([h.photo_id for h in found])
        out["p50_ms"], out["p95_ms"] = np.percentile(lat, 50), np.percentile(lat, 95)
        out["p50_cpu_ms"], out["p95_cpu_ms"] = (np.percentile(lat_cpu, 50),
                                                np.percentile(lat_cpu, 95))
        out["hits"] = hits
        lib.close()
    out["peak_mb"] = peak_mb()
    out["cpu_s"] = time.process_time()
    print(json.dumps(out, default=float))


def run_child(phase: str, root: Path, queries: Path) -> dict:
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    res = subprocess.run([sys.executable, __file__, "--child", phase, str(root), str(queries)],
                         capture_output=True, text=True, env=env, check=False)
    if res.returncode:
        raise SystemExit(f"{phase} failed:\n{res.stderr}")
    return json.loads(res.stdout.strip().splitlines()[-1])


def size_mb(*paths: Path) -> float:
    return sum(p.stat().st_size for p in paths if p.exists()) / 2**20


def row(name: str, value: str, goal: str = "", met: bool | None = None) -> None:
    verdict = "" if met is None else ("met" if met else "NOT met")
    print(f"  {name:<44} {value:>14}   {goal:<14} {verdict}")


def bench(n: int, n_queries: int, folders: int, with_index: bool = True,
          keep: str | None = None, reuse: str | None = None) -> None:
    import contextlib

    from photosearch.core.library import Library

    print(f"\n== {n:,} photos in {folders} folders, dim {DIM}, vectors stored {STORE} ==")
    place = (contextlib.nullcontext(keep or reuse) if keep or reuse
             else tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")))
    with place as tmp:
        root, photos = Path(tmp) / "lib", Path(tmp) / "photos"
        qrng = np.random.default_rng(99)
        # around the photos' own clusters (without ``clusters``, 9 in 10 queries fell
        # where no photo is, and recall measured that)
        queries = next(vector_chunks(n_queries, seed=0, start=10 * n,
                                     clusters=max(1, n // 50)))[1]
        queries = queries + 0.1 * qrng.normal(size=queries.shape).astype(np.float32)
        queries /= np.linalg.norm(queries, axis=1, keepdims=True)
        qpath = Path(tmp) / "queries.npy"
        np.save(qpath, queries)
        best = (np.full((n_queries, 10), -2.0, np.float32), np.zeros((n_queries, 10), int))
        lib = Library.open(root)
        ids = [f.id for f in lib.catalog.folders()]
        if reuse is None:
            ids = []
            for f in range(folders):
                (photos / str(f + 1)).mkdir(parents=True)
                ids.append(lib.add_folder(photos / str(f + 1)).id)
            t = time.perf_counter()
            fill(lib, n, 0, ids, photos, queries, best)
            row("catalog fill (not a goal)", f"{time.perf_counter() - t:.1f} s")
        t = time.perf_counter()
        exact, exact_int8 = exact_tops(lib, queries)
        lib.close()
        row("exact search pass (not a goal)", f"{time.perf_counter() - t:.1f} s")
        row("recall@10 of int8 storage (exact search)", f"{recall(exact_int8, exact):.3f}",
            "(vs float16)")
        catalog = root / "catalog.sqlite3"
        row("catalog size on disk", f"{size_mb(catalog, Path(f'{catalog}-wal')):.0f} MB")

        if not with_index:
            c = run_child("counts", root, qpath)
            row("open library (catalog)", f"{c['open_s'] * 1000:.0f} ms", "<= 1000 ms",
                c["open_s"] <= 1)
            row("status counts", f"{c['status_s'] * 1000:.0f} ms", "<= 200 ms",
                c["status_s"] <= 0.2)
            row("folder counts", f"{c['folders_s'] * 1000:.0f} ms", "<= 200 ms",
                c["folders_s"] <= 0.2)
            print("  (index phases skipped: --no-index)")
            return
        if reuse is None or not any((root / "indexes").rglob("*.hnsw")):
            b = run_child("build", root, qpath)
            build_s = b["index_s"] + b["save_s"]
            ef = os.environ.get("BENCH_EF_CONSTRUCTION", "200 (the app's)")
            row(f"index build ({os.cpu_count()} threads) + save", f"{build_s:.1f} s",
                f"ef_constr. {ef}")
            row("  CPU time of the build", f"{b['cpu_s']:.0f} s",
                f"{n / max(b['cpu_s'], 1e-9):.0f} vectors/CPU-s")
            row("  peak RAM while building", f"{b['peak_mb']:.0f} MB")
        row("index size on disk", f"{size_mb(*(root / 'indexes').rglob('*.hnsw')):.0f} MB")

        print(f"  (load average {os.getloadavg()[0]:.1f} before the open phase)")
        o = run_child("open", root, qpath)
        row("open library (catalog)", f"{o['open_s'] * 1000:.0f} ms", "<= 1000 ms",
            o["open_s"] <= 1)
        row("open index (load + sync)", f"{o['index_s'] * 1000:.0f} ms", "<= 1000 ms",
            o["index_s"] <= 1)
        row("  of which CPU time", f"{o['index_cpu_s'] * 1000:.0f} ms", "<= 1000 ms",
            o["index_cpu_s"] <= 1)
        row("  of which sync with the catalog (CPU)", f"{o['sync_cpu_s'] * 1000:.0f} ms")
        r = run_child("read", root, qpath)
        row("  compare: file read into fresh memory", f"{r['read_s'] * 1000:.0f} ms",
            f"CPU {r['read_cpu_s'] * 1000:.0f} ms")
        row("  items added on open / rebuilt", f"{o['added']} / {o['rebuilt']}", "0 / False",
            o["added"] == 0 and not o["rebuilt"])
        row("status counts", f"{o['status_s'] * 1000:.0f} ms", "<= 200 ms",
            o["status_s"] <= 0.2)
        row("folder counts", f"{o['folders_s'] * 1000:.0f} ms", "<= 200 ms",
            o["folders_s"] <= 0.2)
        row("query p50 (model excluded)", f"{o['p50_ms']:.1f} ms", "<= 50 ms",
            o["p50_ms"] <= 50)
        row("query p95 (model excluded)", f"{o['p95_ms']:.1f} ms", "<= 100 ms",
            o["p95_ms"] <= 100)
        row("  query p50 / p95 CPU time", f"{o['p50_cpu_ms']:.1f} / {o['p95_cpu_ms']:.1f} ms")
        row("recall@10 vs exact (float16 as stored)", f"{recall(o['hits'], exact):.3f}")
        row("peak RAM while searching", f"{o['peak_mb']:.0f} MB", "<= 4096 MB",
            o["peak_mb"] <= 4096)

        if keep or reuse:      # a kept library stays as it was measured
            return
        more = max(1, n // 100)
        lib = Library.open(root)
        fill(lib, more, n, ids, photos, queries[:1], (best[0][:1].copy(), best[1][:1].copy()))
        lib.close()
        a = run_child("open", root, qpath)
        row(f"open index after storing {more:,} more", f"{a['index_s'] * 1000:.0f} ms")
        row("  items added on open", f"{a['added']:,}", f"{more:,}", a["added"] == more)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(*sys.argv[2:5])
        return
    from common import machine

    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--folders", type=int, default=20)
    parser.add_argument("--no-index", action="store_true",
                        help="catalog phases only (the HNSW build takes hours at 1M here)")
    parser.add_argument("--store", choices=["fp16", "fp32"], default="fp16",
                        help="vector storage in the catalog (fp32: as before, to compare)")
    parser.add_argument("--keep", metavar="DIR",
                        help="make the library in DIR and keep it (one size only)")
    parser.add_argument("--reuse", metavar="DIR",
                        help="measure the library --keep left in DIR (its size is read)")
    parser.add_argument("--ef-construction", type=int,
                        help="HNSW build breadth (the app's is 200; less saves time at 1M)")
    args = parser.parse_args()
    if args.ef_construction:
        os.environ["BENCH_EF_CONSTRUCTION"] = str(args.ef_construction)
    global STORE
    STORE = args.store
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    if args.reuse:
        from photosearch.core.library import Library

        with Library.open(Path(args.reuse) / "lib") as lib:
            n = lib.catalog.counts(MODEL).indexed
        bench(n, args.queries, args.folders, not args.no_index, reuse=args.reuse)
        return
    for n in args.sizes:
        bench(n, args.queries, args.folders, not args.no_index, keep=args.keep)


if __name__ == "__main__":
    main()
