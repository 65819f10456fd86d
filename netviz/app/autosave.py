"""Autosave: nothing a user makes is lost to a crash.

The session is saved (the normal ``.netviz.json`` format, written atomically) into the
platform's application-data folder right after every change (undo-stack changes: edits, undo,
redo, training runs, opening a file; changes less than a second apart are saved together a
moment later) and every few seconds while training runs. Nothing is left pending once the
state is saved, so a paused window runs no timer. A clean
exit calls :meth:`Autosave.finish`, which removes the file. A file left behind therefore means
the program did not exit cleanly, and the next start offers to restore it
(:func:`find_recoverable`).

Several windows can run at once: each takes its own numbered slot, held by a
:class:`~PySide6.QtCore.QLockFile` while it runs. A slot whose lock is not held by a running
process (its owner crashed or was killed) is recoverable.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QDateTime, QElapsedTimer, QLockFile, QObject, QStandardPaths, Qt, QTimer, Signal

import netviz.io  # its file-format names load on first use, not with the window
from netviz.app.session import Session
from netviz.io import SUFFIX
from netviz.io.atomic import folder_problem, write_atomic

if TYPE_CHECKING:
    from netviz.io.document import Document

EDIT_DELAY_MS = 1000
"""At most one save per this long for edits: a burst of edits is saved once, at its end."""
TRAINING_INTERVAL_MS = 5000
"""While training runs, the state is saved at most this often."""
ENV_DIRECTORY = "NETVIZ_AUTOSAVE_DIR"
"""Overrides the folder (tests and several installations side by side)."""
PREFIX = "autosave-"
MAX_SLOTS = 64
_SLOT = re.compile(rf"^{PREFIX}(\d+){re.escape(SUFFIX)}$")


def default_directory() -> Path:
    """Where autosaves live: ``$NETVIZ_AUTOSAVE_DIR`` or ``<AppDataLocation>/autosave``."""
    override = os.environ.get(ENV_DIRECTORY)
    if override:
        return Path(override)
    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    if not base:
        base = str(Path.home() / ".local" / "share" / "netviz")
    return Path(base) / "autosave"


def _lock_path(file: Path) -> Path:
    return file.with_name(file.name[: -len(SUFFIX)] + ".lock")


def _origin_path(file: Path) -> Path:
    """Beside each autosave: the file its work belongs to (one JSON object, {"file": path or null})."""
    return file.with_name(file.name[: -len(SUFFIX)] + ".origin.json")


def _read_origin(file: Path) -> Path | None:
    """The file an autosave's work came from, or None (untitled, or the note is missing or damaged)."""
    try:
        raw = _origin_path(file).read_bytes()
        value = json.loads(raw.decode("utf-8")).get("file") if len(raw) < 65536 else None
    except (OSError, ValueError, AttributeError):
        return None
    return Path(value) if isinstance(value, str) and value else None


def _lock(file: Path) -> QLockFile:
    lock = QLockFile(str(_lock_path(file)))
    lock.setStaleLockTime(0)  # stale only when its process is gone, never by age
    return lock


class Recoverable(NamedTuple):
    """An autosave left behind by a session that did not exit cleanly."""

    path: Path
    saved_at: QDateTime
    origin: Path | None = None
    """The file the work was opened from or saved to before it changed (None: untitled)."""

    def load(self) -> Document:
        """The saved document (raises DocumentError if the file is damaged)."""
        return netviz.io.load_document(self.path)

    def discard(self) -> None:
        """Delete the file, its origin note and its stale lock."""
        for file in (self.path, _origin_path(self.path)):
            with contextlib.suppress(OSError):
                file.unlink()
        lock = _lock(self.path)
        if lock.tryLock(0):
            lock.unlock()  # removes the lock file


def find_recoverable(directory: str | os.PathLike[str] | None = None) -> list[Recoverable]:
    """Autosaves whose session is no longer running, newest first."""
    folder = Path(directory) if directory is not None else default_directory()
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return []
    found: list[Recoverable] = []
    for name in names:
        if not _SLOT.match(name):
            continue
        path = folder / name
        lock = _lock(path)
        if not lock.tryLock(0):
            continue  # a running session owns it
        lock.unlock()
        try:
            mtime = path.stat().st_mtime
        except OSError:
            continue
        found.append(Recoverable(path, QDateTime.fromMSecsSinceEpoch(int(mtime * 1000)), _read_origin(path)))
    found.sort(key=lambda r: r.saved_at.toMSecsSinceEpoch(), reverse=True)
    return found


