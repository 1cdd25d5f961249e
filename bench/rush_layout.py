"""The production layout of ``bench_rush.py``: PostgreSQL (a database per service, made for the run and
dropped after it), the Redis server (database 1, flushed after), per service a gunicorn app and a
Dramatiq worker, the scheduler and an SMTP server, each a subprocess; the users' side (sessions
signed in through ``/login``, each answer timed and checked); and the processor time each process
used, read from ``/proc``: on a machine of 2 cores it explains the rush's figures.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import redis
import requests

from bench._common import PG_ADMIN, SERVER_REDIS
from tests.support.smtp import SmtpServer, free_port

SERVICES = ("register", "documents", "notifications", "planning")
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')




class Failures:
    """Every unexpected answer, by what was asked: the figure that must stay 0."""

    def __init__(self) -> None:
        self.seen: list[str] = []
        self._lock = threading.Lock()

    def add(self, what: str) -> None:
        with self._lock:
            self.seen.append(what)


class Site:
    """The four services behind their ports, routed by path prefix as ``deploy/nginx`` does."""

    def __init__(self, ports: dict[str, int], failures: Failures) -> None:
        self.ports = ports
        self.failures = failures
        self.timings: dict[str, list[float]] = collections.defaultdict(list)
        self._lock = threading.Lock()

    def url(self, path: str) -> str:
        service = "register"
        for name in SERVICES:
            if path.startswith((f"/api/{name}/", f"/{name}/")):
                service = name
        return f"http://127.0.0.1:{self.ports[service]}{path}"

    def call(self, http: requests.Session, method: str, path: str, *, expect: int = 200, label: str | None = None,
             **kwargs) -> requests.Response | None:
        begin = time.perf_counter()
        try:
            answer = http.request(method, self.url(path), allow_redirects=False, timeout=120, **kwargs)
        except requests.RequestException as exc:
            self.failures.add(f"{method} {path}: {exc.__class__.__name__}")
            return None
        ms = (time.perf_counter() - begin) * 1000
        if answer.status_code != expect:
            self.failures.add(f"{method} {path}: {answer.status_code} {answer.text[:200]!r}")
            return None
        if label:
            with self._lock:
                self.timings[label].append(ms)
        return answer


    def need(self, *args, **kwargs) -> requests.Response:
        """A set-up step: the run cannot go on without it."""
        answer = self.call(*args, **kwargs)
        if answer is None:
            raise SystemExit(f"set-up failed: {self.failures.seen[-1]}")
        return answer


def api_session(token: str) -> requests.Session:
    http = requests.Session()
    http.headers["Authorization"] = f"Bearer {token}"
    return http


def sign_in(site: Site, name: str, password: str) -> requests.Session:
    """A browser's session: the sign-in form's CSRF token, then the form posted."""
    http = requests.Session()
    token = CSRF.search(site.need(http, "GET", "/login").text).group(1)
    site.need(http, "POST", "/login", expect=303, data={"name": name, "password": password, "csrf_token": token})
    return http

# --- the production layout ------------------------------------------------------------------------


class Layout:
    """Databases, the Redis database, the SMTP server and the processes; all stopped and dropped in ``close``."""

    def __init__(self, tmp: Path, today: dt.date, settings: dict[str, str] | None = None) -> None:
        self.tmp = tmp
        self.today = today
        #: A school's own settings on top of the defaults (``--setting SCHOOL_WORKER_NICE=19``).
        self.settings = settings or {}
        self.names = {service: f"school_rush_{service}_{os.getpid()}" for service in SERVICES}
        self.ports = {service: free_port() for service in SERVICES}
        self.processes: list[subprocess.Popen] = []
        self.logs: list = []
        self.smtp = SmtpServer()
        self.env: dict[str, str] = {}

    def open(self) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in self.names.values():
                conn.execute(f'CREATE DATABASE "{name}"')
        redis.Redis.from_url(SERVER_REDIS).flushdb()
        self.smtp.start()
        base = PG_ADMIN.rsplit("/", 1)[0]
        env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_") and k != "PROMETHEUS_MULTIPROC_DIR"}
        env |= {"SCHOOL_DATA_DIR": str(self.tmp / "data"), "SCHOOL_REDIS_URL": SERVER_REDIS,
                "SCHOOL_SECRET_KEY": "bench-rush-" + "x" * 40, "SCHOOL_TODAY": self.today.isoformat(),
                "SCHOOL_SMTP_HOST": "127.0.0.1", "SCHOOL_SMTP_PORT": str(self.smtp.port),
                "SCHOOL_SMTP_FROM": "school@example.bg", "SCHOOL_LOG_LEVEL": "WARNING"}
        env |= {f"SCHOOL_{service.upper()}_DATABASE_URL": f"{base}/{name}" for service, name in self.names.items()}
        self.env = env | self.settings
        subprocess.run([*schoolctl(), "db", "upgrade"], env=env, check=True, capture_output=True, timeout=300)
        for service in SERVICES:
            metrics = {"PROMETHEUS_MULTIPROC_DIR": str(self.tmp / "metrics" / service)}
            self.start(["serve", service, "--bind", f"127.0.0.1:{self.ports[service]}", "--workers", "2"], metrics)
            self.start(["worker", service], metrics)
        self.start(["scheduler"], {})
        deadline = time.monotonic() + 120
        for service, port in self.ports.items():
            while True:
                with contextlib.suppress(requests.RequestException):
                    if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200:
                        break
                for process, log in zip(self.processes, self.logs, strict=True):
                    if process.poll() is not None:
                        raise SystemExit(f"{process.args} stopped: {Path(log.name).read_text()[-2000:]}")
                if time.monotonic() > deadline:
                    raise SystemExit(f"{service} never answered on port {port}")
                time.sleep(0.2)

    def start(self, args: list[str], extra: dict[str, str]) -> None:
        # Each process's output in a file of its own, read when it stops early or logs an exception.
        log = open(self.tmp / f"{'-'.join(args[:2])}.log", "w")  # noqa: SIM115 - closed in close()
        self.logs.append(log)
        self.processes.append(subprocess.Popen([*schoolctl(), *args], env=self.env | extra, stdout=log,
                                               stderr=subprocess.STDOUT, start_new_session=True))

    def close(self) -> None:
        for process in self.processes:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes:
            try:
                process.wait(60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        for log in self.logs:
            log.close()
        with contextlib.suppress(Exception):
            self.smtp.stop()
        redis.Redis.from_url(SERVER_REDIS).flushdb()
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            for name in self.names.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def print_logs(self, lines: int = 15) -> None:
        """The end of each process's output, when the run stops on an error: what the services said."""
        for log in sorted(self.tmp.glob("*.log")):
            tail = log.read_text(errors="replace").splitlines()[-lines:]
            print(f"--- {log.name}", *tail, sep="\n", file=sys.stderr)

    def stopped(self) -> list[str]:
        """Processes that ended before the run stopped them: a crash is an error though no request saw it."""
        return [f"{' '.join(p.args[-2:])} stopped with {p.returncode}" for p in self.processes if p.poll() is not None]

    def retried_jobs(self) -> collections.Counter:
        """Exceptions the workers logged: Dramatiq retries such a job (the figures say whether it then
        succeeded: every letter done, every notice handled), so they are reported, not counted as errors."""
        found: collections.Counter = collections.Counter()
        for log in sorted(self.tmp.glob("worker-*.log")):
            for line in log.read_text(errors="replace").splitlines():
                match = re.match(r"^(\w+(?:\.\w+)*(?:Error|Violation|Exception)): (.*)", line)
                if match:
                    # A unique key's name says which race it was (psycopg puts it in the message).
                    key = re.search(r'unique constraint "(\w+)"', match.group(2))
                    found[f"{log.stem}: {match.group(1)}" + (f" ({key.group(1)})" if key else "")] += 1
        return found


