"""The desktop app's responsiveness: launch time, event-loop stalls, query latency.

Prints numbers, asserts nothing. Run: ``python benchmarks/bench_gui.py [--photos 160]
[--launches 3] [--library DIR] [--launch-only] [--answer-library DIR]`` (uses Xvfb when
installed, else Qt's offscreen platform).

1. Launch to visible window, in a fresh subprocess each time: from spawning the process to
   the window's first paint, on an empty library, on the indexed library of step 2 and on
   any ``--library DIR`` (e.g. a 1M-photo one kept by ``bench_scale.py --keep``), against
   a bare PySide6 window launched the same way in the same run (goal: at most 2x), in
   wall time and in the child's own CPU time (what load from other processes does not
   inflate); which heavy modules (torch, numpy, Pillow, watchdog, hnswlib, sqlite3) had
   been imported by then (none should be); and the time to the contents' first paint
   (the app paints its frame first, then opens the library and fills it in). Every child
   runs with compiled bytecode cached (as an installed app has), after one warm-up
   launch each.
2. Indexing ImageNet-sample photos in the app with a random-initialised ViT-B-32 (the
   compute of the real model, loaded as --model ViT-B-32 --weights FILE, through the
   app's own settings path): the longest gap between event-loop iterations (a 10 ms
   QTimer) while the model loads and while photos are embedded, and the latency of text
   queries typed during indexing (new text each time, so the text encoder runs) against
   the same queries once indexing is done.
3. Launch to the first answer: a fresh app on that library (or ``--answer-library DIR``)
   with a query typed the moment the search box is there, until its results are shown;
   with the text side exported (what the app does after its first run) and without it
   (torch). Goal: within 2 s.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from common import imagenet_photos, machine, random_vit_checkpoint  # noqa: E402

CHILD = r"""
import sys, time
from PySide6.QtCore import QEvent, QObject
from photosearch.gui.app import create_app, launch, parse_args

app = create_app()
window = launch(parse_args([]))   # as the app's main(): the frame, then the contents

HEAVY = ("torch", "numpy", "PIL", "watchdog", "hnswlib", "sqlite3")

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and obj is window:
            window.removeEventFilter(self)
            heavy = [m for m in HEAVY if m in sys.modules]
            print("VISIBLE", time.process_time(), ",".join(heavy) or "-", flush=True)
        elif event.type() == QEvent.Type.Paint:   # the contents (library open, folders listed)
            obj.removeEventFilter(self)
            print("CONTENT", time.process_time(), flush=True)
            window.shutdown()
            app.quit()
        return False

spy = FirstPaint()
window.installEventFilter(spy)
window.when_framed(lambda: window.centralWidget().installEventFilter(spy))
app.exec()
"""


FIRST_QUERY = r"""
import sys, time
from PySide6.QtCore import QTimer
from photosearch.gui.app import create_app, launch, parse_args

app = create_app()
window = launch(parse_args([]))

def ask():          # typed the moment the search box is there (the window filled in)
    window.search_box.setText("a photo of a dog")
    window.run_query()

def shown(hits):    # the query's results (random weights may find none good enough)
    if window.search.query is None or window.search.query.kind != "text":
        return      # the timeline's first page, not the answer
    print("ANSWER", len(hits), "torch" in sys.modules, time.process_time(), flush=True)
    window.shutdown()
    app.quit()

