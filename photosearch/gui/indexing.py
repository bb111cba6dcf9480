"""The background indexer: the model, and the core pipeline run off the UI thread.

One ``Indexer`` per window owns the encoder and all indexing of its library. Work is
asked for with ``request`` (new folders, a watcher's changes, a launch) and merged while
a run is going, so a burst of requests costs one more run, not many. Runs go through the
``Writer`` (the runner's one-thread ``writer`` lane), one at a time, each under the
library's writer lock (one process); between batches a run does the small writes queued
for the writer meanwhile.

- **No model yet.** The model loads in the background the first time something needs it
  (``ensure_model``); until then, and when it cannot be loaded at all, folders are still
  scanned, so they show their photos and counts. Embedding starts when the model arrives.
- **Pause** cancels the run between batches; **resume** starts a new one without a rescan.
  Nothing is lost: what has no vector yet is simply still pending in the catalog, which is
  also why closing mid-run and reopening carries on where it stopped.
- **Switching models** (``switch_model``) is gradual: the model in use keeps answering
  queries while the new one loads and the runs embed the library for it; once it has
  every photo (``core.model_switch.ready``) it takes over in one step.
- **Queries** never wait for a run: the pipeline takes the index lock one small add at a
  time, and a query's text encoding runs beside the batch being embedded (the encoder
  takes no lock), sharing the cores with it rather than waiting for it.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from photosearch.core.changes import of_index, of_scan
from photosearch.core.errors import LibraryLocked, ModelUnavailable, PhotosearchError
from photosearch.core.library import Library
from photosearch.core.progress import Progress, ProgressFn
from photosearch.gui.status_text import error_text
from photosearch.gui.task_runner import Task, TaskRunner
from photosearch.gui.writer import Writer

if TYPE_CHECKING:  # pragma: no cover
    from photosearch.core.pipeline import BatchHook

log = logging.getLogger(__name__)

EncoderFactory = Callable[[ProgressFn], "Encoder"]  # noqa: F821 - core.model, imported late


def settings_encoder_factory(library: Library, *, switching: bool = False) -> EncoderFactory:
    """Load the model the library's settings name (preset, architecture + weights file, or
    ``local-dir:``), through the same path as the CLI; with ``switching``, the model the
    library is switching to (``core.model_switch``). torch is imported here, late."""

    def load(progress: ProgressFn):
        from photosearch.core import model_switch
        from photosearch.core.model import load_encoder, resolve_source

        s = library.settings
        choice = model_switch.target(library) if switching else None
        source = resolve_source(*(choice or library.model_choice()))
        # The text side first (the exported one in a second, where there is one): the
        # search box works while the image tower loads for the first indexing run.
        return load_encoder(source, device=s.device, precision=s.precision,
                            batch_size=s.batch_size, allow_download=s.allow_download,
                            progress=progress, towers=("text",))

    return load


@dataclass
class _Request:
    folders: set[str] | None = None     # None: every folder
    rescan: bool = False

    def merge(self, folders: list[str] | None, rescan: bool) -> None:
        if folders is None or self.folders is None:
            self.folders = None
        else:
            self.folders.update(folders)
        self.rescan = self.rescan or rescan


class Indexer(QObject):
    model_state = Signal(str, str)   # "loading" | "ready" | "missing"; readable message
    switching = Signal(str)          # the model being embedded to replace the one in use;
                                     # "" when a switch ends (done, cancelled or failed)
    progress = Signal(object)        # core Progress (throttled by the runner)
    run_finished = Signal(object)    # IndexReport or ScanReport
    catalog_changed = Signal()       # a batch was stored mid-run (the run goes on)
    changed = Signal(object)         # core.changes.Changes: what a finished run changed
    paused_changed = Signal(bool)
    error = Signal(str)              # one readable line; details are in the log
    stage_done = Signal()            # a one-off stage after a run (the text export) ended

    def __init__(self, library: Library, runner: TaskRunner,
                 encoder_factory: EncoderFactory | None = None,
                 parent: QObject | None = None, *,
                 hooks: Callable[[], Sequence[BatchHook]] | None = None,
                 writer: Writer | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.hooks = hooks  # None: the core's standard hooks (duplicates, tags)
        self.runner = runner
        self.writer = writer or Writer(runner, self)
        self.encoder_factory = encoder_factory or settings_encoder_factory(library)
        self.encoder = None              # the model that answers queries
        self.next_encoder = None         # the model being embedded to replace it
        self.next_label = ""             # its name, while a switch is under way
        self._next_factory: EncoderFactory | None = None
        self._switch_gen = 0             # a newer choice wins over a load in flight
        self.state = "none"              # none | loading | ready | missing
        self.model_message = ""
        self.model_error: ModelUnavailable | None = None   # why it is "missing"
        self._request: _Request | None = None
        self._embed_waiting = False      # scanned without a model: embed when it comes
        self._task: Task | None = None
        self._task_kind = ""
        self._paused = False
        self._closing = False
        self._report = None
        self._held = False               # runs wait for the launch's model (probe_model)

    # -- the model ----------------------------------------------------------------------
    def ensure_model(self) -> None:
        """Start loading the model unless it is loaded, loading, or known to be missing."""
        if self.state in ("none",) and not self._closing:
            self._load_model()

    def probe_model(self) -> None:
        """At launch: load now when the model's weights are not on this computer (a
        download where allowed, else the banner at once) rather than when a folder is
        added, and when its text side was exported (``core.text_onnx``: about a second,
        no torch), so a query typed right after launch finds it ready. Otherwise the
        weights load only when first needed.

        Runs wait meanwhile (``_held``): a query typed at launch gets both cores while the
        model loads and its index opens (``_warm``); the catch-up scan and any run start
        after that, or at once when nothing loads now."""
        if self._closing:
            return
        self._held = True
        if self.state == "loading":     # a query asked for it already: warmed when loaded
            return
        if self.state == "ready":       # loaded already: after the queries asked so far
            self._warm(self.encoder)
            return
        if self.state != "none":
            self._release()
            return

        def load_now(task) -> bool:
            from photosearch.core import text_onnx
            from photosearch.core.model import find_cached_weights, resolve_source

            try:
                source = resolve_source(*self.library.model_choice())
            except ModelUnavailable:
                return True
            if text_onnx.usable(source.key):
                return True
            return (source.preset is not None and source.checkpoint is None
                    and find_cached_weights(source.preset) is None)

        def decided(now: bool) -> None:
            if now:
                self.ensure_model()
            if self.state != "loading":
                self._release()

        self.runner.run(load_now, lane="background", on_done=decided,
                        on_error=lambda _e: self._release())

    def _warm(self, encoder) -> None:
        """Open the model's index on the query lane (as the first query would), then let
        the runs that waited for it start (``probe_model``)."""
        library = self.library

        def open_index(task) -> None:
            library.index_for(encoder.key, encoder.dim)

        self.runner.run(open_index, lane="query", on_done=lambda _: self._release(),
                        on_error=lambda _e: self._release())

    def _release(self) -> None:
        if self._held:
            self._held = False
            self._kick()

    def retry_model(self) -> None:
        """Try again after the settings changed (weights chosen, download allowed)."""
        if self.state != "loading":
            self.encoder = None
            self._load_model()

    def _load_model(self) -> None:
        self._set_state("loading", "Loading the model…")
        self.runner.run(lambda task: self.encoder_factory(task.report), lane="background",
                        on_done=self._model_loaded, on_error=self._model_failed,
                        on_progress=self.progress.emit)

    def _model_loaded(self, encoder) -> None:
        self.encoder = encoder
        self._set_state("ready", _label(encoder.source))
        log.info("model ready: %r", encoder)
        if self.next_encoder is None and not self.next_label:
            from photosearch.core import model_switch

            if model_switch.target(self.library) is not None:
                self._load_next()       # a switch that a restart cut short goes on
        if self._embed_waiting:
            self._embed_waiting = False
            self.request(rescan=False)
        if self._held:
            self._warm(encoder)         # the run starts once the index is open
        else:
            self._kick()

    # -- switching models: the old one answers until the new one has embedded all ------
    def switch_model(self, model: str, weights: str | None = None,
                     factory: EncoderFactory | None = None) -> None:
        """Use (``model``, ``weights``) from now on. With a model answering and vectors
        stored for it, the switch is gradual (``core.model_switch``): the new model loads
        and embeds the library in the background while searches keep using the old one,
        then it takes over at once. Otherwise it loads in place of the current one.
        ``factory`` loads the new model (default: from the settings)."""
        from photosearch.core import model_switch

        self._switch_gen += 1
        had_switch = self.next_label != ""
        self.next_encoder, self.next_label, self._next_factory = None, "", factory
        gradual = model_switch.begin(self.library, model, weights,
                                     keep_answering=self.state == "ready")
        if gradual:
            self._load_next()
            return
        if had_switch:
            self.switching.emit("")
        if (self.library.settings.model, self.library.settings.weights) == (model, weights) \
                and self.state == "ready" and self.encoder is not None \
                and self._current_key() == self.encoder.key:
            return      # the current model chosen again: the switch was cancelled
        self.retry_model()
        self.request(rescan=False)    # the new model has no vectors yet

    def _current_key(self) -> str | None:
        from photosearch.core.model import resolve_source

        try:
            return resolve_source(*self.library.model_choice()).key
        except ModelUnavailable:
            return None

    def _load_next(self) -> None:
        from photosearch.core import model_switch
        from photosearch.core.model import resolve_source

        choice = model_switch.target(self.library)
        if choice is None or self._closing:
            return
        try:
            self.next_label = _label(resolve_source(*choice))
        except ModelUnavailable:
            self.next_label = choice[0]
        self.switching.emit(self.next_label)
        factory = self._next_factory or settings_encoder_factory(self.library, switching=True)
        gen = self._switch_gen
        self.runner.run(lambda task: factory(task.report), lane="background",
                        on_done=lambda encoder: self._next_loaded(gen, encoder),
                        on_error=lambda error: self._next_failed(gen, error),
                        on_progress=self.progress.emit)

    def _next_loaded(self, gen: int, encoder) -> None:
        if gen != self._switch_gen or self._closing:
            return
        self.next_encoder = encoder
        log.info("next model ready, embedding the library for it: %r", encoder)
        self.request(rescan=False)      # what it lacks: every photo, at first
        self._finish_switch_if_ready()  # (a switch back may find them all there)

    def _next_failed(self, gen: int, error: BaseException) -> None:
        from photosearch.core import model_switch

        if gen != self._switch_gen:
            return
        log.warning("the next model did not load: %s", error, exc_info=error)
        name, self.next_label = self.next_label, ""
        model_switch.cancel(self.library)
        self.switching.emit("")
        self.error.emit(self.tr("{model} could not be loaded: {error}. Searching goes on "
                                "with the model in use.").format(model=name, error=error))

    def _finish_switch_if_ready(self) -> None:
        """After a run: the new model takes over once it has embedded every photo."""
        from photosearch.core import model_switch

        nxt = self.next_encoder
        if nxt is None or self._task is not None or not model_switch.ready(
                self.library, nxt.key):
            return
        model_switch.finish(self.library)
        self.next_encoder, self.next_label, self._next_factory = None, "", None
        log.info("switched to %r", nxt)
        self.switching.emit("")
        self._model_loaded(nxt)

    def _model_failed(self, error: BaseException) -> None:
        if isinstance(error, ModelUnavailable):
            log.warning("model unavailable: %s", error)
            self.model_error = error
        else:
            log.error("loading the model failed", exc_info=error)
            self.model_error = ModelUnavailable(f"The model could not be loaded: {error}")
        self._set_state("missing", str(self.model_error))
        self._held = False
        self._kick()

    def model_key(self) -> str | None:
        """The key of the model in use: the loaded one's, else the one the settings name
        (so vectors already stored for it count before it loads), else None."""
        if self.encoder is not None:
            return self.encoder.key
        from photosearch.core.model import resolve_source

        try:
            return resolve_source(*self.library.model_choice()).key
        except ModelUnavailable:
            return None

    def _set_state(self, state: str, message: str) -> None:
        if state != "missing":
            self.model_error = None
        self.state, self.model_message = state, message
        self.model_state.emit(state, message)

    # -- runs -----------------------------------------------------------------------------
    def request(self, folders: list[str] | None = None, *, rescan: bool = True) -> None:
        """Ask for (re)scanning ``folders`` (None: all) and embedding what is pending."""
        if self._request is None:
            self._request = _Request(set(folders) if folders is not None else None, rescan)
        else:
            self._request.merge(folders, rescan)
        self.ensure_model()
        self._kick()

    @property
    def running(self) -> bool:
        return self._task is not None

    @property
    def idle(self) -> bool:
        """No run going and none asked for."""
        return self._task is None and self._request is None

    @property
    def paused(self) -> bool:
        return self._paused

    def pause(self) -> None:
        if self._paused:
            return
        self._paused = True
        if self._task is not None and self._task_kind == "index":
            self._task.cancel.set()
            self.request(rescan=False)  # what was cut short, for resume
        self.paused_changed.emit(True)

    def resume(self) -> None:
        if not self._paused:
            return
        self._paused = False
        self.paused_changed.emit(False)
        self.request(rescan=False)

    def _kick(self) -> None:
        if self._task is not None or self._request is None or self._closing or self._held:
            return
        if self.encoder is None:
            if self.state == "loading" and not self._request.rescan:
                return  # nothing to scan; the model's arrival kicks again
            req, self._request = self._request, None
            self._embed_waiting = True
            if req.rescan:
                self._start_scan(req)
            return
        if self._paused:
            req = self._request
            if not req.rescan:
                return
            # A new folder while paused still gets scanned, so it shows up; embedding waits.
            self._request = _Request(None, False)
            self._start_scan(req)
            return
        req, self._request = self._request, None
        self._start_index(req)

    def _folders(self, req: _Request) -> list[str] | None:
        return sorted(req.folders) if req.folders is not None else None

    def _start_scan(self, req: _Request) -> None:
        from photosearch.core.pipeline import scan

        folders = self._folders(req)

        def work(task: Task):
            with self.library.writer_lock():   # as the CLI's scan: one process writes
                return scan(self.library, folders, progress=task.report, cancel=task.cancel)

        self._task_kind = "scan"
        self._task = self.writer.run(work, on_done=self._finished, on_error=self._failed,
                                     on_progress=self.progress.emit, on_finished=self._next)

    def _start_index(self, req: _Request) -> None:
        from photosearch.core.features import standard_hooks
        from photosearch.core.pipeline import index_library

        # While switching, runs embed for the new model (the old one only answers).
        encoder = self.next_encoder or self.encoder
        folders, rescan = self._folders(req), req.rescan
        hooks = (self.hooks or standard_hooks)()

        # The image tower (torch and its weights: seconds of both cores) loads when the
        # first photo needs it, not before: a launch's catch-up run over an indexed
        # library never loads it, so it never competes with the first query.
        def work(task: Task):
            return index_library(self.library, encoder, folders=folders, rescan=rescan,
                                 progress=task.report, cancel=task.cancel, hooks=hooks,
                                 writes=self.writer.run_pending)

        self._task_kind = "index"
        self._task = self.writer.run(work, on_done=self._finished, on_error=self._failed,
                                     on_progress=self._on_progress, on_finished=self._next)

    def _on_progress(self, progress: Progress) -> None:
        self.progress.emit(progress)
        if progress.phase == "indexing" and progress.done:
            self.catalog_changed.emit()

    def _finished(self, report) -> None:
        log.info("%s run finished: %s", self._task_kind, _summary(report))
        self._report = report
        if self._task_kind == "index" and self.encoder is not None:
            self._prepare_text_search(self.encoder)

    def _prepare_text_search(self, encoder) -> None:
        """Once per model, after a run: export the text side (``core.text_onnx``), so
        that the next launch answers its first query without loading torch. A stage of
        its own in the status line (a minute on a CPU), ended by ``stage_done``."""
        if getattr(encoder, "text", None) is not None:
            return
        from photosearch.core.text_onnx import ensure_exported

        self.runner.run(lambda task: ensure_exported(encoder, task.report), lane="background",
                        on_progress=self.progress.emit, on_finished=self.stage_done.emit,
                        owner=self)   # a window closed during the export: drop the end

    def _failed(self, error: BaseException) -> None:
        if isinstance(error, LibraryLocked):
            self.error.emit(error_text(error))
        elif isinstance(error, PhotosearchError):
            log.warning("indexing failed: %s", error)
            self.error.emit(error_text(error))
        else:
            log.error("indexing failed", exc_info=error)
            self.error.emit(self.tr("Indexing stopped: {error}. Details are in the log "
                                    "file.").format(error=error))

    def _next(self) -> None:
        """After a run (done or failed): report it with ``running`` already False, then
        start what was asked for meanwhile."""
        self._task = None
        report, self._report = self._report, None
        if report is not None:
            self.run_finished.emit(report)
            # a run's own photos are embedded by it, or wait for the model (_embed_waiting)
            changes = of_index(report) if hasattr(report, "scan") else of_scan(report)
            self.changed.emit(replace(changes, pending=False))
        self._kick()
        self._finish_switch_if_ready()

    # -- closing --------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Stop between batches; the pipeline saves the index on its way out. The caller
        waits for the runner before closing the library."""
        self._closing = True
        if self._task is not None:
            self._task.cancel.set()


def _label(source) -> str:
    """A model's short name for the status bar (a local folder by its name)."""
    name = source.label
    if name.startswith("local-dir:"):
        return os.path.basename(name.removeprefix("local-dir:").rstrip("/\\"))
    if source.checkpoint:
        return f"{name} ({os.path.basename(source.checkpoint)})"
    return name


def _summary(report) -> str:
    scan = getattr(report, "scan", report)
    parts = [f"{len(scan.added)} added", f"{len(scan.moved)} moved",
             f"{len(scan.vanished)} vanished"]
    if hasattr(report, "embedded"):
        parts += [f"{report.embedded} embedded", f"{len(report.failed)} failed",
                  f"cancelled={report.cancelled}", f"{report.rate:.1f}/s"]
    return ", ".join(parts)
