"""Model presets: what each costs here, and whether our preprocessing is the preset's own.

Prints numbers, asserts nothing. Run: ``python benchmarks/bench_models.py [--photos 20]
[--presets default,quality,english-classic] [--skip-cost]``.

1. Cost: each preset's architecture built by open_clip with *random* weights (no real
   weights exist here; the compute and memory are the real ones): parameters, fp32 size,
   image embedding time per photo (batch 8 at the preset's input size) and text embedding
   time per query (batch 8 at the full context, as SigLIP always runs it), relative to
   ``english-classic``.
2. Fidelity, on ImageNet-sample photos: the tensor from photosearch's preprocess against
   open_clip's own transform for the preset's pretrained tag (max abs difference, before
   and after giving open_clip the tag's preprocess explicitly), and the effect of the
   deliberate reduced-size JPEG decode: pixel error and the cosine between the two
   embeddings with the random weights.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import asdict

from common import ROOT, imagenet_photos, machine

sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from PIL import Image, ImageOps  # noqa: E402

from photosearch.core.decoding import decode  # noqa: E402
from photosearch.core.model import preprocess_overrides, resolve_source  # noqa: E402
from photosearch.core.presets import PRESETS  # noqa: E402


def reference_transform(arch: str, tag: str, size: int):
    """What open_clip.create_model_and_transforms(arch, pretrained=tag) gives, and the
    std it divides by."""
    import open_clip
    from open_clip.transform import PreprocessCfg, image_transform_v2, merge_preprocess_dict

    cfg = PreprocessCfg(**merge_preprocess_dict(asdict(PreprocessCfg(size=size)),
                                                open_clip.get_pretrained_cfg(arch, tag)))
    return image_transform_v2(cfg, is_train=False), torch.tensor(cfg.std)


def flops(fn) -> float:
    """Floating-point operations of one call: unlike time, the same on a busy machine."""
    from torch.utils.flop_counter import FlopCounterMode

    # The counter hooks autograd, which inference mode (and no_grad) switch off.
    with (torch.inference_mode(False), torch.enable_grad(),
          FlopCounterMode(display=False) as counter):
        fn()
    return float(counter.get_total_flops())


def timed(fn, reps: int = 3) -> float:
    fn()                                    # warm-up
    times = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


@torch.inference_mode()
def cost(name: str, model) -> dict:
    size = model.visual.image_size
    size = size[0] if isinstance(size, (tuple, list)) else size
    images = torch.randn(8, 3, size, size)
    ctx = model.context_length
    vocab = model.vocab_size
    tokens = torch.randint(3, vocab, (8, ctx))
    params = sum(p.numel() for p in model.parameters())
    visual = sum(p.numel() for p in model.visual.parameters())
    return {"name": name, "size": size, "params_m": params / 1e6,
            "visual_m": visual / 1e6, "text_m": (params - visual) / 1e6,
            "fp32_mb": params * 4 / 1e6, "context": ctx, "vocab": vocab,
            "image_gflops": flops(lambda: model.encode_image(images[:1].clone())) / 1e9,
            "text_gflops": flops(lambda: model.encode_text(tokens[:1].clone())) / 1e9,
            "image_s": timed(lambda: model.encode_image(images)) / 8,
            "text_s": timed(lambda: model.encode_text(tokens)) / 8}


@torch.inference_mode()
def fidelity(name: str, model, photos, large) -> dict:
    from open_clip.transform import PreprocessCfg, image_transform_v2

    preset = PRESETS[name]
    source = resolve_source(name)
    size = model.visual.image_size
    size = size[0] if isinstance(size, (tuple, list)) else size
    ref, std = reference_transform(preset.arch, preset.tag, size)
    ours = image_transform_v2(
        PreprocessCfg(size=size, **_cfg(preprocess_overrides(source))),
        is_train=False)
    before = image_transform_v2(PreprocessCfg(size=size),
                                          is_train=False)
    same, old, px_max, px_mean, cos = [], [], [], [], []
    for path in photos:
        with Image.open(path) as im:
            full = ImageOps.exif_transpose(im).convert("RGB")
        r = ref(full)
        same.append(float((ours(full) - r).abs().max()))
        old.append(float((before(full) - r).abs().max()))
    for path in large:
        with Image.open(path) as im:
            r = ref(ImageOps.exif_transpose(im).convert("RGB"))
        drafted = ours(decode(path, min_side=size).image)
        diff = (drafted - r).abs() * std.view(3, 1, 1) * 255     # in 8-bit pixel levels
        px_max.append(float(diff.max()))
        px_mean.append(float(diff.mean()))
        a, b = model.encode_image(torch.stack([r, drafted]))
        cos.append(float(torch.nn.functional.cosine_similarity(a, b, dim=0)))
    return {"name": name, "max_abs_same_image": max(same),
            "max_abs_before_fix": max(old), "draft_px_max": max(px_max),
            "draft_px_mean": statistics.mean(px_mean), "draft_cos_min": min(cos),
            "draft_cos_mean": statistics.mean(cos)}


def large_photos(n: int) -> list:
    """JPEGs big enough (shorter side >= 1024 px) that decoding them at reduced size
    (draft, 1/2 to 1/8 scale) really happens before the preset's resize."""
    from common import SHARED

    found = []
    for path in sorted(SHARED.glob("**/*")):
        if path.suffix.lower() not in (".jpg", ".jpeg") or "invalid" in path.parts:
            continue
        try:
            with Image.open(path) as im:
                if im.format == "JPEG" and min(im.size) >= 1024:
                    found.append(path)
        except Exception:
            continue
        if len(found) >= n:
            break
    return found


