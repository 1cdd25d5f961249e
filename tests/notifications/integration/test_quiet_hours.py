"""Quiet hours: non-urgent notices wait until the window ends; urgent ones go at once."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

from services.notifications import sweeps
from tests.notifications.support import deliveries, later, publish_from_register, rule_fired
from tests.support.school import setup_small_school


@pytest.fixture
def settings(settings):
    # A window around the present moment, in the school's time zone, whatever the hour the tests run.
    now = dt.datetime.now(ZoneInfo(settings.timezone))
    window = f"{(now - dt.timedelta(hours=1)):%H:%M}-{(now + dt.timedelta(hours=1)):%H:%M}"
    return settings.replace(quiet_hours=window)


def test_non_urgent_notices_wait_for_the_end_of_quiet_hours_and_urgent_ones_do_not(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    recorded = api.as_(school.teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 2, "subject": "Математика",
        "marks": [{"student_id": school.student_id, "kind": "unexcused"}],
    })
    assert recorded.status_code == 201, recorded.json
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3, urgent=True))
    api.drain()
    [urgent] = smtp.to("petar@example.bg")
    assert "Чл. 97, т. 8" in urgent.get_content()
    [waiting] = [d for d in deliveries(api, student_id=school.student_id) if d["rule_id"] is None]
    assert waiting["status"] == "queued"
    assert waiting["not_before"] is not None

    rt = process.runtime("notifications")
    assert sweeps.release_quiet(rt) == 0  # still quiet: nothing is released
    assert sweeps.release_quiet(rt, now=later(hours=2)) == 1  # the scheduler's pass after the window
    assert sweeps.release_quiet(rt, now=later(hours=2)) == 0  # and a second pass does nothing
    api.drain()
    assert len(smtp.to("petar@example.bg")) == 2
    [sent] = [d for d in deliveries(api, student_id=school.student_id) if d["rule_id"] is None]
    assert sent["status"] == "sent"
