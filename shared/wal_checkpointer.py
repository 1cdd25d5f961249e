"""SQLite's write-ahead log moved into the database file in the background (контролна точка).

SQLite in WAL mode appends every commit to the ``-wal`` file and, by default, the commit that
takes the log past 1,000 pages copies it all back into the database: about every eleventh saved
lesson waited some 10 ms for that (the benchmark's p95).  Here a thread per database, started by
the first write of the process, runs a passive checkpoint every second instead: it copies what no
reader still needs and never blocks a writer.  The commit-time checkpoint stays as a backstop at
:data:`BACKSTOP_PAGES`, for a process whose thread is not running or a bulk import that fills
the log faster than a second.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy.engine import Engine

log = logging.getLogger(__name__)

#: Seconds between two background checkpoints.
INTERVAL_S = 1.0

#: Pages (4 KiB each) past which a commit checkpoints the log itself, as SQLite would at 1,000.
BACKSTOP_PAGES = 8_000


class WalCheckpointer:
    """Runs ``PRAGMA wal_checkpoint(PASSIVE)`` on ``engine`` every :data:`INTERVAL_S` seconds.

    Parameters:
      engine: a SQLite engine in WAL mode (its connections have no transaction of their own open:
        this project issues BEGIN itself).
    """

    def __init__(self, engine: Engine, interval_s: float = INTERVAL_S) -> None:
        self.engine = engine
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def ensure_running(self) -> None:
        """Start the thread unless it runs already (cheap enough to call on every write)."""
        if self._thread is not None:
            return
        with self._lock:
            if self._thread is None and not self._stop.is_set():
                self._thread = threading.Thread(target=self._run, name="sqlite-wal-checkpointer", daemon=True)
                self._thread.start()

    def checkpoint(self) -> None:
        """One passive checkpoint: what no reader still needs goes into the database file."""
        raw = self.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
        finally:
            raw.close()

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            try:
                self.checkpoint()
            except Exception:  # a locked or vanished file must not end the thread; commits still checkpoint
                log.warning("SQLite WAL checkpoint failed", exc_info=True)

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
