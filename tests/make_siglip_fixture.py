"""Rebuild the tiny SigLIP-style fixture model in tests/fixtures/tiny_siglip/.

    python tests/make_siglip_fixture.py

The second fixture model, built like the real SigLIP 2 presets so that tests exercise
their code path without real weights: open_clip ``CustomTextCLIP`` with a learned
``logit_bias`` (``init_logit_bias``), a non-causal text tower pooled at the last
position, a Hugging Face tokenizer read from local files (``hf_tokenizer_name``; a
word-level ``tokenizer.json`` trained here on English and Russian captions), SigLIP's
preprocess (squash resize, mean/std 0.5), trained with open_clip's ``SigLipLoss``.

Its scores are probabilities (sigmoid of ``logit_scale * cos + logit_bias``), which is
what the relevance cut-off reads. The loss is SigLipLoss with one change: a caption is
a positive for every image it describes ("something red" for every red shape), not only
for its own image; with the stock diagonal labels, same-class pairs within a batch
would be taught to be non-matches. Shares the pool, augmentation and training loop with
the CLIP fixture (make_fixture_model.py). Deterministic; CPU only; a few minutes.
"""

from __future__ import annotations

import json
import math
import random
import sys
import tempfile
from pathlib import Path

import torch
import torch.nn.functional as F
from PIL import Image

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import open_clip  # noqa: E402
from fixture_images import COLOURS, SHAPES, caption, write_dataset  # noqa: E402
from make_fixture_model import (  # noqa: E402
    CLASSES,
    EVAL_PER_CLASS,
    EVAL_SEED,
    EVAL_SIZE,
    IMAGE_SIZE,
    WEIGHTS_NAME,
    cached_tokens,
    normalise,
    save,
    train_loop,
)
from make_fixture_model import OUT_DIR as CLIP_DIR  # noqa: E402
from open_clip.loss import SigLipLoss  # noqa: E402

OUT_DIR = HERE / "fixtures" / "tiny_siglip"
SEED = 20250301
STEPS = 600
MEAN = STD = (0.5, 0.5, 0.5)       # SigLIP's (Inception) normalisation
CONTEXT = 12
# SigLIP starts at scale 10; a model this small, trained this briefly, never grows it far
# (it reached 13.5, too flat a sigmoid to separate matches from near-misses): start higher.
INIT_LOGIT_SCALE = 30.0
RUSSIAN_SHARE = 0.4

# Russian colour adjectives agree with the noun's gender: (masculine, feminine, neuter).
RU_COLOURS = {
    "red": ("красный", "красная", "красное"),
    "green": ("зелёный", "зелёная", "зелёное"),
    "blue": ("синий", "синяя", "синее"),
    "yellow": ("жёлтый", "жёлтая", "жёлтое"),
    "purple": ("фиолетовый", "фиолетовая", "фиолетовое"),
    "orange": ("оранжевый", "оранжевая", "оранжевое"),
}
RU_SHAPES = {"circle": ("круг", 0), "square": ("квадрат", 0), "triangle": ("треугольник", 0),
             "star": ("звезда", 1), "cross": ("крест", 0), "ring": ("кольцо", 2)}
_RU_FULL = ("{c} {s}", "это {c} {s}", "на фото {c} {s}", "картинка {c} {s}")
_RU_COLOUR = ("что-то {n}", "{n}")
_RU_SHAPE = ("{s}", "это {s}", "на фото {s}")


def caption_ru(colour: str, shape: str, rng: random.Random) -> str:
    noun, gender = RU_SHAPES[shape]
    adj = RU_COLOURS[colour][gender]
    if rng.random() < 0.5:      # people often type е for ё
        adj = adj.replace("ё", "е")
    p = rng.random()
    if p < 0.70:
        return rng.choice(_RU_FULL).format(c=adj, s=noun)
    if p < 0.85:
        return rng.choice(_RU_COLOUR).format(n=RU_COLOURS[colour][2])
    return rng.choice(_RU_SHAPE).format(s=noun)