class Autosave(QObject):
    """Saves a session to its own slot in the autosave folder, debounced; removes it on a clean exit."""

    saved = Signal(str)
    """The autosave file was written (argument: its path)."""
    failed = Signal(str)
    """Writing failed (argument: a message naming the file and the reason). Reported once per streak."""

    def __init__(self, session: Session, directory: str | os.PathLike[str] | None = None,
                 edit_delay_ms: int = EDIT_DELAY_MS, training_interval_ms: int = TRAINING_INTERVAL_MS,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._session = session
        self._directory = Path(directory) if directory is not None else default_directory()
        self._edit_delay = edit_delay_ms
        self._training_interval = training_interval_ms
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setTimerType(Qt.TimerType.CoarseTimer)
        self._timer.timeout.connect(self.save_now)
        self._lock: QLockFile | None = None
        self._path: Path | None = None
        self._pending = False
        self._failing = False
        self._finished = False
        self._since_save = QElapsedTimer()
        self._origin: Path | None = None
        session.undo_stack.indexChanged.connect(self._on_change)
        session.undo_stack.cleanChanged.connect(self._on_clean_changed)
        session.problemChanged.connect(self._on_progress)
        session.historyChanged.connect(self._on_progress)

    # ---- reading -------------------------------------------------------------------------
    @property
    def directory(self) -> Path:
        return self._directory

    @property
    def path(self) -> Path | None:
        """This session's autosave file (None until the first save)."""
        return self._path

    @property
    def pending(self) -> bool:
        """A change is waiting to be saved."""
        return self._pending

    @property
    def origin(self) -> Path | None:
        """The file this session's work belongs to, recorded beside the autosave."""
        return self._origin

    # ---- intent --------------------------------------------------------------------------
    def set_origin(self, file: Path | None) -> None:
        """The session was opened from or saved to ``file`` (None: untitled)."""
        changed, self._origin = file != self._origin, file
        if file is not None and self._session.undo_stack.isClean():
            self._on_clean_changed(True)  # just opened or saved: the file holds this work
        elif changed and self._path is not None and self._path.exists():
            self._write_origin(self._path)

    def save_now(self) -> bool:
        """Write the autosave file now (if anything changed); returns True on success."""
        self._timer.stop()
        if self._finished or not self._pending:
            return not self._pending
        try:
            path = self._claim_slot()
            self._write_origin(path)
            netviz.io.save_document(path, self._session)
        except (OSError, ValueError) as e:
            if not self._failing:
                self._failing = True
                # "File exists" said nothing when the autosave folder's path is a file
                in_the_way = isinstance(e, (FileExistsError, NotADirectoryError))
                reason = (in_the_way and folder_problem(self._directory)) or getattr(e, "strerror", None) or str(e)
                self.failed.emit(f"Could not autosave to {self._directory}: {reason}")
            return False
        self._failing = False
        self._pending = False
        self._since_save.start()
        self.saved.emit(str(path))
        return True

    def finish(self) -> None:
        """A clean exit: stop, delete this session's autosave and release its slot."""
        if self._finished:
            return
        self._finished = True
        self._timer.stop()
        self._remove_files()
        if self._lock is not None:
            self._lock.unlock()
            self._lock = None

    # ---- internals -----------------------------------------------------------------------
    def _on_change(self) -> None:
        """A change on the undo stack: save now, unless the last save was less than the delay ago."""
        if self._finished:
            return
        self._pending = True
        since = self._since_save.elapsed() if self._since_save.isValid() else None
        if since is None or since >= self._edit_delay:
            self.save_now()
        else:
            self._schedule(self._edit_delay - int(since))

    def _on_clean_changed(self, clean: bool) -> None:
        """Saved (or undone back to what was saved): the file on disk holds this work, so a
        crash now loses nothing and the autosave goes; the next change writes it again."""
        if clean and self._origin is not None and not self._finished:
            self._timer.stop()
            self._pending = False
            self._remove_files()

    def _remove_files(self) -> None:
        if self._path is not None:
            for file in (self._path, _origin_path(self._path)):
                with contextlib.suppress(OSError):
                    file.unlink()

    def _write_origin(self, path: Path) -> None:
        note = {"file": str(self._origin) if self._origin is not None else None}
        write_atomic(_origin_path(path), json.dumps(note).encode("utf-8"))

    def _on_progress(self) -> None:
        self._schedule(self._training_interval)

    def _schedule(self, delay: int) -> None:
        if self._finished:
            return
        self._pending = True
        if not self._timer.isActive() or self._timer.remainingTime() > delay:
            self._timer.start(delay)

    def _claim_slot(self) -> Path:
        if self._path is not None:
            return self._path
        self._directory.mkdir(parents=True, exist_ok=True)
        for n in range(1, MAX_SLOTS + 1):
            path = self._directory / f"{PREFIX}{n}{SUFFIX}"
            if path.exists():
                continue  # a running session's, or a crashed one's still waiting to be recovered
            lock = _lock(path)
            if lock.tryLock(0):
                if path.exists():  # claimed and written between our two looks
                    lock.unlock()
                    continue
                self._lock, self._path = lock, path
                return path
        raise OSError(f"all {MAX_SLOTS} autosave slots are in use")


def restore(session: Session, recoverable: Recoverable) -> None:
    """Load an autosave into the session (undoable), then delete it; DocumentError leaves both."""
    doc = recoverable.load()
    session.load(doc.problem, doc.iteration, doc.history_by_iteration(), text="Restore autosaved work")
    recoverable.discard()


__all__ = ["Autosave", "Recoverable", "default_directory", "find_recoverable", "restore"]
