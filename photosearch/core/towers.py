"""A model's two towers, each loaded when first needed and freed when no longer needed.

Indexing needs only the image tower and a query only the text tower; for SigLIP 2 the text
tower is three quarters of the weights (a 256k-token table), so loading both for either
job doubles or quadruples the memory it needs. ``TorchTowers`` loads each tower apart from
the checkpoint (``weights.create_model(towers=...)``: the other tower stays on ``meta``
and its tensors are never read), so an index run holds the image tower alone and a query
process the text tower alone. Where a checkpoint cannot be streamed (open_clip's own
loader), the whole model serves both towers.

Loads are guarded per tower: a query loading the text tower never waits for an indexing
run loading the image tower.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from photosearch.core.torch_runtime import return_freed_memory
from photosearch.core.weights import TOWERS

if TYPE_CHECKING:  # pragma: no cover
    import torch


@dataclass(frozen=True)
class ModelInfo:
    """What callers read about a model before (or without) running it."""

    dim: int
    image_size: int
    logit_scale: float
    logit_bias: float | None


class TorchTowers:
    """Each tower of an open_clip model as its own model object, built on first use."""

    def __init__(self, build: Callable[[tuple[str, ...]], tuple[Any, Any]],
                 tokenizer: Callable[[], Callable[[Sequence[str]], torch.Tensor]],
                 device: str) -> None:
        self._build = build                 # towers -> (model, preprocess)
        self._make_tokenizer = tokenizer
        self.device = device
        self._models: dict[str, Any] = {}
        self._locks = {t: threading.Lock() for t in TOWERS}
        self._preprocess: Any = None
        self._tokenizer: Callable[[Sequence[str]], torch.Tensor] | None = None
        self.whole = False                  # one model serves both towers

    @classmethod
    def of_model(cls, model: Any, preprocess: Any,
                 tokenizer: Callable[[Sequence[str]], torch.Tensor], device: str
                 ) -> TorchTowers:
        """Towers of a model already loaded whole (tests; open_clip's own loader)."""
        towers = cls(lambda _t: (model, preprocess), lambda: tokenizer, device)
        towers._models = {t: model for t in TOWERS}
        towers._preprocess, towers._tokenizer, towers.whole = preprocess, tokenizer, True
        return towers

    def get(self, tower: str) -> Any:
        """The model object whose ``tower`` is loaded (built now if it was not)."""
        model = self._models.get(tower)
        if model is not None:
            return model
        with self._locks[tower]:
            model = self._models.get(tower)
            if model is None:
                model = self._load(tower)
        return model

    def _load(self, tower: str) -> Any:
        model, preprocess = self._build((tower,))
        if all(not p.is_meta for p in model.parameters()):
            self.whole = True               # not streamable: open_clip loaded it whole
        model.eval()
        if self.device != "cpu":
            model._apply(lambda t: t if t.is_meta else t.to(self.device))
        self._preprocess = self._preprocess or preprocess
        if self.whole:
            self._models = {t: model for t in TOWERS}
        else:
            self._models[tower] = model
        return model

    def loaded(self) -> tuple[str, ...]:
        return tuple(t for t in TOWERS if t in self._models)

    def release(self, tower: str) -> None:
        """Free ``tower``'s weights (a later use loads them again). A whole model stays."""
        if not self.whole:
            with self._locks[tower]:
                freed = self._models.pop(tower, None)
            if freed is not None:
                del freed
                return_freed_memory()

    @property
    def preprocess(self) -> Any:
        if self._preprocess is None:
            self.get("image")
        return self._preprocess

    @property
    def tokenizer(self) -> Callable[[Sequence[str]], torch.Tensor]:
        if self._tokenizer is None:
            self._tokenizer = self._make_tokenizer()
        return self._tokenizer

    def info(self) -> ModelInfo:
        """Read from whichever tower is loaded (the text one when both are)."""
        import torch

        tower = "text" if "text" in self._models else "image"
        model = self.get(tower)
        size = getattr(getattr(model, "visual", None), "image_size", 224)
        image_size = int(size[0] if isinstance(size, (tuple, list)) else size)
        with torch.inference_mode():
            if tower == "text":
                probe = model.encode_text(self.tokenizer(["a photo"]).to(self.device))
            else:
                dtype = next(p for p in model.visual.parameters() if not p.is_meta).dtype
                probe = model.encode_image(torch.zeros(1, 3, image_size, image_size,
                                                       device=self.device, dtype=dtype))
        # A sigmoid-loss model (SigLIP) scores a pair as sigmoid(scale·cos + bias): the
        # relevance cut-off reads these (core/relevance.py); CLIP has no bias.
        bias = getattr(model, "logit_bias", None)
        return ModelInfo(int(probe.shape[-1]), image_size,
                         float(model.logit_scale.detach().float().exp()),
                         None if bias is None else float(bias.detach().float().reshape(-1)[0]))
