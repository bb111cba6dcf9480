"""Rebuild the tiny open_clip fixture model in tests/fixtures/tiny_clip/.

    python tests/make_fixture_model.py

Trains a ~3.6M-parameter CLIP (open_clip ModifiedResNet image tower + 2-layer
text transformer) on synthetic "coloured shape" images from fixture_images.py,
saves it in open_clip's ``local-dir:`` format (open_clip_config.json +
open_clip_model.safetensors, fp16), reloads it through
``open_clip.create_model_and_transforms("local-dir:...")`` and evaluates it on
freshly generated JPEGs.  Deterministic: fixed seeds, fixed step count, 2 threads.
CPU only; takes a few minutes on 2 cores.  The model is for tests only.
"""

from __future__ import annotations

import io
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import open_clip  # noqa: E402
from fixture_images import COLOURS, SHAPES, caption, make_image, write_dataset  # noqa: E402
from open_clip.loss import ClipLoss  # noqa: E402
from safetensors.torch import save_file  # noqa: E402

OUT_DIR = HERE / "fixtures" / "tiny_clip"
CONFIG_NAME = "open_clip_config.json"  # the name open_clip's local-dir: schema reads
WEIGHTS_NAME = "open_clip_model.safetensors"  # first in open_clip's preferred checkpoint names

IMAGE_SIZE = 64
MEAN = (0.48145466, 0.4578275, 0.40821073)  # OpenAI CLIP defaults
STD = (0.26862954, 0.26130258, 0.27577711)

MODEL_CFG = {
    "embed_dim": 64,
    "vision_cfg": {  # list-valued `layers` => open_clip's own ModifiedResNet (no timm)
        "image_size": IMAGE_SIZE,
        "layers": [1, 1, 1, 1],
        "width": 8,
        "patch_size": None,
    },
    "text_cfg": {  # default SimpleTokenizer vocabulary
        "context_length": 16,
        "vocab_size": 49408,
        "width": 64,
        "heads": 4,
        "layers": 2,
    },
}
PREPROCESS_CFG = {
    "size": IMAGE_SIZE,
    "mean": list(MEAN),
    "std": list(STD),
    "interpolation": "bicubic",
    "resize_mode": "shortest",
}

SEED = 20240601
EVAL_SEED = 777
POOL_PER_CLASS = 160
STEPS = 1000
BATCH = 128
LR = 1e-3
WARMUP = 50
WEIGHT_DECAY = 0.05
EVAL_PER_CLASS = 10  # with 5, image->image P@5 (self excluded) could not exceed 4/5
EVAL_SIZE = 96

CLASSES = [(c, s) for c in COLOURS for s in SHAPES]


def _to64(img: Image.Image) -> Image.Image:
    """Bicubic resize of a square image to 64 px, as the model's preprocess does."""
    if img.size != (IMAGE_SIZE, IMAGE_SIZE):
        img = img.resize((IMAGE_SIZE, IMAGE_SIZE), Image.BICUBIC)
    return img


def build_pool(rng: random.Random) -> tuple[torch.Tensor, torch.Tensor]:
    """Pre-generate POOL_PER_CLASS images per class as uint8 64x64 tensors (labels are
    indexes into CLASSES).

    Images are rendered at 64 or 96 px, half of them JPEG round-tripped, then
    resized to 64 px like the preprocess does, to match what tests feed the model.
    """
    imgs, labels = [], []
    for k, (colour, shape) in enumerate(CLASSES):
        for _ in range(POOL_PER_CLASS):
            size = rng.choice((64, 80, 96))
            img = make_image(colour, shape, rng, size=size)
            if rng.random() < 0.5:
                buf = io.BytesIO()
                img.save(buf, format="JPEG", quality=rng.randint(70, 95))
                buf.seek(0)
                img = Image.open(buf).convert("RGB")
            imgs.append(np.asarray(_to64(img), dtype=np.uint8))
            labels.append(k)
    x = torch.from_numpy(np.stack(imgs)).permute(0, 3, 1, 2).contiguous()  # N,3,H,W uint8
    return x, torch.tensor(labels)


def augment(x: torch.Tensor, g: torch.Generator) -> torch.Tensor:
    """Random dihedral transform (all shapes are class-invariant under flips/rot90)."""
    n = x.shape[0]
    flip_h = torch.rand(n, generator=g) < 0.5
    flip_v = torch.rand(n, generator=g) < 0.5
    transp = torch.rand(n, generator=g) < 0.5
    x = torch.where(flip_h[:, None, None, None], x.flip(3), x)
    x = torch.where(flip_v[:, None, None, None], x.flip(2), x)
    x = torch.where(transp[:, None, None, None], x.transpose(2, 3), x)
    return x


