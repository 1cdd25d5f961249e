"""Event latency: from the commit of an absence to its handling by the notifications worker.

Baseline, on the same broker in the same run: raw Dramatiq enqueue → handle with a stock
``RedisBroker`` and worker defaults.  Ours: register commits an absence event to its outbox, the
relay publishes it, the notifications worker handles it (idempotency record and all).
Both at idle (one event at a time) and at 200 events/s.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
import threading
import time
from pathlib import Path

import dramatiq
from dramatiq.brokers.redis import RedisBroker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench._common import percentile, report, summary
from shared.bootstrap import build_process, upgrade_databases
from shared.embedded.broker import EmbeddedBroker
from shared.plugins import PluginRegistry
from shared.settings import Settings


def absence_event(absence_id: int) -> dict:
    """A ``register.absence_recorded`` payload: one lesson with one mark, numbered ``absence_id``."""
    return {"class_code": "10а", "date": "2023-10-02", "lesson": 3, "subject": "Математика",
            "marks": [{"absence_id": absence_id, "student_id": 1, "student_name": "Мария Иванова",
                       "kind": "unexcused"}]}


#: Seconds between events at idle: long enough for Dramatiq's idle back-off to grow.
IDLE_GAP_S = 0.5


def paced(n: int, rate: float | None, fire) -> None:
    start = time.perf_counter()
    for i in range(n):
        if rate:
            target = start + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
        else:
            time.sleep(IDLE_GAP_S)  # idle: the school is quiet between two absences
        fire(i)


def raw_dramatiq(url: str, n: int, rate: float | None) -> list[float]:
    broker = RedisBroker(url=url)
    sent: dict[int, float] = {}
    latencies: list[float] = []
    done = threading.Event()

    def handle(i: int) -> None:
        latencies.append((time.perf_counter() - sent[i]) * 1000)
        if len(latencies) == n:
            done.set()

    actor = dramatiq.actor(handle, actor_name="bench_raw", queue_name="bench_raw", broker=broker)
    broker.flush_all()
    worker = dramatiq.Worker(broker, worker_threads=4)
    worker.start()

    def fire(i: int) -> None:
        sent[i] = time.perf_counter()
        actor.send(i)

    paced(n, rate, fire)
    done.wait(60)
    worker.stop()
    broker.close()
    return latencies


def ours(settings: Settings, url: str, n: int, rate: float | None) -> list[float]:
    plugins = PluginRegistry.discover()
    handled: dict[int, float] = {}
    done = threading.Event()
    committed: dict[int, float] = {}

    definition = plugins.get("services", "notifications")
    original = definition.event_handlers

    def timed_handlers(rt):
        handlers = dict(original(rt))
        inner = handlers.get("register.absence_recorded")

        def on_absence(session, payload, envelope):
            if inner is not None:
                inner(session, payload, envelope)
            handled[payload["marks"][0]["absence_id"]] = time.perf_counter()
            if len(handled) == n:
                done.set()

        handlers["register.absence_recorded"] = on_absence
        return handlers

    patched = dataclasses.replace(definition, event_handlers=timed_handlers)
    plugins._by_kind["services"]["notifications"] = dataclasses.replace(  # bench-only override
        plugins._by_kind["services"]["notifications"], obj=patched)
    upgrade_databases(settings, plugins=plugins)
    process = build_process(settings, broker_url=url, plugins=plugins)
    process.broker.client.flushdb()
    process.start_relays()
    process.start_worker()
    register = process.runtime("register")

    def fire(i: int) -> None:
        with register.db.transaction() as s:
            register.publish(s, "register.absence_recorded", absence_event(i))
        committed[i] = time.perf_counter()

    paced(n, rate, fire)
    done.wait(60)
    process.stop()
    ours.last = (committed, handled)
    return [(handled[i] - committed[i]) * 1000 for i in committed if i in handled]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=1000, help="events in the 200/s run")
    parser.add_argument("--idle-events", type=int, default=60, help="events in the idle run")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--redis", default="", help="a Redis URL; default: the embedded broker")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        embedded = None
        url = args.redis
        if not url:
            embedded = EmbeddedBroker(Path(tmp))
            url = embedded.start()
        try:
            for label, rate, n in (("idle", None, args.idle_events), ("200 events/s", 200.0, args.events)):
                raw = raw_dramatiq(url, n, rate)
                settings = Settings(data_dir=Path(tmp) / label.replace(" ", "_").replace("/", ""),
                                    redis_url=url, worker_idle_ms=1000, worker_threads=args.threads)
                mine = ours(settings, url, n, rate)
                print(f"[{label}] raw Dramatiq enqueue→handle: {summary(raw)} ms")
                print(f"[{label}] absence commit→notifications handled: {summary(mine)} ms")
                for p in (50, 95):
                    report(f"[{label}] p{p} event latency", percentile(mine, p), percentile(raw, p))
        finally:
            if embedded is not None:
                embedded.stop()


if __name__ == "__main__":
    main()
