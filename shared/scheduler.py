"""The single scheduler (планировчик): runs every service's periodic sweeps.

Sweeps are database passes that are safe to run twice, so a restarted or doubled scheduler does no
harm; the broker keeps the time of the last completed pass for the metrics.
"""

from __future__ import annotations

import logging
import threading
import time

from shared.messaging.queues import SCHEDULER_KEY
from shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)


class Scheduler:
    def __init__(self, runtimes: list[ServiceRuntime], interval_s: float, broker_client) -> None:
        self.runtimes = runtimes
        self.interval_s = interval_s
        self.client = broker_client
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run_once(self) -> bool:
        """One pass over every sweep; returns whether it counts as a run (the heartbeat was written).

        The heartbeat says the sweeps are being done: a pass whose every sweep failed leaves it
        alone, so ``school_scheduler_last_run_timestamp_seconds`` ages and the alert fires.
        """
        attempted = failed = 0
        for rt in self.runtimes:
            for sweep in rt.definition.sweeps(rt):
                attempted += 1
                try:
                    sweep()
                except Exception:
                    failed += 1
                    log.exception("sweep %s of %s failed; it runs again next pass",
                                  getattr(sweep, "__name__", "?"), rt.name)
        if attempted and failed == attempted:
            log.error("every sweep failed (%d); the scheduler's last run is not recorded", failed)
            return False
        try:
            self.client.set(SCHEDULER_KEY, time.time())
        except Exception:
            log.warning("scheduler could not record its last run", exc_info=True)
        return True

    def run_forever(self) -> None:
        while not self._stop.is_set():
            self.run_once()
            self._stop.wait(self.interval_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run_forever, name="scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(30)
