"""The parent's home card gives the sanction's appeal deadline by the school's setting
``SCHOOL_SANCTION_APPEAL_DAYS`` (Чл. 58, ал. 4), as ``GET /sanctions`` does, not the default 14 days."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from tests.support.school import setup_small_school

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
TODAY = dt.date(2024, 1, 19)


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY, sanction_appeal_days=7)


def _ok(answer):
    assert answer.status_code == 200, answer.json
    return answer.json


def test_the_parents_card_reads_the_appeal_deadline_of_the_setting_art_58_al_4(api, make_user):
    school = setup_small_school(api, make_user)
    make_user("parent", "Елена Иванова", students=[school.student_id], password=PASSWORD)
    sid = api.post("/api/register/sanctions", json={
        "student_id": school.student_id, "type": "transfer", "proposed_on": "2024-01-08",
        "reason": "22 отсъствия по неуважителни причини и груби нарушения на Правилника"}).json["id"]

    def step(name, done_on, note="", **extra):
        return _ok(api.post(f"/api/register/sanctions/{sid}/steps/{name}",
                            json={"done_on": done_on, "note": note, **extra}))

    step("parent_notified", "2024-01-08", child_protection_notified=True)
    step("hearing", "2024-01-10", "Писмено обяснение от 10.01.2024, приложено", hearing_mode="written",
         parent_attended=True)
    step("decision", "2024-01-12", protocol_number="9")
    step("order", "2024-01-15", "Системни отсъствия и груби нарушения.")
    api.drain()
    step("ruo_informed", "2024-01-16")
    sent = step("letter", "2024-01-16", notified_on="2024-01-18")
    assert sent["appeal_due"] == "2024-01-25"  # 7 days from the notification, the school's setting

    parent = api.as_(None)
    assert parent.post("/api/register/login", json={"name": "Елена Иванова", "password": PASSWORD}).status_code == 200
    answer = parent.get("/register/fragments/home")
    assert answer.status_code == 200
    card = re.sub(r"\s+", " ", answer.get_data(as_text=True))
    assert "заповедта може да се обжалва до 25.01.2024 (Чл. 58, ал. 4)" in card
    assert "01.02.2024" not in card  # the default 14 days
