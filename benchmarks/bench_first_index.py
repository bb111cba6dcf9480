"""First index of a new folder, ours against rclip on the same photos in the same run.

Goal (#13): ours no longer than rclip's in total wall time, and our peak RSS no more than
rclip's. rclip's first run in a folder (``rclip -t 5 QUERY``, the peer set up by
``../shared/bench/rclip/setup.sh``, its own CLI timed by ``rclip_timed.py``) indexes the
folder and answers; ours is two fresh processes, ``photosearch index FOLDER`` then
``photosearch search QUERY`` (walls and CPU added, the larger peak). Each process is
measured whole with ``wait4``: wall, CPU (user + system) and peak RSS.

Ours runs the default preset's architecture (SigLIP 2 ViT-B/32) at random weights: the
compute and memory of the real model. The stand-in is a model folder, which has no
preset, so the runs count the default preset's Russian labels as it does (a driver sets
``multilingual`` before the CLI starts): the vocabulary embeds 1,921 words × 7 English
prompts and their labels × 5 Russian ones.

- **warm**: a new library on a machine that ran photosearch before: the tag-word cache
  (synthetic vectors, written here: reading them costs what real ones do) and the
  exported text side are present.
- **cold**: a new machine: neither. Embedding the whole vocabulary takes most of an hour
  on two cores, so cold is by default an *estimate*: warm's run, plus the vocabulary
  stage at the rate measured on ``--slice`` words (a fresh process, the text tower as the
  first run loads it), scaled to the whole vocabulary, plus the text export measured
  whole (a fresh process). ``--full-cold`` runs it instead (a fresh cache, one process).

Run: python benchmarks/bench_first_index.py [--photos 300] [--slice 48] [--rclip DIR]
     [--full-cold] [--text-precision bf16|fp32]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    BENCH_DIR,
    ROOT,
    Run,
    imagenet_photos,
    machine,
    random_model_folder,
    run_process,
)

ARCH = "ViT-B-32-SigLIP2-256"       # the default preset's architecture
QUERY = "a dog"
GB = 1e9

# Our CLI as the default preset runs it (see the module docstring).
DRIVER = """
import sys
from photosearch.core.tagging import embed, tagger
embed.multilingual = tagger.multilingual = lambda encoder: True
from photosearch.cli.main import main
sys.exit(main(sys.argv[1:]))
"""

# The vocabulary stage of a first run on a slice: the text tower in torch (no export
# yet), from an empty cache. Prints its CPU and wall seconds, prompts, and the whole
# vocabulary's prompt count.
VOCAB_SLICE = """
import json, sys, time
from photosearch.core.tagging import embed
embed.multilingual = lambda encoder: True
from photosearch.core.model import load_encoder, resolve_source
from photosearch.core.tagging.vocab import Vocabulary, load_vocabulary
full = load_vocabulary()
part = Vocabulary(full.terms[:int(sys.argv[2])])
encoder = load_encoder(resolve_source(sys.argv[1]), device="cpu",
                       precision=sys.argv[3] or None, towers=("text",))
def prompts(vocab):
    return (len(vocab.tags) * len(embed.TEMPLATES)
            + sum(1 for t in vocab.terms if t.ru) * len(embed.RU_TEMPLATES))
cpu, wall = time.process_time(), time.perf_counter()
embed.vocabulary_vectors(encoder, part)
print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - wall,
                  "prompts": prompts(part), "all_prompts": prompts(full),
                  "words": len(part), "all_words": len(full),
                  "precision": encoder.precision}))
