"""``schoolctl up``: the embedded default — broker, databases, four services, workers, scheduler.

Stop order on SIGINT/SIGTERM matters for "no message lost": stop taking requests, stop the
scheduler, let each relay make a last pass, let the worker finish (unacknowledged messages go back
to their queue), and only then stop the broker, which flushes its append-only file.
"""

from __future__ import annotations

import logging
import signal
import threading

from waitress.server import create_server

from shared.bootstrap import build_process, upgrade_databases
from shared.embedded.broker import EmbeddedBroker
from shared.scheduler import Scheduler
from shared.settings import Settings
from shared.web.combined import create_combined_app

log = logging.getLogger(__name__)


def run_up(settings: Settings, *, host: str, port: int, demo: bool) -> int:
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    embedded = None
    broker_url = settings.redis_url
    if not broker_url:
        embedded = EmbeddedBroker(settings.data_dir)
        broker_url = embedded.start()
    process = None
    try:
        upgrade_databases(settings)
        process = build_process(settings, broker_url=broker_url)
        process.start_relays()
        # The embedded broker is this process's own: every worker that held messages before is dead.
        process.start_worker(others_dead=embedded is not None)
        scheduler = Scheduler(process.runtimes, settings.scheduler_interval_s, process.broker.client)
        if demo:
            # The demo school takes some seconds to record; the server answers meanwhile. The scheduler
            # starts once it is loaded: its first sweep would otherwise prepare a month's exports, or
            # judge deadlines, on half a school.
            threading.Thread(target=_load_demo_then_schedule, args=(process, scheduler), name="demo",
                             daemon=True).start()
        else:
            scheduler.start()
        server = create_server(create_combined_app(process.runtimes), host=host, port=port, threads=8,
                               ident="school-office")
        stopping = threading.Event()

        def on_signal(signum, _frame):
            if not stopping.is_set():
                log.info("получен сигнал %s: спиране", signal.Signals(signum).name)
                stopping.set()
                server.close()

        signal.signal(signal.SIGINT, on_signal)
        signal.signal(signal.SIGTERM, on_signal)
        log.info("Училищна канцелария: http://%s:%s/ (данни в %s)", host, port, settings.data_dir.resolve())
        try:
            server.run()
        except (OSError, ValueError):
            if not stopping.is_set():
                raise
        scheduler.stop()
    finally:
        if process is not None:
            process.stop()
        if embedded is not None:
            embedded.stop()
    log.info("спряно")
    return 0


def _load_demo_then_schedule(process, scheduler: Scheduler) -> None:
    from shared.demo import load_demo_once  # noqa: PLC0415

    try:
        load_demo_once(process)
    finally:
        scheduler.start()
