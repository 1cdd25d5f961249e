"""A one-time password locks the API too, „Нова парола“ ends the user's sessions everywhere, and
„Деактивирай“ asks first (``../shared/spec/web-ui.md``, ``/register/users``)."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa
from werkzeug.test import Client

from tests.conftest import drain
from tests.support.pages import csrf_of, signed_in

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
MANAGER = "Директор Потребители"
#: One GET of each service that any signed-in user reaches.
PROBES = ("/api/register/school-years", "/api/documents/templates", "/api/notifications/inbox",
          "/api/planning/overdue")
ONE_TIME = re.compile(r'<code>([^<]+)</code>')


def _new_password(manager, user_id: int) -> str:
    """„Нова парола“ on the user's page; the one-time password shown on that answer only."""
    form = csrf_of(manager.get(f"/register/users/{user_id}").get_data(as_text=True))
    answer = manager.post(f"/register/users/{user_id}/password", data={"csrf_token": form})
    assert answer.status_code == 200
    return ONE_TIME.search(answer.get_data(as_text=True)).group(1)


def _statuses(client, **kwargs) -> list[int]:
    return [client.get(path, **kwargs).status_code for path in PROBES]


def test_a_one_time_password_refuses_the_api_on_every_service_until_it_is_changed(app, make_user, process):
    make_user("director", MANAGER, password=PASSWORD)
    user_id, token = make_user("secretary", "Секретар Временен", password=PASSWORD)
    bearer = {"headers": {"Authorization": f"Bearer {token}"}}
    assert 403 not in _statuses(Client(app), **bearer)
    manager = signed_in(app, MANAGER, PASSWORD)
    one_time = _new_password(manager, user_id)
    drain(process)
    # The token and a session signed in with the one-time password: every operation but the change is a 403.
    for answer in [Client(app).get(path, **bearer) for path in PROBES]:
        assert answer.status_code == 403
        assert "еднократната си парола" in answer.json["message"]
    session = Client(app)
    signed = session.post("/api/register/login", json={"name": "Секретар Временен", "password": one_time})
    assert signed.status_code == 200
    assert _statuses(session) == [403, 403, 403, 403]
    assert session.post("/api/register/classes", json={"code": "12а", "grade": 12}).status_code == 403
    # Changing it through the API opens every service again, for the token and the session alike.
    changed = session.post("/api/register/password", json={"current": one_time, "new": "моята-парола-7",
                                                           "repeated": "моята-парола-7"})
    assert changed.status_code == 204, changed.get_data(as_text=True)
    assert 403 not in _statuses(session)
    assert 403 not in _statuses(Client(app), **bearer)


def test_a_new_password_ends_the_users_open_sessions_on_every_service(app, make_user, process):
    make_user("director", MANAGER, password=PASSWORD)
    user_id, _token = make_user("teacher", "Учител Забравил", password=PASSWORD)
    teacher = signed_in(app, "Учител Забравил", PASSWORD)
    assert 401 not in _statuses(teacher)
    _new_password(signed_in(app, MANAGER, PASSWORD), user_id)
    assert _statuses(teacher) == [401, 401, 401, 401]
    with process.runtime("register").db.sessions() as s:
        audit = process.runtime("register").tables.audit
        assert "user.password.reset" in s.scalars(sa.select(audit.action).where(audit.entity_id == str(user_id))).all()


def test_deactivating_asks_for_confirmation_first_without_javascript(app, make_user, process):
    make_user("director", MANAGER, password=PASSWORD)
    user_id, token = make_user("teacher", "Учител Напускащ", password=PASSWORD)
    manager = signed_in(app, MANAGER, PASSWORD)
    form = csrf_of(manager.get(f"/register/users/{user_id}").get_data(as_text=True))
    asked = manager.post(f"/register/users/{user_id}/deactivate", data={"csrf_token": form})
    assert asked.status_code == 200
    page = asked.get_data(as_text=True)
    assert "Да деактивирам ли Учител Напускащ?" in page
    assert 'name="confirm" value="yes"' in page
    bearer = {"headers": {"Authorization": f"Bearer {token}"}}
    assert Client(app).get(PROBES[0], **bearer).status_code == 200  # nothing changed yet
    done = manager.post(f"/register/users/{user_id}/deactivate", data={"csrf_token": form, "confirm": "yes"})
    assert done.status_code == 303
    drain(process)
    assert _statuses(Client(app), **bearer) == [401, 401, 401, 401]
