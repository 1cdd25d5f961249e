"""Personal data stays private: no ЕГН, postal address, password or token in any log line, error answer or metric.

The main flows run with every logger at DEBUG (a handler on the root logger, plus ``caplog``):
users with passwords, students entered and imported with their ЕГН, absences past the ladder's
thresholds (the notices and the paper letters go out), an excuse, a grade, sign-ins with a wrong and
a right password (API and page), a certificate that prints the ЕГН, the monthly exports, and refused
requests that name an ЕГН. Then every captured record (message, arguments, extra fields, traceback),
every 4xx/5xx body and the ``/metrics`` exposition are searched for each secret.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from werkzeug.test import Client

from tests.conftest import drain
from tests.support.api import ApiClient
from tests.support.school import SCHOOL, YEAR

pytestmark = pytest.mark.integration

#: A Friday of term 1 of 2023/2024: every date of the flows is inside the year and its deadlines.
TODAY = dt.date(2023, 12, 1)
#: Valid ЕГН of students (born 2008), checksums included; one entered, two imported.
EGNS = ("0848154320", "0847151239", "0851208761")
#: An ЕГН with a wrong checksum: a parent's typing error is theirs to keep private as well.
MISTYPED_EGN = "0848154327"
PASSWORDS = {"Секретар Тайнов": "секретарят-пази-тайна-1", "Мария Петрова": "класна-парола-2",
             "Учител Математика": "учителска-парола-3"}
WRONG_PASSWORD = "грешна-парола-на-секретаря"
#: Guardians' postal addresses (personal data too): one entered, two imported; the paper letters carry them.
ADDRESSES = ("гр. Търговище, ул. „Тайна“ № 17, ап. 3", "гр. Омуртаг, ул. „Скрита“ № 4", "с. Лиляк, ул. „Тиха“ № 9")


@pytest.fixture
def settings(settings):
    return settings.replace(today=TODAY)


class Records(logging.Handler):
    """Keeps every record the process logs, at every level."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def everything_logged():
    """Every logger at DEBUG, into one handler on the root (and on the loggers that do not propagate)."""
    handler = Records()
    root = logging.getLogger()
    loggers = [root, *(logger for logger in logging.Logger.manager.loggerDict.values()
                       if isinstance(logger, logging.Logger))]
    levels = {logger: logger.level for logger in loggers}
    for logger in loggers:
        logger.setLevel(logging.DEBUG)
        if logger is root or not logger.propagate:
            logger.addHandler(handler)
    yield handler
    for logger, level in levels.items():
        logger.setLevel(level)
        logger.removeHandler(handler)


class RecordingApi(ApiClient):
    """The API client, keeping the body of every answer that refused or failed."""

    def __init__(self, app, token, drain, errors: list[str]) -> None:
        super().__init__(app, token, drain)
        self.errors = errors

    def as_(self, token):
        return RecordingApi(self.app, token, self.drain, self.errors)

    def request(self, method, path, json=None, **kwargs):
        answer = super().request(method, path, json=json, **kwargs)
        if answer.status_code >= 400:
            self.errors.append(f"{method} {path} {answer.status_code} {answer.get_data(as_text=True)}")
        return answer


def texts_of(record: logging.LogRecord) -> str:
    """All a record holds: the formatted line with its traceback, its raw arguments and extra fields."""
    line = logging.Formatter("%(name)s %(levelname)s %(message)s").format(record)
    return f"{line} {record.args!r} {vars(record)!r}"


def page_sign_in(client: Client, name: str, password: str) -> int:
    form = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    return client.post("/login", data={"name": name, "password": password, "csrf_token": token}).status_code


def csv_of(rows: list[list[str]]) -> bytes:
    return "\n".join(";".join(row) for row in rows).encode("utf-8")


