"""Peak memory on "bomb" files: small on disk, huge decoded.

Decodes each file alone, then (with --index) indexes a folder of all of them plus a few
ordinary photos with a preset's architecture at random weights (the compute and memory of
the real model; ``--model default`` is SigLIP 2 ViT-B/32, a 1.5 GB checkpoint written
once into .bench/), at the default precision unless --precision says otherwise. Every
measurement runs in a child process and reads its peak RSS
(``ru_maxrss``), importing photosearch from --code: run it once with ``--code ../main``
(or any older checkout) and once without to get before → after numbers on the same files.
The goal: the whole index run stays under ~1.5 GB with default settings.

The model loads as the CLI's index command loads it (the image tower alone, where the
code under test can); ``--hooks`` adds the duplicate and tag hooks with an empty tag-word
cache, so the text tower comes in to embed the vocabulary (a new library's first run).

Run: python benchmarks/bench_memory.py [--side 15000] [--index] [--code DIR]
     [--model default|english-classic] [--precision fp32|bf16] [--no-bombs] [--hooks]
"""

from __future__ import annotations

import argparse
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import BENCH_DIR, random_model_folder  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.5 * 2**30   # issue 9: the whole index run under ~1.5 GB with the default settings
ARCHS = {"default": "ViT-B-32-SigLIP2-256", "english-classic": "ViT-B-32"}  # the presets

DECODE_ONE = """
import json, resource, sys, time
sys.path.insert(0, sys.argv[1])
from photosearch.core.decoding import decode
def peak(): return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
base, start = peak(), time.perf_counter()
try:
    d = decode(sys.argv[2], min_side=224)
    result = f"decoded to {d.image.size[0]}x{d.image.size[1]}"
except Exception as e:
    result = "refused: " + getattr(e, "reason", str(e))
print(json.dumps({"growth": peak() - base, "peak": peak(), "result": result,
                  "seconds": time.perf_counter() - start}))
"""

INDEX_ALL = """
import inspect, json, os, resource, sys, tempfile, time
sys.path.insert(0, sys.argv[1])
from photosearch.core.library import Library
from photosearch.core.model import load_encoder, resolve_source
from photosearch.core.pipeline import index_library
# as the CLI's index command loads it: the image tower alone, where the code can
towers = ({"towers": ("image",)} if "towers" in inspect.signature(load_encoder).parameters
          else {})
hooks = []
if sys.argv[5] == "hooks":  # duplicates and tags, with an empty tag-word cache
    from photosearch.core.features import standard_hooks
    hooks = standard_hooks()
def status(key):  # kB lines of /proc/self/status, in bytes
    for line in open("/proc/self/status"):
        if line.startswith(key + ":"):
            return int(line.split()[1]) * 1024
encoder = load_encoder(resolve_source("local-dir:" + sys.argv[3]), device="cpu",
                       precision=sys.argv[4] or None, **towers)
load_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
loaded = status("VmRSS")
with open("/proc/self/clear_refs", "w") as f:  # reset the peak (VmHWM) to the current RSS
    f.write("5")
start = time.perf_counter()
with tempfile.TemporaryDirectory() as tmp, Library.open(tmp) as lib:
    lib.add_folder(sys.argv[2])
    report = index_library(lib, encoder, hooks=hooks)
peak = status("VmHWM")
export_peak = 0
if hooks:  # the CLI's first run then exports the text side (core/text_onnx), towers freed
    try:
        from photosearch.core import text_onnx
    except ImportError:
        text_onnx = None
    if text_onnx is not None:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        encoder.release("image")
        encoder.release("text")
        text_onnx.ensure_exported(encoder)
        export_peak = status("VmHWM")
def cuda_shared():  # bytes of CUDA-library pages another process keeps resident here
    try:
        from photosearch.core.torch_runtime import _is_cuda
    except ImportError:
        return 0
    total, counting = 0, False
    for line in open("/proc/self/smaps"):
        head = line.split(maxsplit=1)[0]
        if not head.endswith(":"):
            counting = _is_cuda(line)
        elif counting and head == "Shared_Clean:":
            total += int(line.split()[1]) * 1024
    return total
print(json.dumps({"precision": encoder.precision, "load_peak": load_peak,
                  "cuda_shared": cuda_shared(),
                  "model_loaded": loaded, "peak": peak, "export_peak": export_peak,
                  "embedded": report.embedded,
                  "failed": [r for _, r in report.failed],
                  "seconds": time.perf_counter() - start}))
"""


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))


