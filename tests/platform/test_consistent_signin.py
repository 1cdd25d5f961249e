"""Sign-in everywhere at once (issue 17, point 1), with tens of thousands of messages waiting.

Each service's normal queue holds a backlog of real events, as just after a bulk import, and the
real workers (the main one and the identity lane's, as ``schoolctl up`` starts them) are working
through it.  ``schoolctl users add``'s token then works on every service as soon as the command
returns; a deactivated user, a revoked token and a signed-out session are refused on every service
as soon as the command or „Изход“ returns, while most of the backlog is still waiting.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
import time
import uuid

import pytest
from dramatiq import Message
from werkzeug.test import Client

from shared.auth.credentials import token_digest
from shared.bootstrap import build_process, upgrade_databases
from shared.cli import users as users_cli
from shared.cli.main import _parser
from shared.messages import Envelope
from shared.messaging.broker import event_actor_name, events_queue, identity_actor_name, identity_queue
from shared.messaging.identity import WAIT_S, propagate, wait_until_applied
from shared.messaging.outbox import urgent_events
from shared.settings import SERVICES
from shared.web.combined import create_combined_app

#: Messages put on each service's events queue before the users are changed.
BACKLOG_PER_SERVICE = 10_000

#: An authenticated GET of each service that the director may call.
ENDPOINTS = {
    "register": "/api/register/sanctions",
    "documents": "/api/documents/templates",
    "notifications": "/api/notifications/deliveries",
    "planning": "/api/planning/plans",
}


def _school_saved(n: int) -> dict:
    """A real event every service handles cheaply (the school's letterhead), each with its own id."""
    return Envelope(id=str(uuid.uuid4()), type="register.school_saved", version=1, producer="register",
                    occurred_at=dt.datetime.now(dt.UTC),
                    payload={"name": f"СУ „Христо Ботев“ {n}", "neispuo_code": "2206409"}).to_wire()


def _fill_queues(process, per_service: int) -> None:
    for service in SERVICES:
        for start in range(0, per_service, 5_000):
            process.broker.enqueue_batch([
                Message(queue_name=events_queue(service), actor_name=event_actor_name(service),
                        args=(_school_saved(n),), kwargs={}, options={})
                for n in range(start, min(per_service, start + 5_000))])


def _waiting(process) -> int:
    return sum(process.broker.do_qsize(events_queue(service)) for service in SERVICES)


def _schoolctl(settings, monkeypatch, capsys, *argv: str, stdin: str = "") -> tuple[int, str, str, float]:
    """``schoolctl users …`` as the command line runs it (same parser, same function), timed."""
    args = _parser().parse_args(["users", *argv])
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    command = {"add": users_cli.add_user, "deactivate": users_cli.deactivate,
               "revoke-token": users_cli.revoke_token}[args.users_command]
    started = time.perf_counter()
    code = command(args, settings)
    took = time.perf_counter() - started
    out, err = capsys.readouterr()
    return code, out, err, took


def _statuses(app, *, token: str | None = None, cookie: str | None = None) -> dict[str, int]:
    client = Client(app)
    if cookie is not None:
        client.set_cookie("session", cookie)
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return {service: client.get(path, headers=headers).status_code for service, path in ENDPOINTS.items()}


EVERYWHERE_OK = dict.fromkeys(SERVICES, 200)
EVERYWHERE_REFUSED = dict.fromkeys(SERVICES, 401)


@pytest.fixture
def backlog(process):
    _fill_queues(process, BACKLOG_PER_SERVICE)
    return process


def test_tokens_work_and_stop_working_everywhere_when_the_command_returns(
        backlog, app, settings, monkeypatch, capsys, record_property):
    process = backlog
    assert _waiting(process) > 3 * BACKLOG_PER_SERVICE  # the workers have only begun on it

    code, out, err, took_add = _schoolctl(settings, monkeypatch, capsys, "add", "--name", "Мария Петрова",
                                          "--role", "director")
    assert code == 0, err
    assert err == ""  # every running service confirmed: nothing to warn about
    created = json.loads(out)
    assert _statuses(app, token=created["token"]) == EVERYWHERE_OK

    code, out, err, took_deactivate = _schoolctl(settings, monkeypatch, capsys, "deactivate", str(created["id"]))
    assert (code, err) == (0, "")
    assert "деактивиран" in out
    assert _statuses(app, token=created["token"]) == EVERYWHERE_REFUSED

    code, out, err, _took = _schoolctl(settings, monkeypatch, capsys, "add", "--name", "Галя Петкова",
                                       "--role", "director")
    second = json.loads(out)
    assert _statuses(app, token=second["token"]) == EVERYWHERE_OK
    code, out, err, took_revoke = _schoolctl(settings, monkeypatch, capsys, "revoke-token",
                                             stdin=second["token"] + "\n")
    assert (code, err) == (0, "")
    assert _statuses(app, token=second["token"]) == EVERYWHERE_REFUSED

    still_waiting = _waiting(process)
    assert still_waiting > 0  # all of the above overtook the backlog
    for name, took in (("add", took_add), ("deactivate", took_deactivate), ("revoke_token", took_revoke)):
        record_property(f"users_{name}_seconds", round(took, 3))
    record_property("messages_waiting_after", still_waiting)
    print(f"\n[{settings.redis_url}] {4 * BACKLOG_PER_SERVICE} queued: users add {took_add:.3f} s, "
          f"deactivate {took_deactivate:.3f} s, revoke-token {took_revoke:.3f} s; {still_waiting} still waiting")


def _csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def test_a_signed_out_session_is_refused_everywhere_when_the_sign_out_returns(
        backlog, app, settings, monkeypatch, capsys, record_property):
    process = backlog
    code, _out, err, _took = _schoolctl(settings, monkeypatch, capsys, "add", "--name", "Мария Петрова",
                                       "--role", "director", "--password-stdin", stdin="дълга-парола\n")
    assert code == 0, err
    browser = Client(app)
    assert browser.post("/api/register/login", json={"name": "Мария Петрова", "password": "дълга-парола"}
                        ).status_code == 200
    copied = browser.get_cookie("session").value  # what a stolen or second-tab copy of the cookie holds
    assert _statuses(app, cookie=copied) == EVERYWHERE_OK
    home = browser.get("/")
    assert home.status_code == 200
    assert browser.get("/register/fragments/home").status_code == 200

    started = time.perf_counter()
    signed_out = browser.post("/logout", data={"csrf_token": _csrf_token(home.get_data(as_text=True))})
    took = time.perf_counter() - started
    assert signed_out.status_code == 303
    assert signed_out.headers["Location"] == "/login"

    assert _statuses(app, cookie=copied) == EVERYWHERE_REFUSED
    stale = Client(app)
    stale.set_cookie("session", copied)
    for page in ("/", "/register/fragments/home"):
        refused = stale.get(page)
        assert refused.status_code == 302
        assert refused.headers["Location"].startswith("/login")
    # The refused cookie is deleted, not signed afresh: it cannot outlive its revocation.
    assert stale.get_cookie("session") is None

    # Signing in again starts a new session, which works everywhere at once.
    assert browser.post("/api/register/login", json={"name": "Мария Петрова", "password": "дълга-парола"}
                        ).status_code == 200
    assert _statuses(app, cookie=browser.get_cookie("session").value) == EVERYWHERE_OK

    still_waiting = _waiting(process)
    assert still_waiting > 0
    record_property("sign_out_seconds", round(took, 3))
    print(f"\n[{settings.redis_url}] {4 * BACKLOG_PER_SERVICE} queued: sign-out {took:.3f} s; "
          f"{still_waiting} still waiting")



def test_an_api_client_signs_out_its_session_everywhere_and_a_key_is_not_signed_out(app, make_user):
    """``POST /api/register/logout``: the cookie of ``POST /api/register/login`` is refused by every service
    when it returns (a copy too); a key (token) is the administrator's to revoke, so a call with one is refused
    with 409 and the key keeps working."""
    _uid, token = make_user("director", "Мария Петрова", password="дълга-парола")
    client = Client(app)
    assert client.post("/api/register/login", json={"name": "Мария Петрова", "password": "дълга-парола"}
                       ).status_code == 200
    copied = client.get_cookie("session").value
    assert _statuses(app, cookie=copied) == EVERYWHERE_OK
    signed_out = client.post("/api/register/logout")
    assert signed_out.status_code == 204, signed_out.get_json()
    assert _statuses(app, cookie=copied) == EVERYWHERE_REFUSED
    assert client.post("/api/register/logout").status_code == 401  # nobody is signed in any more

    refused = Client(app).post("/api/register/logout", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 409
    assert "ключ (token) не се отменя" in refused.get_json()["message"]
    assert _statuses(app, token=token) == EVERYWHERE_OK

def test_a_service_that_is_down_is_named_not_waited_for_and_applies_the_change_when_it_starts(
        settings, plugins, monkeypatch, capsys):
    upgrade_databases(settings, plugins=plugins)
    running = build_process(settings, ("register", "documents", "notifications"), plugins=plugins)
    running.start_relays()
    running.start_worker()
    try:
        code, out, err, took = _schoolctl(settings, monkeypatch, capsys, "add", "--name", "Мария Петрова",
                                          "--role", "director")
        assert code == 0
        token = json.loads(out)["token"]
        assert "не работят и ще я приложат, когато бъдат стартирани: planning." in err
        assert took < WAIT_S  # the stopped service was not waited for
        planning = build_process(settings, ("planning",), plugins=plugins)
        planning.start_worker()
        try:
            deadline = time.monotonic() + 30
            app = create_combined_app(planning.runtimes)
            while Client(app).get(ENDPOINTS["planning"], headers={"Authorization": f"Bearer {token}"}
                                  ).status_code != 200:
                assert time.monotonic() < deadline, "planning never applied the user from its queue"
                time.sleep(0.05)
        finally:
            planning.stop()
    finally:
        running.stop()


def test_an_older_identity_event_arriving_late_does_not_undo_a_newer_one(process, app, make_user):
    """A retried event (say, the user's creation) handled after the deactivation leaves them deactivated."""
    register = process.runtime("register")
    user_id, token = make_user("director", "Мария Петрова")
    created_at = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=5)
    with register.db.transaction() as s:
        register.definition.commands["users.deactivate"](register, s, user_id)
        events = urgent_events(s)
    assert propagate(register, events).complete
    assert _statuses(app, token=token) == EVERYWHERE_REFUSED

    late = Envelope(id=str(uuid.uuid4()), type="identity.user_saved", version=1, producer="register",
                    occurred_at=created_at, payload={
                        "user_id": user_id, "name": "Мария Петрова", "role": "director", "class_codes": [],
                        "student_ids": [], "email": None, "active": True, "token_hashes": [token_digest(token)]})
    process.broker.enqueue_batch([
        Message(queue_name=identity_queue(service), actor_name=identity_actor_name(service),
                args=(late.to_wire(),), kwargs={}, options={})
        for service in ("documents", "notifications", "planning")])
    assert wait_until_applied(process.broker.client, [(late.id, late.type)]).complete
    assert _statuses(app, token=token) == EVERYWHERE_REFUSED
