"""The school's identity (PUT /school): a school without an e-mail answers as its API document declares.

Regression of the fuzzing (issue 17): the e-mail may be left out (it is then empty), but the answer's
``""`` broke the declared ``format: email``, and an explicit ``""`` was refused though it is the default.
"""

from __future__ import annotations

from tests.support.openapi import assert_as_documented

SCHOOL = {"name": "СУ „Христо Ботев“", "neispuo_code": "2500603"}


def test_a_school_without_an_email_answers_as_documented(api, app, backend):
    answer = api.put("/api/register/school", json=SCHOOL)

    assert answer.status_code == 200, answer.json
    assert answer.json["email"] == ""
    assert_as_documented(app, "register", "PUT", "/school", answer)


def test_an_empty_email_is_accepted_and_a_wrong_one_refused_naming_it(api, backend):
    empty = api.put("/api/register/school", json={**SCHOOL, "email": ""})
    wrong = api.put("/api/register/school", json={**SCHOOL, "email": "не-е-имейл"})
    right = api.put("/api/register/school", json={**SCHOOL, "email": "info@hristobotev.bg"})

    assert empty.status_code == 200, empty.json
    assert wrong.status_code == 422
    assert wrong.json["errors"] == {"email": ["Не е валиден адрес на електронна поща."]}
    assert right.json["email"] == "info@hristobotev.bg"
