"""The models offered by name, with what a person choosing one needs to know (languages,
download size, relative cost). Data only: no torch, so menus and ``photosearch models`` read
it without loading anything."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Preset:
    """A model offered by name. ``files`` are what must be in the Hugging Face cache
    besides the weights (a SigLIP 2 text tower's tokenizer). Sizes and costs were measured
    with ``benchmarks/bench_models.py`` (random weights; FLOPs, since timings on a shared
    machine drift) and are shown to people choosing a model."""

    name: str
    arch: str
    tag: str
    hf_repo: str
    title: str
    languages: tuple[str, ...]
    size_mb: int                            # the weights file to download (fp32)
    image_cost: float                       # image embedding FLOPs, relative to english-classic
    files: tuple[str, ...] = ()             # more files from hf_repo (tokenizer)
    hidden: bool = False                    # kept for libraries that use it; not offered

    @property
    def label(self) -> str:
        size = f"{self.size_mb / 1000:.1f} GB" if self.size_mb >= 1000 else f"{self.size_mb} MB"
        return (f"{self.title} — {languages_text(self.languages)}; {size}, "
                f"{self.image_cost:.1f}× the work per photo")


def languages_text(languages: tuple[str, ...]) -> str:
    return "English only" if languages == ("en",) else "Russian, English and many more"


# What open_clip's HFTokenizer (transformers' AutoTokenizer) reads from the Gemma-based
# SigLIP 2 repositories: the tokenizer itself and the config naming its class.
SIGLIP2_TOKENIZER_FILES = ("tokenizer.json", "tokenizer_config.json")

PRESETS: dict[str, Preset] = {
    "default": Preset(
        "default", "ViT-B-32-SigLIP2-256", "webli", "timm/ViT-B-32-SigLIP2-256",
        "SigLIP 2 ViT-B/32, fast", ("ru", "en", "multi"), 1507, 1.3,
        SIGLIP2_TOKENIZER_FILES),
    "quality": Preset(
        "quality", "ViT-B-16-SigLIP2-256", "webli", "timm/ViT-B-16-SigLIP2-256",
        "SigLIP 2 ViT-B/16, more accurate", ("ru", "en", "multi"), 1501, 5.1,
        SIGLIP2_TOKENIZER_FILES),
    "english-classic": Preset(
        "english-classic", "ViT-B-32", "laion2b_s34b_b79k",
        "laion/CLIP-ViT-B-32-laion2B-s34B-b79K", "CLIP ViT-B/32 (LAION-2B)", ("en",), 605,
        1.0),
    # Kept so libraries that chose it keep their vectors; no longer offered, since the
    # default SigLIP 2 model is better in Russian and English and needs no second download
    # of a separate text model (XLM-RoBERTa's config and tokenizer).
    "multilingual": Preset(
        "multilingual", "xlm-roberta-base-ViT-B-32", "laion5b_s13b_b90k",
        "laion/CLIP-ViT-B-32-xlm-roberta-base-laion5B-s13B-b90k",
        "XLM-RoBERTa + ViT-B/32 (older multilingual)", ("ru", "en", "multi"), 1470, 1.0,
        hidden=True),
}
# Libraries indexed before SigLIP 2 became the default stored "default" meaning this.
PREVIOUS_DEFAULT = "english-classic"
