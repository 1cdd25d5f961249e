"""The rulebook's absence rules at work through the API (Чл. 97, т. 8; Чл. 52; Чл. 61)."""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import io
import threading

import pytest
import sqlalchemy as sa

from services.register.absences import announcing, firings
from services.register.absences.rules.errors import RulePackError
from services.register.absences.rules.rulepack_loader import default_rule_pack_path, load_rule_pack
from services.register.absences.student_rows import lesson_students
from services.register.models.absences import RuleFiring
from services.register.school.years import calendar_for
from tests.support.pages import signed_in
from tests.support.school import setup_small_school

PASSWORD = "дълга-парола-1"
#: School days of October 2023 in the test calendar (weekdays; no holidays in October).
OCTOBER = [dt.date(2023, 10, d) for d in range(2, 32) if dt.date(2023, 10, d).weekday() < 5]


def lessons(count: int):
    """(date, lesson) pairs: seven lessons a day through October."""
    for index in range(count):
        yield OCTOBER[index // 7], index % 7 + 1


def record(api, token: str, student_id: int, day: dt.date, lesson: int, kind: str = "unexcused"):
    return api.as_(token).post("/api/register/absences", json={
        "date": day.isoformat(), "lesson": lesson, "subject": "Математика",
        "marks": [{"student_id": student_id, "kind": kind}],
    })


def messages(answer) -> str:
    return " ".join(text for texts in answer.json["errors"].values() for text in texts)


def published_firings(process) -> list[dict]:
    register = process.runtime("register")
    outbox = register.tables.outbox
    with register.db.sessions() as s:
        rows = s.scalars(sa.select(outbox.payload).where(outbox.name == "register.rule_fired")
                         .order_by(outbox.id)).all()
    return [row["data"] for row in rows]


def test_31_unexcused_hours_give_four_ladder_events_and_the_sanction_bands(api, make_user, process):
    school = setup_small_school(api, make_user)
    for day, lesson in lessons(31):
        answer = record(api, school.teacher_token, school.student_id, day, lesson)
        assert answer.status_code == 201, answer.json
    events = published_firings(process)
    ladder = [(e["threshold"], e["count"], e["article"])
              for e in events if e["rule_id"] == "parent_notification_ladder"]
    assert ladder == [(3, 3, "Чл. 97, т. 8"), (8, 8, "Чл. 97, т. 8"), (20, 20, "Чл. 97, т. 8"),
                      (30, 30, "Чл. 97, т. 8")]
    bands = {e["rule_id"]: (e["threshold"], e["article"]) for e in events if e["action"] == "suggest_sanction"}
    assert bands == {"sanction_remark": (5, "Чл. 52, ал. 1, т. 1"),
                     "sanction_transfer_warning": (11, "Чл. 52, ал. 1, т. 2"),
                     "sanction_transfer": (15, "Чл. 52, ал. 1, т. 3 и т. 5")}
    assert all(e["period"] == "2023/2024" for e in events if e["rule_id"] == "parent_notification_ladder")
    listed = api.get("/api/register/rule-firings", query_string={
        "student_id": school.student_id, "rule_id": "parent_notification_ladder"})
    assert listed.status_code == 200
    assert [(f["threshold"], f["count"], f["period"]) for f in listed.json] == [
        (3, 3, "2023/2024"), (8, 8, "2023/2024"), (20, 20, "2023/2024"), (30, 30, "2023/2024")]
    assert set(listed.json[0]) >= {"id", "student_id", "rule_id", "article", "threshold", "count", "period",
                                   "fired_at"}
    # Replaying the same requests changes nothing: each is a 409 and no rule fires again.
    for day, lesson in lessons(31):
        again = record(api, school.teacher_token, school.student_id, day, lesson)
        assert again.status_code == 409
    assert messages(again) == "За 06.10.2023, 3. час вече има въведено отсъствие: Мария Петрова Иванова."
    assert len(published_firings(process)) == len(events)


def test_lessons_recorded_at_the_same_moment_fire_each_rung_once(api, make_user, process):
    """Six teachers' requests at once for one student: the counters add up and no rung fires twice or is missed."""
    school = setup_small_school(api, make_user)
    day = OCTOBER[0]
    for lesson in (1, 2):
        assert record(api, school.teacher_token, school.student_id, day, lesson).status_code == 201
    start = threading.Barrier(6)

    def at_once(lesson: int) -> int:
        client = api.as_(school.teacher_token)
        start.wait()
        return record(client, school.teacher_token, school.student_id, day, lesson).status_code

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        statuses = list(pool.map(at_once, range(3, 9)))
    assert statuses == [201] * 6
    ladder = [(e["threshold"], e["count"]) for e in published_firings(process)
              if e["rule_id"] == "parent_notification_ladder"]
    assert [threshold for threshold, _count in ladder] == [3, 8]
    assert ladder[-1] == (8, 8)
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary").json
    assert summary["unexcused_total"] == 8


def test_two_latenesses_count_as_one_hour_and_excused_never_count(api, make_user, process):
    school = setup_small_school(api, make_user)
    day = OCTOBER[0]
    assert record(api, school.teacher_token, school.student_id, day, 1).status_code == 201
    assert record(api, school.teacher_token, school.student_id, day, 2).status_code == 201
    assert record(api, school.teacher_token, school.student_id, day, 3, "late").status_code == 201
    assert published_firings(process) == []  # 2.5 absences: under the first rung
    for lesson in (4, 5, 6):
        assert record(api, school.teacher_token, school.student_id, day, lesson, "excused").status_code == 201
    assert published_firings(process) == []
    assert record(api, school.teacher_token, school.student_id, day, 7, "late").status_code == 201
    [firing] = published_firings(process)
    assert (firing["rule_id"], firing["threshold"], firing["count"]) == ("parent_notification_ladder", 3, 3)
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary")
    assert summary.json == {"excused": 3, "unexcused": 2, "late": 2, "unexcused_total": 3.0}


def test_excusing_below_a_rung_and_crossing_again_does_not_fire_twice(api, make_user, process):
    school = setup_small_school(api, make_user)
    for lesson in (1, 2, 3):
        record(api, school.teacher_token, school.student_id, OCTOBER[0], lesson)
    assert len(published_firings(process)) == 1
    excused = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        "student_id": school.student_id, "from": OCTOBER[0].isoformat(), "to": OCTOBER[0].isoformat(),
        "reason": "medical", "evidence": "Медицинска бележка № 123", "submitted_on": OCTOBER[1].isoformat()})
    assert excused.status_code == 201, excused.json
    assert excused.json["excused"] == 3
    for lesson in (1, 2, 3):
        record(api, school.teacher_token, school.student_id, OCTOBER[2], lesson)
    assert len(published_firings(process)) == 1
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary",
                      query_string={"from": OCTOBER[0].isoformat(), "to": OCTOBER[0].isoformat()})
    assert summary.json["excused"] == 3
    assert summary.json["unexcused"] == 0