def schoolctl() -> list[str]:
    script = Path(sys.executable).parent / "schoolctl"
    return [str(script)] if script.exists() else [sys.executable, "-m", "shared.cli.main"]



def processor_seconds(layout: Layout) -> collections.Counter:
    """User + system seconds so far of each of the layout's processes (with their children: gunicorn's
    workers), of PostgreSQL's and Redis's server processes, of this process (the users' side and the
    SMTP server), and of the whole machine (``machine``, from ``/proc/stat``, all cores), apart from the
    time the host gave to other virtual machines while this one had work (``stolen``): on a shared host
    it makes the same rush slower from one run to the next.

    Processes that ended are not counted (a PostgreSQL connection closed during the run).
    """
    ticks = os.sysconf("SC_CLK_TCK")
    groups = {process.pid: " ".join(process.args[len(schoolctl()):][:2]) for process in layout.processes}
    used: collections.Counter = collections.Counter()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        name, fields = text[text.index("(") + 1:text.rindex(")")], text[text.rindex(")") + 2:].split()
        group = groups.get(int(fields[2])) or next((server for server in ("postgres", "redis") if
                                                    name.startswith(server)), None)
        if group:
            used[group] += (int(fields[11]) + int(fields[12])) / ticks
    mine = os.times()
    used["bench (the users' side, SMTP)"] = mine.user + mine.system
    with open("/proc/stat") as machine:
        cpu = [int(n) for n in machine.readline().split()[1:]]
    used["machine"] = (sum(cpu[:7]) - cpu[3] - cpu[4]) / ticks  # all but idle, iowait and steal
    used["stolen"] = cpu[7] / ticks
    return used


def stolen_seconds() -> float:
    """Seconds so far that the host gave other virtual machines while this one had work (all cores)."""
    with open("/proc/stat") as machine:
        return int(machine.readline().split()[8]) / os.sysconf("SC_CLK_TCK")


def _busy_and_total() -> tuple[int, int]:
    with open("/proc/stat") as machine:
        cpu = [int(n) for n in machine.readline().split()[1:]]
    return sum(cpu[:7]) - cpu[3] - cpu[4], sum(cpu[:8])


def wait_until_quiet(busy_share: float = 0.25, window_s: float = 2.0, timeout_s: float = 240.0) -> tuple[float, float]:
    """Wait until the machine's cores are busy at most ``busy_share`` of ``window_s`` (the set-up's tail:
    the consent documents of 1500 enrolments, the sign-ins' hashes, the planning duties): the idle series
    and the rush must not start on a machine still finishing it.  Returns (seconds waited, last share)."""
    began = time.monotonic()
    while True:
        busy_before, total_before = _busy_and_total()
        time.sleep(window_s)
        busy, total = _busy_and_total()
        share = (busy - busy_before) / max(total - total_before, 1)
        if share <= busy_share or time.monotonic() - began >= timeout_s:
            return time.monotonic() - began, share