def normalise(x_uint8: torch.Tensor, mean=MEAN, std=STD) -> torch.Tensor:
    m = torch.tensor(mean).view(1, 3, 1, 1)
    s = torch.tensor(std).view(1, 3, 1, 1)
    return (x_uint8.float() / 255.0 - m) / s


def lr_at(step: int, steps: int = STEPS) -> float:
    """Linear warm-up, then cosine decay to zero."""
    if step < WARMUP:
        return LR * (step + 1) / WARMUP
    p = (step - WARMUP) / max(1, steps - WARMUP)
    return LR * 0.5 * (1 + math.cos(math.pi * p))


def train_loop(model: torch.nn.Module, batch_loss, *, steps: int = STEPS,
               seed: int = SEED) -> tuple[torch.nn.Module, dict]:
    """The loop both fixture models share: a pool of generated images, AdamW with warm-up
    and cosine decay, dihedral augmentation. ``batch_loss(model, images_uint8, class_ids,
    rng)`` returns the batch's loss (it owns captions, tokenizer, loss and normalising)."""
    rng = random.Random(seed)
    g = torch.Generator().manual_seed(seed)

    t0 = time.time()
    pool_x, pool_y = build_pool(rng)
    t_pool = time.time() - t0
    print(f"pool: {tuple(pool_x.shape)} in {t_pool:.1f}s", flush=True)
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters: {n_params:,}", flush=True)

    opt = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=WEIGHT_DECAY)
    model.train()
    t0 = time.time()
    for step in range(steps):
        for group in opt.param_groups:
            group["lr"] = lr_at(step, steps)
        idx = torch.randint(0, pool_x.shape[0], (BATCH,), generator=g)
        loss = batch_loss(model, augment(pool_x[idx], g), pool_y[idx], rng)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            model.logit_scale.clamp_(0, math.log(100))
        if step % 100 == 0 or step == steps - 1:
            print(
                f"step {step:4d} loss {loss.item():.3f} lr {lr_at(step, steps):.2e} "
                f"({time.time() - t0:.0f}s)",
                flush=True,
            )
    t_train = time.time() - t0
    model.eval()
    return model, {"n_params": n_params, "pool_s": t_pool, "train_s": t_train}


def train() -> tuple[torch.nn.Module, dict]:
    torch.manual_seed(SEED)  # the model's initial weights
    model = open_clip.model.CLIP(**MODEL_CFG)
    tokenizer = open_clip.tokenizer.SimpleTokenizer(
        context_length=MODEL_CFG["text_cfg"]["context_length"]
    )
    tokens = cached_tokens(tokenizer)
    loss_fn = ClipLoss()

    def batch_loss(model, images, class_ids, rng):
        texts = [caption(*CLASSES[int(k)], rng) for k in class_ids]
        img_f, txt_f, logit_scale = model(normalise(images), tokens(texts))
        return loss_fn(img_f, txt_f, logit_scale)

    return train_loop(model, batch_loss)


def cached_tokens(tokenizer):
    """``tokenizer`` memoised per caption: the captions repeat, tokenizing them does not."""
    cache: dict[str, torch.Tensor] = {}

    def tokens(texts: list[str]) -> torch.Tensor:
        missing = [t for t in set(texts) if t not in cache]
        if missing:
            for t, row in zip(missing, tokenizer(missing), strict=True):
                cache[t] = row
        return torch.stack([cache[t] for t in texts])

    return tokens


def save(model: torch.nn.Module, out_dir: Path, model_cfg: dict = MODEL_CFG,
         preprocess_cfg: dict = PREPROCESS_CFG) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    # Remove stale checkpoints: open_clip's local-dir loader globs *.safetensors/*.bin/*.pth.
    for p in (
        list(out_dir.glob("*.safetensors"))
        + list(out_dir.glob("*.bin"))
        + list(out_dir.glob("*.pth"))
    ):
        p.unlink()
    sd = {
        k: (v.half() if v.is_floating_point() else v).contiguous()
        for k, v in model.state_dict().items()
    }
    save_file(sd, str(out_dir / WEIGHTS_NAME), metadata={"format": "pt"})
    (out_dir / WEIGHTS_NAME).chmod(0o644)  # safetensors writes 0600
    with open(out_dir / CONFIG_NAME, "w", encoding="utf-8") as f:
        json.dump({"model_cfg": model_cfg, "preprocess_cfg": preprocess_cfg}, f, indent=2)
        f.write("\n")