def test_only_the_class_teacher_excuses_within_the_limits_of_article_61(api, make_user, process):
    school = setup_small_school(api, make_user)
    record(api, school.teacher_token, school.student_id, OCTOBER[0], 1)
    body = {"student_id": school.student_id, "from": OCTOBER[0].isoformat(), "to": OCTOBER[0].isoformat(),
            "reason": "medical", "evidence": "Медицинска бележка", "submitted_on": OCTOBER[1].isoformat()}
    assert api.as_(school.teacher_token).post("/api/register/excuses", json=body).status_code == 403
    assert api.post("/api/register/excuses", json=body).status_code == 403  # not even the director
    late = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        **body, "submitted_on": OCTOBER[6].isoformat()})
    assert late.status_code == 422
    assert "Чл. 61" in messages(late)
    too_many = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        **body, "reason": "parent", "to": OCTOBER[3].isoformat(), "submitted_on": OCTOBER[4].isoformat()})
    assert too_many.status_code == 422
    assert "Чл. 61, ал. 1, т. 3" in messages(too_many)
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary")
    assert summary.json["unexcused"] == 1  # nothing of the refused requests was stored


def test_absences_only_on_school_days_of_an_entered_year(api, make_user):
    school = setup_small_school(api, make_user)
    saturday = record(api, school.teacher_token, school.student_id, dt.date(2023, 10, 7), 1)
    assert saturday.status_code == 422
    assert "date" in saturday.json["errors"]
    outside = record(api, school.teacher_token, school.student_id, dt.date(2022, 10, 3), 1)
    assert outside.status_code == 422


