"""Every web page, opened (and every form posted) by every role and scoped case: the answer is the table's.

The table is ``shared/auth/page_policy.py``, the pages' part of the API's ``shared/auth/policy.py``.
The small school of ``test_policy_matrix.py`` is built through the API; then each role and scoped
case signs in through ``/login`` as a browser does (with the form's CSRF token) and requests every
route of every page app's URL map, posting the state-changing ones with a valid CSRF token and a
minimal form. ``allowed`` is 200, 303 or 422; a refusal is the Bulgarian 403 page, with nothing
stored in any service and none of the student's data in it; ``hidden`` is a 404, as in the API.
One process serves the whole matrix, so it is one test that lists every mismatch.
"""

from __future__ import annotations

import io
import re

import pytest
from werkzeug.test import Client

from shared.auth.page_policy import page_policy_by_route
from shared.auth.policy import SCOPE_ROLES, Answer, Scope
from shared.auth.roles import OFFICE, ROLES
from shared.web.combined import PROBES
from tests.conftest import drain
from tests.planning.plan_samples import three_column_docx
from tests.platform.test_policy_matrix import PERMISSION_REASONS, TODAY, World, build_world, stored_rows
from tests.support.pages import CSRF
from tests.support.pages import signed_in as sign_in_through_the_form

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
#: The students of the small school share one name: no refused or hidden page may show it.
STUDENT_NAME = "Мария Петрова Иванова"
#: Who has nothing to do with the 10а student.
OUTSIDE = (Scope.OTHER_PARENT, Scope.OTHER_CLASS_TEACHER, "it_admin")
#: A students' list with the import's headings and no students: its preview is fine, its import is refused (422).
EMPTY_LIST = "Име,Презиме,Фамилия,ЕГН,Дата на раждане,Паралелка,Родител,Имейл,Телефон\n".encode()
EMPTY_TIMETABLE = "Паралелка,Ден,Час,Предмет,Учител\n".encode()


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


def page_routes(app) -> dict[tuple[str, str, str], frozenset[str] | None]:
    """Every page route of the combined app: (service, method, path as its URL map has it) → its role gate.

    The API's mounts and the assets and probes (no page of anybody's data) are left out.
    """
    apps = [("", app.app), *((prefix, mounted) for prefix, mounted in app.mounts.items()
                             if not prefix.startswith("/api/"))]
    found = {}
    for prefix, pages in apps:
        service = prefix.strip("/") or "register"  # the register serves the front pages at the root
        for rule in pages.url_map.iter_rules():
            if rule.endpoint == "static" or rule.endpoint in PROBES:
                continue
            gate = getattr(pages.view_functions[rule.endpoint], "allowed_roles", None)
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                found[(service, method, prefix + rule.rule)] = gate
    return found


def csrf_token(client: Client) -> str:
    return CSRF.search(client.get("/").get_data(as_text=True)).group(1)


def signed_in(app, name: str) -> Client:
    """A browser signed in through the form, with the CSRF token the form carries."""
    return sign_in_through_the_form(app, name, PASSWORD)


def new_upload(director: Client) -> str:
    """An uploaded students' list waiting for its import (the page keeps it between the two steps)."""
    answer = director.post("/register/import", data={
        "csrf_token": csrf_token(director), "file": (io.BytesIO(EMPTY_LIST), "ученици.csv")})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"].rsplit("/", 1)[1]


def new_plan_upload(director: Client) -> str:
    """An uploaded annual plan waiting on its preview (the page keeps it between the two steps)."""
    answer = director.post("/planning/plans", data={
        "csrf_token": csrf_token(director), "school_year": "2023/2024",
        "file": (io.BytesIO(three_column_docx()), "plan.docx")})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"].rsplit("/", 1)[1]


