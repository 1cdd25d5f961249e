"""Deactivating a user and revoking a token: refused at once by the register, by every service once
the event has travelled (``schoolctl users deactivate``, ``users revoke-token``)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import drain

pytestmark = pytest.mark.integration

#: One GET of each service that any signed-in user reaches (a 403 still means "known").
PROBES = ("/api/register/school-years", "/api/documents/templates", "/api/notifications/inbox",
          "/api/planning/overdue")


def statuses(api, token: str) -> list[int]:
    return [api.as_(token).get(path).status_code for path in PROBES]


def test_a_deactivated_user_is_refused_by_every_service(api, make_user, process):
    user_id, token = make_user("teacher", "Учител Напуснал", classes=["10а"])
    assert 401 not in statuses(api, token)
    register = process.runtime("register")
    with register.db.transaction() as s:
        assert register.definition.commands["users.deactivate"](register, s, user_id) is True
    assert api.as_(token).get(PROBES[0]).status_code == 401  # the register's own replica, at once
    drain(process)
    assert statuses(api, token) == [401, 401, 401, 401]
    with register.db.transaction() as s:
        assert register.definition.commands["users.deactivate"](register, s, user_id) is False
    with register.db.sessions() as s:
        actions = s.scalars(sa.select(register.tables.audit.action).where(
            register.tables.audit.entity_id == str(user_id))).all()
    assert actions.count("user.deactivate") == 1


def test_a_revoked_token_is_refused_everywhere_while_the_user_stays(api, make_user, process):
    user_id, token = make_user("secretary", "Секретар Ключ")
    register = process.runtime("register")
    with register.db.transaction() as s:
        _id, second = register.definition.commands["users.add"](
            register, s, name="Секретар Ключ 2", role="secretary", class_codes=[], student_ids=[], email=None,
            password=None)
    drain(process)
    with register.db.transaction() as s:
        assert register.definition.commands["users.revoke_token"](register, s, token) == user_id
    drain(process)
    assert statuses(api, token) == [401, 401, 401, 401]
    assert 401 not in statuses(api, second)
    with register.db.sessions() as s:
        listed = {u["id"]: u for u in register.definition.commands["users.list"](s)}
    assert listed[user_id]["active"] is True
    assert listed[user_id]["tokens"] == 0
