"""The CUDA path in one command: decode-only, model-only and end-to-end rates, and the goal.

Goal (issue 13): end-to-end indexing >= 90 % of the decode-only rate of all cores. Runs
anywhere: without a CUDA device it says so and prints the CPU figures (the model then
runs on the CPU too). With one, it adds JPEG decoding + preprocessing on the device
(nvJPEG through torchvision, ``core/gpu.py``) and the model in fp16 with large batches.

Photos: ImageNet-sample pictures re-encoded as 12-MP JPEGs (as ``bench_indexing``), the
model a random-initialised ViT-B-32 (the compute of the real one).

Run: python benchmarks/bench_gpu.py [--photos 256] [--megapixels 12]
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
from bench_indexing import decode_rate, end_to_end_rate, make_big_jpegs, model_rate  # noqa: E402
from common import machine, random_vit_checkpoint  # noqa: E402


def device_decode_rate(paths: list[Path], encoder, batch: int) -> float:
    """JPEG bytes -> model input on the device (decode, turn upright, resize, normalise),
    ``batch`` files per call; the clock stops when the device has finished."""
    import torch

    from photosearch.core.gpu import decode_on_device, preprocess_on_device

    mean, std = _mean_std(encoder)
    datas = [p.read_bytes() for p in paths]
    sync = torch.cuda.synchronize if encoder.device.startswith("cuda") else (lambda: None)
    decode_on_device(datas[:2], [1, 1], encoder.device)      # warm-up (nvJPEG handles)
    sync()
    start = time.perf_counter()
    for lo in range(0, len(datas), batch):
        part = datas[lo:lo + batch]
        images = [t for t in decode_on_device(part, [1] * len(part), encoder.device)
                  if t is not None]
        preprocess_on_device(images, encoder.image_size, mean, std)
    sync()
    return len(datas) / (time.perf_counter() - start)


def _mean_std(encoder) -> tuple[tuple[float, ...], tuple[float, ...]]:
    tail = encoder.preprocess
    if hasattr(tail, "mean"):       # core.preprocess.NumpyTail
        return tuple(tail.mean.ravel().tolist()), tuple(tail.std.ravel().tolist())
    return (0.48145466, 0.4578275, 0.40821073), (0.26862954, 0.26130258, 0.27577711)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=256)
    parser.add_argument("--megapixels", type=float, default=12.0)
    args = parser.parse_args()

    from photosearch.core.gpu import cuda_available
    from photosearch.core.model import load_encoder, resolve_source
    from photosearch.core.pipeline import decode_workers

    cuda = cuda_available()
    print(f"machine: {machine()}")
    if cuda:
        import torch

        print(f"CUDA device: {torch.cuda.get_device_name(0)}")
    else:
        print("no CUDA device here: CPU figures only (the model runs on the CPU)")
    encoder = load_encoder(resolve_source("ViT-B-32", weights=str(random_vit_checkpoint())))
    print(f"model: ViT-B-32 random-init weights; {encoder.device} {encoder.precision}, "
          f"batch {encoder.batch_size}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "photos"
        paths = make_big_jpegs(folder, args.photos, args.megapixels)
        workers = decode_workers()
        d = decode_rate(paths, encoder, os.cpu_count() or 1)
        print(f"decode-only, all {os.cpu_count()} cores (read, hash, decode, EXIF, "
              f"preprocess, pHash, thumbnail): D = {d:.1f} photos/s")
        if cuda:
            g = device_decode_rate(paths, encoder, encoder.batch_size)
            print(f"decode + preprocess on the device (nvJPEG; not yet used by indexing): "
                  f"{g:.1f} photos/s = {g / d:.2f} x D")
        m = model_rate(encoder, max(4 * encoder.batch_size, args.photos))
        print(f"model-only ({encoder.device} {encoder.precision}): M = {m:.1f} images/s "
              f"= {m / d:.2f} x D")
        e, n = end_to_end_rate(folder, encoder, hooks=False)
        ratio = e / d
        print(f"end-to-end (index_library, {workers} decoder threads): E = {e:.1f} photos/s "
              f"over {n} photos")
        print(f"E / D = {ratio:.2f}  (goal >= 0.90: {'met' if ratio >= 0.9 else 'NOT met'}"
              f"{'' if cuda else '; on a CPU the model shares the cores with decoding'})")


if __name__ == "__main__":
    main()