def describes(text: str) -> tuple[str | None, str | None]:
    """Which colour and shape a training caption names (None: it does not say)."""
    words = set(open_clip.tokenizer.canonicalize_text(text.replace("ё", "е")).split())
    colour = next((c for c in COLOURS if c in words or any(
        f.replace("ё", "е") in words for f in RU_COLOURS[c])), None)
    shape = next((s for s in SHAPES if s in words or RU_SHAPES[s][0] in words), None)
    return colour, shape


def build_tokenizer(out_dir: Path) -> None:
    """A word-level tokenizer over every caption word, saved as the files AutoTokenizer
    reads from a folder (tokenizer.json, tokenizer_config.json, special_tokens_map.json)."""
    from tokenizers import Tokenizer, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    rng = random.Random(0)
    texts = [f(c, s, rng) for _ in range(40) for c, s in CLASSES for f in (caption, caption_ru)]
    clean = [open_clip.tokenizer.canonicalize_text(t) for t in texts]
    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(clean, trainers.WordLevelTrainer(
        special_tokens=["<pad>", "<unk>", "</s>"], min_frequency=1))
    tok.post_processor = processors.TemplateProcessing(
        single="$A </s>", special_tokens=[("</s>", tok.token_to_id("</s>"))])
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, pad_token="<pad>",
                                   unk_token="<unk>", eos_token="</s>",
                                   model_max_length=CONTEXT)
    fast.save_pretrained(out_dir)
    # The class name transformers 4 and 5 both know (5 writes its new "TokenizersBackend").
    config_path = out_dir / "tokenizer_config.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config.pop("backend", None)
    config["tokenizer_class"] = "PreTrainedTokenizerFast"
    config_path.write_text(json.dumps(config, indent=2) + "\n", encoding="utf-8")


def model_cfg(vocab_size: int) -> dict:
    return {
        "embed_dim": 64,
        "init_logit_bias": -10,
        "custom_text": True,
        "vision_cfg": {"image_size": IMAGE_SIZE, "layers": [1, 1, 1, 1], "width": 8,
                       "patch_size": None},
        "text_cfg": {
            "context_length": CONTEXT, "vocab_size": vocab_size,
            # Any name: from a local-dir: folder open_clip reads the tokenizer files there.
            "hf_tokenizer_name": "tiny_siglip",
            "tokenizer_kwargs": {"clean": "canonicalize"},
            "width": 64, "heads": 4, "layers": 2,
            "no_causal_mask": True, "proj_bias": True, "pool_type": "last",
        },
    }


PREPROCESS_CFG = {"size": IMAGE_SIZE, "mean": list(MEAN), "std": list(STD),
                  "interpolation": "bicubic", "resize_mode": "squash"}


class MultiPositiveSigLipLoss(SigLipLoss):
    """SigLipLoss whose positives are every (image, caption) pair the caption describes."""

    targets: torch.Tensor

    def get_ground_truth(self, device, dtype, num_logits, negative_only=False):
        return (2 * self.targets - 1).to(device=device, dtype=dtype)


def train(out_dir: Path) -> tuple[torch.nn.Module, dict, dict]:
    build_tokenizer(out_dir)
    tokenizer = open_clip.tokenizer.HFTokenizer(str(out_dir), context_length=CONTEXT,
                                                clean="canonicalize")
    cfg = model_cfg(len(tokenizer.tokenizer))
    torch.manual_seed(SEED)
    model = open_clip.model.CustomTextCLIP(
        cfg["embed_dim"], cfg["vision_cfg"], cfg["text_cfg"],
        init_logit_scale=math.log(INIT_LOGIT_SCALE), init_logit_bias=cfg["init_logit_bias"])
    # Start the image tower (the same architecture) from the CLIP fixture's, which
    # already tells the 36 classes apart: trained from scratch in as many steps, the
    # sigmoid model reached precision@5 of only 0.92-0.94.
    from safetensors.torch import load_file

    clip = load_file(str(CLIP_DIR / WEIGHTS_NAME))
    model.visual.load_state_dict({k.removeprefix("visual."): v.float()
                                  for k, v in clip.items() if k.startswith("visual.")})
    tokens = cached_tokens(tokenizer)
    loss_fn = MultiPositiveSigLipLoss()

    def batch_loss(model, images, class_ids, rng):
        texts = [(caption_ru if rng.random() < RUSSIAN_SHARE else caption)(
            *CLASSES[int(k)], rng) for k in class_ids]
        named = [describes(t) for t in texts]
        cls = [CLASSES[int(k)] for k in class_ids]
        loss_fn.targets = torch.tensor(
            [[float((c is None or c == ic) and (s is None or s == is_)) for c, s in named]
             for ic, is_ in cls])
        img_f, txt_f, scale, bias = model(normalise(images, MEAN, STD), tokens(texts))
        return loss_fn(img_f, txt_f, scale, bias)

    model, info = train_loop(model, batch_loss, steps=STEPS, seed=SEED)
    return model, info, cfg


