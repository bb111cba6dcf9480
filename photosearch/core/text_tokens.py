"""Tokenizers for the exported text model (``text_onnx``) that need neither torch nor
open_clip: a query process imports them in milliseconds, where open_clip's own pull in
torch, torchvision, timm and transformers (2–4 s and 0.9 GB before any weight).

They give open_clip's token ids exactly (``text_onnx`` checks that on probe texts at
export time, and exports nothing where they differ):
- ``ClipBpe``: CLIP's byte-level BPE (open_clip's ``SimpleTokenizer``, after OpenAI's
  CLIP, MIT licence), reading the vocabulary file open_clip ships;
- ``HfTokens``: a Hugging Face ``tokenizer.json`` (SigLIP 2's Gemma tokenizer) through the
  ``tokenizers`` package, as open_clip's ``HFTokenizer`` calls it through transformers.
"""

from __future__ import annotations

import gzip
import html
import string
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

import numpy as np

_PUNCTUATION = str.maketrans("", "", string.punctuation)


def basic_clean(text: str) -> str:
    """open_clip's ``basic_clean``. ftfy (0.3 s to import) only changes text that has
    something for it to fix: plain printable ASCII without entities passes unchanged."""
    if not (text.isascii() and text.isprintable() and "&" not in text):
        import ftfy

        text = ftfy.fix_text(text)
    return html.unescape(html.unescape(text)).strip()


def clean(text: str, kind: str) -> str:
    """open_clip's ``get_clean_fn(kind)`` applied to ``text``."""
    text = basic_clean(text)
    if kind == "canonicalize":
        text = text.replace("_", " ").translate(_PUNCTUATION).lower()
        return " ".join(text.split()).strip()
    text = " ".join(text.split()).strip()
    if kind == "lower":
        return text.lower()
    if kind == "whitespace":
        return text
    raise ValueError(f"unknown text cleaning {kind!r}")


@lru_cache
def _bytes_to_unicode() -> dict[int, str]:
    bs = (list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1))
          + list(range(ord("®"), ord("ÿ") + 1)))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs), strict=True))


class ClipBpe:
    """CLIP's tokenizer: ``[sot] tokens… [eot]`` padded with 0 to ``context_length``."""

    PATTERN = (r"""<start_of_text>|<end_of_text>|'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|"""
               r"""[\p{N}]|[^\s\p{L}\p{N}]+""")

    def __init__(self, vocab_file: str | Path, context_length: int = 77,
                 clean: str = "lower") -> None:
        import regex

        merges = gzip.open(vocab_file).read().decode("utf-8").split("\n")
        merges = merges[1:49152 - 256 - 2 + 1]
        pairs = [tuple(m.split()) for m in merges]
        vocab = list(_bytes_to_unicode().values())
        vocab = vocab + [v + "</w>" for v in vocab] + ["".join(p) for p in pairs]
        vocab += ["<start_of_text>", "<end_of_text>"]
        self.encoder = {v: i for i, v in enumerate(vocab)}
        self.ranks = {p: i for i, p in enumerate(pairs)}
        self.cache = {"<start_of_text>": "<start_of_text>", "<end_of_text>": "<end_of_text>"}
        self.pattern = regex.compile(self.PATTERN, regex.IGNORECASE)
        self.sot = self.encoder["<start_of_text>"]
        self.eot = self.encoder["<end_of_text>"]
        self.context_length = context_length
        self.clean_kind = clean

    def _bpe(self, token: str) -> str:
        if token in self.cache:
            return self.cache[token]
        word = tuple(token[:-1]) + (token[-1] + "</w>",)
        while len(word) > 1:
            pairs = set(zip(word[:-1], word[1:], strict=True))
            best = min(pairs, key=lambda p: self.ranks.get(p, float("inf")))
            if best not in self.ranks:
                break
            first, second = best
            merged: list[str] = []
            i = 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == first and word[i + 1] == second:
                    merged.append(first + second)
                    i += 2
                else:
                    merged.append(word[i])
                    i += 1
            word = tuple(merged)
        out = " ".join(word)
        self.cache[token] = out
        return out

    def encode(self, text: str) -> list[int]:
        byte_map = _bytes_to_unicode()
        ids: list[int] = []
        for token in self.pattern.findall(clean(text, self.clean_kind)):
            token = "".join(byte_map[b] for b in token.encode("utf-8"))
            ids.extend(self.encoder[t] for t in self._bpe(token).split(" "))
        return ids

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.context_length), np.int64)
        for row, text in enumerate(texts):
            ids = [self.sot, *self.encode(text), self.eot][:self.context_length]
            ids[-1] = self.eot if len(ids) == self.context_length else ids[-1]
            out[row, :len(ids)] = ids
        return out


class HfTokens:
    """A ``tokenizer.json`` run as open_clip's ``HFTokenizer`` runs it: cleaned text,
    special tokens as the file's post-processor adds them, truncated and padded (with the
    pad token) to ``context_length``."""

    def __init__(self, tokenizer_file: str | Path, context_length: int, clean: str,
                 pad_id: int, strip_sep_id: int | None = None) -> None:
        from tokenizers import Tokenizer

        self.tokenizer = Tokenizer.from_file(str(tokenizer_file))
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(context_length)
        self.context_length = context_length
        self.clean_kind = clean
        self.pad_id = pad_id
        self.strip_sep_id = strip_sep_id

    def __call__(self, texts: Sequence[str]) -> np.ndarray:
        encoded = self.tokenizer.encode_batch([clean(t, self.clean_kind) for t in texts])
        out = np.full((len(texts), self.context_length), self.pad_id, np.int64)
        for row, e in enumerate(encoded):
            out[row, :len(e.ids)] = e.ids
        if self.strip_sep_id is not None:
            out[out == self.strip_sep_id] = 0
        return out
