"""Every operation of every service's OpenAPI, called by every role and scoped case: the answer is the table's.

The table is ``shared/auth/policy.py``. A small school is set up through the API with two classes,
two subjects in the first class and two children with different parents, so that each request
names a real record (the student of 10а, their guardian, a sanction, a document, an activity ...)
and the scope checks behind the role gates are reached. ``allowed`` means neither 401 nor 403 (the
request may still be refused for its input); a refusal is 403 with nothing stored in any service;
``hidden`` is 404. One process serves the whole matrix, so it is one test that lists every mismatch.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field

import pytest
import sqlalchemy as sa

from services.notifications.models import Guardian
from shared.auth.policy import SCOPE_ROLES, Answer, Scope, policy_by_operation
from shared.auth.roles import ROLES
from shared.web.app import create_service_app
from tests.conftest import drain
from tests.support.school import GUARDIANS, SCHOOL, YEAR

pytestmark = pytest.mark.integration

#: A Friday of term 1 of the school year 2023/2024 the small school has: grades and absences dated
#: on it are inside every deadline.
TODAY = dt.date(2023, 12, 1)
SEED_PLAN = "tests/planning/fixtures/annual_plan_2023_2024.txt"
#: The reasons of an application to the director, described in detail (Чл. 61, ал. 1, т. 4).
PERMISSION_REASONS = "Участие в семейно събитие в друг град, пътуване с целия семеен състав"


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


@dataclass
class World:
    """The records the requests name, and one token per role and per scoped case."""

    tokens: dict[str, str] = field(default_factory=dict)
    ids: dict[str, int | str] = field(default_factory=dict)


def _created(answer, key: str = "id"):
    assert answer.status_code in (200, 201, 202), answer.json
    return answer.json[key]


def build_world(api, make_user, process) -> World:
    world = World()
    ids = world.ids
    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    world.tokens["director"] = api.token
    class_teacher, world.tokens["class_teacher"] = make_user("class_teacher", "Мария Петрова", classes=["10а"])
    other_ct, world.tokens[Scope.OTHER_CLASS_TEACHER] = make_user("class_teacher", "Илия Тодоров", classes=["10б"])
    maths, world.tokens["teacher"] = make_user("teacher", "Учител Математика", classes=["10а"])
    physics, world.tokens[Scope.OTHER_SUBJECT_TEACHER] = make_user("teacher", "Учител Физика", classes=["10а"])
    for code, teacher in (("10а", class_teacher), ("10б", other_ct)):
        _created(api.post("/api/register/classes", json={"code": code, "grade": 10, "class_teacher_id": teacher}))
    for teacher, code, subject in ((maths, "10а", "Математика"), (physics, "10а", "Физика и астрономия"),
                                   (other_ct, "10б", "Математика")):
        _created(api.post("/api/register/assignments", json={
            "teacher_id": teacher, "class_code": code, "subject": subject, "weekly_hours": {"1": 2, "2": 2}}))
    for key, code, egn, guardian in (("student", "10а", "0441011235", GUARDIANS[0]),
                                     ("other_student", "10б", "0443156789", GUARDIANS[1])):
        ids[key] = _created(api.post("/api/register/students", json={
            "first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": egn,
            "class_code": code, "guardians": [guardian]}))
    _pid, world.tokens["parent"] = make_user("parent", "Петър Иванов", students=[ids["student"]])
    _oid, world.tokens[Scope.OTHER_PARENT] = make_user("parent", "Елена Иванова", students=[ids["other_student"]])
    for role in ROLES:
        if role not in world.tokens:
            world.tokens[role] = make_user(role, f"{role} проба")[1]

    student = ids["student"]
    # The parent's application to excuse a day (Чл. 61, ал. 1, т. 3), waiting for the class teacher.
    ids["application_id"] = _created(api.as_(world.tokens["parent"]).post("/api/register/excuse-applications", json={
        "student_id": student, "from": TODAY.isoformat(), "to": TODAY.isoformat(), "reason": "Семейни причини"}))
    # The parent's application for the director's prior permission (Чл. 61, ал. 1, т. 4), before the absence.
    ids["permission_id"] = _created(api.as_(world.tokens["parent"]).post("/api/register/director-permissions", json={
        "student_id": student, "from": "2023-12-11", "to": "2023-12-12", "reasons": PERMISSION_REASONS}))
    ids["scholarship_id"] = _created(api.post(f"/api/register/students/{student}/scholarships", json={
        "kind": "месечна стипендия за постигнати образователни резултати", "from": "2023-09-15"}))
    ids["sanction_id"] = _created(api.as_(world.tokens["class_teacher"]).post("/api/register/sanctions", json={
        "student_id": student, "type": "remark", "proposed_on": TODAY.isoformat(), "reason": "Бягство от час"}))
    # A removal reaches the parents: the parent's inbox then holds a message to read.
    _created(api.post(f"/api/register/students/{student}/removals", json={
        "kind": "lesson", "date": TODAY.isoformat(), "lesson": 2, "reason": "Пречи на часа"}))
    ids["export_id"] = _created(api.post("/api/register/exports/monthly", json={"year": 2023, "month": 11}))
    template = api.get("/api/documents/templates").json[0]
    ids["key"] = template["key"]
    ids["document_id"] = _created(api.post("/api/documents/documents", json={
        "template": template["key"], "context": template["example"], "student_id": student}))
    with open(SEED_PLAN, "rb") as seed:
        plan = api.request("POST", "/api/planning/plans/import",
                           data={"file": (io.BytesIO(seed.read()), "plan.txt"), "school_year": "2023/2024"})
    ids["plan_id"] = _created(plan, "plan_id")
    activities = api.get(f"/api/planning/plans/{ids['plan_id']}/activities").json
    # An activity of the teachers: its progress is theirs and the management's to record.
    ids["activity_id"] = next(a["id"] for a in activities if a["responsible"] == ["teacher"])
    ids["evidence_id"] = _created(api.request(
        "POST", f"/api/planning/activities/{ids['activity_id']}/evidence",
        data={"file": (io.BytesIO(b"protocol"), "protocol.txt")}))
    drain(process)
    ids["print_set_id"] = _created(api.post("/api/documents/print-sets", json={"document_ids": [ids["document_id"]]}))
    inbox = api.as_(world.tokens["parent"]).get("/api/notifications/inbox").json
    assert inbox, "the removal left no message in the parent's inbox"
    ids["delivery_id"] = inbox[0]["id"]
    # The API gives no list of guardians' ids: the notifications' replica of the register's guardians has them.
    with process.runtime("notifications").db.sessions() as s:
        ids["guardian_id"] = s.scalar(sa.select(Guardian.id).where(Guardian.student_id == student))
    return world


def requests(world: World) -> dict[tuple[str, str, str], dict]:
    """The request of each operation that needs more than the record ids in its path and an empty body."""
    ids = world.ids
    student, day = ids["student"], TODAY.isoformat()
    return {
        ("register", "POST", "/absences"): {"json": {
            "date": day, "lesson": 3, "subject": "Математика",
            "marks": [{"student_id": student, "kind": "unexcused"}]}},
        ("register", "POST", "/absences/corrections"): {"json": {
            "class_code": "10а", "date": day, "lesson": 3, "marks": [{"student_id": student, "kind": "late"}]}},
        ("register", "POST", "/excuses"): {"json": {
            "student_id": student, "from": day, "to": day, "reason": "parent", "evidence": "Молба от родителя"}},
        ("register", "POST", "/classes/{code}/absences/finalised"): {"json": {"through": day}},
        ("register", "GET", "/rule-firings"): {"query_string": {"student_id": student}},
        ("register", "POST", "/excuse-applications"): {"json": {
            "student_id": student, "from": day, "to": day, "reason": "Семейни причини"}},
        ("register", "GET", "/excuse-applications"): {"query_string": {"student_id": student}},
        ("register", "POST", "/excuse-applications/{application_id}/refuse"): {"json": {"reason": "Без основание"}},
        ("register", "POST", "/director-permissions"): {"json": {
            "student_id": student, "from": "2023-12-13", "to": "2023-12-13", "reasons": PERMISSION_REASONS}},
        ("register", "GET", "/director-permissions"): {"query_string": {"student_id": student}},
        ("register", "POST", "/director-permissions/{permission_id}/refuse"): {"json": {"reason": "Без основание"}},
        ("register", "POST", "/students/{student_id}/scholarships"): {"json": {
            "kind": "социална стипендия", "from": "2023-09-15"}},
        ("register", "POST", "/scholarships/{scholarship_id}/end"): {"json": {"to": "2024-06-30"}},
        ("register", "POST", "/grades"): {"json": {
            "student_id": student, "subject": "Математика", "value": 5, "kind": "oral", "date": day}},
        ("register", "POST", "/term-grades"): {"json": {"student_id": student, "subject": "Математика", "term": 1}},
        ("register", "POST", "/annual-grades"): {"json": {"student_id": student, "subject": "Математика"}},
        ("register", "POST", "/class-works"): {"json": {
            "class_code": "10а", "subject": "Математика", "kind": "control", "date": "2023-12-12"}},
        ("register", "POST", "/sanctions"): {"json": {
            "student_id": student, "type": "remark", "proposed_on": day, "reason": "Бягство от час"}},
        ("register", "GET", "/sanctions"): {"query_string": {"student_id": student}},
        ("register", "POST", "/sanctions/{sanction_id}/steps/{name}"): {"json": {"done_on": day}},
        ("register", "POST", "/students/{student_id}/removals"): {"json": {
            "kind": "lesson", "date": day, "lesson": 4, "reason": "Пречи на часа"}},
        ("documents", "POST", "/print-sets"): {"json": {"document_ids": [ids["document_id"]]}},
        ("notifications", "GET", "/deliveries"): {"query_string": {"student_id": student}},
        ("notifications", "PUT", "/guardians/{guardian_id}/preferences"): {"json": {"channels": ["email"]}},
        # The guardian as entered, so the scope is checked past the body's (a refusal stores nothing).
        ("register", "PUT", "/students/{student_id}/guardians/{guardian_id}"): {"json": dict(GUARDIANS[0])},
        ("planning", "PATCH", "/activities/{activity_id}"): {"json": {"evidence": "Проведена среща"}},
        ("planning", "POST", "/activities/{activity_id}/evidence"): {
            "data": {"file": (io.BytesIO(b"protocol"), "protocol.txt")}},
    }


#: Path parameters that are not ids of the world's records.
FIXED_PARAMETERS = {"code": "10а", "kind": "neispuo", "name": "in_force", "version": "1",
                    "batch_id": "999999", "exam_id": "999999"}


def url_of(service: str, path: str, world: World) -> str:
    def value(match: re.Match) -> str:
        name = match.group(1)
        if name in FIXED_PARAMETERS:
            return FIXED_PARAMETERS[name]
        return str(world.ids["student" if name == "student_id" else name])

    return f"/api/{service}" + re.sub(r"\{(\w+)\}", value, path)


def openapi_operations(api) -> set[tuple[str, str, str]]:
    found = set()
    for service in ("register", "documents", "notifications", "planning"):
        document = api.get(f"/api/{service}/openapi.json").json
        for path, item in document["paths"].items():
            found.update((service, method.upper(), path) for method in item if method != "parameters")
    return found


def stored_rows(process) -> dict[str, int]:
    """Every table's row count in every service: a refused request must leave all of them as they were."""
    counts = {}
    for runtime in process.runtimes:
        with runtime.db.engine.connect() as conn:
            for table in sa.inspect(conn).get_table_names():
                counts[f"{runtime.name}.{table}"] = conn.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar()
    return counts