window.when_framed(lambda: (window.results_shown.connect(shown), QTimer.singleShot(0, ask)))
app.exec()
"""


def first_answer_times(library: Path, runs: int, onnx: bool,
                       ) -> tuple[list[float], list[float], bool]:
    """Launch to the first text query's results, a query typed as the search box appears
    (wall seconds from spawning, and the child's CPU seconds); with the model's text side
    exported (``onnx``) or without (torch, as before); and whether torch was imported."""
    env = child_env(library)
    env.pop("PHOTOSEARCH_NO_ONNX", None)
    if not onnx:
        env["PHOTOSEARCH_NO_ONNX"] = "1"
    times, cpu, torch_loaded = [], [], False
    for _ in range(runs):
        started = time.perf_counter()
        child = subprocess.Popen([sys.executable, "-c", FIRST_QUERY], env=env, cwd=ROOT,
                                 stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in child.stdout:  # type: ignore[union-attr]
            if line.startswith("ANSWER"):
                times.append(time.perf_counter() - started)
                cpu.append(float(line.split()[3]))
                torch_loaded = torch_loaded or line.split()[2] == "True"
                break
        child.wait(120)
    return times, cpu, torch_loaded


def print_answers(library: Path, runs: int) -> None:
    for onnx, label in ((True, "text side exported (ONNX)"),
                        (False, "torch text tower (no export)")):
        times, cpu, torch_loaded = first_answer_times(library, runs, onnx)
        if not times:
            print(f"launch to first answer, {label}: no answer")
            continue
        wall = statistics.median(times)
        print(f"launch to first answer, query typed at launch, {label}: median {wall:.2f} s "
              f"wall (best {min(times):.2f}), {statistics.median(cpu):.2f} s CPU (goal <= 2 s: "
              f"{'met' if wall <= 2 else 'NOT met'} in wall time); torch imported: "
              f"{torch_loaded}")


def export_text_side(weights: Path) -> None:
    """What the app does after its first indexing run, done here so it is finished."""
    from photosearch.core.model import load_encoder, resolve_source
    from photosearch.core.text_onnx import ensure_exported

    ensure_exported(load_encoder(resolve_source("ViT-B-32", str(weights)), device="cpu",
                                 towers=("text",)))


def start_display() -> subprocess.Popen | None:
    """An Xvfb server, so the windows are real X11 windows; None: use offscreen."""
    if not shutil.which("Xvfb"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        return None
    display = ":97"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1600x1000x24", "-nolisten",
                               "tcp"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    os.environ["DISPLAY"] = display
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    return server


BARE = r"""
import time
from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication, QMainWindow

app = QApplication([])
window = QMainWindow()
window.resize(1200, 800)

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print("VISIBLE", time.process_time(), "-", flush=True)
            app.quit()
        return False

spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
"""


def child_env(library: Path | None) -> dict[str, str]:
    """Bytecode compiled once and kept (under .bench/), as pip leaves an installed app:
    a checkout run with PYTHONDONTWRITEBYTECODE would compile every module each launch."""
    env = dict(os.environ, PYTHONPYCACHEPREFIX=str(ROOT / ".bench" / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if library is not None:
        env["PHOTOSEARCH_LIBRARY"] = str(library)
    return env


@dataclass
class Launches:
    """A target's launches: seconds from spawning to the window's first paint and to its
    contents' (the app fills the frame in after that first paint), wall and CPU (the
    child's own, so the load of other processes does not count), and the heavy modules
    imported before the first paint in any launch."""
    window: list[float] = field(default_factory=list)
    window_cpu: list[float] = field(default_factory=list)
    content: list[float] = field(default_factory=list)
    content_cpu: list[float] = field(default_factory=list)
    heavy: set[str] = field(default_factory=set)


def launch_once(library: Path | None, into: Launches | None) -> None:
    """Spawn the app (``library``) or a bare PySide6 window (``library`` None), wait for
    its first paint (and the app's contents), and note the times ``into`` (None: a
    warm-up launch, not counted)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", BARE if library is None else CHILD],
                             env=child_env(library), cwd=ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.DEVNULL, text=True)
    for line in child.stdout:  # type: ignore[union-attr]
        word, cpu, *rest = line.split()
        if into is None:
            continue
        if word == "VISIBLE":
            into.window.append(time.perf_counter() - started)
            into.window_cpu.append(float(cpu))
            into.heavy.update(m for m in rest[0].split(",") if m != "-")
        elif word == "CONTENT":
            into.content.append(time.perf_counter() - started)
            into.content_cpu.append(float(cpu))
    child.wait(120)


