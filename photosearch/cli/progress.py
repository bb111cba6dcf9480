"""How the command line shows the core's progress on stderr.

On a terminal: a tqdm bar per phase, and a line when a model starts loading. Where stderr
is not a terminal (a log file, a pipe, a service's journal), bars would be one
unreadable line of carriage returns, so each stage is told in plain lines instead: when
it starts, every ``LINE_SECONDS`` while it runs (with its rate and time left where the
core knows them), and when it ends, with how long it took. ``--json`` prints neither.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import TextIO

from photosearch.core.progress import Progress

LOADING_PHASES = ("loading model", "downloading model")
# What a phase counts, where it is not photos.
UNITS = {"embedding tag words": "words", "preparing quick text search": "steps",
         "finding duplicates": "steps", "themes": "steps", "writing sidecars": "files"}


def unit(phase: str) -> str:
    return UNITS.get(phase, "photos")


def duration(seconds: float) -> str:
    """``42 s``, ``3 min 05 s``, ``1 h 02 min``: a time said in a log line."""
    s = int(round(seconds))
    if s < 60:
        return f"{s} s"
    if s < 3600:
        return f"{s // 60} min {s % 60:02d} s"
    return f"{s // 3600} h {s % 3600 // 60:02d} min"


def stage_line(p: Progress, elapsed: float | None = None) -> str:
    """One log line for a report: ``Embedding tag words: 224 / 2,980 words (8%) ·
    3.1 words/s · 14 min 50 s left``; ``elapsed`` makes it the stage's closing line."""
    what = unit(p.phase)
    if p.total:
        text = f"{p.phase.capitalize()}: {p.done:,} / {p.total:,} {what}"
        if 0 < p.done < p.total:
            text += f" ({p.done / p.total:.0%})"
    else:
        text = f"{p.phase.capitalize()}: {p.done:,} {what}"
    if elapsed is not None:
        return text + f", done in {duration(elapsed)}"
    if p.rate:
        text += f" · {p.rate:.1f} {what}/s"
    if p.eta is not None:
        text += f" · {duration(p.eta)} left"
    return text


class ProgressBar:
    """Progress of a long command on stderr (see the module docstring); silent when not
    ``enabled`` (``--json``)."""

    LINE_SECONDS = 10.0

    def __init__(self, enabled: bool, stream: TextIO | None = None,
                 tty: bool | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.bar = None
        self.phase = ""
        self.started = 0.0            # when the phase began
        self.printed = 0.0            # when its last line was printed
        self.last: Progress | None = None
        self.last_printed = True

    def __call__(self, p: Progress) -> None:
        if not self.enabled:
            return
        if self.tty:
            self._bar(p)
        else:
            self._line(p)

    def _bar(self, p: Progress) -> None:
        from tqdm import tqdm

        if p.phase != self.phase:
            self.close()
            self.phase = p.phase
            self.bar = tqdm(total=p.total, desc=p.phase.capitalize(), unit=f" {unit(p.phase)}",
                            file=self.stream, dynamic_ncols=True, disable=None)
        if self.bar is not None:
            if p.total is not None and self.bar.total != p.total:
                self.bar.total = p.total
            self.bar.n = p.done
            self.bar.refresh()

    def _line(self, p: Progress) -> None:
        now = time.monotonic()
        if p.phase != self.phase:
            self.close()
            self.phase, self.started = p.phase, now
            self._print(stage_line(p), now)
        elif p.total and p.done >= p.total:
            self._print(stage_line(p, now - self.started), now)
        elif now - self.printed >= self.LINE_SECONDS:
            self._print(stage_line(p), now)
        else:
            self.last_printed = False
        self.last = p

    def _print(self, text: str, now: float) -> None:
        print(text, file=self.stream, flush=True)
        self.printed, self.last_printed = now, True

    def close(self) -> None:
        """End the current phase: its bar, or (in lines) its closing line if unsaid."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
        if not self.tty and self.last is not None and not self.last_printed:
            self._print(stage_line(self.last, time.monotonic() - self.started),
                        time.monotonic())
        self.last, self.last_printed, self.phase = None, True, ""


def model_status(quiet: bool, stream: TextIO | None = None,
                 tty: bool | None = None) -> Callable[[Progress], None]:
    """Progress of loading a model: ``Loading model: NAME…`` when it starts, and where
    stderr is not a terminal also how long it took."""
    out = stream or sys.stderr
    lines = not (out.isatty() if tty is None else tty)
    started: dict[str, float] = {}

    def show(p: Progress) -> None:
        if quiet or p.phase not in LOADING_PHASES:
            return
        if p.done == 0:
            started[p.phase] = time.monotonic()
            print(f"{p.phase.capitalize()}: {p.message}…", file=out, flush=True)
        elif lines and p.total and p.done >= p.total:
            took = time.monotonic() - started.get(p.phase, time.monotonic())
            print(f"{p.phase.capitalize()}: done in {duration(took)}", file=out, flush=True)
    return show
