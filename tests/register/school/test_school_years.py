"""School years through the API: the contract's body, the calendar's checks, the event."""

from __future__ import annotations

import sqlalchemy as sa

YEAR = {
    "name": "2023/2024", "start": "2023-09-15", "end": "2024-06-30",
    "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-30"}],
    "vacations": [{"start": "2023-12-23", "end": "2024-01-02"}],
    "non_school_days": ["2023-10-29", "2023-11-02"],
}


def test_school_year_is_stored_and_announced(api, process):
    created = api.post("/api/register/school-years", json=YEAR)
    assert created.status_code == 201, created.json
    listed = api.get("/api/register/school-years").json
    assert [y["name"] for y in listed] == ["2023/2024"]
    assert listed[0]["terms"][1] == {"start": "2024-02-06", "end": "2024-06-30"}
    register = process.runtime("register")
    outbox = register.tables.outbox
    with register.db.sessions() as s:
        announced = s.scalars(sa.select(outbox.payload).where(outbox.name == "register.school_year_saved")).all()
    assert [event["data"]["name"] for event in announced] == ["2023/2024"]
    assert announced[0]["data"]["non_school_days"] == ["2023-10-29", "2023-11-02"]


def test_inconsistent_year_is_refused_naming_the_field(api):
    bad = {**YEAR, "terms": [YEAR["terms"][1], YEAR["terms"][0]]}
    answer = api.post("/api/register/school-years", json=bad)
    assert answer.status_code == 422
    assert "terms" in answer.json["errors"]
    wrong_name = api.post("/api/register/school-years", json={**YEAR, "name": "2023/2025"})
    assert wrong_name.status_code == 422
    assert "name" in wrong_name.json["errors"]
    assert api.get("/api/register/school-years").json == []


def test_same_year_twice_is_a_conflict(api):
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    again = api.post("/api/register/school-years", json=YEAR)
    assert again.status_code == 409
    assert "2023/2024" in again.json["errors"]["name"][0]


def test_only_the_office_enters_school_years(api, make_user):
    _uid, token = make_user("teacher", "Учител Тестов")
    assert api.as_(token).post("/api/register/school-years", json=YEAR).status_code == 403
