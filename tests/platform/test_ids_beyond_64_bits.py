"""Numbers beyond the database's 64-bit integers: a 404 or a 422 naming the field, never a 500.

Regression of the fuzzing (issue 17): on SQLite an id like ``2879098111423700944289792`` made the
driver raise ``OverflowError`` in 19 operations of the four services (paths, queries and bodies).
"""

from __future__ import annotations

import pytest

from shared.web.integers import INT_MAX, OUT_OF_RANGE

HUGE = 2879098111423700944289792

pytestmark = pytest.mark.backend("embedded")


@pytest.mark.parametrize("path", [
    f"/api/register/sanctions/{HUGE}",
    f"/api/register/students/{HUGE}/absences/summary",
    f"/api/register/exports/monthly/{HUGE}",
    f"/api/documents/documents/{HUGE}",
    f"/api/documents/documents/{HUGE}/file",
    f"/api/planning/plans/{HUGE}",
    f"/api/planning/activities/{HUGE}/history",
])
def test_an_id_in_the_path_beyond_64_bits_is_not_found(api, path, backend):
    answer = api.get(path)

    assert answer.status_code == 404
    assert answer.json["message"] == "Няма такъв адрес или запис."


def test_a_posted_path_id_beyond_64_bits_is_not_found(api, backend):
    answer = api.post(f"/api/notifications/inbox/{HUGE}/read")

    assert answer.status_code == 404


def test_the_largest_64_bit_id_is_a_plain_not_found(api, backend):
    answer = api.get(f"/api/register/sanctions/{INT_MAX}")

    assert answer.status_code == 404
    assert answer.json["message"] != "Няма такъв адрес или запис."  # the register's own: no such sanction


def test_an_id_in_the_query_beyond_64_bits_is_refused_naming_it(api, backend):
    answer = api.get("/api/register/sanctions", query_string={"student_id": f"-{HUGE}"})

    assert answer.status_code == 422
    assert answer.json["errors"] == {"student_id": [OUT_OF_RANGE]}


def test_an_id_in_the_body_beyond_64_bits_is_refused_with_every_other_bad_field(api, backend):
    answer = api.post("/api/register/grades", json={
        "student_id": HUGE, "subject": "Математика", "value": 9, "kind": "oral", "date": "2023-10-02"})

    assert answer.status_code == 422
    assert answer.json["errors"]["student_id"] == [OUT_OF_RANGE]
    assert "value" in answer.json["errors"]


def test_a_nested_id_beyond_64_bits_is_named_by_its_path(api, backend):
    answer = api.post("/api/register/absences", json={
        "date": "2023-10-02", "lesson": 3, "subject": "Математика",
        "marks": [{"student_id": 1, "kind": "late"}, {"student_id": float(HUGE), "kind": "unexcused"}]})

    assert answer.status_code == 422
    assert answer.json["errors"]["marks.1.student_id"] == [OUT_OF_RANGE]


def test_a_role_that_may_not_ask_gets_403_before_its_numbers_are_read(api, make_user, backend):
    _uid, parent = make_user("parent", "Родител")

    answer = api.as_(parent).post("/api/register/exports/monthly", json={"year": HUGE, "month": 10})

    assert answer.status_code == 403


@pytest.mark.parametrize("service", ["register", "documents", "notifications", "planning"])
def test_the_api_document_declares_the_range_of_every_integer(api, service, backend):
    spec = api.get(f"/api/{service}/openapi.json").json
    # flask-smorest's own answer schemas (its error code, pagination) are no input of ours.
    for builtin in ("Error", "PaginationMetadata"):
        spec["components"]["schemas"].pop(builtin)

    def integers(node):
        if isinstance(node, dict):
            if node.get("type") == "integer":
                yield node
            for value in node.values():
                yield from integers(value)
        elif isinstance(node, list):
            for value in node:
                yield from integers(value)

    found = list(integers(spec))
    assert found
    assert all("maximum" in schema and schema["maximum"] <= INT_MAX for schema in found)
