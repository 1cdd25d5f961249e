"""Overdue and due-soon with SCHOOL_TODAY=2023-12-01: GET /overdue, the sweep, reminders, metrics (items 5–6)."""

from __future__ import annotations

import sqlalchemy as sa

from services.planning.tracking import sweeps
from tests.planning.integration.conftest import by_name

#: Activities of the seed due before 01.12.2023 (spec annual-plan.md §4).
OVERDUE_ON_1_DECEMBER = {"I/1.1.3", "I/3.1.1", "I/3.2.1", "II/1.1", "II/1.2", "II/1.6", "II/8.1", "IV/1.2",
                         "V/1.2", "V/1.3", "V/1.4", "V/1.5", "V/1.7"}
OVERDUE_FIELDS = {"kind", "id", "title", "due", "responsible", "days_overdue"}


def _overdue(api) -> list[dict]:
    answer = api.get("/api/planning/overdue")
    assert answer.status_code == 200, answer.json
    return answer.json


def _reminders(process) -> list[dict]:
    planning = process.runtime("planning")
    with planning.db.sessions() as s:
        rows = s.scalars(sa.select(planning.tables.outbox).where(
            planning.tables.outbox.name == "planning.reminder_due").order_by(planning.tables.outbox.id)).all()
        return [row.payload["data"] for row in rows]


def test_activities_due_by_november_are_overdue(api, imported):
    activities = by_name(api.get(f"/api/planning/plans/{imported['plan_id']}/activities").json)
    overdue = _overdue(api)
    assert set(overdue[0]) >= OVERDUE_FIELDS
    ids = {item["id"] for item in overdue if item["kind"] == "activity"}
    assert ids == {activities[name]["id"] for name in OVERDUE_ON_1_DECEMBER}
    assert {activities[name]["status"] for name in OVERDUE_ON_1_DECEMBER} == {"overdue"}
    first = overdue[0]  # the oldest first
    assert (first["due"], first["days_overdue"]) == ("2023-09-01", 91)
    assert first["title"].startswith("I/1.1.3 ")
    late_november = next(i for i in overdue if i["id"] == activities["V/1.2"]["id"])
    assert (late_november["days_overdue"], late_november["responsible"]) == (1, ["teacher"])

    # done is not overdue; a manual date for a "needs a date" activity makes it trackable
    done = api.patch(f"/api/planning/activities/{activities['V/1.2']['id']}", json={"status": "done"})
    assert done.status_code == 200
    assert api.patch(f"/api/planning/activities/{activities['I/4.1']['id']}",
                     json={"due": "2023-11-15"}).status_code == 200
    ids = {item["id"] for item in _overdue(api) if item["kind"] == "activity"}
    assert activities["V/1.2"]["id"] not in ids
    assert activities["I/4.1"]["id"] in ids


def test_teacher_sees_own_overdue_items_only(api, make_user, imported):
    _tid, teacher = make_user("teacher", "Учител математика")
    _aid, admin = make_user("it_admin", "ИТ")
    own = _overdue(api.as_(teacher))
    assert own
    assert all("teacher" in item["responsible"] for item in own)
    assert len(_overdue(api.as_(admin))) == len(OVERDUE_ON_1_DECEMBER)


def test_sanction_step_past_its_deadline_is_overdue_until_done(api, process):
    register = process.runtime("register")
    with register.db.transaction() as s:
        register.publish(s, "procedure.deadline_set", {
            "source": "register", "key": "sanction:7:order", "title": "Заповед за налагане на санкция",
            "due": "2023-11-20", "responsible_roles": ["director"], "article": "Чл. 58, ал. 1",
            "student_id": 7, "details": {"sanction_id": 7, "step": "order", "class_code": "10а"}})
    api.drain()
    overdue = _overdue(api)
    assert [(i["kind"], i["title"], i["days_overdue"], i["article"]) for i in overdue] == [
        ("procedure", "Заповед за налагане на санкция", 11, "Чл. 58, ал. 1")]

    with register.db.transaction() as s:
        register.publish(s, "register.sanction_step_done", {
            "sanction_id": 7, "student_id": 7, "student_name": "Мария Иванова", "class_code": "10а",
            "type": "warning_transfer", "step": "order", "done_on": "2023-11-28", "article": "Чл. 58, ал. 1–2",
            "proposed_on": "2023-11-01", "next_step": "letter", "next_due": "2023-11-30"})
    api.drain()
    overdue = _overdue(api)
    assert [(i["title"], i["due"], i["responsible"]) for i in overdue] == [
        ("Писмо до родителите по образец: Мария Иванова, 10а клас", "2023-11-30", ["director"])]

    with register.db.transaction() as s:
        register.publish(s, "procedure.deadline_closed", {"source": "register", "key": "sanction:7:letter",
                                                          "done_on": "2023-12-01"})
    api.drain()
    assert _overdue(api) == []


