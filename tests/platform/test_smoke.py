"""A first path through register and planning on both backends."""

from __future__ import annotations

from tests.support.school import YEAR

EGN = "0441011235"  # a valid-format ЕГН (01.04.2004)


def setup_class_with_student(api, teacher_id: int) -> int:
    assert api.put("/api/register/school", json={
        "name": "ПГЕС „Никола Вапцаров“", "neispuo_code": "2500603", "address": "ул. „Цар Освободител“ 1",
        "town": "Търговище", "director_name": "Иван Иванов", "phone": "0601 2345", "email": "school@example.bg",
    }).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    assert api.post("/api/register/classes", json={"code": "10а", "grade": 10}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": "10а", "subject": "Математика", "weekly_hours": {"1": 4, "2": 4},
    }).status_code == 201
    answer = api.post("/api/register/students", json={
        "first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": EGN,
        "class_code": "10а", "guardians": [{"name": "Петър Иванов", "email": "parent@example.bg"}],
    })
    assert answer.status_code == 201, answer.json
    return answer.json["id"]


def test_absence_reaches_planning(api, make_user, process):
    teacher_id, teacher_token = make_user("teacher", "Учител Математика", classes=["10а"])
    student_id = setup_class_with_student(api, teacher_id)
    answer = api.as_(teacher_token).post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 3, "subject": "Математика",
        "marks": [{"student_id": student_id, "kind": "unexcused"}],
    })
    assert answer.status_code == 201, answer.json
    api.drain()
    overdue = api.get("/api/planning/overdue")
    assert overdue.status_code == 200
    assert [item["article"] for item in overdue.json] == ["Чл. 97, т. 9"]
    assert "10а" in overdue.json[0]["title"]
