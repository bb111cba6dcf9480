"""How strong a match is, and where the relevant results of a text query stop.

A raw cosine means different things for different models and queries (0.3 can be a
perfect match for one CLIP query and noise for another), so results are judged by a
*match strength* in [0, 1] that a person can read, and cut where it drops below a level:

- **Sigmoid-loss models** (SigLIP, SigLIP 2) were trained so that
  ``sigmoid(logit_scale * cos + logit_bias)`` is the probability that text and image
  match; that probability is the strength, read from the model's own scale and bias.
- **Softmax-loss models** (CLIP) have no such scale: a query is calibrated against its own
  scores over the library. The strength is a logistic of the z-score of the photo's cosine
  among the query's cosines over (a sample of) the library: a photo stands out from the
  rest of the library for this query, or it does not.

The cut-off decides which results are shown; when none reaches it the clients say so
("No good matches for …") and show the closest few instead of a full grid of noise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.model import Encoder
    from photosearch.core.search import Hit

# Where results stop, in strength. For sigmoid models a probability. On the SigLIP fixture
# (benchmarks/bench_relevance.py, 36 queries) p >= 0.1 returned the asked-for class with
# precision 0.97 and recall 1.0 (Russian queries 0.95 / 1.0); 0.6-0.8 gave 1.0 / 1.0. The
# cut-off is kept low because real SigLIP models give short queries modest probabilities;
# it is one constant to revisit once real weights can be measured.
SIGMOID_CUTOFF = 0.1
# For CLIP: the z-score (standard deviations above the query's library mean) that maps to
# strength 0.5, and how soft the step is. On the CLIP fixture (36 classes, 2-8 photos
# each) z >= 2.2 returned the asked-for class with precision 1.0 and recall 0.99-1.0, and
# for a class not in the library let through 0.1-1.0 photos on average; z >= 2.0 let
# more partial matches (same colour or shape) in. A global cosine cut-off reached
# precision 0.19 at best (benchmarks/bench_relevance.py).
Z_MIDPOINT = 2.2
Z_SOFTNESS = 0.5
Z_CUTOFF = 0.5
SAMPLE = 4096             # library vectors that estimate a query's score distribution
CLOSEST_WHEN_NONE = 6     # what "showing the closest" shows


@dataclass(frozen=True)
class Calibration:
    """Turns one query's cosines into strengths."""

    kind: str               # "sigmoid" or "zscore"
    a: float                # sigmoid: logit_scale; zscore: the query's mean cosine
    b: float                # sigmoid: logit_bias;  zscore: its standard deviation

    def strength(self, cos: np.ndarray | float) -> np.ndarray:
        x = np.asarray(cos, dtype=np.float64)
        if self.kind == "sigmoid":
            logits = self.a * x + self.b
        else:
            logits = ((x - self.a) / self.b - Z_MIDPOINT) / Z_SOFTNESS
        return 1.0 / (1.0 + np.exp(-logits))


def is_sigmoid_model(encoder: Encoder) -> bool:
    return encoder.logit_bias is not None


def cutoff_for(encoder: Encoder) -> float:
    """The strength where ``encoder``'s relevant results stop."""
    return SIGMOID_CUTOFF if is_sigmoid_model(encoder) else Z_CUTOFF


def calibrate(encoder: Encoder, query: np.ndarray, library_vectors: np.ndarray,
              ) -> Calibration:
    """The calibration of ``query`` (a unit vector): the model's own for sigmoid models,
    else the query's score distribution over ``library_vectors`` (a sample is enough)."""
    if is_sigmoid_model(encoder):
        return Calibration("sigmoid", encoder.logit_scale, float(encoder.logit_bias))
    if len(library_vectors) < 2:
        # Nothing to compare with: no photo stands out, so "no good match" is honest.
        return Calibration("zscore", 1.0, 1.0)
    cos = library_vectors @ query
    return Calibration("zscore", float(cos.mean()), max(float(cos.std()), 1e-3))


def with_strength(hits: list[Hit], calibration: Calibration) -> list[Hit]:
    strengths = calibration.strength(np.array([h.score for h in hits], dtype=np.float64))
    return [replace(h, strength=float(s)) for h, s in zip(hits, strengths, strict=True)]


@dataclass(frozen=True)
class Selection:
    """The results to show for a query. ``weaker`` were found but fall below the cut-off
    (the clients offer them: "show weaker matches", ``--all``); ``no_good_match`` means
    nothing reached it and ``hits`` are just the closest few."""

    hits: list[Hit]
    weaker: int
    no_good_match: bool
    cutoff: float


def select(hits: list[Hit], cutoff: float, *, everything: bool = False) -> Selection:
    """Keep the hits at or above ``cutoff`` (hits carry strengths, best first); with
    ``everything``, keep all of them (``--all``, "show weaker matches")."""
    good = [h for h in hits if everything or h.strength is None or h.strength >= cutoff]
    if good or not hits:
        return Selection(good, len(hits) - len(good), False, cutoff)
    closest = hits[:CLOSEST_WHEN_NONE]
    return Selection(closest, len(hits) - len(closest), True, cutoff)


def percent(strength: float | None) -> str:
    """A match strength as people read it ("93%"); "" for results without one (tags)."""
    if strength is None or math.isnan(strength):
        return ""
    return f"{round(100 * strength)}%"
