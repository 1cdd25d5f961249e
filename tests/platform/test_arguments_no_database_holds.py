"""Numbers and texts no database of ours can hold: a 404 or a 422 naming the field, never a 500.

Regression of the fuzzing (issue 17): an id like ``2879098111423700944289792`` made SQLite's driver
raise ``OverflowError`` in 19 operations of the four services (paths, queries and bodies); on
PostgreSQL every id beyond 2**31 did (``integer out of range``), and a NUL character in a text
(``POST /login``) broke its ``text`` columns.
"""

from __future__ import annotations

from shared.web.arguments import INT_MAX, NUL_IN_TEXT, OUT_OF_RANGE, Blueprint

HUGE = 2879098111423700944289792
BEYOND_POSTGRESQL = 2**31

NO_SUCH_ADDRESS = "Няма такъв адрес или запис."


def test_an_id_in_the_path_beyond_the_databases_is_not_found(api, backend):
    paths = [f"/api/register/sanctions/{HUGE}", f"/api/register/students/{BEYOND_POSTGRESQL}/absences/summary",
             f"/api/register/exports/monthly/{BEYOND_POSTGRESQL}", f"/api/documents/documents/{HUGE}",
             f"/api/documents/documents/{BEYOND_POSTGRESQL}/file", f"/api/planning/plans/{HUGE}",
             f"/api/planning/activities/{BEYOND_POSTGRESQL}/history"]

    answers = {path: api.get(path) for path in paths}
    posted = api.post(f"/api/notifications/inbox/{HUGE}/read")

    seen = {path: (answer.status_code, answer.json["message"]) for path, answer in answers.items()}
    assert seen == dict.fromkeys(paths, (404, NO_SUCH_ADDRESS))
    assert posted.status_code == 404


def test_the_largest_id_the_databases_hold_is_a_plain_not_found(api, backend):
    answer = api.get(f"/api/register/sanctions/{INT_MAX}")

    assert answer.status_code == 404
    assert answer.json["message"] != NO_SUCH_ADDRESS  # the register's own: no such sanction


def test_numbers_beyond_the_databases_are_refused_naming_each_field(api, backend):
    query = api.get("/api/register/sanctions", query_string={"student_id": f"-{HUGE}"})
    body = api.post("/api/register/grades", json={
        "student_id": BEYOND_POSTGRESQL, "subject": "Математика", "value": 9, "kind": "oral", "date": "2023-10-02"})
    nested = api.post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 3, "subject": "Математика",
        "marks": [{"student_id": 1, "kind": "late"}, {"student_id": float(HUGE), "kind": "unexcused"}]})

    assert query.status_code == 422
    assert query.json["errors"] == {"student_id": [OUT_OF_RANGE]}
    assert body.status_code == 422
    assert body.json["errors"]["student_id"] == [OUT_OF_RANGE]
    assert "value" in body.json["errors"]  # every bad field at once
    assert nested.status_code == 422
    assert nested.json["errors"]["marks.1.student_id"] == [OUT_OF_RANGE]


def test_a_text_with_a_nul_character_is_refused_naming_the_field(api, backend):
    login = api.as_(None).post("/api/register/login", json={"name": "Иван\x00", "password": "парола"})
    school = api.put("/api/register/school", json={"name": "СУ\x00", "neispuo_code": "2500603"})

    assert login.status_code == 422
    assert login.json["errors"] == {"name": [NUL_IN_TEXT]}
    assert school.status_code == 422
    assert school.json["errors"] == {"name": [NUL_IN_TEXT]}


def test_a_role_that_may_not_ask_gets_403_before_its_numbers_are_read(api, make_user, backend):
    _uid, parent = make_user("parent", "Родител")

    answer = api.as_(parent).post("/api/register/exports/monthly", json={"year": HUGE, "month": 10})

    assert answer.status_code == 403


def test_every_api_document_declares_the_range_of_every_integer(api, process, backend):
    for runtime in process.runtimes:
        assert all(isinstance(bp, Blueprint) for bp in runtime.definition.blueprints()), \
            f"{runtime.name}: an API blueprint not from shared.web.arguments would let such numbers through"
        spec = api.get(f"/api/{runtime.name}/openapi.json").json
        # flask-smorest's own answer schemas (its error code, pagination) are no input of ours.
        for builtin in ("Error", "PaginationMetadata"):
            spec["components"]["schemas"].pop(builtin)
        found = list(_integers(spec))
        assert found
        assert all(schema.get("maximum", INT_MAX + 1) <= INT_MAX for schema in found), runtime.name


def _integers(node):
    if isinstance(node, dict):
        if node.get("type") == "integer":
            yield node
        for value in node.values():
            yield from _integers(value)
    elif isinstance(node, list):
        for value in node:
            yield from _integers(value)
