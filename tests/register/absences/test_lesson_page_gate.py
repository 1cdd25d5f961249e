"""The lesson page records a lesson only for who may record it through the API: a subject the user does
not teach in the class is the 403 page (as ``POST /api/register/absences``), whatever the sheet holds."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from werkzeug.test import Client

from tests.support.lessons import PASSWORD, TODAY, setup_class
from tests.support.pages import CSRF
from tests.support.pages import signed_in as sign_in_through_the_form

LESSON = f"/register/classes/10а/lessons?date={TODAY.isoformat()}&lesson=2"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def signed_in(app, name: str) -> Client:
    return sign_in_through_the_form(app, name, PASSWORD)


def post_lesson(client: Client, subject: str, marks: dict[int, str]):
    token = CSRF.search(client.get(LESSON).get_data(as_text=True)).group(1)
    form = {"csrf_token": token, "mode": "record", "date": TODAY.isoformat(), "lesson": "2", "subject": subject}
    return client.post(LESSON, data=form | {f"mark-{sid}": kind for sid, kind in marks.items()})


def stored_absences(process) -> int:
    with process.runtime("register").db.sessions() as s:
        return s.execute(sa.text("SELECT count(*) FROM absences")).scalar()


@pytest.mark.backend("embedded")
def test_a_subject_the_user_does_not_teach_in_the_class_is_refused_with_403(backend, api, app, make_user, process):
    school = setup_class(api, make_user, 2)
    physics_id, _token = make_user("teacher", "Весела Физикова", classes=["10а"], password=PASSWORD)
    assert api.post("/api/register/assignments", json={
        "teacher_id": physics_id, "class_code": "10а", "subject": "Физика и астрономия", "weekly_hours": {"1": 2},
    }).status_code == 201
    api.drain()
    first, second = school.students

    # The class teacher of 10а who teaches nothing there, and the physics teacher on a maths lesson:
    # both open the page, neither records the lesson, not even a sheet with everybody present.
    for name in (school.class_teacher, "Весела Физикова"):
        client = signed_in(app, name)
        for marks in ({first: "unexcused", second: "late"}, {first: "present"}):
            answer = post_lesson(client, "Математика", marks)
            body = answer.get_data(as_text=True)
            assert answer.status_code == 403, (name, marks, answer.status_code)
            assert "Нямате достъп" in body
            assert "Отсъствия въвежда само учителят, който преподава часа, или директорът." in body
    assert stored_absences(process) == 0

    # A form without a subject is the form again with the problem next to the field (422).
    teacher = signed_in(app, school.teacher)
    refused = post_lesson(teacher, "", {first: "unexcused"})
    assert refused.status_code == 422
    assert 'id="field-subject-error"' in refused.get_data(as_text=True)
    assert stored_absences(process) == 0
    # The maths teacher records their own lesson.
    assert post_lesson(teacher, "Математика", {first: "unexcused"}).status_code == 303
    assert stored_absences(process) == 1
