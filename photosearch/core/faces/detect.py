"""Finding faces in a photo and describing each with dlib's 128-d face vector.

Why this way:
- dlib is called directly (``dlib-bin``, a prebuilt wheel), not through the
  ``face_recognition`` wrapper: the wrapper's install pulls ``dlib`` as a source build
  (a compiler and CMake) and ``Click``, and its model package imports ``pkg_resources``,
  gone from recent setuptools. We find the model files of ``face-recognition-models``
  without importing it (``importlib.util.find_spec``).
- HOG detection: dlib-bin is built without CUDA, and its CNN (MMOD) detector costs
  seconds a photo on a CPU. Where dlib has CUDA, the CNN detector is used instead.
- Detection runs on a reduced copy (``DETECT_SIDE``), upsampled once only when the copy
  is small, so a 24-MP photo costs what a 1-MP one does; boxes are scaled back to the
  original, upright photo (``decode`` applies the EXIF orientation).
- Faces smaller than ``MIN_FACE`` pixels (in the copy) are skipped: a face shrunk to
  40 px moves its vector up to 0.31 from the full-size one, to 32 px up to 0.35 (about
  the mean distance between two photos of one person), to 24 px up to 0.42, and HOG
  finds only 7 in 19 of them (``benchmarks/bench_faces.py``, shared face photos); below
  32 px a face would join the wrong person or none.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from dataclasses import dataclass

import numpy as np
from PIL import Image

from photosearch.core.decoding import decode
from photosearch.core.errors import ModelUnavailable

DETECT_SIDE = 1024        # the reduced copy's longer side
UPSAMPLE_BELOW = 640      # a copy whose longer side is smaller is upsampled once
MIN_FACE = 32             # pixels (box side in the reduced copy); smaller: skipped
VECTOR_DIM = 128
_MODEL_FILES = ("shape_predictor_5_face_landmarks.dat",
                "dlib_face_recognition_resnet_model_v1.dat",
                "mmod_human_face_detector.dat")


@dataclass(frozen=True)
class Face:
    """One face: its box in the original, upright photo (left, top, right, bottom, in
    pixels) and its 128-d vector."""

    box: tuple[int, int, int, int]
    vector: np.ndarray
    score: float = 0.0


def model_dir() -> str:
    """Where ``face-recognition-models`` keeps its files; ``ModelUnavailable`` if absent."""
    spec = importlib.util.find_spec("face_recognition_models")
    if spec is None or not spec.submodule_search_locations:
        raise ModelUnavailable("The face models are not installed "
                               "(pip install face-recognition-models).",
                               needed="face-recognition-models")
    return os.path.join(list(spec.submodule_search_locations)[0], "models")


class FaceModels:
    """dlib's detector, 5-point shape predictor and ResNet encoder, loaded once (~0.5 s).

    dlib's objects are not safe to share between threads: callers hold ``lock``."""

    _shared: FaceModels | None = None
    _shared_lock = threading.Lock()

    def __init__(self) -> None:
        try:
            import dlib
        except ImportError as e:
            raise ModelUnavailable("dlib is not installed (pip install dlib-bin).",
                                   needed="dlib-bin") from e
        folder = model_dir()
        for name in _MODEL_FILES[:2]:
            if not os.path.isfile(os.path.join(folder, name)):
                raise ModelUnavailable(f"Face model file missing: {name}",
                                       needed=os.path.join(folder, name))
        self.cnn = bool(getattr(dlib, "DLIB_USE_CUDA", False))
        cnn_file = os.path.join(folder, _MODEL_FILES[2])
        if self.cnn and os.path.isfile(cnn_file):
            self.detector = dlib.cnn_face_detection_model_v1(cnn_file)
        else:
            self.cnn = False
            self.detector = dlib.get_frontal_face_detector()
        self.shapes = dlib.shape_predictor(os.path.join(folder, _MODEL_FILES[0]))
        self.encoder = dlib.face_recognition_model_v1(os.path.join(folder, _MODEL_FILES[1]))
        self.lock = threading.Lock()

    @classmethod
    def shared(cls) -> FaceModels:
        """One instance per process (the files take ~100 MB of memory)."""
        with cls._shared_lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def find(self, image: Image.Image, width: int | None = None,
             height: int | None = None) -> list[Face]:
        """Faces in ``image`` (upright RGB, maybe a reduced copy of a photo of
        ``width``×``height``), boxes in the photo's pixels, left to right."""
        width, height = width or image.width, height or image.height
        small = reduced(image)
        upsample = 1 if max(small.size) < UPSAMPLE_BELOW else 0
        pixels = np.asarray(small, dtype=np.uint8)
        if pixels.ndim != 3 or min(small.size) < 16:
            return []
        pixels = np.ascontiguousarray(pixels[:, :, :3])
        with self.lock:
            rects, scores = self._detect(pixels, upsample)
            faces = []
            sx, sy = width / small.width, height / small.height
            for rect, score in zip(rects, scores, strict=True):
                if min(rect.width(), rect.height()) < MIN_FACE:
                    continue
                shape = self.shapes(pixels, rect)
                vector = np.asarray(self.encoder.compute_face_descriptor(pixels, shape),
                                    np.float32)
                faces.append(Face(_box(rect, sx, sy, width, height), vector, float(score)))
        return sorted(faces, key=lambda f: f.box[0])

    def _detect(self, pixels: np.ndarray, upsample: int):
        if self.cnn:
            found = self.detector(pixels, upsample)
            return [d.rect for d in found], [d.confidence for d in found]
        rects, scores, _ = self.detector.run(pixels, upsample, 0.0)
        return list(rects), list(scores)


def reduced(image: Image.Image) -> Image.Image:
    """The copy detection runs on: the longer side at most ``DETECT_SIDE``."""
    if max(image.size) <= DETECT_SIDE:
        return image if image.mode == "RGB" else image.convert("RGB")
    scale = DETECT_SIDE / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.convert("RGB").resize(size, Image.Resampling.BILINEAR)


def _box(rect, sx: float, sy: float, width: int, height: int) -> tuple[int, int, int, int]:
    """A dlib rectangle in the copy → a box in the photo, clipped to it (a face cut by
    the frame has a box reaching past the edge)."""
    left = min(max(0, round(rect.left() * sx)), width)
    top = min(max(0, round(rect.top() * sy)), height)
    right = min(max(0, round((rect.right() + 1) * sx)), width)
    bottom = min(max(0, round((rect.bottom() + 1) * sy)), height)
    return left, top, right, bottom


def faces_in_file(path: str, models: FaceModels | None = None) -> list[Face]:
    """Decode ``path`` (upright, reduced) and find its faces; raises ``UnreadableImage``."""
    decoded = decode(path, min_side=DETECT_SIDE // 2)
    return (models or FaceModels.shared()).find(decoded.image, decoded.width, decoded.height)