def new_timetable_upload(director: Client) -> str:
    """An uploaded timetable waiting for its import."""
    answer = director.post("/register/timetable/import", data={
        "csrf_token": csrf_token(director), "file": (io.BytesIO(EMPTY_TIMETABLE), "разписание.csv")})
    assert answer.status_code == 303, answer.get_data(as_text=True)[:300]
    return answer.headers["Location"].rsplit("/", 1)[1]


def new_user(director: Client) -> int:
    """A user added on the users page, for its forms to change, give a password and deactivate."""
    answer = director.post("/register/users", data={
        "csrf_token": csrf_token(director), "name": "Учител Временен", "role": "teacher", "action": "add"})
    assert answer.status_code == 200, answer.get_data(as_text=True)[:300]
    return int(re.search(r'href="/register/users/(\d+)">Към профила', answer.get_data(as_text=True)).group(1))


def requests(world: World, names: dict[str, str], director: Client) -> dict[tuple[str, str], dict]:
    """Each route's URL (its parameters naming the world's records) and, for a form, its minimal fields."""
    ids = world.ids
    student, day = ids["student"], TODAY.isoformat()
    lesson = f"/register/classes/10а/lessons?date={day}&lesson=3"
    book = "/register/classes/10а/grades?subject=Математика"
    upload = new_upload(director)
    plan_upload = new_plan_upload(director)
    user = f"/register/users/{new_user(director)}"
    timetable_upload = new_timetable_upload(director)
    return {
        ("GET", "/register/users"): {"url": "/register/users"},
        # Each allowed caller adds a user of its own name (a second of the same name would be a 422 too).
        ("POST", "/register/users"): {"url": "/register/users", "form": lambda caller: {
            "name": f"Нов {caller}", "role": "teacher", "action": "add"}},
        ("GET", "/register/users/<int:user_id>"): {"url": user},
        ("POST", "/register/users/<int:user_id>"): {"url": user, "form": {"role": "teacher", "action": "save"}},
        ("POST", "/register/users/<int:user_id>/password"): {"url": f"{user}/password", "form": {}},
        ("POST", "/register/users/<int:user_id>/deactivate"): {"url": f"{user}/deactivate", "form": {}},
        ("GET", "/password"): {"url": "/password"},
        ("POST", "/password"): {"url": "/password", "form": {}},
        ("GET", "/admin/system"): {"url": "/admin/system"},
        ("POST", "/admin/system/dead-letters"): {"url": "/admin/system/dead-letters",
                                                  "form": {"queue": "planning", "message_id": "none"}},
        ("GET", "/"): {"url": "/"},
        ("GET", "/login"): {"url": "/login"},
        ("POST", "/login"): {"url": "/login", "form": lambda caller: {
            "name": names[caller], "password": PASSWORD, "next": "/"}},
        ("POST", "/logout"): {"url": "/logout", "form": {}},
        ("GET", "/register/fragments/home"): {"url": "/register/fragments/home"},
        ("GET", "/documents/fragments/home"): {"url": "/documents/fragments/home"},
        ("GET", "/notifications/fragments/home"): {"url": "/notifications/fragments/home"},
        ("GET", "/planning/fragments/home"): {"url": "/planning/fragments/home"},
        ("GET", "/register/classes/<code>/lessons"): {"url": lesson},
        # A lesson of the maths teacher's subject with the student absent: only who may record it gets past 403.
        ("POST", "/register/classes/<code>/lessons"): {"url": lesson, "form": {
            "mode": "record", "date": day, "lesson": "3", "subject": "Математика", f"mark-{student}": "unexcused"}},
        ("GET", "/register/classes/<code>/absences"): {"url": "/register/classes/10а/absences?month=2023-11"},
        ("POST", "/register/classes/<code>/absences/finalised"): {"url": "/register/classes/10а/absences/finalised",
                                                                  "form": {"through": day}},
        ("GET", "/register/students/<int:student_id>"): {"url": f"/register/students/{student}"},
        ("GET", "/register/students/<int:student_id>/personal-number"): {
            "url": f"/register/students/{student}/personal-number?name=student.egn&id=field-student-egn"},
        ("POST", "/register/students/<int:student_id>/excuses"): {
            "url": f"/register/students/{student}/excuses",
            "form": {"from": day, "to": day, "reason": "parent", "evidence": "Молба от родителя"}},
        ("POST", "/register/students/<int:student_id>/guardians/<int:guardian_id>"): {
            "url": f"/register/students/{student}/guardians/{ids['guardian_id']}",
            "form": {"name": "Петър Иванов", "email": "petar@example.bg", "phone": "+359888000001"}},
        ("GET", "/register/classes/<code>/grades"): {"url": book},
        ("POST", "/register/classes/<code>/grades"): {"url": book, "form": {
            "subject": "Математика", "student_id": student, "value": "5", "kind": "oral", "date": day}},
        ("POST", "/register/classes/<code>/grades/term"): {"url": "/register/classes/10а/grades/term", "form": {
            "subject": "Математика", "student_id": student, "term": "1", "value": "5"}},
        ("POST", "/register/classes/<code>/grades/annual"): {"url": "/register/classes/10а/grades/annual", "form": {
            "subject": "Математика", "student_id": student}},
        ("GET", "/register/sanctions"): {"url": "/register/sanctions"},
        ("POST", "/register/sanctions"): {"url": "/register/sanctions", "form": {
            "student_id": student, "type": "remark", "proposed_on": day, "reason": "Бягство от час"}},
        ("GET", "/register/sanctions/<int:sanction_id>"): {"url": f"/register/sanctions/{ids['sanction_id']}"},
        ("POST", "/register/sanctions/<int:sanction_id>/steps/<name>"): {
            "url": f"/register/sanctions/{ids['sanction_id']}/steps/in_force", "form": {"done_on": day}},
        ("POST", "/register/students/<int:student_id>/excuse-applications"): {
            "url": f"/register/students/{student}/excuse-applications",
            "form": {"from": day, "to": day, "reason": "Семейни причини"}},
        ("POST", "/register/students/<int:student_id>/excuse-applications/<int:application_id>/accept"): {
            "url": f"/register/students/{student}/excuse-applications/{ids['application_id']}/accept", "form": {}},
        ("POST", "/register/students/<int:student_id>/excuse-applications/<int:application_id>/refuse"): {
            "url": f"/register/students/{student}/excuse-applications/{ids['application_id']}/refuse",
            "form": {"refusal": "Без основание"}},
        ("POST", "/register/students/<int:student_id>/director-permissions"): {
            "url": f"/register/students/{student}/director-permissions",
            "form": {"from": "2023-12-14", "to": "2023-12-14", "reasons": PERMISSION_REASONS}},
        ("POST", "/register/students/<int:student_id>/director-permissions/<int:permission_id>/grant"): {
            "url": f"/register/students/{student}/director-permissions/{ids['permission_id']}/grant", "form": {}},
        ("POST", "/register/students/<int:student_id>/director-permissions/<int:permission_id>/refuse"): {
            "url": f"/register/students/{student}/director-permissions/{ids['permission_id']}/refuse",
            "form": {"refusal": "Без основание"}},
        # A date in the future: the director's form comes back (422), the student stays on the lists.
        ("POST", "/register/students/<int:student_id>/deregistration"): {
            "url": f"/register/students/{student}/deregistration",
            "form": {"ground": "transfer", "date": "2099-01-01"}},
        ("GET", "/register/import"): {"url": "/register/import"},
        ("GET", "/register/import/template.xlsx"): {"url": "/register/import/template.xlsx"},
        ("POST", "/register/import"): {"url": "/register/import", "form": lambda _caller: {
            "file": (io.BytesIO(EMPTY_LIST), "ученици.csv")}},
        ("GET", "/register/import/<upload_id>"): {"url": f"/register/import/{upload}"},
        ("POST", "/register/import/<upload_id>"): {"url": f"/register/import/{upload}", "form": {}},
        ("GET", "/planning/plans"): {"url": "/planning/plans"},
        ("POST", "/planning/plans"): {"url": "/planning/plans", "form": lambda _caller: {
            "school_year": "2023/2024", "file": (io.BytesIO(three_column_docx()), "plan.docx")}},
        ("GET", "/planning/plans/import/<upload_id>"): {"url": f"/planning/plans/import/{plan_upload}"},
        # a date for a row the plan does not have: refused with 422, so the kept file stays for the next caller
        ("POST", "/planning/plans/import/<upload_id>"): {"url": f"/planning/plans/import/{plan_upload}", "form": {
            "key-1": "I/1/none", "due-1": "2024-01-10"}},
        ("GET", "/register/timetable"): {"url": f"/register/timetable?class=10а&date={day}"},
        ("GET", "/register/timetable/template.xlsx"): {"url": "/register/timetable/template.xlsx"},
        ("POST", "/register/timetable/import"): {"url": "/register/timetable/import", "form": lambda _caller: {
            "file": (io.BytesIO(EMPTY_TIMETABLE), "разписание.csv")}},
        ("GET", "/register/timetable/import/<upload_id>"): {"url": f"/register/timetable/import/{timetable_upload}"},
        ("POST", "/register/timetable/import/<upload_id>"): {
            "url": f"/register/timetable/import/{timetable_upload}", "form": {"valid_from": day}},
        ("POST", "/register/timetable/changes"): {"url": "/register/timetable/changes", "form": {
            "class": "10а", "date": day, "lesson": "2", "cancelled": "on", "ground": "1",
            "circumstances": "Външно оценяване."}},
        ("GET", "/register/lessons/unrecorded"): {"url": f"/register/lessons/unrecorded?date={day}"},
        ("GET", "/register/exams"): {"url": "/register/exams"},
        # an exam with no students: refused with 422, nothing stored
        ("POST", "/register/exams"): {"url": "/register/exams", "form": {"kind": "correction", "class_code": "10а"}},
        ("POST", "/register/exams/<int:exam_id>/results"): {"url": "/register/exams/999999/results",
                                                            "form": {"result_1": "9"}},  # refused: 422
        ("GET", "/register/exports"): {"url": "/register/exports"},
        ("POST", "/register/exports/prepare"): {"url": "/register/exports/prepare", "form": {"month": "2023-11"}},
        ("POST", "/register/exports/<int:export_id>/submitted"): {
            "url": f"/register/exports/{ids['export_id']}/submitted", "form": {"submitted_on": day}},
        ("GET", "/register/exports/<int:export_id>/files/<kind>"): {
            "url": f"/register/exports/{ids['export_id']}/files/neispuo"},
        ("GET", "/documents/"): {"url": "/documents/"},
        ("GET", "/documents/new"): {"url": f"/documents/new?template={ids['key']}&student_id={student}"},
        ("POST", "/documents/new"): {"url": "/documents/new", "form": {"template": ids["key"], "student_id": student}},
        ("GET", "/documents/<int:document_id>"): {"url": f"/documents/{ids['document_id']}"},
        ("GET", "/documents/forms/<key>"): {"url": "/documents/forms/director_permission_form"},
        ("GET", "/documents/orders"): {"url": "/documents/orders"},
        ("GET", "/documents/print-sets"): {"url": "/documents/print-sets"},
        ("POST", "/documents/print-sets"): {"url": "/documents/print-sets",
                                           "form": {"document_id": str(ids["document_id"])}},
        ("GET", "/documents/templates"): {"url": "/documents/templates"},
        ("POST", "/documents/templates/<key>"): {"url": f"/documents/templates/{ids['key']}", "form": {}},
        ("GET", "/notifications/inbox"): {"url": "/notifications/inbox"},
        ("GET", "/notifications/inbox/<int:delivery_id>"): {"url": f"/notifications/inbox/{ids['delivery_id']}"},
        ("POST", "/notifications/inbox/<int:delivery_id>/read"): {
            "url": f"/notifications/inbox/{ids['delivery_id']}/read", "form": {}},
        ("GET", "/planning/overdue"): {"url": "/planning/overdue"},
        ("GET", "/planning/plans/<int:plan_id>"): {"url": f"/planning/plans/{ids['plan_id']}"},
        # Without the council's protocol: the management gets the form back (422), nothing is asked of documents.
        ("POST", "/planning/plans/<int:plan_id>/reports"): {"url": f"/planning/plans/{ids['plan_id']}/reports",
                                                           "form": {}},
        ("GET", "/planning/plans/<int:plan_id>/activities/<int:activity_id>"): {
            "url": f"/planning/plans/{ids['plan_id']}/activities/{ids['activity_id']}"},
        ("POST", "/planning/plans/<int:plan_id>/activities/<int:activity_id>"): {
            "url": f"/planning/plans/{ids['plan_id']}/activities/{ids['activity_id']}",
            "form": {"note": "Проведена среща"}},
    }


