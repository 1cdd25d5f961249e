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

    _lower_priority(settings.worker_nice)
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


def _lower_priority(nice: int) -> None:
    """Yield the processor to the web apps on the same server: they answer first when both want it,
    and the jobs catch up in the gaps.  Before any thread starts (threads inherit it).

    With the kernel's autogroup scheduling (``/proc/sys/kernel/sched_autogroup_enabled``, on in most
    distributions) a process's niceness counts only against its own session's processes, and each
    service started by systemd, docker or ``bench_rush.py`` is a session of its own: there the
    session's group is the worker's weight against the web apps, so a worker that leads its session
    gives that group the same niceness (``/proc/self/autogroup``; at 10 the worker's group weighs 110
    against a web app's 1024).  A worker started inside a terminal's session leaves the terminal's
    group alone.
    """
    os.nice(nice)
    autogroup = Path("/proc/self/autogroup")
    if nice and os.getsid(0) == os.getpid() and autogroup.exists():
        try:
            autogroup.write_text(str(nice))
        except OSError as exc:  # a kernel without autogroup, or a container that forbids it
            log.warning("could not lower the session's scheduling group: %s", exc)


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
