"""MkDocs adapter: while serving on Linux, notice edits as the kernel reports them (inotify).

MkDocs polls every watched file twice a second. With 10,000 learning-log posts under ``content/``
each poll reads 10,000 file times, competing with the rebuild, and an edit waits up to half a
second for the next poll (issue 14). inotify tells at once and costs nothing between edits.

Polling stays where inotify is missing or refused (another system, a container without it, too few
watches), and when ``COUNCILLOR_HUB_SERVE_POLLING`` is set (some network or shared folders only
report changes to polling).
"""

from __future__ import annotations

import logging
import os
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer

log = logging.getLogger("mkdocs.hooks.serve_watch")
POLLING_VARIABLE = "COUNCILLOR_HUB_SERVE_POLLING"


def is_temporary(name: str) -> bool:
    """A file written only to be renamed or deleted: councillor_hub/files.py's ``.name.XXXX.tmp``,
    and editors' swap, backup and lock files."""
    return name.endswith((".tmp", "~", ".swp", ".swx", ".swo")) or name.startswith(".#") or name == "4913"


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    if sys.platform != "linux" or os.environ.get(POLLING_VARIABLE, "").strip():
        return server
    try:
        from watchdog import events
        from watchdog.observers.inotify import InotifyObserver
    except ImportError:  # pragma: no cover - watchdog without inotify
        return server
    # Changes only. inotify also reports files being opened and read, and MkDocs rebuilds on any
    # event: each build's own reading of content/ would start the next build, for ever.
    changes: list[type[events.FileSystemEvent]] = [
        events.FileCreatedEvent, events.FileModifiedEvent, events.FileMovedEvent, events.FileDeletedEvent,
        events.FileClosedEvent, events.DirCreatedEvent, events.DirModifiedEvent, events.DirMovedEvent,
        events.DirDeletedEvent,
    ]  # fmt: skip

    class StartedHere(InotifyObserver):
        """Started here, to know at once whether inotify works (MkDocs' own start is then a no-op),
        and told only of changes."""

        def start(self) -> None:
            if not self.is_alive():
                super().start()

        def schedule(self, handler: events.FileSystemEventHandler, *args: Any, **kwargs: Any) -> Any:
            return super().schedule(OnlyFinishedFiles(handler), *args, **{**kwargs, "event_filter": changes})

    class OnlyFinishedFiles(events.FileSystemEventHandler):
        """Not temporary files: the ingester and editors write one, then rename it into place. A
        rebuild for the temporary file would only delay the one for the finished file."""

        def __init__(self, inner: events.FileSystemEventHandler) -> None:
            self.inner = inner

        def dispatch(self, event: events.FileSystemEvent) -> None:
            path = event.dest_path if isinstance(event, events.FileSystemMovedEvent) else event.src_path
            if not is_temporary(os.path.basename(os.fsdecode(path))):
                self.inner.dispatch(event)

    # MkDocs' own record of what it watches so far (more is added after this event: `watch:`).
    polling, watched, refs = server.observer, dict(server._watched_paths), dict(server._watch_refs)
    observer = StartedHere()
    try:
        observer.start()
        server.observer = observer
        server._watched_paths.clear()
        server._watch_refs.clear()
        for path, count in watched.items():
            server.watch(path)  # on the running inotify observer, which refuses at once if it cannot
            server._watched_paths[path] = count
    except OSError as exc:
        log.info(f"Watching for edits by polling (inotify: {exc})")
        observer.stop()
        server.observer, server._watched_paths, server._watch_refs = polling, watched, refs
        return server
    log.info("Watching for edits with inotify")
    return server