def test_dry_run_answers_without_storing_or_sending(api, make_user, process):
    school = setup_small_school(api, make_user)
    for day, lesson in lessons(9):
        record(api, school.teacher_token, school.student_id, day, lesson)
    before = published_firings(process)
    answer = api.get("/api/register/rule-firings/dry-run", query_string={"year": 2023, "month": 10})
    assert answer.status_code == 200, answer.json
    ladder = [(f["threshold"], f["day"]) for f in answer.json if f["rule_id"] == "parent_notification_ladder"]
    assert ladder == [(3, "2023-10-02"), (8, "2023-10-03")]
    assert published_firings(process) == before
    assert api.get("/api/register/rule-firings/dry-run",
                   query_string={"year": 2023, "month": 13}).status_code == 422


def test_parents_see_only_their_childs_firings(api, make_user):
    school = setup_small_school(api, make_user)
    _uid, parent = make_user("parent", "Петър Иванов", students=[school.student_id])
    _uid, stranger = make_user("parent", "Друг", students=[999])
    assert api.as_(parent).get("/api/register/rule-firings",
                               query_string={"student_id": school.student_id}).status_code == 200
    assert api.as_(stranger).get("/api/register/rule-firings",
                                 query_string={"student_id": school.student_id}).status_code == 403
    assert api.as_(stranger).get(f"/api/register/students/{school.student_id}/absences/summary").status_code == 403


