"""The only place that starts threads: runs progress generators off the main thread."""

from __future__ import annotations

import logging
import threading
import traceback
import weakref
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal, Slot

from desktop.dto import Progress

log = logging.getLogger(__name__)

# A task body returns either a plain value or a generator that yields Progress and returns a value.
TaskBody = Callable[[], Any]


class TaskSignals(QObject):
    """Signals of one task; created on the main thread so slots run there (queued)."""

    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()


@dataclass(eq=False)  # identity: two tasks are never the same task
class Task:
    """A running or finished piece of background work that the UI can cancel."""

    name: str
    signals: TaskSignals
    cancel_requested: threading.Event = field(default_factory=threading.Event)
    done: threading.Event = field(default_factory=threading.Event)

    def cancel(self) -> None:
        """Ask the task to stop at its next progress step."""
        self.cancel_requested.set()


def drive(task: Task, body: TaskBody) -> None:
    """Run a task body to its end, reporting progress and honouring cancel between steps."""
    try:
        result = body()
        if isinstance(result, Generator):
            result = _drive_generator(task, result)
            if result is _CANCELLED:
                task.signals.cancelled.emit()
                return
        task.signals.finished.emit(result)
    except Exception as exc:  # noqa: BLE001 - every failure must reach the UI, not vanish
        log.error("task %s failed:\n%s", task.name, traceback.format_exc())
        task.signals.failed.emit(f"{task.name} failed: {exc}")
    finally:
        task.done.set()


_CANCELLED = object()


def _drive_generator(task: Task, steps: Generator[Progress, None, Any]) -> Any:
    while True:
        if task.cancel_requested.is_set():
            steps.close()  # runs the generator's finally blocks; committed work stays
            return _CANCELLED
        try:
            progress = next(steps)
        except StopIteration as stop:
            return stop.value
        task.signals.progress.emit(progress)


class _Runnable(QRunnable):
    def __init__(self, task: Task, body: TaskBody) -> None:
        super().__init__()
        self.task = task
        self.body = body

    def run(self) -> None:
        drive(self.task, self.body)


class TaskRunner(QObject):
    """Starts tasks: writers one at a time on the database worker, readers in parallel.

    With ``inline=True`` (tests) tasks run synchronously on the calling thread, and listeners
    (which never end by themselves) are not started.
    """

    task_started = Signal(object)
    task_ended = Signal(object)
    # Every runner alive, so a test guard can tell when work was left running.
    live: weakref.WeakSet[TaskRunner] = weakref.WeakSet()

    def __init__(self, parent: QObject | None = None, *, inline: bool = False) -> None:
        super().__init__(parent)
        TaskRunner.live.add(self)
        self.inline = inline
        self._writer = QThreadPool(self)
        self._writer.setMaxThreadCount(1)
        self._readers = QThreadPool(self)
        self._readers.setMaxThreadCount(2)
        # Long-lived listeners (changes by other analysts) must not take a reader's thread.
        self._listeners = QThreadPool(self)
        self._listeners.setMaxThreadCount(2)
        self._tasks: list[Task] = []

    def start(
        self,
        name: str,
        body: TaskBody,
        *,
        on_done: Callable[[Any], None] | None = None,
        on_error: Callable[[str], None] | None = None,
        on_progress: Callable[[Progress], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
        writes: bool = False,
        listens: bool = False,
    ) -> Task:
        """Run ``body`` in the background and call the callbacks on the main thread.

        ``listens``: the body runs until cancelled (it yields events as progress), on a thread
        of its own beside the readers and the writer.
        """
        task = Task(name, TaskSignals(self))
        # Queued: the signals object lives on the main thread, so callbacks run there even
        # though the worker emits. Inline tasks already run on the main thread.
        kind = (
            Qt.ConnectionType.DirectConnection
            if self.inline
            else Qt.ConnectionType.QueuedConnection
        )
        for signal, slot in (
            (task.signals.finished, on_done),
            (task.signals.failed, on_error),
            (task.signals.progress, on_progress),
            (task.signals.cancelled, on_cancel),
        ):
            if slot is not None:
                signal.connect(slot, kind)
        for signal in (task.signals.finished, task.signals.failed, task.signals.cancelled):
            signal.connect(lambda *_, t=task: self._ended(t), kind)
        self._tasks.append(task)
        self.task_started.emit(task)
        if self.inline and listens:
            # A listener runs until cancelled: inline it would hold the caller for good.
            task.done.set()
            task.signals.cancelled.emit()
        elif self.inline:
            drive(task, body)
        else:
            pool = self._listeners if listens else self._writer if writes else self._readers
            pool.start(_Runnable(task, body))
        return task

    @Slot()
    def _ended(self, task: Task) -> None:
        if task in self._tasks:
            self._tasks.remove(task)
        self.task_ended.emit(task)

    @property
    def running(self) -> list[Task]:
        """Tasks that have not ended yet."""
        return list(self._tasks)

    def busy_threads(self, wait_ms: int = 0) -> int:
        """Worker threads still running work after waiting up to ``wait_ms``."""
        self._writer.waitForDone(wait_ms)
        self._readers.waitForDone(wait_ms)
        return self._writer.activeThreadCount() + self._readers.activeThreadCount()

    def shutdown(self, timeout_ms: int = 30000) -> bool:
        """Cancel everything and wait for the workers; True when all stopped in time."""
        for task in self._tasks:
            task.cancel()
        writer_ok = self._writer.waitForDone(timeout_ms)
        readers_ok = self._readers.waitForDone(timeout_ms)
        listeners_ok = self._listeners.waitForDone(timeout_ms)
        return writer_ok and readers_ok and listeners_ok