def routes_in_order(table) -> list[tuple[str, str, str]]:
    """Signing in again and out come last: they change the session every later request would use."""
    last = {("POST", "/login"): 1, ("POST", "/logout"): 2}
    return sorted(table, key=lambda key: (last.get(key[1:], 0), key))


def gates_disagreeing(routes, table) -> list[str]:
    """A page without a role gate, or whose gate leaves out a role the table lets through."""
    found = []
    for key, gate in routes.items():
        entry = table.get(key)
        if entry is None or key[1:] in (("GET", "/login"), ("POST", "/login")):  # the sign-in form is public
            continue
        if gate is None:
            found.append(f"{' '.join(key)}: no require_roles gate")
            continue
        allowed = set(entry.allowed) | set(entry.hidden) | {
            SCOPE_ROLES[scope] for scope in Scope if entry.scoped_answer(scope) is not Answer.REFUSED}
        found.extend(f"{' '.join(key)}: {role} let through by the table, not by the gate"
                     for role in sorted(allowed - gate))
    return found


def fragments_show_only_their_own(clients: dict[str, Client], world: World) -> list[str]:
    """Every signed-in user gets each home card, with their own data only."""
    student, other = world.ids["student"], world.ids["other_student"]
    problems = []

    def linked_students(caller: str) -> set[int]:
        html = clients[caller].get("/register/fragments/home").get_data(as_text=True)
        return {int(found) for found in re.findall(r'href="/register/students/(\d+)"', html)}

    if linked_students("parent") != {student}:
        problems.append(f"the parent's card links {linked_students('parent')}, not their child {student}")
    if linked_students(Scope.OTHER_PARENT) != {other}:
        problems.append("the other parent's card links another child than theirs")
    for caller in clients:
        if caller not in ("parent", Scope.OTHER_PARENT) and linked_students(caller) & {other}:
            problems.append(f"{caller}'s register card links a student of 10б")
    own_class = "/register/classes/10%D0%B0/"
    if own_class not in clients["class_teacher"].get("/register/fragments/home").get_data(as_text=True):
        problems.append("the class teacher of 10а does not see their class on their card")
    led = clients[Scope.OTHER_CLASS_TEACHER].get("/register/fragments/home").get_data(as_text=True)
    if own_class in led or "10а клас" in led:
        problems.append("the class teacher of 10б sees 10а on their card")
    notices = {caller: client.get("/notifications/fragments/home").get_data(as_text=True)
               for caller, client in clients.items()}
    if 'class="notices"' not in notices["parent"] or STUDENT_NAME not in notices["parent"]:
        problems.append("the parent's card does not show the notice about their child")
    # Staff of the student's class may be told about them too; nobody outside the student's scope is.
    problems.extend(f"{caller}'s notices card shows a notice about the 10а student" for caller in OUTSIDE
                    if STUDENT_NAME in notices[caller])
    for caller, client in clients.items():
        html = client.get("/documents/fragments/home").get_data(as_text=True)
        if f"/documents/{world.ids['document_id']}" in html and caller not in OFFICE:
            problems.append(f"{caller}'s documents card links the 10а student's document")
    documents = clients[Scope.OTHER_CLASS_TEACHER].get("/documents/").get_data(as_text=True)
    if f"/documents/{world.ids['document_id']}" in documents or STUDENT_NAME in documents:
        problems.append("the class teacher of 10б lists the letter of a 10а student")
    mine = clients["class_teacher"].get("/documents/").get_data(as_text=True)
    if f"/documents/{world.ids['document_id']}" not in mine:
        problems.append("the class teacher of 10а does not list their student's letter")
    return problems