def test_sweep_twice_sends_each_reminder_once(api, imported, process):
    planning = process.runtime("planning")
    activities = by_name(api.get(f"/api/planning/plans/{imported['plan_id']}/activities").json)
    # one due on the day and one within the 3 days before (SCHOOL_REMINDER_DAYS_BEFORE default)
    api.patch(f"/api/planning/activities/{activities['I/4.1']['id']}", json={"due": "2023-12-01"})
    api.patch(f"/api/planning/activities/{activities['I/7.2']['id']}", json={"due": "2023-12-03"})

    first = sweeps.run(planning)
    assert first["reminders"] == len(OVERDUE_ON_1_DECEMBER) + 2
    assert first["overdue"] == len(OVERDUE_ON_1_DECEMBER)
    second = sweeps.run(planning)
    assert (second["reminders"], second["overdue"], second["created"]) == (0, 0, 0)

    reminders = _reminders(process)
    assert len(reminders) == len(OVERDUE_ON_1_DECEMBER) + 2
    keys = [(r["item_kind"], r["item_id"], r["state"], r["due"]) for r in reminders]
    assert len(set(keys)) == len(keys)
    states = {r["item_id"]: r["state"] for r in reminders}
    assert states[str(activities["I/4.1"]["id"])] == "due_today"
    assert states[str(activities["I/7.2"]["id"])] == "due_soon"
    assert states[str(activities["II/1.6"]["id"])] == "overdue"

    # the catalogue's monthly duty: November's absence report by 05.12 (Чл. 97, т. 10), created once
    with planning.db.sessions() as s:
        duties = s.execute(sa.text("SELECT key, due, article FROM procedures ORDER BY key")).all()
    assert [(k, str(d), a) for k, d, a in duties] == [("D06:2023-11", "2023-12-05", "Чл. 97, т. 10"),
                                                      ("D59:2023-12", "2023-12-31", "Чл. 20, ал. 3")]
    api.drain()  # notifications consumes the reminders without error


def test_metrics_show_items_by_state_and_the_sweep(api, imported, process):
    sweeps.run(process.runtime("planning"))
    metrics = process.metrics.exposition().decode()
    assert f'school_planning_items{{kind="activity",state="overdue"}} {len(OVERDUE_ON_1_DECEMBER)}.0' in metrics
    assert 'school_planning_items{kind="activity",state="needs_date"} 8.0' in metrics
    assert 'school_planning_oldest_overdue_seconds{kind="activity"} 7.8624e+06' in metrics  # 91 days
    assert f'school_planning_deadlines_missed_total{{kind="activity"}} {len(OVERDUE_ON_1_DECEMBER)}.0' in metrics
    last_run = next(line for line in metrics.splitlines()
                    if line.startswith("school_planning_sweep_last_run_timestamp_seconds "))
    assert float(last_run.split()[1]) > 0
    assert "I/1.1.3" not in metrics  # no per-item labels


def test_dashboard_counts(api, imported):
    board = api.get(f"/api/planning/dashboard?plan_id={imported['plan_id']}").json
    assert board["activities"]["total"] == 82
    assert board["activities"]["by_status"]["overdue"] == len(OVERDUE_ON_1_DECEMBER)
    assert board["activities"]["by_status"]["needs_date"] == 8
    assert sum(board["activities"]["by_priority"]["II"].values()) == 32
    assert "директор" in board["activities"]["by_responsible"]
    assert board["overdue"] == len(OVERDUE_ON_1_DECEMBER)
