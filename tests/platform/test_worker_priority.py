"""The workers yield the processor to the web apps on one server (``SCHOOL_WORKER_NICE``)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from shared.metrics import MULTIPROC_ENV
from shared.settings import SettingsError, load_settings
from tests.conftest import REDIS_URL

ROOT = Path(__file__).resolve().parents[2]


def _start_worker(tmp_path: Path, **extra: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_") and k != MULTIPROC_ENV}
    env |= {"SCHOOL_DATA_DIR": str(tmp_path / "data"), "SCHOOL_REDIS_URL": REDIS_URL,
            MULTIPROC_ENV: str(tmp_path / "metrics"), **extra}
    (tmp_path / "metrics").mkdir()
    subprocess.run([sys.executable, "-m", "shared.cli.main", "db", "upgrade"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=300)
    with open(tmp_path / "worker.log", "wb") as log:  # the child keeps its own copy of the descriptor
        return subprocess.Popen([sys.executable, "-m", "shared.cli.main", "worker", "register"], cwd=ROOT,
                                env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)


def _niceness_once_started(worker: subprocess.Popen, expected: int) -> int:
    deadline = time.monotonic() + 60
    seen = os.getpriority(os.PRIO_PROCESS, worker.pid)
    while seen != expected and worker.poll() is None and time.monotonic() < deadline:
        time.sleep(0.1)
        seen = os.getpriority(os.PRIO_PROCESS, worker.pid)
    return seen


@pytest.mark.parametrize(("setting", "expected"), [(None, 10), ("0", 0), ("19", 19)])
def test_the_worker_runs_at_the_configured_niceness_and_keeps_running(tmp_path, setting, expected):
    extra = {} if setting is None else {"SCHOOL_WORKER_NICE": setting}
    base = os.getpriority(os.PRIO_PROCESS, 0)
    worker = _start_worker(tmp_path, **extra)
    try:
        assert _niceness_once_started(worker, base + expected) == base + expected
        autogroup = Path(f"/proc/{worker.pid}/autogroup")
        if Path("/proc/self/autogroup").exists():
            # The worker leads its session: its scheduling group, not only the process, yields.
            assert autogroup.read_text().split()[-1] == str(expected)
        time.sleep(1)
        assert worker.poll() is None, (tmp_path / "worker.log").read_text()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)


@pytest.mark.parametrize("value", ["-1", "20"])
def test_a_niceness_outside_0_to_19_stops_start_up(tmp_path, value):
    with pytest.raises(SettingsError, match="SCHOOL_WORKER_NICE: между 0 и 19"):
        load_settings({"SCHOOL_DATA_DIR": str(tmp_path), "SCHOOL_WORKER_NICE": value})
