"""The school of ``bench_rush.py``, set up through the API and ``schoolctl users add``'s own steps:
``--teachers`` classes, each with its class teacher and ``--class-size`` students with a guardian's
e-mail, two of each class two unexcused hours before the rush, ``--parents`` parents with accounts.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import time

import requests

from bench._common import PASSWORD, SCHOOL, YEAR
from bench.rush_layout import Layout, Site, api_session, schoolctl
from services.register.people.rules.personal_number import fake_egns

#: A Friday, the last school week of the year: every earlier school day may be recorded.
TODAY = dt.date(2024, 6, 28)
#: The day the threshold students' first two unexcused hours were recorded.
EARLIER = dt.date(2024, 6, 27)
SUBJECT = "Математика"
#: Students per class whose rush lesson takes them to 3 unexcused hours (the first rung of the
#: parent-notice ladder, Чл. 97, т. 8) and two more absent without crossing anything.
CROSSING, OTHERS_ABSENT = 2, 2
#: Class codes: grades 8–11, a letter each (4 × 16 = 64 classes at most).  Not XII: its classes end
#: in mid-May (Чл. 113, ал. 1), and the register refuses absences after that on a day in late June.
GRADES = range(8, 12)
LETTERS = "абвгдежзиклмнопр"


# --- the school -----------------------------------------------------------------------------------


class School:
    def __init__(self) -> None:
        self.director = ""
        self.teachers: list[tuple[str, str, list[int]]] = []  # name, class code, students in order
        self.crossing: dict[str, list[int]] = {}  # class code → students 2 unexcused hours before the rush
        self.parents: list[tuple[str, int]] = []  # name, child
        self.guardian_email: dict[int, str] = {}
        self.tokens: dict[str, tuple[int, str]] = {}  # name → id, API token


def add_user(layout: Layout, name: str, role: str, *, classes=(), students=(), password=True) -> tuple[int, str]:
    """As ``schoolctl users add`` does (it is the only way users are made), one command per user."""
    args = [*schoolctl(), "users", "add", "--name", name, "--role", role]
    for code in classes:
        args += ["--class", code]
    for student in students:
        args += ["--student", str(student)]
    if password:
        args.append("--password-stdin")
    done = subprocess.run(args, env=layout.env, input=PASSWORD + "\n" if password else "", capture_output=True,
                          text=True, timeout=120, check=True)
    answer = json.loads(done.stdout)
    return answer["id"], answer["token"]


def add_users(layout: Layout, users: list[tuple[str, str, list[str], list[int]]]) -> dict[str, tuple[int, str]]:
    """Many users at once: the command's own steps in this process (a process per user would take minutes).

    As ``schoolctl users add``: the user committed, then the identity event sent on the identity lane
    and waited for (at most 5 s) until every running service applied it.
    """
    from shared.bootstrap import build_process  # noqa: PLC0415
    from shared.messaging.identity import propagate  # noqa: PLC0415
    from shared.messaging.outbox import urgent_events  # noqa: PLC0415
    from shared.settings import load_settings  # noqa: PLC0415

    settings = load_settings(layout.env)
    process = build_process(settings, ("register",))
    made, late = {}, 0
    try:
        rt = process.runtime("register")
        for name, role, classes, students in users:
            with rt.db.transaction() as s:
                made[name] = rt.definition.commands["users.add"](
                    rt, s, name=name, role=role, class_codes=classes, student_ids=students, email=None,
                    password=PASSWORD)
                events = urgent_events(s)
            late += bool(propagate(rt, events).warning())
    finally:
        process.stop()
    if late:
        print(f"  {late} of {len(users)} new users not confirmed by every service within 5 s (applied later)")
    return made


def class_codes(n: int) -> list[str]:
    if n > len(GRADES) * len(LETTERS):
        raise SystemExit(f"at most {len(GRADES) * len(LETTERS)} classes")
    return [f"{GRADES[i // len(LETTERS)]}{LETTERS[i % len(LETTERS)]}" for i in range(n)]


def set_up(layout: Layout, site: Site, args) -> School:
    school = School()
    _id, school.director = add_user(layout, "Директор Иванов", "director")
    api = api_session(school.director)
    ok = site.need
    ok(api, "PUT", "/api/register/school", json=SCHOOL)
    ok(api, "POST", "/api/register/school-years", json=YEAR, expect=201)
    codes = class_codes(args.teachers)
    teachers = [(f"Учител {code}", "class_teacher", [code], []) for code in codes]
    school.tokens = add_users(layout, [("Секретар Петрова", "secretary", [], []), *teachers])
    ids = {name: made[0] for name, made in school.tokens.items()}
    egns = iter(fake_egns(args.teachers * args.class_size, seed=17, born_from=dt.date(2005, 1, 1),
                          born_to=dt.date(2010, 12, 31)))
    for index, code in enumerate(codes):
        teacher = f"Учител {code}"
        ok(api, "POST", "/api/register/classes", json={"code": code, "grade": int(code[:-1]),
                                                          "class_teacher_id": ids[teacher]}, expect=201)
        ok(api, "POST", "/api/register/assignments", json={
            "teacher_id": ids[teacher], "class_code": code, "subject": SUBJECT, "weekly_hours": {"1": 4, "2": 4}},
           expect=201)
        students = []
        for n in range(args.class_size):
            email = f"roditel-{index}-{n}@example.bg"
            answer = ok(api, "POST", "/api/register/students", expect=201, json={
                "first_name": "Ученик", "middle_name": "", "last_name": f"Номер{n:02d}", "egn": next(egns).egn,
                "class_code": code, "guardians": [{"name": f"Родител {index}-{n}", "email": email}]})
            students.append(answer.json()["id"])
            school.guardian_email[students[-1]] = email
        school.teachers.append((teacher, code, students))
        # Two unexcused hours yesterday: the rush's third takes them to the first rung (3).
        school.crossing[code] = students[:CROSSING]
        marks = [{"student_id": sid, "kind": "unexcused"} for sid in school.crossing[code]]
        for lesson in (1, 2):
            ok(api, "POST", "/api/register/absences", expect=201,
               json={"date": EARLIER.isoformat(), "lesson": lesson, "subject": SUBJECT, "marks": marks})
    print(f"  {args.teachers} classes, {args.teachers * args.class_size} students with their guardians", flush=True)
    # The parents: children spread over the classes, the first students after the crossing ones.
    per_class = -(-args.parents // args.teachers)
    children = [students[CROSSING + k] for _t, _c, students in school.teachers for k in range(per_class)]
    school.parents = [(f"Родител на {sid}", sid) for sid in children[:args.parents]]
    school.tokens |= add_users(layout, [(name, "parent", [], [sid]) for name, sid in school.parents])
    return school


def wait_until(what: str, check, timeout: float = 120.0) -> float:
    begin = time.monotonic()
    while not check():
        if time.monotonic() - begin > timeout:
            raise SystemExit(f"timed out waiting until {what}")
        time.sleep(0.25)
    return time.monotonic() - begin


def deliveries(site: Site, director: requests.Session) -> list[dict]:
    answer = site.call(director, "GET", "/api/notifications/deliveries")
    return answer.json() if answer is not None else []