"""

# The one-off text export of a first run (``core/text_onnx``), alone.
EXPORT = """
import sys
from photosearch.core import text_onnx
from photosearch.core.model import load_encoder, resolve_source
encoder = load_encoder(resolve_source(sys.argv[1]), device="cpu", towers=())
sys.exit(0 if text_onnx.ensure_exported(encoder) else 1)
"""


def photos_folder(n: int) -> Path:
    folder = BENCH_DIR / "first-index" / f"photos-{n}"
    if not folder.is_dir():
        tmp = folder.with_suffix(".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for src in imagenet_photos(n):
            shutil.copy2(src, tmp / src.name)
        tmp.rename(folder)
    return folder


def our_env(cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PHOTOSEARCH_NO_ONNX"}
    return dict(env, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(cache))


def ours(model: str, photos: Path, cache: Path, work: Path) -> tuple[Run, Run]:
    """``photosearch index FOLDER`` then ``photosearch search QUERY`` on a new library."""
    library = work / f"lib-{len(list(work.iterdir()))}"
    common = [sys.executable, "-c", DRIVER, "--library", str(library), "--model", model]
    index = run_process([*common, "index", str(photos)], our_env(cache), ROOT)
    search = run_process([*common, "search", "-k", "5", QUERY], our_env(cache), ROOT)
    return index, search


def rclip(folder: Path, photos: Path, work: Path) -> Run:
    """rclip's first run in ``photos``: a new data folder (its model linked)."""
    data = work / f"rclip-data-{len(list(work.iterdir()))}"
    data.mkdir()
    for item in (folder / "rclip-data").iterdir():
        if item.name != "db.sqlite3":
            os.symlink(item.resolve(), data / item.name)
    env = dict(os.environ, RCLIP_DATADIR=str(data), HF_HUB_OFFLINE="1")
    return run_process([str(folder / "venv312" / "bin" / "python"),
                        str(folder / "rclip_timed.py"), "-t", "5", QUERY], env, photos)


def warm_tag_cache(model: str, cache: Path) -> None:
    """The tag-word cache a previous run would have left, with synthetic vectors."""
    import numpy as np

    os.environ["XDG_CACHE_HOME"] = str(cache)
    from photosearch.core.model import resolve_source
    from photosearch.core.tagging import embed
    from photosearch.core.tagging.vocab import load_vocabulary

    vocab, key = load_vocabulary(), resolve_source(model).key
    config = Path(model.removeprefix("local-dir:")) / "open_clip_config.json"
    dim = json.loads(config.read_text())["model_cfg"]["embed_dim"]
    rng = np.random.default_rng(0)
    for words, templates in ((vocab.tags, embed.TEMPLATES),
                             ([t.ru for t in vocab.terms if t.ru], embed.RU_TEMPLATES)):
        vecs = rng.standard_normal((len(words), dim)).astype(np.float32)
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        embed._write(embed.cache_path(None, key, templates), dict(zip(words, vecs,
                                                                       strict=True)))


