"""A small school set up through the register API, as the secretary would: used by many tests."""

from __future__ import annotations

import dataclasses

SCHOOL = {
    "name": "ПГЕС „Никола Вапцаров“", "neispuo_code": "2500603", "address": "ул. „Цар Освободител“ 1",
    "town": "Търговище", "director_name": "Иван Иванов", "phone": "0601 2345", "email": "school@example.bg",
}
YEAR = {
    "name": "2023/2024", "start": "2023-09-15", "end": "2024-06-30",
    "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-30"}],
    "vacations": [{"start": "2023-12-23", "end": "2024-01-02"}],
    "non_school_days": [],
}
GUARDIANS = [
    {"name": "Петър Иванов", "email": "petar@example.bg", "phone": "+359888000001"},
    {"name": "Елена Иванова", "email": "elena@example.bg", "phone": "+359888000002"},
]


@dataclasses.dataclass
class SmallSchool:
    student_id: int
    teacher_id: int
    teacher_token: str
    class_teacher_id: int
    class_teacher_token: str


def setup_small_school(api, make_user, *, guardians=GUARDIANS) -> SmallSchool:
    """School, school year 2023/2024, class 10а with its class teacher, a maths teacher, one student."""
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    class_teacher_id, class_teacher_token = make_user("class_teacher", "Мария Петрова", classes=["10а"])
    teacher_id, teacher_token = make_user("teacher", "Учител Математика", classes=["10а"])
    created = api.post("/api/register/classes", json={"code": "10а", "grade": 10, "class_teacher_id": class_teacher_id})
    assert created.status_code == 201, created.json
    assert api.post("/api/register/assignments", json={
        "teacher_id": teacher_id, "class_code": "10а", "subject": "Математика", "weekly_hours": {"1": 4, "2": 4},
    }).status_code == 201
    answer = api.post("/api/register/students", json={
        "first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": "0441011235",
        "class_code": "10а", "guardians": list(guardians),
    })
    assert answer.status_code == 201, answer.json
    api.drain()
    return SmallSchool(answer.json["id"], teacher_id, teacher_token, class_teacher_id, class_teacher_token)