@pytest.mark.backend("embedded")
def test_every_page_answers_every_role_and_scope_as_the_page_table_says(backend, process, app, api, make_user):
    table = page_policy_by_route()
    routes = page_routes(app)
    missing, extra = routes.keys() - table.keys(), table.keys() - routes.keys()
    assert not missing, f"pages missing from shared/auth/page_policy.py: {missing}"
    assert not extra, f"page policy entries without a route: {extra}"
    assert not gates_disagreeing(routes, table), "\n".join(gates_disagreeing(routes, table))

    names: dict[str, str] = {}

    def with_password(role, name=None, **kwargs):
        user_id, token = make_user(role, name, password=PASSWORD, **kwargs)
        names[token] = name
        return user_id, token

    world = build_world(api, with_password, process)
    make_user("director", "Директор Страници", password=PASSWORD)  # the API's director has no password
    names[world.tokens["director"]] = "Директор Страници"
    callers = [*ROLES, *Scope]
    names = {caller: names[world.tokens[caller]] for caller in callers}
    clients = {caller: signed_in(app, names[caller]) for caller in callers}
    special = requests(world, names, clients["director"])
    assert not (missing := {key[1:] for key in table} - special.keys()), f"no request for {missing}"

    fragment_problems = fragments_show_only_their_own(clients, world)
    mismatches, calls, settled = [], 0, False
    for key in routes_in_order(table):
        rule = table[key]
        _service, method, _path = key
        spec = special[(method, key[2])]
        expectations = ([(role, rule.answer(role)) for role in ROLES]
                        + [(scope, rule.scoped_answer(scope)) for scope in Scope])
        for caller, expected in expectations:
            client = clients[caller]
            kwargs = {}
            if method == "POST":
                form = spec["form"](caller) if callable(spec["form"]) else dict(spec["form"])
                kwargs["data"] = {**form, "csrf_token": csrf_token(client)}
            if expected is not Answer.ALLOWED and not settled:
                drain(process)
                settled = True
            before = stored_rows(process) if expected is not Answer.ALLOWED else None
            answer = client.open(spec["url"], method=method, **kwargs)
            calls += 1
            status, body = answer.status_code, answer.get_data().decode(errors="replace")  # files too
            if expected is Answer.ALLOWED:
                right = status in (200, 303, 422)
            elif expected is Answer.REFUSED:
                right = status == 403 and "Нямате достъп" in body and STUDENT_NAME not in body
            else:
                right = status == 404 and STUDENT_NAME not in body
            if not right:
                text = " ".join(body.split())[:200]
                mismatches.append(f"{method} {spec['url']} as {caller}: expected {expected}, got {status} {text}")
            elif before is not None and stored_rows(process) != before:
                mismatches.append(f"{method} {spec['url']} as {caller}: refused, but something was stored")
            if status not in (403, 404) and method != "GET":
                settled = False
    assert not mismatches, "\n".join(mismatches)
    assert not fragment_problems, "\n".join(fragment_problems)
    print(f"page policy matrix: {len(table)} routes × {len(callers)} roles and scoped cases = {calls} requests")
    assert calls == len(table) * len(callers)
