"""Every operation with a role gate refuses every other role with 403, whatever the request holds.

Generated from each service's URL map: a route's ``require_roles`` declares who may call it; each
role outside it is refused before its input is read (an empty body included), and each role inside
it is never refused for its role. Scopes (the class teacher of another class, the parent of another
child) are tested with their features.
"""

from __future__ import annotations

import re

import pytest

from shared.auth.roles import ROLES
from shared.web.app import create_service_app

pytestmark = pytest.mark.integration

#: Path parameters filled so the route matches (ids that do not exist: the gate comes first).
SAMPLE = {"code": "10а", "key": "student_certificate", "kind": "neispuo", "name": "hearing"}
ROLE_REFUSAL = "Вашата роля няма право на това действие."


def gated_operations(runtime) -> list[tuple[str, str, frozenset[str]]]:
    app = create_service_app(runtime)
    found = []
    for rule in app.url_map.iter_rules():
        allowed = getattr(app.view_functions[rule.endpoint], "allowed_roles", None)
        if allowed is None:
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: SAMPLE.get(m.group(1), "999999"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            found.append((method, path, allowed))
    return found


@pytest.mark.backend("embedded")
def test_each_role_gate_refuses_exactly_the_roles_it_does_not_name(backend, process, api, make_user):
    tokens = {role: make_user(role, f"{role} проба")[1] for role in ROLES}
    checked = 0
    for runtime in process.runtimes:
        operations = gated_operations(runtime)
        assert operations or runtime.name == "notifications", f"{runtime.name}: no role gates found"
        for method, path, allowed in operations:
            url = f"/api/{runtime.name}{path}"
            for role in ROLES:
                answer = api.as_(tokens[role]).request(method, url, json={})
                if role in allowed:
                    assert not (answer.status_code == 403 and answer.json.get("message") == ROLE_REFUSAL), \
                        f"{method} {url} refused {role}, which its gate names"
                else:
                    assert answer.status_code == 403, f"{method} {url} as {role}: {answer.status_code} {answer.json}"
                checked += 1
    assert checked > 200


def test_every_role_has_its_bulgarian_name():
    from shared.auth.roles import ROLE_TITLES  # noqa: PLC0415

    assert set(ROLE_TITLES) == set(ROLES)
