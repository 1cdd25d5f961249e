"""Assembling a process: plugins, metrics, the broker and the runtimes of the chosen services."""

from __future__ import annotations

import dataclasses
import logging
import time
from pathlib import Path

import dramatiq

from shared import migrations
from shared.messaging.broker import make_broker
from shared.messaging.metrics import MessageMetrics
from shared.messaging.queues import HEARTBEAT_KEY, heartbeat_collector, outbox_collector, queue_depth_collector
from shared.messaging.recovery import KeepAlive, requeue_from_dead_workers
from shared.metrics import Metrics
from shared.plugins import PluginRegistry
from shared.runtime import ServiceDefinition, ServiceRuntime
from shared.settings import SERVICES, Settings

log = logging.getLogger(__name__)


class BrokerNotConfiguredError(RuntimeError):
    pass


def resolve_broker_url(settings: Settings) -> str:
    """``SCHOOL_REDIS_URL``, or the embedded broker that ``schoolctl up`` runs on this data dir."""
    if settings.redis_url:
        return settings.redis_url
    url_file = settings.data_dir / "broker" / "broker.url"
    if url_file.exists():
        return url_file.read_text(encoding="ascii").strip()
    raise BrokerNotConfiguredError(
        "Няма брокер на съобщения: задайте SCHOOL_REDIS_URL или стартирайте „schoolctl up“ със същата папка с данни."
    )


def service_definitions(plugins: PluginRegistry, names: tuple[str, ...] = SERVICES) -> list[ServiceDefinition]:
    missing = [n for n in names if n not in plugins.names("services")]
    if missing:
        raise RuntimeError(f"Липсват услуги: {', '.join(missing)} (проверете инсталацията)")
    return [plugins.get("services", name) for name in names]


@dataclasses.dataclass
class Process:
    """Everything one OS process runs: its runtimes share the broker, metrics and plugins."""

    settings: Settings
    plugins: PluginRegistry
    metrics: Metrics
    broker: dramatiq.Broker
    runtimes: list[ServiceRuntime]
    worker: dramatiq.Worker | None = None
    keep_alive: KeepAlive | None = None

    def runtime(self, name: str) -> ServiceRuntime:
        return next(rt for rt in self.runtimes if rt.name == name)

    def start_relays(self) -> None:
        for rt in self.runtimes:
            rt.relay.start()

    def start_worker(self, *, threads: int | None = None, others_dead: bool = False) -> dramatiq.Worker:
        """Consume this process's queues.

        Parameters:
          others_dead: no other worker of this broker can be alive (the embedded layout, whose
            broker this process has just started): what earlier workers held goes back to the
            queues now, before consuming, instead of after :attr:`Settings.worker_dead_after_s`.
        """
        for rt in self.runtimes:
            rt.declare_actors()
        queues = set().union(*(rt.queues for rt in self.runtimes))
        if others_dead:
            for rt in self.runtimes:
                if released := rt.definition.release_held(rt):
                    log.warning("%s: released %d item(s) a dead process held", rt.name, released)
            requeue_from_dead_workers(self.broker, queues, dead_after_ms=0)
        self.worker = dramatiq.Worker(self.broker, queues=queues,
                                      worker_threads=threads or self.settings.worker_threads,
                                      worker_timeout=self.settings.worker_idle_ms)
        self.worker.start()
        self.keep_alive = KeepAlive(self.broker, queues, self.settings.worker_dead_after_s, beat=self._heartbeat)
        self.keep_alive.start()
        return self.worker

    def _heartbeat(self) -> None:
        now = time.time()
        with self.broker.client.pipeline(transaction=False) as pipe:
            for rt in self.runtimes:
                pipe.set(HEARTBEAT_KEY.format(service=rt.name), now)
            pipe.execute()

    def stop(self) -> None:
        """Clean stop: relays make a last pass, the worker finishes what it holds, nothing is lost."""
        for rt in self.runtimes:
            rt.relay.stop()
        if self.worker is not None:
            self.worker.stop(timeout=30_000)
            self.worker = None
        # Beating until the worker has let go of its messages: a worker still finishing a long job
        # must not look dead to the others (they would take its messages and run them again).
        if self.keep_alive is not None:
            self.keep_alive.stop()
        for rt in self.runtimes:
            rt.db.dispose()
        self.broker.close()


def build_process(settings: Settings, services: tuple[str, ...] = SERVICES, *, broker_url: str | None = None,
                  plugins: PluginRegistry | None = None, metrics_dir: Path | None = None) -> Process:
    """The runtimes of ``services`` in this process, on one broker.

    Parameters:
      metrics_dir: the directory shared with sibling processes for metrics
        (:func:`shared.metrics.multiprocess_dir`); ``None`` keeps them in this process.
    """
    plugins = plugins or PluginRegistry.discover()
    metrics = Metrics(metrics_dir)
    broker = make_broker(broker_url or resolve_broker_url(settings), extra_middleware=[MessageMetrics(metrics)])
    runtimes = [ServiceRuntime(d, settings, broker, metrics, plugins) for d in service_definitions(plugins, services)]
    for rt in runtimes:
        rt.set_up()
        metrics.add_live(outbox_collector(rt.relay))
    metrics.add_live(queue_depth_collector(broker.client, SERVICES))
    metrics.add_live(heartbeat_collector(broker.client, SERVICES))
    return Process(settings=settings, plugins=plugins, metrics=metrics, broker=broker, runtimes=runtimes)


def upgrade_databases(settings: Settings, services: tuple[str, ...] = SERVICES,
                      plugins: PluginRegistry | None = None) -> None:
    plugins = plugins or PluginRegistry.discover(("services",))
    Path(settings.data_dir).mkdir(parents=True, exist_ok=True)
    for definition in service_definitions(plugins, services):
        migrations.upgrade(definition, settings.database_url(definition.name))
