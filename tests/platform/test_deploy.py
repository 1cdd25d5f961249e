"""deploy/ is checked by the tools that will read it (installed by `make system-deps`)."""

from __future__ import annotations

import configparser
import shutil
import subprocess
from pathlib import Path

import yaml

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _tool(name: str) -> str:
    path = shutil.which(name)
    assert path, f"{name} is missing: run `make system-deps`"
    return path


def test_compose_file_is_valid_and_has_every_process():
    result = subprocess.run([_tool("docker-compose"), "-f", str(DEPLOY / "docker-compose.yml"), "config"],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    services = yaml.safe_load(result.stdout)["services"]
    for name in ("redis", "postgres", "register", "documents", "notifications", "planning", "register-worker",
                 "documents-worker", "notifications-worker", "planning-worker", "scheduler"):
        assert name in services


def test_prometheus_configuration_is_valid():
    result = subprocess.run([_tool("promtool"), "check", "config", "--syntax-only",
                             str(DEPLOY / "prometheus" / "prometheus.yml")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_systemd_units_run_schoolctl_per_service():
    for unit in ("school-office-serve@.service", "school-office-worker@.service", "school-office-scheduler.service"):
        parser = configparser.ConfigParser(interpolation=None, strict=False)
        parser.read(DEPLOY / "systemd" / unit)
        assert "schoolctl" in parser["Service"]["ExecStart"]
        assert parser["Service"]["KillSignal"] == "SIGTERM"


def test_a_timer_takes_a_nightly_backup_and_keeps_a_set_number():
    service = configparser.ConfigParser(interpolation=None, strict=False)
    service.read(DEPLOY / "systemd" / "school-office-backup.service")
    command = service["Service"]["ExecStart"].split()
    assert command[1:3] == ["backup", "--to-dir"]
    assert int(command[command.index("--keep") + 1]) >= 1
    assert service["Service"]["Type"] == "oneshot"
    timer = configparser.ConfigParser(interpolation=None, strict=False)
    timer.read(DEPLOY / "systemd" / "school-office-backup.timer")
    assert timer["Timer"]["OnCalendar"].startswith("*-*-*")
    assert timer["Timer"]["Persistent"] == "true"
