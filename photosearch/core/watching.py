"""Live folder watching: file-system events in, small catalog updates out.

A camera import or a sync tool produces hundreds of events in a second, and an editor
saving one photo produces several (temp file, rename, modify). So events are only
collected here; once the folders have been quiet for ``debounce`` seconds (or events have
kept coming for ``max_delay``), one job brings every touched path in step:

- renames and moves the observer reports go through ``scanning.move_path``: the photo keeps
  its row, and with it its vector, thumbnail, tags and duplicate state;
- everything else goes through ``scanning.refresh_paths`` (which still recognises a move
  that arrives as delete + create, by content hash);
- folders created, deleted or moved as a whole are expanded to the photos inside them;
- temp and hidden files (``files.is_photo_path``) never reach the catalog.

A library folder whose root goes away (an unplugged drive) is rescanned, which marks it
offline and keeps its photos; it is polled and picked up again when it comes back.

The watcher's own thread only collects events and decides when a job is due. The job
itself (the catalog writes, then ``on_change`` with its ``ScanReport``) runs where
``submit`` puts it: inline by default, on the writer thread in the GUI (``gui.writer``),
which owns every catalog and index write. What the library then does about the report
is ``follow_up``'s rule, not the client's. Nothing here knows about Qt.
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer
from watchdog.observers.api import ObservedWatch

from photosearch.core.catalog import Catalog
from photosearch.core.changes import Changes, of_scan
from photosearch.core.files import folder_prefix, is_photo_path
from photosearch.core.library import Library
from photosearch.core.scanning import (
    ScanReport,
    move_path,
    refresh_paths,
    scan_folder,
    walk_photos,
)

log = logging.getLogger(__name__)

ChangeFn = Callable[[ScanReport], None]
SubmitFn = Callable[[Callable[[], None]], None]   # run this job on the writer, in order
# watchdog's inotify backend holds a move-out it cannot pair for 0.5 s before reporting it
# as a delete; a shorter quiet time would split a move into "created" now and "deleted"
# in the next job, and the photo would lose its row (and its vector).
MIN_DEBOUNCE = 0.6
_FILE_EVENTS = frozenset({"created", "modified", "deleted", "closed"})


@dataclass
class _Pending:
    """Events collected since the last job."""

    paths: set[str] = field(default_factory=set)
    moves: list[tuple[str, str, bool]] = field(default_factory=list)  # src, dst, is_dir
    dirs_created: set[str] = field(default_factory=set)
    dirs_deleted: set[str] = field(default_factory=set)
    first: float = 0.0
    last: float = 0.0

    def __bool__(self) -> bool:
        return bool(self.paths or self.moves or self.dirs_created or self.dirs_deleted)


class _Handler(FileSystemEventHandler):
    def __init__(self, watcher: FolderWatcher) -> None:
        self.watcher = watcher

    def on_any_event(self, event: FileSystemEvent) -> None:
        self.watcher._collect(event)


class FolderWatcher:
    """Watch library folders and keep the catalog in step with them.

    ``watch``/``unwatch``/``sync`` may be called from any thread; ``stop`` before closing
    the catalog."""

    def __init__(self, catalog: Catalog, on_change: ChangeFn, *, debounce: float = 1.0,
                 max_delay: float = 5.0, offline_poll: float = 5.0,
                 submit: SubmitFn | None = None) -> None:
        self.catalog = catalog
        self.submit: SubmitFn = submit or (lambda job: job())
        self.offline_poll = offline_poll
        self.on_change = on_change
        self.debounce = max(debounce, MIN_DEBOUNCE)
        self.max_delay = max_delay
        self._observer = Observer()
        self._observer.daemon = True
        self._handler = _Handler(self)
        self._watches: dict[str, ObservedWatch] = {}
        self._offline: set[str] = set()
        self._pending = _Pending()
        self._cond = threading.Condition()
        # Serialises watch/unwatch/sync as wholes: a sync computed from an older folder list
        # must not unwatch a folder that a concurrent watch() has just added.
        self._control = threading.RLock()
        self._stopping = False
        self._thread = threading.Thread(target=self._run, name="watcher", daemon=True)
        self._started = False

    # -- control ------------------------------------------------------------------------
    def start(self) -> None:
        if not self._started:
            self._observer.start()
            self._thread.start()
            self._started = True

    def stop(self) -> None:
        """Stop observing and finish the job in hand (events still waiting are dropped:
        the next launch's rescan picks them up)."""
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._started:
            self._observer.stop()
            self._observer.join(timeout=5)
            self._thread.join(timeout=10)
        self._started = False

    def watch(self, folder: str) -> bool:
        """Observe ``folder`` recursively; False (and polled from now on) if it is offline."""
        folder = os.path.abspath(folder)
        with self._control, self._cond:
            if folder in self._watches:
                return True
            if not os.path.isdir(folder):
                self._offline.add(folder)
                return False
            try:
                self._watches[folder] = self._observer.schedule(
                    self._handler, folder, recursive=True)
            except OSError as e:  # vanished meanwhile, or out of inotify watches
                log.warning("cannot watch %s: %s", folder, e)
                self._offline.add(folder)
                return False
            self._offline.discard(folder)
            return True

    def unwatch(self, folder: str) -> None:
        folder = os.path.abspath(folder)
        with self._control:
            with self._cond:
                self._offline.discard(folder)
                watch = self._watches.pop(folder, None)
            if watch is not None:
                try:
                    self._observer.unschedule(watch)
                except (KeyError, OSError):
                    pass  # its root went away and the observer dropped it already

    def sync(self, folders: Iterable[str] | None = None) -> None:
        """Watch exactly ``folders`` (None: the catalog's folders, read now).

        Without ``folders`` the list is read under the same lock that ``watch`` takes, so
        a folder added to the catalog and then watched is never unwatched by a sync that
        was asked for earlier (the GUI's launch sync and a folder dropped meanwhile run on
        different threads)."""
        with self._control:
            if folders is None:
                folders = [f.path for f in self.catalog.folders()]
            wanted = {os.path.abspath(f) for f in folders}
            with self._cond:
                known = set(self._watches) | self._offline
            for gone in known - wanted:
                self.unwatch(gone)
            for folder in sorted(wanted):
                self.watch(folder)

    @property
    def watched(self) -> list[str]:
        return sorted(self._watches)

    # -- events -------------------------------------------------------------------------
    def _collect(self, event: FileSystemEvent) -> None:
        kind = event.event_type
        src = os.fsdecode(event.src_path)
        dst = os.fsdecode(event.dest_path) if event.dest_path else ""
        with self._cond:
            p = self._pending
            if kind == "moved":
                p.moves.append((src, dst, event.is_directory))
            elif event.is_directory:
                if kind == "created":
                    p.dirs_created.add(src)
                elif kind == "deleted":
                    p.dirs_deleted.add(src)
                else:
                    return
            elif kind in _FILE_EVENTS and is_photo_path(src):
                p.paths.add(src)
            else:
                return
            now = time.monotonic()
            if not p.first:
                p.first = now
            p.last = now
            self._cond.notify_all()

    def _run(self) -> None:
        next_poll = time.monotonic() + self.offline_poll
        while True:
            with self._cond:
                while not self._stopping:
                    now = time.monotonic()
                    p = self._pending
                    due = bool(p) and (now - p.last >= self.debounce
                                       or now - p.first >= self.max_delay)
                    if due or now >= next_poll:
                        break
                    wait = next_poll - now
                    if p:
                        wait = min(wait, self.debounce - (now - p.last),
                                   self.max_delay - (now - p.first))
                    self._cond.wait(max(0.01, wait))
                if self._stopping:
                    return
                job = None
                if due:  # the poll alone never cuts a burst short
                    job, self._pending = self._pending, _Pending()
            try:
                poll = time.monotonic() >= next_poll
                if poll:
                    next_poll = time.monotonic() + self.offline_poll
                if job is not None or (poll and self._roots_moved()):
                    self.submit(functools.partial(self._job, job or _Pending()))
            except Exception:  # a failed hand-over must not end watching
                log.exception("watcher job failed")

    def _job(self, job: _Pending) -> None:
        """Apply one job and report it, in the thread ``submit`` chose."""
        try:
            report, roots_changed = self._apply(job)
            if report.touched or roots_changed:
                self.on_change(report)
        except Exception:  # a failed job must not end watching
            log.exception("watcher job failed")

    def flush_now(self) -> ScanReport:
        """Apply what has been collected so far in the calling thread (tests, shutdown)."""
        with self._cond:
            job, self._pending = self._pending, _Pending()
        return self._apply(job)[0]

    # -- the job ------------------------------------------------------------------------
    def _apply(self, job: _Pending) -> tuple[ScanReport, bool]:
        """The job's catalog writes; also whether a folder went offline or came back."""
        report = ScanReport()
        paths = set(job.paths)
        for src, dst, is_dir in job.moves:
            if is_dir:
                report.merge(self._move_dir(src, dst, paths))
            elif not is_photo_path(src) or not is_photo_path(dst):
                # a sync tool's temp file renamed into place, or an editor's backup: refresh
                paths.update(p for p in (src, dst) if is_photo_path(p))
            else:
                paths.discard(src)
                report.merge(move_path(self.catalog, src, dst))
        for folder in job.dirs_created:
            paths.update(_walk(folder))
        for folder in job.dirs_deleted:
            paths.update(self.catalog.paths_under(folder))
        if paths:
            report.merge(refresh_paths(self.catalog, paths))
        roots_changed = self._check_roots(report)
        if job:
            log.info("watcher: %d paths, %d moves -> %d added, %d changed, %d moved, "
                     "%d vanished", len(paths), len(job.moves), len(report.added),
                     len(report.changed),
                     len(report.moved), len(report.vanished))
        return report, roots_changed

    def _move_dir(self, src: str, dst: str, paths: set[str]) -> ScanReport:
        """A folder renamed or moved: each photo under it keeps its row."""
        report = ScanReport()
        prefix = folder_prefix(src)
        for old in self.catalog.paths_under(src):
            new = os.path.join(dst, old[len(prefix):])
            report.merge(move_path(self.catalog, old, new))
        paths.update(p for p in _walk(dst) if self.catalog.photo_by_path(p) is None)
        return report

    def _roots_moved(self) -> bool:
        """Whether ``_check_roots`` has work (read-only, so the poll costs no write)."""
        with self._cond:
            watched, offline = set(self._watches), set(self._offline)
        for folder in self.catalog.folders():
            here = os.path.isdir(folder.path)
            if not here and folder.path in watched:
                return True
            if here != folder.online and (not here or folder.path in offline):
                return True
        return False

    def _check_roots(self, report: ScanReport) -> bool:
        """Folders whose root went away are marked offline; offline ones that came back
        are rescanned and watched again. True when a folder changed state."""
        changed = False
        for folder in self.catalog.folders():
            here = os.path.isdir(folder.path)
            if not here and folder.path in self._watches:
                self.unwatch(folder.path)
                with self._cond:
                    self._offline.add(folder.path)
            if here == folder.online:
                continue
            if here and folder.path not in self._offline:
                continue  # not ours to watch (removed meanwhile)
            report.merge(scan_folder(self.catalog, folder))
            changed = True
            if here:
                self.watch(folder.path)
        return changed


def _walk(folder: str) -> list[str]:
    if not os.path.isdir(folder):
        return []
    return [entry.path for entry in walk_photos(folder)]


def follow_up(library: Library, report: ScanReport) -> Changes:
    """The library's side of a watcher job, on the thread that applied it (the writer):
    photos that vanished or moved leave the open indexes at once, so searches stop
    finding them. Returns what changed; ``pending`` asks the client for an index run."""
    if report.vanished or report.moved:
        library.sync_indexes()
    return of_scan(report) | Changes(folders=True)   # a job may also bring a root back
