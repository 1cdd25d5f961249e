"""Notifications run against a real SMTP server started by the tests."""

from __future__ import annotations

import pytest

from tests.support.smtp import SmtpServer


@pytest.fixture
def smtp():
    server = SmtpServer().start()
    yield server
    server.stop()


@pytest.fixture
def settings(settings, smtp):
    # Short backoff so retry tests take milliseconds; the real default is 15 s, doubling.
    return settings.replace(smtp_host="127.0.0.1", smtp_port=smtp.port, smtp_from="Училище <school@example.bg>",
                            delivery_min_backoff_ms=20, delivery_max_retries=3)