@torch.no_grad()
def evaluate(out_dir: Path) -> dict:
    """Quality of the saved files, loaded the way photosearch loads them."""
    model, _, preprocess = open_clip.create_model_and_transforms(f"local-dir:{out_dir}")
    model.eval()
    tokenizer = open_clip.get_tokenizer(f"local-dir:{out_dir}")
    with tempfile.TemporaryDirectory() as tmp:
        items = write_dataset(tmp, per_class=EVAL_PER_CLASS, seed=EVAL_SEED, size=EVAL_SIZE)
        x = []
        for p, _, _ in items:
            with Image.open(p) as im:
                x.append(preprocess(im.convert("RGB")))
    img = F.normalize(model.encode_image(torch.stack(x)), dim=-1)
    labels = torch.tensor([CLASSES.index((c, s)) for _, c, s in items])
    scale, bias = model.logit_scale.exp(), model.logit_bias

    def prob(queries: list[str]) -> torch.Tensor:
        txt = F.normalize(model.encode_text(tokenizer(queries)), dim=-1)
        return torch.sigmoid(scale * txt @ img.T + bias)

    out = {"n_eval_images": len(items), "logit_scale": scale.item(),
           "logit_bias": bias.item()}
    ru = [f"{RU_COLOURS[c][RU_SHAPES[s][1]]} {RU_SHAPES[s][0]}" for c, s in CLASSES]
    for name, queries in (("en", [f"a {c} {s}" for c, s in CLASSES]), ("ru", ru)):
        p = prob(queries)
        truth = labels[None, :] == torch.arange(len(CLASSES))[:, None]
        top = p.topk(5, dim=1).indices
        out[f"{name}_p5"] = truth.gather(1, top).float().mean().item()
        kept = p > 0.5
        tp = (kept & truth).sum(1).float()
        out[f"{name}_precision@0.5"] = (tp / kept.sum(1).clamp(min=1)).mean().item()
        out[f"{name}_recall@0.5"] = (tp / truth.sum(1)).mean().item()
        out[f"{name}_mean_p_match"] = p[truth].mean().item()
        out[f"{name}_max_p_nonmatch"] = p[~truth].max().item()
    return out


def main(out_dir: Path = OUT_DIR) -> None:
    # One thread: the model is tiny, and on a shared machine a second OpenMP thread
    # mostly spins waiting for the first.
    torch.set_num_threads(1)
    # The sigmoid loss drives most logits far negative; their tiny gradients become
    # denormal floats, which CPUs handle ~100x slower (training stalled without this).
    torch.set_flush_denormal(True)
    out_dir.mkdir(parents=True, exist_ok=True)
    model, info, cfg = train(out_dir)
    save(model, out_dir, cfg, PREPROCESS_CFG)
    metrics = evaluate(out_dir)
    size = (out_dir / WEIGHTS_NAME).stat().st_size
    print(f"\nparameters: {info['n_params']:,}; pool {info['pool_s']:.0f}s, "
          f"training {info['train_s']:.0f}s; weights {size / 1e6:.2f} MB (fp16)")
    print(json.dumps(metrics, indent=2))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR)