def launch_times(targets: list[Path | None], runs: int) -> dict[Path | None, Launches]:
    """``launch_once`` for each target in turn, ``runs`` rounds after a warm-up round
    that is not counted: taking turns, a machine whose load changes meanwhile weighs on
    the bare window and the app alike."""
    out = {t: Launches() for t in targets}
    for round_ in range(runs + 1):
        for target in targets:
            launch_once(target, out[target] if round_ else None)
    return out


HEAVY = ("torch", "numpy", "PIL", "watchdog", "hnswlib", "sqlite3")   # as CHILD's


def print_launch(name: str, app: Launches, bare: Launches) -> None:
    med = statistics.median
    wall, cpu = med(app.window) / med(bare.window), med(app.window_cpu) / med(bare.window_cpu)
    print(f"launch to visible window, {name}: median {med(app.window):.2f} s wall "
          f"(best {min(app.window):.2f}), {med(app.window_cpu):.2f} s CPU = {wall:.2f}x the "
          f"bare window wall, {cpu:.2f}x CPU (goal <= 2x: "
          f"{'met' if max(wall, cpu) <= 2 else 'NOT met'}); imported by then: "
          f"{', '.join(sorted(app.heavy)) or 'none of ' + ', '.join(HEAVY)}")
    if app.content:
        print(f"  ... to its contents shown (library open, folders listed): median "
              f"{med(app.content):.2f} s wall, {med(app.content_cpu):.2f} s CPU "
              f"(no goal; {med(app.content) / med(bare.window):.2f}x the bare window)")


def index_in_app(library_dir: Path, photos: list[Path], weights: Path, hooks: str,
                 ) -> dict[str, object]:
    from PySide6.QtCore import QTimer

    from photosearch.core.library import Library
    from photosearch.gui.app import create_app
    from photosearch.gui.main_window import MainWindow

    folder = library_dir.parent / "photos"
    folder.mkdir()
    for p in photos:
        shutil.copy(p, folder / p.name)
    app = create_app()
    library = Library.open(library_dir)
    library.settings.model, library.settings.weights = "ViT-B-32", str(weights)
    library.save_settings()
    window = MainWindow(library, hooks=None if hooks == "standard" else list)
    window.show()

    gaps: dict[str, float] = {"loading": 0.0, "indexing": 0.0, "idle": 0.0}
    last = [time.perf_counter()]
    queries = [f"a photo of a {w}" for w in (
        "dog", "cat", "fish", "bird", "car", "boat", "tree", "house", "snake", "flower",
        "truck", "shoe", "clock", "guitar", "horse", "bridge", "mountain", "beach")]
    while_indexing: list[float] = []
    when_idle: list[float] = []
    state = {"phase": "loading", "asked": 0.0, "pending": False, "next": 0}

    def tick() -> None:
        now = time.perf_counter()
        phase = state["phase"]
        gaps[phase] = max(gaps[phase], now - last[0])
        last[0] = now

    def ask() -> None:
        if state["pending"] or state["next"] >= len(queries):
            return
        window.search_box.setText(queries[state["next"]])
        state["next"] += 1
        state["pending"] = True
        state["asked"] = time.perf_counter()
        window.run_query()

    def shown(hits) -> None:
        if not state["pending"]:
            return
        state["pending"] = False
        took = time.perf_counter() - state["asked"]
        (while_indexing if state["phase"] == "indexing" else when_idle).append(took)

    def progress(p) -> None:
        if p.phase == "indexing" and p.done and state["phase"] == "loading":
            state["phase"] = "indexing"
            last[0] = time.perf_counter()

    def finished(report) -> None:
        if getattr(report, "embedded", 0):
            state["phase"] = "idle"
            state["next"] = 0
            state["rate"] = report.rate
            QTimer.singleShot(200, idle_queries)

    def idle_queries() -> None:
        if state["next"] < 10:
            ask()
            QTimer.singleShot(300, idle_queries)
        else:
            app.quit()

    window.results_shown.connect(shown)
    window.indexer.progress.connect(progress)
    window.indexer.run_finished.connect(finished)
    ticker = QTimer(interval=10, timeout=tick)
    ticker.start()
    asker = QTimer(interval=1000, timeout=lambda: state["phase"] == "indexing" and ask())
    asker.start()
    started = time.perf_counter()
    window.add_folders([str(folder)])
    app.exec()
    window.shutdown()
    library.close()
    return {"gaps": gaps, "while_indexing": while_indexing, "idle": when_idle,
            "rate": state.get("rate", 0.0), "seconds": time.perf_counter() - started}


