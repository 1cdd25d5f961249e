"""Security headers on every answer: API, errors, probes; HSTS only over TLS (behind nginx)."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

from shared.web.combined import create_mounted_app

pytestmark = pytest.mark.integration


def assert_protected(answer) -> None:
    policy = answer.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in policy
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert answer.headers["Referrer-Policy"] == "same-origin"
    assert answer.headers["X-Frame-Options"] == "DENY"


@pytest.mark.backend("embedded")
def test_every_kind_of_answer_carries_the_security_headers(backend, api):
    client = api.client
    for path, status in (("/healthz", 200), ("/api/register/openapi.json", 200), ("/api/planning/healthz", 200),
                         ("/api/register/students/1", 401)):
        answer = client.get(path)
        assert answer.status_code == status, path
        assert_protected(answer)
        assert "Strict-Transport-Security" not in answer.headers
    for answer, status in ((api.get("/api/register/classes"), 405),
                           (api.get("/api/register/students/999999/absences/summary"), 404),
                           (api.post("/api/register/students", json={"first_name": ""}), 422),
                           (api.get("/api/notifications/deliveries"), 200)):
        assert answer.status_code == status, answer.json
        assert_protected(answer)


@pytest.mark.backend("embedded")
def test_hsts_only_when_the_request_came_over_tls(backend, process):
    client = Client(create_mounted_app(process.runtime("register")))
    plain = client.get("/api/register/healthz")
    assert "Strict-Transport-Security" not in plain.headers
    secure = client.get("/api/register/healthz", headers={"X-Forwarded-Proto": "https"})
    assert secure.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert_protected(secure)


#: Path parameters of the GET routes: a record that exists or not, the answer carries the headers.
SAMPLE = {"code": "10а", "key": "student_certificate", "kind": "neispuo", "name": "hearing", "filename": "school.css"}


def get_routes(combined) -> list[str]:
    """Every GET route of every mounted app (the root's pages and probes, each service's API and pages)."""
    apps = {"": combined.app, **combined.mounts}
    paths = []
    for prefix, app in apps.items():
        for rule in app.url_map.iter_rules():
            if "GET" in rule.methods:
                paths.append(prefix + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "1"), rule.rule))
    return paths


@pytest.mark.backend("embedded")
def test_every_get_route_of_every_service_carries_the_security_headers(backend, app, make_user):
    _uid, _token = make_user("director", "Директор Заглавки", password="парола-за-заглавки")
    client = Client(app)
    assert client.post("/api/register/login", json={"name": "Директор Заглавки",
                                                    "password": "парола-за-заглавки"}).status_code == 200
    paths = get_routes(app)
    assert len(paths) > 40
    for path in (*paths, "/няма-такава", "/api/register/няма-такава", "/register/няма-такава"):
        for headers in ({}, {"HX-Request": "true"}):  # the session's page, and its htmx fragment
            answer = client.get(path, headers=headers)
            answer.close()  # files (static, documents) are streamed: let go of them
            assert answer.status_code < 500, (path, answer.status_code)
            assert_protected(answer)
            assert "Strict-Transport-Security" not in answer.headers, path
