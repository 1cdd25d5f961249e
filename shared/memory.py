"""Memory management for bulk work (a year's absences imported at once)."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def cycle_collector_paused() -> Iterator[None]:
    """Run the block without CPython's cycle collector; reference counting still frees everything.

    An import holds a hundred thousand rows in memory and builds as many tuples again: each full
    collection walks every one of them, several times over, and took a quarter of a 100,000-row
    import's time on SQLite.  Nothing of such work makes reference cycles worth collecting now;
    whatever cycles there are get collected when the block ends.  The collector is process-wide,
    so other threads go without it for that second too, which costs them nothing.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
