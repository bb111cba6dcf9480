"""Shared set-up for benchmarks: the random ViT-B-32 checkpoint and the shared datasets.

Benchmarks print numbers and ratios measured within one run; they assert nothing about
time, since these machines are noisy and differ from session to session.
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The team keeps datasets beside the checkouts; a worktree elsewhere can point at them.
SHARED = Path(os.environ.get("PHOTOSEARCH_SHARED_DATASETS", ROOT.parent / "shared" / "datasets"))
BENCH_DIR = ROOT / ".bench"          # git-ignored scratch space
RANDOM_VIT = BENCH_DIR / "vit-b-32-random.safetensors"


def random_vit_checkpoint() -> Path:
    """A random-initialised ViT-B-32 saved as safetensors: the compute of real weights,
    loaded through the same local-checkpoint path (--model ViT-B-32 --weights FILE)."""
    if not RANDOM_VIT.is_file():
        import open_clip
        import torch
        from safetensors.torch import save_file

        torch.manual_seed(0)
        model = open_clip.create_model("ViT-B-32", pretrained=None)
        BENCH_DIR.mkdir(exist_ok=True)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()}, RANDOM_VIT)
    return RANDOM_VIT


def random_model_folder(arch: str) -> Path:
    """A model folder (``local-dir:``) with ``arch`` at random weights, for measuring what
    the real model costs. A SigLIP 2 text tower needs its Gemma tokenizer, which is not
    here: the tiny SigLIP fixture's stands in (it only yields ids below the real 256k
    vocabulary, so the embedding table and the compute are the real model's)."""
    import json
    import shutil

    folder = BENCH_DIR / f"{arch}-random"
    weights = folder / "open_clip_model.safetensors"
    if weights.is_file():
        return folder
    import open_clip
    import torch
    from safetensors.torch import save_file

    cfg = open_clip.get_model_config(arch)
    pre = open_clip.get_pretrained_cfg(arch, {"ViT-B-32": "laion2b_s34b_b79k"}.get(
        arch, "webli")) or {}
    text = cfg.get("text_cfg", {})
    folder.mkdir(parents=True, exist_ok=True)
    if "hf_tokenizer_name" in text:
        fixture = ROOT / "tests" / "fixtures" / "tiny_siglip"
        for name in ("tokenizer.json", "tokenizer_config.json"):
            shutil.copy(fixture / name, folder / name)
        text["hf_tokenizer_name"] = folder.name
    preprocess = {"size": cfg["vision_cfg"]["image_size"]}
    for key, name in (("mean", "mean"), ("std", "std"), ("interpolation", "interpolation"),
                      ("resize_mode", "resize_mode")):
        if pre.get(key) is not None:
            preprocess[name] = pre[key]
    (folder / "open_clip_config.json").write_text(json.dumps(
        {"model_cfg": cfg, "preprocess_cfg": preprocess}, indent=2))
    torch.manual_seed(0)
    model = open_clip.create_model(arch, pretrained=None)
    save_file({k: v.contiguous() for k, v in model.state_dict().items()}, weights)
    return folder


def machine() -> str:
    from photosearch.core.model import cpu_has_native_bf16

    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{platform.machine()} {cpu}, {os.cpu_count()} cores, "
            f"native bf16: {cpu_has_native_bf16()}")


def imagenet_photos(n: int) -> list[Path]:
    folder = SHARED / "imagenet-sample"
    if not folder.is_dir():
        raise SystemExit(f"SKIPPED: {folder} is not here (only in the team's workspace)")
    return sorted(folder.glob("*.JPEG"))[:n]


# A small launcher spawns each process and reads its usage with wait4: a child forked
# straight from the (large) benchmark process would count its pages in the child's peak.
LAUNCHER = """
import os, sys, time
start = time.perf_counter()
pid = os.posix_spawnp(sys.argv[1], sys.argv[1:], os.environ)
_, status, usage = os.wait4(pid, 0)
print(time.perf_counter() - start, usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024,
      os.waitstatus_to_exitcode(status), file=sys.stderr)
"""


@dataclass
class Run:
    """One fresh process: wall and CPU seconds (user + system), peak RSS, its output."""

    wall: float
    cpu: float
    peak: int
    stdout: str
    stderr: str


def run_process(cmd: list[str], env: dict[str, str], cwd: Path) -> Run:
    """Run ``cmd`` as a fresh process and measure it; exits the benchmark if it fails."""
    done = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], env=env, cwd=cwd,
                          capture_output=True, text=True)
    *rest, last = done.stderr.strip().splitlines() or [""]
    wall, cpu, peak, code = last.split()
    if int(code) != 0:
        raise SystemExit(f"{' '.join(cmd[:6])}… exited {code}: {done.stderr[-800:]}")
    return Run(float(wall), float(cpu), int(peak), done.stdout, "\n".join(rest))