def line(name: str, wall: float, cpu: float, peak: float, peer: Run | None,
         note: str = "") -> str:
    """One row; against rclip, CPU too: on a loaded machine walls measured minutes apart
    compare poorly, CPU seconds well."""
    text = f"  {name:34} {wall:8.1f} s wall {cpu:8.1f} s CPU {peak / GB:6.2f} GB peak"
    if peer is not None:
        text += (f"   ×rclip: wall {wall / peer.wall:.2f}, CPU {cpu / peer.cpu:.2f}, "
                 f"peak {peak / peer.peak:.2f}")
    return text + note


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--photos", type=int, default=300)
    parser.add_argument("--slice", type=int, default=48,
                        help="words of the vocabulary timed for the cold estimate")
    parser.add_argument("--rclip", type=Path, default=BENCH_DIR / "rclip",
                        help="folder set up by ../shared/bench/rclip/setup.sh")
    parser.add_argument("--full-cold", action="store_true",
                        help="run cold whole instead of estimating it (most of an hour)")
    parser.add_argument("--text-precision", default="",
                        help="the vocabulary slice's precision (default: the machine's)")
    args = parser.parse_args()
    print(f"machine: {machine()}; load average {os.getloadavg()[0]:.1f} at start")
    model = f"local-dir:{random_model_folder(ARCH)}"
    photos = photos_folder(args.photos)
    has_rclip = (args.rclip / "venv312" / "bin" / "python").is_file()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        warm_cache, cold_cache = work / "cache-warm", work / "cache-cold"
        warm_cache.mkdir()
        peer = rclip(args.rclip, photos, work) if has_rclip else None
        peer_load = os.getloadavg()[0]
        export = run_process([sys.executable, "-c", EXPORT, model], our_env(warm_cache), ROOT)
        warm_tag_cache(model, warm_cache)
        w_index, w_search = ours(model, photos, warm_cache, work)
        if args.full_cold:
            c_index, c_search = ours(model, photos, cold_cache, work)
        else:
            vocab_run = run_process(
                [sys.executable, "-c", VOCAB_SLICE, model, str(args.slice),
                 args.text_precision], our_env(cold_cache), ROOT)
            v = json.loads(vocab_run.stdout.strip().splitlines()[-1])
        load = os.getloadavg()[0]
    print(f"first index of {args.photos} photos ({photos}), one run each; load average "
          f"{load:.1f} at the end")
    if peer is not None:
        timings = next((json.loads(s.split(" ", 1)[1]) for s in peer.stderr.splitlines()
                        if s.startswith("RCLIP_TIMINGS")), {})
        note = (f"  (inference {timings['infer_s']:.1f} s over {timings['infer_images']} "
                "images)" if timings else "")
        print(line("rclip 4.0.8 (index + query)", peer.wall, peer.cpu, peer.peak, None,
                   note + f"; load average {peer_load:.1f} after it"))
    else:
        print(f"  rclip: not measured: not set up in {args.rclip} (run "
              "../shared/bench/rclip/setup.sh DIR and pass --rclip DIR)")
    print(line("ours warm: index", w_index.wall, w_index.cpu, w_index.peak, None))
    print(line("ours warm: search", w_search.wall, w_search.cpu, w_search.peak, None))
    warm = (w_index.wall + w_search.wall, w_index.cpu + w_search.cpu,
            max(w_index.peak, w_search.peak))
    print(line("ours warm (index + query)", *warm, peer))
    print(line("one-off: text export (alone)", export.wall, export.cpu, export.peak, None))
    if args.full_cold:
        cold = (c_index.wall + c_search.wall, c_index.cpu + c_search.cpu,
                max(c_index.peak, c_search.peak))
        print(line("ours cold (index + query)", *cold, peer))
    else:
        scale = v["all_prompts"] / v["prompts"]
        print(f"  vocabulary slice: {v['words']} words, {v['prompts']} prompts "
              f"({v['precision']}): {v['wall']:.1f} s wall, {v['cpu']:.1f} s CPU = "
              f"{v['prompts'] / v['cpu']:.1f} prompts/CPU-s, "
              f"{v['prompts'] / v['wall']:.1f} prompts/s; process peak "
              f"{vocab_run.peak / GB:.2f} GB")
        vocab = (v["wall"] * scale, v["cpu"] * scale)
        print(f"  vocabulary whole ({v['all_words']} words, {v['all_prompts']} prompts), "
              f"ESTIMATE: {vocab[0]:.0f} s wall, {vocab[1]:.0f} s CPU")
        cold = (warm[0] + vocab[0] + export.wall, warm[1] + vocab[1] + export.cpu,
                max(warm[2], vocab_run.peak, export.peak))
        print(line("ours cold (ESTIMATE)", *cold, peer,
                   f"  vocabulary {vocab[1] / cold[1]:.0%} of its CPU"))
    if peer is not None:
        for name, figures in (("warm", warm), ("cold", cold)):
            wall_ok, peak_ok = figures[0] <= peer.wall, figures[2] <= peer.peak
            print(f"goal {name}: wall ≤ rclip's {'met' if wall_ok else 'NOT met'} "
                  f"({figures[0] / peer.wall:.2f}×); peak ≤ rclip's "
                  f"{'met' if peak_ok else 'NOT met'} ({figures[2] / peer.peak:.2f}×)")


if __name__ == "__main__":
    main()
