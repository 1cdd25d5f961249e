"""``/readyz`` says in plain words when e-mail is disabled."""

from __future__ import annotations

import pytest


@pytest.fixture
def settings(settings):
    return settings.replace(smtp_host="", smtp_from="")


def test_readiness_says_when_e_mail_is_disabled(api):
    answer = api.get("/api/notifications/readyz")
    assert answer.status_code == 200
    assert answer.json["checks"]["notifications.email"] == (
        "изключена: не са зададени SCHOOL_SMTP_HOST и SCHOOL_SMTP_FROM")
    assert answer.json["checks"]["notifications.inbox"] == "ok"
