"""SMS through an HTTP gateway the test runs on loopback, and the in-app inbox with read receipts."""

from __future__ import annotations

import base64
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from tests.notifications.support import deliveries, publish_from_register, rule_fired
from tests.support.school import setup_small_school


class Gateway:
    """A tiny SMS gateway: records each JSON request and its basic-auth user."""

    def __init__(self) -> None:
        self.received: list[tuple[str, dict]] = []
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
                user = base64.b64decode(self.headers["Authorization"].split()[1]).decode().split(":")[0]
                gateway.received.append((user, body))
                self.send_response(202)
                self.end_headers()

            def log_message(self, *_args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Gateway:
        self.thread.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gateway():
    with Gateway() as running:
        yield running


@pytest.fixture
def settings(settings, gateway):
    return settings.replace(sms_gateway_url=gateway.url, sms_gateway_user="school", sms_gateway_password="secret")


def test_a_guardian_who_chose_sms_gets_it_through_the_gateway(api, make_user, process, gateway):
    school = setup_small_school(api, make_user, guardians=[
        {"name": "Петър Иванов", "email": "petar@example.bg", "phone": "+359888000001"}])
    from services.notifications.models import Guardian  # noqa: PLC0415

    notifications = process.runtime("notifications")
    with notifications.db.sessions() as s:
        guardian_id = s.scalar(sa.select(Guardian.id))
    assert api.put(f"/api/notifications/guardians/{guardian_id}/preferences",
                   json={"channels": ["sms"]}).status_code == 200
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 8))
    api.drain()
    [(user, body)] = gateway.received
    assert user == "school"
    assert body["to"] == "+359888000001"
    assert "8 отсъствия по неуважителни причини" in body["text"]
    [sms] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "sms"]
    assert sms["status"] == "sent"


def test_unknown_channel_preference_is_refused(api, make_user, process):
    setup_small_school(api, make_user)
    answer = api.put("/api/notifications/guardians/1/preferences", json={"channels": ["гълъб"]})
    assert answer.status_code == 422
    assert "channels" in answer.json["errors"]


def test_parents_read_their_inbox_and_the_read_receipt_is_kept(api, make_user, process, smtp):
    school = setup_small_school(api, make_user)
    _uid, parent = make_user("parent", "Петър Иванов", students=[school.student_id])
    _uid, other = make_user("parent", "Друг родител", students=[school.student_id + 1])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    inbox = api.as_(parent).get("/api/notifications/inbox")
    assert inbox.status_code == 200
    [message] = inbox.json
    assert "Чл. 97, т. 8" in message["body"]
    assert message["read_at"] is None
    assert api.as_(other).post(f"/api/notifications/inbox/{message['id']}/read").status_code == 404
    read = api.as_(parent).post(f"/api/notifications/inbox/{message['id']}/read")
    assert read.status_code == 200
    assert read.json["read_at"] is not None
    assert api.as_(other).get("/api/notifications/inbox").json == []