def write_png(path: Path, side: int, depth: int, colour_type: int) -> None:
    """A side×side PNG written row by row (the generator itself stays small): two flat
    halves, so it compresses to almost nothing."""
    channels = {0: 1, 2: 3}[colour_type]
    row_bytes = side * channels * depth // 8
    rows = (b"\0" + b"\x9c" * row_bytes, b"\0" + b"\x21" * row_bytes)
    z = zlib.compressobj(6)
    parts = []
    for y in range(side):
        parts.append(z.compress(rows[y * 2 // side]))
    parts.append(z.flush())
    ihdr = struct.pack(">IIBBBBB", side, side, depth, colour_type, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr)
                     + _chunk(b"IDAT", b"".join(parts)) + _chunk(b"IEND", b""))


def write_jpeg(path: Path, side: int, progressive: bool) -> None:
    from PIL import Image, ImageDraw

    im = Image.new("RGB", (side, side), (40, 90, 160))
    ImageDraw.Draw(im).ellipse((side // 4, side // 4, 3 * side // 4, 3 * side // 4),
                               fill=(220, 60, 30))
    im.save(path, quality=80, progressive=progressive)


BOMBS = {
    "png16-grey.png": lambda p, side: write_png(p, side, 16, 0),
    "png16-rgb.png": lambda p, side: write_png(p, side, 16, 2),
    "png8-rgb.png": lambda p, side: write_png(p, side, 8, 2),
    "jpeg-baseline.jpg": lambda p, side: write_jpeg(p, side, False),
    "jpeg-progressive.jpg": lambda p, side: write_jpeg(p, side, True),
}


def bombs(side: int) -> Path:
    folder = BENCH_DIR / f"bombs-{side}"
    folder.mkdir(parents=True, exist_ok=True)
    for name in BOMBS:
        if not (folder / name).is_file():
            print(f"writing {name} ({side}x{side})…", file=sys.stderr)
            # in a child, so that the generator's memory never counts anywhere
            subprocess.run([sys.executable, __file__, "--make", name, "--side", str(side)],
                           check=True)
    return folder


def child(script: str, *args: str, env: dict[str, str] | None = None) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *args], capture_output=True,
                          text=True, env=env)
    if done.returncode != 0:
        return {"error": f"exit {done.returncode}: {done.stderr.strip()[-300:]}"}
    return json.loads(done.stdout.strip().splitlines()[-1])


def kb(n: float) -> str:
    return f"{n / 1024:7.0f} KB"


def mb(n: float) -> str:
    return f"{n / (1 << 20):7.0f} MB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--side", type=int, default=15000)
    parser.add_argument("--code", default=str(ROOT), help="checkout whose photosearch to run")
    parser.add_argument("--index", action="store_true", help="also a whole index run")
    parser.add_argument("--model", default="default", choices=ARCHS)
    parser.add_argument("--precision", default="", help="default: what the machine picks")
    parser.add_argument("--no-bombs", action="store_true", help="skip the decode-only rows")
    parser.add_argument("--hooks", action="store_true",
                        help="index with the duplicate and tag hooks, embedding the tag "
                             "vocabulary from an empty cache (a new library's first run)")
    parser.add_argument("--make", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.make:
        BOMBS[args.make](BENCH_DIR / f"bombs-{args.side}" / args.make, args.side)
        return
    folder = bombs(args.side)
    code = os.path.abspath(args.code)
    print(f"code: {code}\nfiles: {folder}")
    print(f"{'file':22} {'on disk':>10} {'peak growth':>12} {'s':>6}  result")
    for path in [] if args.no_bombs else sorted(folder.iterdir()):
        out = child(DECODE_ONE, code, str(path))
        if "error" in out:
            print(f"{path.name:22} {kb(path.stat().st_size)}  {out['error']}")
            continue
        print(f"{path.name:22} {kb(path.stat().st_size)} {mb(out['growth'])}"
              f" {out['seconds']:6.1f}  {out['result'][:70]}")
    if args.index:
        model = str(random_model_folder(ARCHS[args.model]))
        with tempfile.TemporaryDirectory() as tmp:
            run = Path(tmp) / "photos"
            run.mkdir()
            for path in folder.iterdir():
                os.symlink(path, run / path.name)
            from PIL import Image

            for i in range(8):
                Image.new("RGB", (1600, 1200), (30 * i, 80, 200 - 20 * i)).save(
                    run / f"ordinary-{i}.jpg", quality=85)
            env = dict(os.environ, XDG_CACHE_HOME=str(Path(tmp) / "cache"))
            out = child(INDEX_ALL, code, str(run), model, args.precision,
                        "hooks" if args.hooks else "", env=env)
        if "error" in out:
            print(f"index run: {out['error']}")
        else:
            hooks = ", tag and duplicate hooks" if args.hooks else ""
            print(f"index run ({args.model}, {out['precision']}, default workers{hooks}): "
                  f"peak {mb(out['peak'])} "
                  f"while indexing; RSS with the model loaded {mb(out['model_loaded'])} "
                  f"(peak while loading it {mb(out['load_peak'])}); {out['embedded']} "
                  f"embedded, {len(out['failed'])} refused, {out['seconds']:.1f} s")
            if out.get("export_peak"):
                print(f"  then exporting the text side: peak {mb(out['export_peak'])}")
            worst = max(out["peak"], out["load_peak"], out.get("export_peak", 0))
            print(f"whole run's peak {mb(worst)}  goal ≤ {mb(GOAL)}: "
                  f"{'met' if worst <= GOAL else 'NOT met'}")
            if out.get("cuda_shared"):
                print(f"  note: {mb(out['cuda_shared'])} of torch's CUDA libraries stayed "
                      "resident, shared with another process that has torch loaded; "
                      "alone, this process hands them back (core/torch_runtime)")
            for reason in out["failed"]:
                print(f"  refused: {reason[:100]}")


if __name__ == "__main__":
    main()
