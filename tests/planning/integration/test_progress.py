"""PATCH /activities/{id}: progress, history, evidence and who may report it (issue 7, item 4)."""

from __future__ import annotations

from io import BytesIO

import sqlalchemy as sa

from tests.planning.integration.conftest import by_name


def _named(api, plan_id: int) -> dict[str, dict]:
    return by_name(api.get(f"/api/planning/plans/{plan_id}/activities").json)


def test_responsible_teacher_reports_progress_with_history(api, make_user, imported, process):
    teacher_id, teacher = make_user("teacher", "Учител ПОО")
    named = _named(api, imported["plan_id"])
    # "учители …" rows name teachers; II/1.1 names only the director
    teacher_item = next(a for a in named.values() if a["responsible"] == ["teacher"])
    director_item = named["II/1.1"]
    assert director_item["responsible"] == ["director"]

    answer = api.as_(teacher).patch(f"/api/planning/activities/{teacher_item['id']}", json={
        "current": 2, "status": "in_progress", "evidence": "Проведени две срещи, протоколите са в папката."})
    assert answer.status_code == 200, answer.json
    assert (answer.json["current"], answer.json["status"]) == ("2", "in_progress")
    assert answer.json["baseline"] == teacher_item["baseline"]  # the plan's own value is kept
    done = api.as_(teacher).patch(f"/api/planning/activities/{teacher_item['id']}", json={"status": "done"})
    assert (done.json["status"], done.json["done_on"]) == ("done", "2023-12-01")

    history = api.get(f"/api/planning/activities/{teacher_item['id']}/history").json
    assert [c["changes"].get("status") for c in history["changes"]] == [["planned", "in_progress"],
                                                                        ["in_progress", "done"]]
    assert history["changes"][0]["actor_id"] == teacher_id
    assert history["evidence"][0]["note"].startswith("Проведени две срещи")

    # only the responsible people or the management
    assert api.as_(teacher).patch(f"/api/planning/activities/{director_item['id']}",
                                  json={"status": "done"}).status_code == 403
    _sid, secretary = make_user("secretary", "ЗАС")
    assert api.as_(secretary).patch(f"/api/planning/activities/{teacher_item['id']}",
                                    json={"current": 3}).status_code == 403
    assert api.patch(f"/api/planning/activities/{director_item['id']}", json={"status": "done"}).status_code == 200
    # a teacher may not move deadlines
    assert api.as_(teacher).patch(f"/api/planning/activities/{teacher_item['id']}",
                                  json={"due": "2024-01-31"}).status_code == 403

    mine = api.as_(teacher).get(f"/api/planning/plans/{imported['plan_id']}/activities?mine=true").json
    assert mine
    assert all("teacher" in a["responsible"] for a in mine)
    assert director_item["id"] not in {a["id"] for a in mine}

    planning = process.runtime("planning")
    with planning.db.sessions() as s:
        actions = s.scalars(sa.text("SELECT action FROM audit_log WHERE entity = 'activity' ORDER BY id")).all()
    assert actions == ["activity.update"] * 3


def test_invalid_progress_is_refused_in_bulgarian(api, imported):
    item = _named(api, imported["plan_id"])["II/1.6"]
    bad = api.patch(f"/api/planning/activities/{item['id']}", json={"status": "finished", "current": ""})
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"status", "current"}
    assert "in_progress" in bad.json["errors"]["status"][0]
    assert api.patch(f"/api/planning/activities/{item['id']}", json={}).status_code == 422
    assert api.patch(f"/api/planning/activities/{item['id']}", json={"colour": "red"}).status_code == 422
    percent = _named(api, imported["plan_id"])["I/1.2"]
    over = api.patch(f"/api/planning/activities/{percent['id']}", json={"current": "120%"})
    assert over.status_code == 422
    assert "100" in over.json["errors"]["current"][0]
    assert api.patch("/api/planning/activities/99999", json={"status": "done"}).status_code == 404
    assert api.get(f"/api/planning/activities/{item['id']}/history").json["changes"] == []


def test_management_assigns_people_and_they_see_their_items(api, make_user, imported):
    teacher_id, teacher = make_user("teacher", "Учител БЕЛ")
    _other_id, other = make_user("teacher", "Учител математика")
    item = _named(api, imported["plan_id"])["I/1.1.4"]
    answer = api.patch(f"/api/planning/activities/{item['id']}", json={"assignee_ids": [teacher_id]})
    assert answer.status_code == 200
    assert answer.json["assignee_ids"] == [teacher_id]
    assert item["id"] in {a["id"] for a in api.as_(teacher).get(
        f"/api/planning/plans/{imported['plan_id']}/activities?mine=true").json}
    assert item["id"] not in {a["id"] for a in api.as_(other).get(
        f"/api/planning/plans/{imported['plan_id']}/activities?mine=true").json}
    unknown = api.patch(f"/api/planning/activities/{item['id']}", json={"assignee_ids": [4242]})
    assert unknown.status_code == 422
    assert "assignee_ids" in unknown.json["errors"]


def test_evidence_file_is_attached_and_downloaded(api, imported):
    item = _named(api, imported["plan_id"])["I/2.1"]
    content = b"%PDF-1.4 protocol"
    answer = api.request("POST", f"/api/planning/activities/{item['id']}/evidence",
                         data={"file": (BytesIO(content), "protokol.pdf"), "note": "Протокол № 3"})
    assert answer.status_code == 201, answer.json
    assert (answer.json["filename"], answer.json["size"]) == ("protokol.pdf", len(content))
    download = api.get(f"/api/planning/activities/{item['id']}/evidence/{answer.json['id']}/file")
    assert download.status_code == 200
    assert download.data == content
    history = api.get(f"/api/planning/activities/{item['id']}/history").json
    assert history["evidence"][0]["note"] == "Протокол № 3"