def gates_narrower_than_the_table(process, table) -> list[str]:
    """Roles the table lets through an operation whose ``require_roles`` gate does not name them."""
    found = []
    for runtime in process.runtimes:
        app = create_service_app(runtime)
        for rule in app.url_map.iter_rules():
            gate = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                if gate is None:
                    continue
                entry = table.get((runtime.name, method, path))
                if entry is None:
                    found.append(f"{runtime.name} {method} {path}: a gated route the table does not have")
                    continue
                allowed = set(entry.allowed) | {SCOPE_ROLES[scope] for scope in Scope
                                                if entry.scoped_answer(scope) is Answer.ALLOWED}
                found.extend(f"{runtime.name} {method} {path}: {role} allowed by the table, not by the gate"
                             for role in sorted(allowed - gate))
    return found


@pytest.mark.backend("embedded")
def test_every_operation_answers_every_role_and_scope_as_the_policy_table_says(backend, process, api, make_user):
    table = policy_by_operation()
    operations = openapi_operations(api)
    assert not operations - table.keys(), f"operations missing from shared/auth/policy.py: {operations - table.keys()}"
    assert not table.keys() - operations, f"policy entries without an operation: {table.keys() - operations}"

    assert not gates_narrower_than_the_table(process, table)

    world = build_world(api, make_user, process)
    special = requests(world)
    mismatches, calls, settled = [], 0, False
    for key in sorted(table):
        rule = table[key]
        service, method, path = key
        url = url_of(service, path, world)
        expectations = ([(role, rule.answer(role)) for role in ROLES]
                        + [(scope, rule.scoped_answer(scope)) for scope in Scope])
        for caller, expected in expectations:
            request = dict(special.get(key, {"json": {}}))
            if "data" in request:  # an upload's stream is read once: each call gets its own
                request["data"] = {k: (io.BytesIO(v[0].getvalue()), v[1]) for k, v in request["data"].items()}
            if expected is not Answer.ALLOWED and not settled:
                drain(process)
                settled = True
            before = stored_rows(process) if expected is not Answer.ALLOWED else None
            answer = api.as_(world.tokens[caller]).request(method, url, **request)
            calls += 1
            status = answer.status_code
            if expected is Answer.ALLOWED:
                right = status not in (401, 403) and status < 500
            else:
                right = status == int(expected.value)
            if not right:
                body = answer.get_data(as_text=True)[:160]
                mismatches.append(f"{method} {url} as {caller}: expected {expected}, got {status} {body}")
            elif before is not None and stored_rows(process) != before:
                mismatches.append(f"{method} {url} as {caller}: refused, but something was stored")
            if status not in (403, 404) and method != "GET":
                settled = False
    assert not mismatches, "\n".join(mismatches)
    # Unfiltered, the list holds only the caller's class's letters (it held every class's before).
    mine = api.as_(world.tokens["class_teacher"]).get("/api/notifications/deliveries").json
    others = api.as_(world.tokens[Scope.OTHER_CLASS_TEACHER]).get("/api/notifications/deliveries").json
    assert {d["student_id"] for d in mine} == {world.ids["student"]}
    assert world.ids["student"] not in {d["student_id"] for d in others}
    # Nor may the IT administrator list every student's firings by naming none.
    assert api.as_(world.tokens["it_admin"]).get("/api/register/rule-firings").status_code == 403
    assert api.as_(world.tokens["secretary"]).get("/api/register/rule-firings").status_code == 200
    print(f"policy matrix: {len(table)} operations × {len(ROLES)} roles + {len(Scope)} scoped cases = {calls} calls")
    assert calls == len(table) * (len(ROLES) + len(SCOPE_ROLES))
