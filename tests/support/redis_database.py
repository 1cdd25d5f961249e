"""Which Redis database a test run uses: one that no other run on this machine holds.

A PostgreSQL-backed test flushes its Redis database before it starts, so two pytest runs side by side
(a developer's and a helper's, or a run beside CI) must never share one. Choosing by ``pid % 14`` let
two runs whose pids agree wipe each other's queued messages mid-test; a lock file per database, held
until the run's process ends, cannot.
"""

from __future__ import annotations

import fcntl
import tempfile
from pathlib import Path

#: Databases a run may take: 0 and 1 are left to a developer's own use and to ``bench/bench_rush.py``.
DATABASES = range(2, 16)

#: The open lock files: closing one (or the process ending) frees its database.
_held: list = []


def own_database_url(server: str = "redis://127.0.0.1:6379") -> str:
    """The URL of the first database no other process on this machine has taken; held until this one ends."""
    for number in DATABASES:
        handle = (Path(tempfile.gettempdir()) / f"school-office-test-redis-{number}.lock").open("w")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.close()
            continue
        _held.append(handle)
        return f"{server}/{number}"
    raise RuntimeError(f"Redis's test databases {DATABASES.start}–{DATABASES.stop - 1} are all taken by other "
                       "test runs on this machine; set TEST_REDIS_URL to choose one")