@torch.no_grad()
def evaluate(trained: torch.nn.Module, out_dir: Path) -> dict:
    model, _, preprocess = open_clip.create_model_and_transforms(f"local-dir:{out_dir}")
    model.eval()
    tokenizer = open_clip.get_tokenizer(f"local-dir:{out_dir}")
    assert tokenizer.context_length == MODEL_CFG["text_cfg"]["context_length"], (
        tokenizer.context_length
    )

    with tempfile.TemporaryDirectory() as tmp:
        items = write_dataset(
            tmp, per_class=EVAL_PER_CLASS, seed=EVAL_SEED, size=EVAL_SIZE, fmt="jpg"
        )
        tensors = []
        for p, _, _ in items:
            with Image.open(p) as im:
                tensors.append(preprocess(im.convert("RGB")))
        x = torch.stack(tensors)
    labels = torch.tensor([CLASSES.index((c, s)) for _, c, s in items])
    colours = torch.tensor([list(COLOURS).index(c) for _, c, _ in items])
    shapes = torch.tensor([SHAPES.index(s) for _, _, s in items])

    img = F.normalize(model.encode_image(x), dim=-1)
    img32 = F.normalize(trained.encode_image(x), dim=-1)

    queries = [f"a {c} {s}" for c, s in CLASSES]
    txt = F.normalize(model.encode_text(tokenizer(queries)), dim=-1)
    txt32 = F.normalize(trained.encode_text(tokenizer(queries)), dim=-1)

    k = 5
    top = (txt @ img.T).topk(k, dim=1).indices  # 36 x 5
    t2i = (labels[top] == torch.arange(len(CLASSES))[:, None]).float().mean().item()

    sim = img @ img.T
    sim.fill_diagonal_(-float("inf"))
    top = sim.topk(k, dim=1).indices
    i2i = (labels[top] == labels[:, None]).float().mean().item()

    # Extra (informative): colour-only and shape-only queries, P@5.
    ctxt = F.normalize(model.encode_text(tokenizer([f"something {c}" for c in COLOURS])), dim=-1)
    top = (ctxt @ img.T).topk(k, dim=1).indices
    colour_p5 = (colours[top] == torch.arange(len(COLOURS))[:, None]).float().mean().item()
    stxt = F.normalize(model.encode_text(tokenizer([f"a {s}" for s in SHAPES])), dim=-1)
    top = (stxt @ img.T).topk(k, dim=1).indices
    shape_p5 = (shapes[top] == torch.arange(len(SHAPES))[:, None]).float().mean().item()

    diff = max((img - img32).abs().max().item(), (txt - txt32).abs().max().item())
    return {
        "n_eval_images": len(items),
        "text_to_image_p5": t2i,
        "image_to_image_p5": i2i,
        "colour_only_p5": colour_p5,
        "shape_only_p5": shape_p5,
        "fp16_vs_fp32_max_abs_diff": diff,
    }


def main() -> None:
    torch.set_num_threads(2)
    model, info = train()
    save(model, OUT_DIR)
    metrics = evaluate(model, OUT_DIR)
    size = (OUT_DIR / WEIGHTS_NAME).stat().st_size
    print(f"\nparameters: {info['n_params']:,}")
    print(f"pool generation: {info['pool_s']:.0f}s, "
          f"training ({STEPS} steps x {BATCH}): {info['train_s']:.0f}s")
    print(f"weights: {OUT_DIR / WEIGHTS_NAME} ({size / 1e6:.2f} MB, fp16)")
    print(f"eval on {metrics['n_eval_images']} fresh {EVAL_SIZE}-px JPEGs (seed {EVAL_SEED}):")
    rows = [
        ("text->image P@5 ('a {colour} {shape}', 36 queries)", "text_to_image_p5", ".3f"),
        ("image->image same-class P@5", "image_to_image_p5", ".3f"),
        ("colour-only P@5 ('something {colour}')", "colour_only_p5", ".3f"),
        ("shape-only P@5 ('a {shape}')", "shape_only_p5", ".3f"),
        ("max |fp32 - fp16-loaded| (normalised embeddings)", "fp16_vs_fp32_max_abs_diff",
         ".2e"),
    ]
    for label, key, fmt in rows:
        print(f"  {label + ':':<56}{metrics[key]:{fmt}}")

if __name__ == "__main__":
    main()
