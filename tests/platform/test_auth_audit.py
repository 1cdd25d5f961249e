"""Roles, tokens, sessions and the append-only audit log, through the API."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from shared.auth.credentials import token_digest


def test_request_without_credentials_is_401(api):
    anonymous = api.as_(None)
    for path in ("/api/register/rule-firings", "/api/notifications/deliveries", "/api/planning/overdue"):
        answer = anonymous.get(path)
        assert answer.status_code == 401, path
        assert answer.json["message"]
    assert api.as_("so_not-a-token").get("/api/planning/overdue").status_code == 401


def test_probes_and_api_documents_need_no_credentials(api):
    anonymous = api.as_(None)
    for service in ("register", "documents", "notifications", "planning"):
        spec = anonymous.get(f"/api/{service}/openapi.json")
        assert spec.status_code == 200
        assert spec.json["openapi"].startswith("3.")
        assert anonymous.get(f"/api/{service}/healthz").status_code == 200
    assert anonymous.get("/healthz").json["status"] == "ok"


def test_role_without_the_right_is_403(api, make_user):
    _, teacher = make_user("teacher")
    answer = api.as_(teacher).post("/api/register/classes", json={"code": "9б", "grade": 9})
    assert answer.status_code == 403
    assert "роля" in answer.json["message"]


def test_token_is_stored_only_as_digest(api, make_user, process):
    _, token = make_user("secretary")
    for runtime in process.runtimes:
        with runtime.db.sessions() as s:
            stored = set(s.scalars(sa.select(runtime.tables.token.token_hash)))
        assert token_digest(token) in stored
        assert token not in stored


def test_web_login_sets_a_session_for_every_service(api, make_user):
    make_user("secretary", "Секретар Петрова", password="много-тайна")
    browser = api.as_(None)
    assert browser.post("/api/register/login", json={"name": "Секретар Петрова", "password": "грешна-парола"}
                        ).status_code == 401
    assert browser.post("/api/register/login", json={"name": "Секретар Петрова", "password": "много-тайна"}
                        ).status_code == 200
    assert browser.get("/api/notifications/deliveries").status_code == 200


def test_every_write_is_audited_and_the_log_is_append_only(api, process):
    answer = api.post("/api/register/classes", json={"code": "11в", "grade": 11})
    assert answer.status_code == 201
    register = process.runtime("register")
    audit = register.tables.audit
    with register.db.sessions() as s:
        entry = s.scalars(sa.select(audit).where(audit.action == "class.create")).one()
    assert entry.actor_role == "director"
    assert entry.after == {"code": "11в", "grade": 11, "class_teacher_id": None}
    with pytest.raises(sa.exc.DatabaseError), register.db.transaction() as s:
        s.execute(sa.update(audit).values(actor_role="teacher"))
    with pytest.raises(sa.exc.DatabaseError), register.db.transaction() as s:
        s.execute(sa.delete(audit))


def test_bad_input_is_422_naming_fields_and_nothing_is_stored(api, process):
    answer = api.post("/api/register/classes", json={"code": "10", "grade": 15, "colour": "син"})
    assert answer.status_code == 422
    errors = answer.json["errors"]
    assert set(errors) == {"code", "grade", "colour"}
    assert errors["colour"] == ["Непознато поле."]
    register = process.runtime("register")
    with register.db.sessions() as s:
        assert s.scalar(sa.select(sa.func.count()).select_from(register.tables.audit).where(
            register.tables.audit.action == "class.create")) == 0
