"""Production commands: ``serve SERVICE`` (gunicorn), ``worker SERVICE`` and ``scheduler``."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import threading
from pathlib import Path

from shared.metrics import MetricsSetupError, multiprocess_dir
from shared.settings import Settings

log = logging.getLogger(__name__)


def run(args: argparse.Namespace, settings: Settings) -> int:
    if args.command in ("serve", "worker"):
        # A service's gunicorn workers and its Dramatiq worker show their metrics together on its
        # /metrics, through the directory the environment names (deploy/ sets it per service).
        try:
            metrics_dir = multiprocess_dir()
        except MetricsSetupError as exc:
            raise SystemExit(f"schoolctl {args.command} {args.service}: {exc}") from None
        if args.command == "serve":
            return _serve(args, settings, metrics_dir)
        return _worker(args.service, settings, metrics_dir)
    return _scheduler(settings)


def _wait_for_signal() -> None:
    stop = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()


def _worker(service: str, settings: Settings, metrics_dir: Path) -> int:
    from shared.bootstrap import build_process  # noqa: PLC0415

    # Lower priority before any thread starts (threads inherit it): the web apps on the same server
    # answer first when both want the processor, and the jobs catch up in the gaps.
    os.nice(settings.worker_nice)
    process = build_process(settings, (service,), metrics_dir=metrics_dir)
    process.start_relays()
    process.start_worker()
    runtime = process.runtimes[0]
    log.info("worker of %s consuming %s", service, sorted(runtime.queues | runtime.identity_queues))
    try:
        _wait_for_signal()
    finally:
        process.stop()
    return 0


def _scheduler(settings: Settings) -> int:
    from shared.bootstrap import build_process  # noqa: PLC0415
    from shared.scheduler import Scheduler  # noqa: PLC0415

    process = build_process(settings)
    process.start_relays()
    scheduler = Scheduler(process.runtimes, settings.scheduler_interval_s, process.broker.client)
    scheduler.start()
    try:
        _wait_for_signal()
    finally:
        scheduler.stop()
        process.stop()
    return 0


def _serve(args: argparse.Namespace, settings: Settings, metrics_dir: Path) -> int:
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415
    from prometheus_client import multiprocess  # noqa: PLC0415

    class ServiceApplication(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", args.bind)
            self.cfg.set("workers", args.workers)
            self.cfg.set("threads", 4)
            self.cfg.set("proc_name", f"school-{args.service}")
            if "control_socket_disable" in self.cfg.settings:
                # gunicorn ≥ 25 opens a control socket at one path per user: the four services on one
                # server would fight over it, and nothing here uses it.
                self.cfg.set("control_socket_disable", True)
            self.cfg.set("child_exit",
                         lambda _server, worker: multiprocess.mark_process_dead(worker.pid, str(metrics_dir)))

        def load(self):
            # Runs in each gunicorn worker after fork: connections and threads are per process.
            from shared.bootstrap import build_process  # noqa: PLC0415
            from shared.web.combined import create_mounted_app  # noqa: PLC0415

            process = build_process(settings, (args.service,), metrics_dir=metrics_dir)
            process.start_relays()
            return create_mounted_app(process.runtimes[0])

    ServiceApplication().run()
    return 0
