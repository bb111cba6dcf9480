"""Cold text query: a fresh ``photosearch search "…"`` process on a 100k-photo library,
against rclip's on the same photos, in the same run. Goal (#13): ours ≤ 1.5 s and no
slower than rclip's.

The library holds synthetic vectors in a real catalog and index, as ``bench_query.py``
does (every photo row points at a real, empty file, so the vanished-file check does its
real work), for the default preset's architecture at random weights (``--model``); its
text side is exported once first (``core/text_onnx``: what the first ``index`` run does).
rclip gets the same paths with synthetic 512-d vectors in its own database, and searches
them with ``--no-indexing`` (the peer set up by ``../shared/bench/rclip/setup.sh``: give
its folder with ``--rclip DIR``; without one, only our figures are printed and the reason).

Each process is timed from start to exit, and its peak RSS read with ``wait4``. One
warm-up run of each is not counted (the page cache is then warm for both), then runs
alternate; medians are printed. ``ours, torch`` is the same query with the export turned
off (``PHOTOSEARCH_NO_ONNX=1``): the path every query took before.

Run: python benchmarks/bench_cold_query.py [--photos 100000] [--runs 5]
     [--model default|english-classic] [--rclip DIR] [--no-torch]
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_query import synthetic_vectors  # noqa: E402
from common import BENCH_DIR, ROOT, machine, random_model_folder, run_process  # noqa: E402

ARCHS = {"default": "ViT-B-32-SigLIP2-256", "english-classic": "ViT-B-32"}
QUERY = "a dog running on a beach at sunset"
RCLIP_DIM = 512           # rclip's ViT-B-32-256


def prepare_model(arch: str) -> tuple[str, str, int]:
    """(model argument, key, dim), with the text side exported as the index run does."""
    from photosearch.core import text_onnx
    from photosearch.core.model import load_encoder, resolve_source

    model = f"local-dir:{random_model_folder(arch)}"
    source = resolve_source(model)
    encoder = load_encoder(source, device="cpu", towers=("text",))
    if encoder.text is None:
        print("exporting the text side (once per model)…", file=sys.stderr)
        t = time.perf_counter()
        if not text_onnx.ensure_exported(encoder):
            raise SystemExit("the text side could not be exported: see the log")
        print(f"  {time.perf_counter() - t:.1f} s", file=sys.stderr)
    return model, source.key, encoder.dim


def prepare_library(n: int, key: str, dim: int) -> tuple[Path, Path]:
    """(library, photos folder) with ``n`` photos indexed for ``key``; built once."""
    from bench_query import fill_library

    from photosearch.core.library import Library

    root = BENCH_DIR / f"cold-query-{n}"
    lib_dir, photos = root / f"lib-{key.replace('/', '_')}", root / "photos"
    marker = lib_dir / "ready"
    if marker.is_file():
        return lib_dir, photos
    print(f"building a {n}-photo library (once)…", file=sys.stderr)
    t = time.perf_counter()
    with Library.open(lib_dir) as lib:
        fill_library(lib, synthetic_vectors(n, dim, kind="low-rank"), key, photos)
        lib.index_for(key, dim).save()
    marker.touch()
    print(f"  {time.perf_counter() - t:.0f} s", file=sys.stderr)
    return lib_dir, photos


def prepare_rclip(rclip: Path, photos: Path, n: int) -> Path:
    """An rclip data folder beside ours: rclip's exported model (linked) and a database
    of the same photos with synthetic vectors, as rclip's own indexing would leave it."""
    data = photos.parent / "rclip-data"
    db = data / "db.sqlite3"
    if db.is_file():
        return data
    data.mkdir(exist_ok=True)
    for item in (rclip / "rclip-data").iterdir():
        if item.name != "db.sqlite3" and not (data / item.name).exists():
            os.symlink(item.resolve(), data / item.name)
    vecs = synthetic_vectors(n, RCLIP_DIM, kind="low-rank")
    tmp = db.with_suffix(".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    con.execute("PRAGMA page_size=16384")   # what rclip 4 sets on a new index
    con.execute("CREATE TABLE images (id INTEGER PRIMARY KEY, deleted BOOLEAN, filepath TEXT "
                "NOT NULL UNIQUE, modified_at DATETIME NOT NULL, size INTEGER NOT NULL, "
                "vector BLOB NOT NULL, indexing BOOLEAN, hash TEXT)")
    con.execute("CREATE UNIQUE INDEX existing_images ON images(filepath) WHERE deleted IS NULL")
    con.execute("CREATE INDEX recent_images ON images(modified_at DESC, filepath) "
                "WHERE deleted IS NULL")
    con.execute("CREATE INDEX hash_index ON images(hash) WHERE deleted IS NULL")
    con.execute("CREATE TABLE db_version (version INTEGER)")
    con.execute("INSERT INTO db_version VALUES (4)")
    rows = ((str(photos / f"{i:06d}.jpg"), 0.0, 0, vecs[i].tobytes()) for i in range(n))
    con.executemany("INSERT INTO images(filepath, modified_at, size, vector) "
                    "VALUES (?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    os.replace(tmp, db)
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--model", default="default", choices=ARCHS)
    parser.add_argument("--rclip", type=Path, default=BENCH_DIR / "rclip",
                        help="folder set up by ../shared/bench/rclip/setup.sh")
    parser.add_argument("--no-torch", action="store_true",
                        help="skip the torch-path row (the export turned off)")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f}")
    model, key, dim = prepare_model(ARCHS[args.model])
    lib_dir, photos = prepare_library(args.photos, key, dim)
    env = {k: v for k, v in os.environ.items() if k != "PHOTOSEARCH_NO_ONNX"}
    env["PYTHONPATH"] = str(ROOT)
    ours = [sys.executable, "-m", "photosearch", "--library", str(lib_dir), "--model", model,
            "search", "-k", "20", QUERY]
    contenders: dict[str, tuple[list[str], dict[str, str], Path]] = {
        "ours (ONNX text side)": (ours, env, ROOT)}
    if not args.no_torch:
        contenders["ours, torch (no export)"] = (ours, dict(env, PHOTOSEARCH_NO_ONNX="1"),
                                                 ROOT)
    python = args.rclip / "venv312" / "bin" / "python"
    if python.is_file() and (args.rclip / "rclip-data").is_dir():
        data = prepare_rclip(args.rclip, photos, args.photos)
        rclip_env = dict(os.environ, RCLIP_DATADIR=str(data), HF_HUB_OFFLINE="1")
        contenders["rclip 4.0.8"] = ([str(python), "-m", "rclip", "-n", "-t", "20", QUERY],
                                     rclip_env, photos)
        missing_rclip = None
    else:
        missing_rclip = (f"rclip is not set up in {args.rclip} (run "
                         "../shared/bench/rclip/setup.sh DIR and pass --rclip DIR)")
    walls: dict[str, list[float]] = {name: [] for name in contenders}
    peaks: dict[str, list[int]] = {name: [] for name in contenders}
    for name, (cmd, run_env, cwd) in contenders.items():      # warm-up, not counted
        if not run_process(cmd, run_env, cwd).stdout.strip():
            raise SystemExit(f"{name}: no results")
    for _ in range(args.runs):
        for name, (cmd, run_env, cwd) in contenders.items():
            run = run_process(cmd, run_env, cwd)
            walls[name].append(run.wall)
            peaks[name].append(run.peak)
    print(f"cold text query, {args.photos} photos, model {args.model} "
          f"({ARCHS[args.model]}, random weights), median of {args.runs} fresh processes:")
    for name in contenders:
        print(f"  {name:26} {statistics.median(walls[name]):6.2f} s  "
              f"(min {min(walls[name]):.2f})  peak RSS "
              f"{statistics.median(peaks[name]) / (1 << 20):5.0f} MB")
    first = statistics.median(walls["ours (ONNX text side)"])
    print(f"goal: ours <= 1.5 s: {'met' if first <= 1.5 else 'NOT met'} ({first:.2f} s)")
    if missing_rclip:
        print(f"rclip: not measured: {missing_rclip}")
    else:
        peer = statistics.median(walls["rclip 4.0.8"])
        print(f"ours / rclip = {first / peer:.2f} (goal <= 1.0)")


if __name__ == "__main__":
    main()
