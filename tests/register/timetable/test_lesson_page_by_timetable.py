"""The lesson page opens on the teacher's lesson of the day by the timetable with its subject chosen, and a
lesson saved with every student present is recorded: „Записано“ on its page, gone from the lessons not
recorded."""

from __future__ import annotations

import pytest

from tests.support.lessons import PASSWORD, TODAY, setup_class
from tests.support.pages import CSRF, signed_in

LESSONS = "/register/classes/10а/lessons"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@pytest.mark.backend("embedded")
def test_the_lesson_page_opens_on_the_timetabled_lesson_and_records_a_full_class(backend, api, make_user, app):
    setup_class(api, make_user, 2)
    teacher_id, _token = make_user("teacher", "Христо Часов", classes=["10а"], password=PASSWORD)
    for subject in ("Биология", "Химия"):
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher_id, "class_code": "10а", "subject": subject, "weekly_hours": {"1": 2},
        }).status_code == 201
    # His only lesson in 10а on Wednesdays is the 4th: whatever the time, the page opens on it.
    assert api.put("/api/register/classes/10а/timetable", json={"valid_from": "2023-09-15", "lessons": [
        {"weekday": 3, "lesson": 4, "subject": "Химия", "teacher_id": teacher_id}]}).status_code == 200
    api.drain()
    client = signed_in(app, "Христо Часов", PASSWORD)
    page = client.get(LESSONS)
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "4. час" in html
    assert 'name="lesson" value="4"' in html
    assert '<option value="Химия" selected>' in html  # the timetable's subject of the lesson, of his two
    assert '<option value="Биология">' in html

    def unrecorded() -> list[int]:
        return [row["lesson"] for row in api.get(f"/api/register/lessons/unrecorded?date={TODAY.isoformat()}").json]

    assert unrecorded() == [4]
    form = {"csrf_token": CSRF.search(html).group(1), "mode": "record", "date": TODAY.isoformat(), "lesson": "4",
            "subject": "Химия"}
    saved = client.post(f"{LESSONS}?date={TODAY.isoformat()}&lesson=4", data=form)
    assert saved.status_code == 303
    again = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Записано" in again
    assert "Химия" in again
    assert unrecorded() == []
    # Saving it again changes nothing and is not an error.
    assert client.post(f"{LESSONS}?date={TODAY.isoformat()}&lesson=4", data=form).status_code == 303
    assert unrecorded() == []
