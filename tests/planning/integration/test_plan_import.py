"""POST /plans/import and GET /plans/{id}/activities on the real plan (issue 7, items 1–3)."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from tests.planning.integration.conftest import by_name, upload

CONTRACT_FIELDS = {"id", "priority", "number", "text", "deadline_text", "due", "unit", "current", "target",
                   "responsible", "status"}


def _activities(api, plan_id: int, query: str = "") -> list[dict]:
    answer = api.get(f"/api/planning/plans/{plan_id}/activities{query}")
    assert answer.status_code == 200, answer.json
    return answer.json


def test_seed_plan_gives_82_activities_with_dates_and_warnings(api, imported):
    assert set(imported) == {"plan_id", "activities", "warnings"}
    assert imported["activities"] == 82
    warnings = imported["warnings"]
    assert any("I/1.1.3" in w and "преди началото на учебната година" in w for w in warnings)
    assert any("номер 1.9 се повтаря" in w for w in warnings)
    needs_date = [w for w in warnings if "не е дата; въведете срока ръчно" in w]
    assert len(needs_date) == 8
    assert any("Съгл.ПМС №100/08.06. 2018" in w for w in needs_date)

    activities = _activities(api, imported["plan_id"])
    assert len(activities) == 82
    assert set(activities[0]) >= CONTRACT_FIELDS
    assert Counter(a["priority"] for a in activities) == {"I": 22, "II": 32, "III": 3, "IV": 7, "V": 12, "VI": 6}
    named = by_name(activities)
    # due dates of spec annual-plan.md §4
    assert named["I/1.1.4"]["due"] == "2023-12-31"
    assert named["II/1.6"]["due"] == "2023-09-25"
    assert (named["II/7.1"]["start"], named["II/7.1"]["due"]) == ("2024-02-01", "2024-03-31")
    assert named["VI/1.1"]["milestones"] == ["2024-05-15"]
    assert named["I/1.2"]["due"] == "2024-09-01"
    legal = named["I/1.1.1"]
    assert (legal["due"], legal["status"], legal["deadline_kind"]) == (None, "needs_date", "legal_ref")
    assert sum(1 for a in activities if a["needs_date"]) == 8
    assert sum(1 for a in activities if a["deadline_kind"] == "none") == 8
    assert sum(1 for a in activities if a["due"]) == 66
    # raw cell text next to the normalised value
    cut = named["I/3.1.1"]
    assert cut["deadline_text"] == cut["deadline_raw"] == "До края на ноември 2023 година"
    assert named["V/1.7"]["deadline_raw"] == "До края на септември и 2023 година"
    assert named["V/1.7"]["deadline_text"] == "До края на септември 2023 година"
    assert named["II/1.9"]["id"] != named["II/1.9#2"]["id"]
    child = named["I/1.1.3"]
    assert (child["level"], child["parent_id"]) == (2, named["I/1.1"]["id"])
    mixed = named["II/1.12"]
    assert (mixed["unit"], mixed["current"], mixed["target"]) == ("Брой учители", "100%", "100%")
    assert set(named["V/2.1.1"]["responsible"]) >= {"director", "rue_expert"}
    assert "старши експерт по ОНГОР" in named["V/2.1.1"]["responsible_titles"]


def test_hierarchy_is_kept(api, imported):
    plan = api.get(f"/api/planning/plans/{imported['plan_id']}").json
    assert [p["numeral"] for p in plan["priorities"]] == ["I", "II", "III", "IV", "V", "VI"]
    assert [len(p["goals"]) for p in plan["priorities"]] == [9, 8, 1, 3, 3, 3]
    first_goal = plan["priorities"][0]["goals"][0]
    assert first_goal["text_raw"].startswith("Цел: Максимално обхващане")
    assert len(first_goal["measures"]) == 1


def test_second_import_updates_the_same_plan(api, imported, seed_bytes):
    before = _activities(api, imported["plan_id"])
    target = by_name(before)["I/2.1"]
    assert api.patch(f"/api/planning/activities/{target['id']}", json={"status": "in_progress"}).status_code == 200
    again = upload(api, seed_bytes, "godishen-plan.txt")
    assert again.status_code == 201, again.json
    assert (again.json["plan_id"], again.json["activities"]) == (imported["plan_id"], 82)
    after = _activities(api, imported["plan_id"])
    assert [a["id"] for a in after] == [a["id"] for a in before]
    assert by_name(after)["I/2.1"]["status"] == "in_progress"  # progress survives a re-import
    assert len(api.get("/api/planning/plans").json) == 1


def test_docx_gives_the_same_activities(api, imported, seed_docx_bytes):
    from_text = _activities(api, imported["plan_id"])
    answer = upload(api, seed_docx_bytes, "Годишен план 2023-2024.docx")
    assert answer.status_code == 201, answer.json
    assert (answer.json["plan_id"], answer.json["activities"]) == (imported["plan_id"], 82)
    from_docx = _activities(api, imported["plan_id"])

    def contract(rows):
        return [{k: row[k] for k in (*CONTRACT_FIELDS, "deadline_raw", "responsible_raw")} for row in rows]

    assert contract(from_docx) == contract(from_text)


def test_docx_alone_gives_82_activities(api, seed_docx_bytes):
    answer = upload(api, seed_docx_bytes, "plan.docx")
    assert answer.status_code == 201, answer.json
    assert answer.json["activities"] == 82
    named = by_name(_activities(api, answer.json["plan_id"]))
    assert named["V/1.5"]["due"] == "2023-10-31"


def test_bad_uploads_are_refused_naming_the_field(api, seed_bytes):
    both = api.request("POST", "/api/planning/plans/import", data={"school_year": "2023-2024"})
    assert both.status_code == 422
    assert set(both.json["errors"]) == {"file", "school_year"}
    assert "2023/2024" in both.json["errors"]["school_year"][0]
    wrong_year = upload(api, seed_bytes, "plan.txt", school_year="2023/2025")
    assert wrong_year.status_code == 422
    assert list(wrong_year.json["errors"]) == ["school_year"]
    not_a_plan = upload(api, "Протокол от заседание\nбез таблица".encode(), "protokol.txt")
    assert not_a_plan.status_code == 422
    assert "таблица" in not_a_plan.json["errors"]["file"][0]
    broken_docx = upload(api, b"PK\x03\x04 not really a zip", "plan.docx")
    assert broken_docx.status_code == 422
    assert list(broken_docx.json["errors"]) == ["file"]
    assert api.get("/api/planning/plans").json == []  # nothing stored from a refused request


def test_only_management_imports_and_parents_see_nothing(api, make_user, seed_bytes, imported):
    _tid, teacher = make_user("teacher", "Учител ПОО")
    _pid, parent = make_user("parent", "Родител")
    assert upload(api.as_(teacher), seed_bytes, "plan.txt").status_code == 403
    _did, deputy = make_user("deputy_director", "Заместник")
    assert upload(api.as_(deputy), seed_bytes, "plan.txt").status_code == 201
    assert api.as_(parent).get(f"/api/planning/plans/{imported['plan_id']}/activities").status_code == 403
    assert api.as_(parent).get("/api/planning/overdue").status_code == 403


def test_due_dates_follow_the_school_year_setting(api, seed_bytes, process):
    # a school year whose calendar register announced: "Учебна 2023/2024 година" ends on its last day
    answer = api.post("/api/register/school-years", json={
        "name": "2023/2024", "start": "2023-09-15", "end": "2024-06-28",
        "terms": [{"start": "2023-09-15", "end": "2024-02-02"}, {"start": "2024-02-06", "end": "2024-06-28"}],
        "non_school_days": []})
    assert answer.status_code == 201, answer.json
    api.drain()
    imported = upload(api, seed_bytes, "plan.txt").json
    named = by_name(_activities(api, imported["plan_id"]))
    assert named["I/1.1.2"]["due"] == dt.date(2024, 6, 28).isoformat()


def test_openapi_documents_the_planning_paths(api):
    spec = api.get("/api/planning/openapi.json").json
    for path in ("/plans/import", "/plans/{plan_id}/activities", "/activities/{activity_id}", "/overdue",
                 "/dashboard", "/plans/{plan_id}/report"):
        assert path in spec["paths"], sorted(spec["paths"])