def test_a_bulk_import_records_each_rung_and_sends_one_letter_for_the_highest(api, make_user, process):
    school = setup_small_school(api, make_user)
    lines = ["student_id,date,lesson,subject,kind"]
    lines += [f"{school.student_id},{day.isoformat()},{lesson},Математика,unexcused" for day, lesson in lessons(21)]
    lines.append(f"{school.student_id},{OCTOBER[5].isoformat()},1,Математика,late")
    answer = api.post("/api/register/absences/import", data={"file": (io.BytesIO("\n".join(lines).encode()),
                                                                       "absences.csv")},
                      content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    assert answer.json["count"] == 22
    # The firings are stored with the import and announced right after it by the register's job.
    api.drain()
    events = published_firings(process)
    # 0 → 21 in one file crosses the ladder's 3, 8 and 20: one letter, for 20, naming 3 and 8 (issue 19).
    ladder = [(e["threshold"], e["count"], e["details"]["period_to"])
              for e in events if e["rule_id"] == "parent_notification_ladder"]
    assert ladder == [(20, 21, "2023-10-09")]
    [letter] = [e for e in events if e["rule_id"] == "parent_notification_ladder"]
    assert "по-ниските прагове от 3, 8 (Чл. 97, т. 8)" in letter["details"]["message"]
    listed = api.get("/api/register/rule-firings", query_string={"student_id": school.student_id}).json
    assert sorted((f["threshold"], f["article"]) for f in listed if f["rule_id"] == "parent_notification_ladder") == [
        (3, "Чл. 97, т. 8"), (8, "Чл. 97, т. 8"), (20, "Чл. 97, т. 8")]  # every rung is still recorded
    assert {e["firing_id"] for e in events} <= {f["id"] for f in listed}
    sent = api.get("/api/notifications/deliveries", query_string={
        "student_id": school.student_id, "rule_id": "parent_notification_ladder"}).json
    to_parents = sorted(d["recipient"] for d in sent if d["audience"] == "guardian")
    assert to_parents == ["на хартия: Елена Иванова", "на хартия: Петър Иванов"]  # one letter each, not three
    register = process.runtime("register")
    assert announcing.publish_waiting(register) == 0  # each firing was announced once, and only once
    with register.db.sessions() as s:
        event_ids = s.scalars(sa.select(RuleFiring.event_id)).all()
    assert None not in event_ids
    assert len(published_firings(process)) == len(events)
    summary = api.get(f"/api/register/students/{school.student_id}/absences/summary").json
    assert summary["unexcused_total"] == 21.5
    again = api.post("/api/register/absences/import", data={"file": (io.BytesIO("\n".join(lines).encode()),
                                                                      "absences.csv")},
                     content_type="multipart/form-data")
    assert again.status_code == 409
    twice = ["student_id,date,lesson,subject,kind", f"{school.student_id},2023-10-31,1,Физика,late",
             f"{school.student_id},2023-10-31,1,Физика,unexcused"]
    refused = api.post("/api/register/absences/import", data={"file": (io.BytesIO("\n".join(twice).encode()),
                                                                        "absences.csv")},
                       content_type="multipart/form-data")
    assert refused.status_code == 422
    assert refused.json["errors"] == {"ред 3": ["Същият ученик, дата и час са и на ред 2."]}
    assert api.as_(school.teacher_token).post("/api/register/absences/import", data={
        "file": (io.BytesIO(b"x"), "a.csv")}, content_type="multipart/form-data").status_code == 403


def test_an_import_crossing_again_a_rung_that_fired_before_an_excuse_does_not_fire_it_twice(api, make_user, process):
    school = setup_small_school(api, make_user)
    for lesson in (1, 2, 3):
        record(api, school.teacher_token, school.student_id, OCTOBER[0], lesson)
    excused = api.as_(school.class_teacher_token).post("/api/register/excuses", json={
        "student_id": school.student_id, "from": OCTOBER[0].isoformat(), "to": OCTOBER[0].isoformat(),
        "reason": "medical", "evidence": "Медицинска бележка № 7", "submitted_on": OCTOBER[1].isoformat()})
    assert excused.status_code == 201, excused.json
    lines = ["student_id,date,lesson,subject,kind"]
    lines += [f"{school.student_id},{OCTOBER[2].isoformat()},{lesson},Математика,unexcused" for lesson in range(1, 7)]
    answer = api.post("/api/register/absences/import", data={"file": (io.BytesIO("\n".join(lines).encode()),
                                                                       "absences.csv")},
                      content_type="multipart/form-data")
    assert answer.status_code == 201, answer.json
    api.drain()
    # 0 → 6 crosses the ladder's 3 again (it fired on the first day, before the excuse): not again.
    # It also crosses 5 for the first time: the remark band and the benefit list; the scholarship stop
    # concerns only a holder of a scholarship (Чл. 26, ал. 1, т. 23), which she is not.
    fired = [(e["rule_id"], e["threshold"], e["count"]) for e in published_firings(process)]
    assert fired[0] == ("parent_notification_ladder", 3, 3)
    assert sorted(fired[1:]) == [("child_benefit_list", 5, 6), ("sanction_remark", 5, 6)]


def test_a_waiting_firing_whose_rule_left_the_rule_pack_is_announced_with_its_stored_article_and_text(
        api, make_user, process):
    """An import's firings wait for their announcement; the school's rule pack may change meanwhile."""
    school = setup_small_school(api, make_user)
    register = process.runtime("register")
    with register.db.transaction() as s:
        s.add(RuleFiring(student_id=school.student_id, rule_id="retired_rule", article="Чл. 99, ал. 1",
                         action="notify_parent", threshold=4, count=4, period="2023/2024",
                         message="Ученикът има 4 неизвинени отсъствия.", counted_to=OCTOBER[3], event_id=None))
    assert announcing.publish_waiting(register) == 1
    [event] = [e for e in published_firings(process) if e["rule_id"] == "retired_rule"]
    assert (event["article"], event["action"], event["threshold"]) == ("Чл. 99, ал. 1", "notify_parent", 4)
    assert event["details"]["message"] == "Ученикът има 4 неизвинени отсъствия."
    assert event["details"]["period_label"] == "учебна 2023/2024 година"
    api.drain()
    sent = api.get("/api/notifications/deliveries", query_string={
        "student_id": school.student_id, "rule_id": "retired_rule"}).json
    assert sent  # the class teacher hears of it
    assert {d["article"] for d in sent} == {"Чл. 99, ал. 1"}
    assert announcing.publish_waiting(register) == 0


def test_rungs_crossed_by_one_batch_of_lessons_are_one_letter_too(api, make_user, process):
    """The demo's loader, a register migrated from paper: many lessons in one batch, announced at once."""
    school = setup_small_school(api, make_user)
    register = process.runtime("register")
    with register.db.transaction() as s:
        student = lesson_students(s, [school.student_id])[school.student_id]
        changes = [(student, day, 2) for day, _lesson in lessons(9)]  # nine absences: past 3 and 8 at once
        firings.apply_batch(s, register, changes, lambda day: calendar_for(s, day))
    ladder = [e for e in published_firings(process) if e["rule_id"] == "parent_notification_ladder"]
    assert [(e["threshold"], e["count"]) for e in ladder] == [(8, 9)]
    assert "по-ниските прагове от 3 (Чл. 97, т. 8)" in ladder[0]["details"]["message"]
    listed = api.get("/api/register/rule-firings", query_string={"student_id": school.student_id,
                                                                "rule_id": "parent_notification_ladder"}).json
    assert sorted(f["threshold"] for f in listed) == [3, 8]  # both rungs recorded
    with register.db.sessions() as s:  # the lower rung is announced by the higher one's event
        [event_id] = set(s.scalars(sa.select(RuleFiring.event_id).where(
            RuleFiring.rule_id == "parent_notification_ladder")))
    assert event_id is not None


def test_a_parent_reads_only_the_firings_the_rule_pack_declares_for_parents(api, make_user, app):
    """The ladder's letters (Чл. 97, т. 8, ``audience: [staff, parents]``) reach the parent; the sanction
    suggestion (Чл. 52, ал. 1, т. 1), the scholarship stop (Чл. 26, ал. 1, т. 23) and the ЗАС list
    (Чл. 97, т. 15) are the staff's work: not in the parent's API answer, card or home page."""
    school = setup_small_school(api, make_user)
    _uid, parent = make_user("parent", "Петър Иванов", students=[school.student_id], password=PASSWORD)
    # The scholarship stop concerns only a holder (Чл. 26, ал. 1, т. 23), so the student holds one.
    assert api.post(f"/api/register/students/{school.student_id}/scholarships", json={
        "kind": "месечна стипендия за постигнати образователни резултати", "from": "2023-09-15"}).status_code == 201
    for day, lesson in lessons(6):
        assert record(api, school.teacher_token, school.student_id, day, lesson).status_code == 201
    staff = {f["rule_id"] for f in api.get("/api/register/rule-firings",
                                          query_string={"student_id": school.student_id}).json}
    assert {"parent_notification_ladder", "sanction_remark", "scholarship_suspension"} <= staff
    seen = api.as_(parent).get("/api/register/rule-firings", query_string={"student_id": school.student_id})
    assert seen.status_code == 200
    assert [(f["rule_id"], f["threshold"]) for f in seen.json] == [("parent_notification_ladder", 3)]
    # Asking for a staff rule by name gives nothing either.
    assert api.as_(parent).get("/api/register/rule-firings", query_string={
        "student_id": school.student_id, "rule_id": "sanction_remark"}).json == []
    client = signed_in(app, "Петър Иванов", PASSWORD)
    card = client.get(f"/register/students/{school.student_id}").get_data(as_text=True)
    assert "Чл. 97, т. 8" in card
    for staff_only in ("Чл. 52", "санкция"):
        assert staff_only not in card, staff_only
    # The child's own scholarship and its stop are the family's to know (the card's scholarships section);
    # the rule's firing, the staff's cue to issue the order, is not among the firings the parent reads.
    assert "Спиране на стипендията" not in card  # the rule's title, as the staff's card lists it
    home = client.get("/register/fragments/home").get_data(as_text=True)
    assert "Чл. 97, т. 8" in home
    assert "Чл. 52" not in home
    assert "Чл. 26" not in home


def test_a_rule_pack_audience_must_name_known_readers():
    """``audience`` takes ``staff`` and ``parents``; anything else names the rule and the key."""
    text = default_rule_pack_path().read_text(encoding="utf-8")
    pack = load_rule_pack(text)
    assert pack.parents_rule_ids == {"parent_notification_ladder"}
    broken = text.replace("audience: [staff, parents]", "audience: [staff, everyone]")
    with pytest.raises(RulePackError, match="audience"):
        load_rule_pack(broken)
