"""The scheduler's heartbeat means the sweeps are being done, not merely that it is alive."""

from __future__ import annotations

import types

import pytest

from shared.messaging.queues import SCHEDULER_KEY
from shared.scheduler import Scheduler


class _Client:
    def __init__(self) -> None:
        self.values: dict[str, float] = {}

    def set(self, key: str, value: float) -> None:
        self.values[key] = value


def _failing() -> None:
    raise RuntimeError("database away")


def _fine() -> None:
    return None


def _runtime(name: str, *sweeps):
    return types.SimpleNamespace(name=name, definition=types.SimpleNamespace(sweeps=lambda _rt: list(sweeps)))


def test_no_heartbeat_when_every_sweep_failed(caplog):
    client = _Client()
    scheduler = Scheduler([_runtime("planning", _failing), _runtime("register", _failing, _failing)], 60, client)
    counted = scheduler.run_once()
    assert SCHEDULER_KEY not in client.values
    assert counted is False
    assert "every sweep failed (3)" in caplog.text


@pytest.mark.parametrize("sweeps", [(_failing, _fine), (_fine,), ()])
def test_heartbeat_when_a_sweep_succeeded_or_there_was_none(sweeps):
    client = _Client()
    counted = Scheduler([_runtime("planning", *sweeps)], 60, client).run_once()
    assert SCHEDULER_KEY in client.values
    assert counted is True