def ms(values: list[float]) -> str:
    if not values:
        return "n/a"
    v = sorted(values)
    p95 = v[min(len(v) - 1, int(round(0.95 * (len(v) - 1))))]
    return (f"p50 {statistics.median(v) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, "
            f"max {v[-1] * 1000:.0f} ms (n={len(v)})")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--photos", type=int, default=160)
    parser.add_argument("--launches", type=int, default=3)
    parser.add_argument("--hooks", choices=("none", "standard"), default="none",
                        help="run the duplicates/tags batch hooks too (the first run embeds "
                             "the whole tag vocabulary with the text tower: minutes on a CPU)")
    parser.add_argument("--library", action="append", default=[],
                        help="also time launches on this library (repeatable), e.g. the "
                             "1M-photo one bench_scale.py --keep leaves")
    parser.add_argument("--launch-only", action="store_true",
                        help="launch times only (skip indexing in the app)")
    parser.add_argument("--answer-library",
                        help="after the launches, time launch to first answer on this "
                             "library (indexed, its model's text side exported) instead of "
                             "indexing one in the app")
    args = parser.parse_args()
    server = start_display()
    print(f"machine: {machine()}; Qt platform: {os.environ['QT_QPA_PLATFORM']}")
    weights = random_vit_checkpoint()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            empty = Path(tmp) / "empty-library"
            targets = [None, empty, *(Path(b) for b in args.library)]
            launched = launch_times(targets, args.launches)
            bare = launched[None]
            print(f"launch to visible window, bare PySide6 QMainWindow: median "
                  f"{statistics.median(bare.window):.2f} s wall (best {min(bare.window):.2f}), "
                  f"{statistics.median(bare.window_cpu):.2f} s CPU ({args.launches} launches)")
            print_launch("empty library", launched[empty], bare)
            for big in args.library:
                print_launch(f"library {big}", launched[Path(big)], bare)
            if args.answer_library:
                print_answers(Path(args.answer_library), args.launches)
            if args.launch_only or args.answer_library:
                return

            result = index_in_app(Path(tmp) / "library", imagenet_photos(args.photos),
                                  weights, args.hooks)
            gaps = result["gaps"]
            print(f"indexing {args.photos} ImageNet photos in the app (random ViT-B-32, "
                  f"hooks: {args.hooks}): "
                  f"{result['rate']:.1f} photos/s, {result['seconds']:.1f} s in all")
            print(f"event-loop max stall: {gaps['loading'] * 1000:.0f} ms while the model "
                  f"loads (torch import), {gaps['indexing'] * 1000:.0f} ms while indexing, "
                  f"{gaps['idle'] * 1000:.0f} ms idle")
            print(f"text query latency while indexing: {ms(result['while_indexing'])}")
            print(f"text query latency when idle:      {ms(result['idle'])}")

            indexed = Path(tmp) / "library"
            launched = launch_times([None, indexed], args.launches)
            print_launch(f"that library ({args.photos} photos)", launched[indexed],
                         launched[None])

            export_text_side(weights)
            print_answers(Path(tmp) / "library", args.launches)
    finally:
        if server is not None:
            server.terminate()


if __name__ == "__main__":
    main()
