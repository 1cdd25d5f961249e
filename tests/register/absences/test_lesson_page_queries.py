"""No n+1 on the lesson page: opening and saving it costs the same statements for 5 students as for 30.

Gibbon's attendance page had n+1 queries that users felt (its PR #424).
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support.lessons import PASSWORD, TODAY, add_students
from tests.support.pages import CSRF, counting_statements, signed_in


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def test_opening_and_saving_the_lesson_page_costs_the_same_for_5_and_30_students(api, app, make_user, process):
    assert api.put("/api/register/school", json={
        "name": "СУ „Христо Ботев“", "neispuo_code": "2500603", "address": "ул. „Шипка“ 1", "town": "Русе",
        "director_name": "Иван Иванов", "phone": "082 123 456", "email": "school@example.bg"}).status_code == 200
    assert api.post("/api/register/school-years", json={
        "name": "2023/2024", "start": "2023-09-15", "end": "2024-06-30",
        "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-30"}],
        "vacations": [], "non_school_days": []}).status_code == 201
    teacher_id, _ = make_user("teacher", "Георги Димов", classes=["10а", "10б"], password=PASSWORD)
    sizes = {"10а": 5, "10б": 30}
    students = {}
    for seed, (code, size) in enumerate(sizes.items()):
        assert api.post("/api/register/classes", json={"code": code, "grade": 10}).status_code == 201
        assert api.post("/api/register/assignments", json={
            "teacher_id": teacher_id, "class_code": code, "subject": "Математика", "weekly_hours": {"1": 2},
        }).status_code == 201
        students[code] = add_students(api, size, code, seed=seed + 1)
    api.drain()
    client = signed_in(app, "Георги Димов", PASSWORD)
    engine = process.runtime("register").db.engine

    counts = {}
    for code, ids in students.items():
        path = f"/register/classes/{code}/lessons?date={TODAY.isoformat()}&lesson=2"
        with counting_statements(engine) as opening:
            page = client.get(path)
        assert page.status_code == 200
        html = page.get_data(as_text=True)
        assert html.count('value="unexcused"') == sizes[code]
        form = {"csrf_token": CSRF.search(html).group(1), "mode": "record", "date": TODAY.isoformat(), "lesson": "2",
                "subject": "Математика"}
        # Every other student absent, the rest present: no rung of the ladder is reached.
        form |= {f"mark-{sid}": ("unexcused" if i % 2 else "present") for i, sid in enumerate(ids)}
        with counting_statements(engine) as saving:
            saved = client.post(path, data=form)
        assert saved.status_code == 303, saved.get_data(as_text=True)
        counts[code] = (len(opening), len(saving))

    assert all(opened > 0 and saved > 0 for opened, saved in counts.values()), counts  # the listener sees them
    assert counts["10а"] == counts["10б"], counts
    with process.runtime("register").db.sessions() as s:
        stored = s.execute(sa.text("SELECT count(*) FROM absences")).scalar()
    assert stored == 2 + 15