def _cfg(overrides: dict) -> dict:
    names = {"image_mean": "mean", "image_std": "std", "image_interpolation": "interpolation",
             "image_resize_mode": "resize_mode"}
    return {names[k]: v for k, v in overrides.items()}


def main() -> None:
    import open_clip

    ap = argparse.ArgumentParser()
    ap.add_argument("--photos", type=int, default=20)
    ap.add_argument("--presets", default="english-classic,default,quality,multilingual")
    ap.add_argument("--skip-cost", action="store_true")
    args = ap.parse_args()
    torch.set_num_threads(2)
    torch.manual_seed(0)
    print(machine(), f"torch threads {torch.get_num_threads()}")
    photos = imagenet_photos(args.photos)
    large = large_photos(args.photos)
    costs, fids = [], []
    for name in args.presets.split(","):
        preset = PRESETS[name]
        try:
            model = open_clip.create_model(preset.arch, pretrained=None).eval()
        except Exception as e:                   # xlm-roberta needs its HF config
            print(f"{name}: cannot build offline ({type(e).__name__}: {str(e)[:120]})")
            continue
        if not args.skip_cost:
            costs.append(cost(name, model))
        fids.append(fidelity(name, model, photos, large))
        del model
    if costs:
        base = next((c for c in costs if c["name"] == "english-classic"), costs[0])
        print("\npreset            arch                   size  params(M) vis/text  fp32 MB"
              "  img GFLOP  txt GFLOP  image ms  text ms  image x  text x")
        for c in costs:
            print(f"{c['name']:17} {PRESETS[c['name']].arch:22} {c['size']:4} "
                  f"{c['params_m']:9.1f} {c['visual_m']:4.0f}/{c['text_m']:<4.0f} "
                  f"{c['fp32_mb']:8.0f} {c['image_gflops']:10.2f} {c['text_gflops']:10.2f} "
                  f"{c['image_s'] * 1e3:9.1f} {c['text_s'] * 1e3:8.1f} "
                  f"{c['image_s'] / base['image_s']:7.2f} {c['text_s'] / base['text_s']:7.2f}")
    print(f"\nfidelity: same image on {len(photos)} ImageNet-sample photos (tensor units); "
          f"draft decode on {len(large)} JPEGs with a shorter side >= 1024 px (cos with "
          "random weights):")
    for f in fids:
        print(f"{f['name']:17} same image: max|ours-open_clip| {f['max_abs_same_image']:.2e} "
              f"(before: {f['max_abs_before_fix']:.2f}); draft decode: pixel err max "
              f"{f['draft_px_max']:.0f} mean {f['draft_px_mean']:.2f} (of 255), embedding cos min "
              f"{f['draft_cos_min']:.4f} mean {f['draft_cos_mean']:.4f}")


if __name__ == "__main__":
    main()