def test_no_egn_address_password_or_token_in_logs_error_answers_or_metrics(everything_logged, caplog, backend, process,
                                                                    app, make_user):
    caplog.set_level(logging.DEBUG)
    errors: list[str] = []
    _director_id, director = make_user("director", "Директор Тестов")
    api = RecordingApi(app, director, lambda: None, errors)
    tokens = {"director": director}
    ids = {}
    for (name, password), role, classes in zip(PASSWORDS.items(), ("secretary", "class_teacher", "teacher"),
                                               ((), ("10а",), ("10а",)), strict=True):
        ids[role], tokens[role] = make_user(role, name, classes=classes, password=password)

    assert api.put("/api/register/school", json=SCHOOL).status_code == 200
    assert api.post("/api/register/school-years", json=YEAR).status_code == 201
    assert api.post("/api/register/classes", json={
        "code": "10а", "grade": 10, "class_teacher_id": ids["class_teacher"]}).status_code == 201
    assert api.post("/api/register/assignments", json={
        "teacher_id": ids["teacher"], "class_code": "10а", "subject": "Математика",
        "weekly_hours": {"1": 4, "2": 4}}).status_code == 201

    # Students with their ЕГН: entered, imported, and refused (a duplicate, a mistyped number, a bad file).
    office = api.as_(tokens["secretary"])
    student = {"first_name": "Мария", "middle_name": "Петрова", "last_name": "Иванова", "egn": EGNS[0],
               "class_code": "10а", "guardians": [{"name": "Петър Иванов", "email": "petar@example.bg",
                                                    "phone": "+359888000001", "address": ADDRESSES[0]}]}
    created = office.post("/api/register/students", json=student)
    assert created.status_code == 201, created.json
    student_id = created.json["id"]
    assert office.post("/api/register/students", json=student).status_code == 409
    assert office.post("/api/register/students", json={**student, "egn": MISTYPED_EGN}).status_code == 422
    heading = ["Име", "Презиме", "Фамилия", "ЕГН/ЛНЧ", "Паралелка", "Родител", "Имейл", "Телефон", "Адрес"]
    rows = [["Иван", "Петров", "Стоянов", EGNS[1], "10а", "Петър Стоянов", "p.stoyanov@example.bg", "+359888111222",
             ADDRESSES[1]],
            ["Елена", "Георгиева", "Колева", EGNS[2], "10а", "Георги Колев", "", "+359888333444", ADDRESSES[2]]]
    mistyped = [*rows[1][:3], MISTYPED_EGN, *rows[1][4:]]
    bad = office.post("/api/register/students/import", content_type="multipart/form-data", data={
        "file": (io.BytesIO(csv_of([heading, rows[0], rows[0], mistyped])), "10а.csv")})
    assert bad.status_code == 422
    imported = office.post("/api/register/students/import", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(csv_of([heading, *rows])), "10а.csv")})
    assert imported.status_code == 201, imported.json
    _parent_id, tokens["parent"] = make_user("parent", "Петър Иванов", students=[student_id])

    # Absences past the ladder's first thresholds (3 and 8 unexcused): notices, inbox, paper letters.
    teacher = api.as_(tokens["teacher"])
    for day, lessons in ((dt.date(2023, 11, 29), range(1, 7)), (dt.date(2023, 11, 30), range(1, 7))):
        for lesson in lessons:
            assert teacher.post("/api/register/absences", json={
                "date": day.isoformat(), "lesson": lesson, "subject": "Математика",
                "marks": [{"student_id": student_id, "kind": "unexcused"}]}).status_code == 201
    assert teacher.post("/api/register/absences", json={
        "date": "2023-11-30", "lesson": 1, "subject": "Математика",
        "marks": [{"student_id": student_id, "kind": "unexcused"}]}).status_code == 409
    excused = api.as_(tokens["class_teacher"]).post("/api/register/excuses", json={
        "student_id": student_id, "from": "2023-11-30", "to": "2023-11-30", "reason": "parent",
        "evidence": "Молба от родителя"})
    assert excused.status_code == 201, excused.json
    assert teacher.post("/api/register/grades", json={
        "student_id": student_id, "subject": "Математика", "value": 6, "kind": "oral",
        "date": TODAY.isoformat()}).status_code == 201
    assert api.as_(tokens["parent"]).get(f"/api/register/students/{student_id}/grades").status_code == 200

    # Signing in: a wrong password, then the right one, through the API and the page.
    name, password = next(iter(PASSWORDS.items()))
    anonymous = office.as_(None)
    assert anonymous.post("/api/register/login", json={"name": name, "password": WRONG_PASSWORD}).status_code == 401
    assert anonymous.post("/api/register/login", json={"name": name, "password": password}).status_code == 200
    browser = Client(app)
    assert page_sign_in(browser, name, WRONG_PASSWORD) == 401
    assert page_sign_in(browser, name, password) == 303
    session_cookie = browser.get_cookie("session")
    assert browser.get("/").status_code == 200

    # A certificate that prints the ЕГН, one refused for a malformed one, and the monthly exports.
    certificate = next(t for t in api.get("/api/documents/templates").json if t["key"] == "student_certificate")
    context = certificate["example"]
    context["student"] = {**context["student"], "egn": EGNS[0]}
    made = office.post("/api/documents/documents", json={"template": "student_certificate", "context": context,
                                                          "student_id": student_id})
    assert made.status_code == 202, made.json
    context["student"] = {**context["student"], "egn": EGNS[0] + "9"}
    assert office.post("/api/documents/documents", json={"template": "student_certificate",
                                                         "context": context}).status_code == 422
    assert office.post("/api/register/exports/monthly", json={"year": 2023, "month": 11}).status_code == 201
    api.as_(None).get(f"/api/register/students/{student_id}/grades")  # 401: no token
    api.as_(tokens["parent"]).get(f"/api/register/students/{student_id + 1}/grades")  # 403: another child
    drain(process)

    done = api.get(f"/api/documents/documents/{made.json['id']}").json
    assert done["status"] == "done", done
    deliveries = api.get("/api/notifications/deliveries", query_string={"student_id": student_id}).json
    assert {d["channel"] for d in deliveries} >= {"inbox", "paper"}, deliveries
    metrics = Client(app).get("/metrics").get_data(as_text=True) + Client(app).get(
        "/api/register/metrics").get_data(as_text=True)
    assert "dramatiq_messages_total" in metrics

    secrets = {**{f"ЕГН {egn}": egn for egn in (*EGNS, MISTYPED_EGN)},
               **{f"address {address}": address for address in ADDRESSES},
               **{f"password of {who}": pw for who, pw in PASSWORDS.items()}, "wrong password": WRONG_PASSWORD,
               **{f"token of {role}": token for role, token in tokens.items()},
               "session cookie": session_cookie.value}
    logged = [texts_of(record) for record in everything_logged.records]
    assert len(logged) > 50, "the DEBUG logs were not captured"
    places = {"log": "\n".join(logged), "caplog": caplog.text + "\n".join(map(texts_of, caplog.records)),
              "error answers": "\n".join(errors), "metrics": metrics}
    assert len(errors) >= 8
    leaks = [f"{secret} in the {place}: …{text[max(0, text.find(value) - 120):text.find(value) + 40]}…"
             for secret, value in secrets.items() for place, text in places.items() if value in text]
    assert not leaks, "\n".join(leaks)
