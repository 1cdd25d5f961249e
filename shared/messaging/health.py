"""Each service's health, told through the broker (здраве на услугите): how ``/admin/system`` learns it.

The administrator's page lives in the register, but the figures it shows belong to every service:
the outbox backlog, the failed deliveries and documents, each one's readiness checks.  A service
never reads another's database nor calls it over HTTP, so each worker process publishes a small
snapshot of its own services into the broker's Redis (a key per service, with a TTL), and the page
reads those keys.  A service whose worker is stopped lets its key expire: the page then says it is
not answering, which is the truth the administrator needs.

The snapshot is taken on a thread of its own (:class:`HealthReporter`), not on the keep-alive beat:
a slow database must never delay the heartbeat that tells other workers this one is alive.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Iterable
from importlib.metadata import PackageNotFoundError, version

log = logging.getLogger(__name__)

#: Redis key of a service's latest snapshot.
HEALTH_KEY = "school:health:{service}"
#: Seconds between two snapshots of a worker process.
SNAPSHOT_INTERVAL_S = 5.0
#: Seconds a snapshot lives: three missed snapshots and the service counts as not answering.
SNAPSHOT_TTL_S = 15


def package_version() -> str:
    try:
        return version("school-office")
    except PackageNotFoundError:  # a source tree without installation
        return "?"


def snapshot(runtime) -> dict:
    """What ``/readyz`` and the service's metrics say about it now, as plain JSON."""
    checks: dict[str, str] = {}
    try:
        runtime.db.ping()
        checks["database"] = "ok"
    except Exception as exc:
        checks["database"] = f"недостъпна база данни: {type(exc).__name__}"
    checks.update(runtime.definition.readiness(runtime))
    backlog, oldest = (None, None)
    failures: dict[str, int] = {}
    if checks["database"] == "ok":
        backlog, oldest = runtime.relay.backlog()
        failures = dict(runtime.definition.failures(runtime))
    return {"service": runtime.name, "version": package_version(), "at": time.time(), "checks": checks,
            "outbox_backlog": backlog, "outbox_oldest_s": oldest, "failures": failures}


def publish(client, runtimes: Iterable) -> None:
    with client.pipeline(transaction=False) as pipe:
        for runtime in runtimes:
            pipe.set(HEALTH_KEY.format(service=runtime.name), json.dumps(snapshot(runtime)), ex=SNAPSHOT_TTL_S)
        pipe.execute()


def read(client, services: Iterable[str]) -> dict[str, dict | None]:
    """Each service's latest snapshot, or None where none is fresh (its worker is not running)."""
    services = list(services)
    raw = client.mget([HEALTH_KEY.format(service=s) for s in services])
    return {s: json.loads(value) if value else None for s, value in zip(services, raw, strict=True)}


class HealthReporter:
    """Publishes the process's services' snapshots every :data:`SNAPSHOT_INTERVAL_S`, on its own thread."""

    def __init__(self, client, runtimes: list, interval_s: float = SNAPSHOT_INTERVAL_S) -> None:
        self.client = client
        self.runtimes = runtimes
        self.interval_s = interval_s
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def run(self) -> None:
        while not self._stop.is_set():
            try:
                publish(self.client, self.runtimes)
            except Exception:
                log.warning("could not publish the services' health", exc_info=True)
            self._stop.wait(self.interval_s)

    def start(self) -> None:
        self._thread = threading.Thread(target=self.run, name="health-reporter", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(10)
