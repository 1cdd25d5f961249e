"""Metrics shared by a service's processes are wired from outside: no environment edited at import."""

from __future__ import annotations

import configparser
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from shared.metrics import MULTIPROC_ENV, MetricsSetupError, multiprocess_dir

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SCHOOL_") and k != MULTIPROC_ENV}
    return env | extra


def test_refused_when_the_directory_is_not_named():
    with pytest.raises(MetricsSetupError, match=f"{MULTIPROC_ENV} is not set"):
        multiprocess_dir({})


def test_refused_when_prometheus_was_imported_without_it(tmp_path):
    # This test process imported prometheus_client with no such variable: values stay per process.
    with pytest.raises(MetricsSetupError, match="imported before"):
        multiprocess_dir({MULTIPROC_ENV: str(tmp_path)})


def test_a_process_started_with_the_directory_shares_its_values_there(tmp_path):
    shared = tmp_path / "metrics" / "register"
    code = ("from shared.metrics import Metrics, multiprocess_dir\n"
            "m = Metrics(multiprocess_dir())\n"
            "m.messages.labels('register', 'register.handle_event').inc()\n"
            "print(m.exposition().decode())\n")
    for _process in range(2):
        done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(**{MULTIPROC_ENV: str(shared)}),
                              capture_output=True, text=True, timeout=60, check=False)
        assert done.returncode == 0, done.stderr
    # The second process sees the first one's message as well as its own.
    assert 'dramatiq_messages_total{actor_name="register.handle_event",queue_name="register"} 2.0' in done.stdout


@pytest.mark.parametrize("command", ["serve", "worker"])
def test_schoolctl_refuses_to_start_without_it(command, tmp_path):
    done = subprocess.run([sys.executable, "-m", "shared.cli.main", command, "register"], cwd=ROOT,
                          env=_env(SCHOOL_DATA_DIR=str(tmp_path)), capture_output=True, text=True, timeout=60,
                          check=False)
    assert done.returncode != 0
    assert f"schoolctl {command} register: {MULTIPROC_ENV} is not set" in done.stderr


def test_deploy_gives_each_service_process_its_directory():
    for unit in ("school-office-serve@.service", "school-office-worker@.service"):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read(ROOT / "deploy" / "systemd" / unit)
        assert parser["Service"]["Environment"] == f"{MULTIPROC_ENV}=/var/lib/school-office/metrics/%i"
    services = yaml.safe_load((ROOT / "deploy" / "docker-compose.yml").read_text(encoding="utf-8"))["services"]
    for name in ("register", "documents", "notifications", "planning"):
        for process in (name, f"{name}-worker"):
            assert services[process]["environment"][MULTIPROC_ENV] == f"/var/lib/school-office/metrics/{name}"
            assert services[process]["environment"]["SCHOOL_DATA_DIR"] == "/var/lib/school-office"
