"""Every API operation of the four services, fuzzed from its own OpenAPI document (issue 17, point 4).

Schemathesis generates requests from each service's ``/api/<service>/openapi.json`` — valid ones
and invalid ones — on both backends (SQLite and PostgreSQL hold different integers and texts) and
sends them with the bearer token of a role the operation's gate admits (the director's wherever
it may call it). Every answer must be no server error (5xx), carry a status
code, content type and body that the document declares for it. A bounded, derandomized number of
examples per operation keeps the run reproducible and inside ``make test``'s budget; the database
keeps what earlier operations created, so later ones meet real rows as well as missing ones.
Measured: the four services take about 1 minute on each backend (2 cores, up to twice that when busy).

Each bug this found is fixed and kept as a plain regression test beside its feature (numbers and
texts no database holds: ``tests/platform/test_arguments_no_database_holds.py``; bad files:
``tests/register/*/test_import_bad_files.py``; answers off their document:
``tests/register/exports/test_monthly_export_answers.py``, ``tests/register/school/test_school_profile.py``).
"""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

pytestmark = [
    pytest.mark.integration,
    # Schemathesis' negative-data strategies draw from the `random` module; Hypothesis seeds it
    # for every example (so the run stays reproducible) and says so with this deprecation.
    pytest.mark.filterwarnings("ignore:Do not use the `random` module inside strategies"),
]

#: Examples per operation and per generation mode (valid data, then invalid data).
EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
#: Who calls an operation whose gate does not admit the director: the first role of this order it admits.
ROLE_ORDER = ("director", "deputy_director", "secretary", "class_teacher", "teacher", "psychologist", "it_admin",
              "parent")
SERVICES = ("register", "documents", "notifications", "planning")


def gates(service_app) -> dict[tuple[str, str], frozenset[str]]:
    """(METHOD, document path) → the roles the operation's ``require_roles`` admits."""
    found = {}
    for rule in service_app.url_map.iter_rules():
        allowed = getattr(service_app.view_functions[rule.endpoint], "allowed_roles", None)
        if allowed is not None:
            path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
            found.update({(method, path): allowed for method in rule.methods})
    return found


def fuzz(operation, headers: dict[str, str], mode: GenerationMode) -> dict[str, str]:
    """The distinct failures of ``EXAMPLES`` generated requests: check title → the first report of it."""
    failures: dict[str, str] = {}

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case):
        try:
            case.call_and_validate(headers=headers, checks=CHECKS)
        except FailureGroup as group:
            for failure in group.exceptions:
                failures.setdefault(failure.title, str(group))

    run()
    return failures


@pytest.mark.parametrize("service", SERVICES)
def test_every_operation_answers_as_its_document_declares(app, make_user, service, backend):
    schema = schemathesis.openapi.from_wsgi(f"/api/{service}/openapi.json", app)
    schema.config.update(base_url=f"http://localhost/api/{service}")
    operation_gates = gates(app.mounts[f"/api/{service}"])
    tokens: dict[str, str] = {}

    def token_for(allowed: frozenset[str] | None) -> str:
        role = next(r for r in ROLE_ORDER if allowed is None or r in allowed)
        if role not in tokens:
            tokens[role] = make_user(role, f"Проба {role}")[1]
        return tokens[role]

    operations = [result.ok() for result in schema.get_all_operations()]
    report = []
    for operation in operations:
        allowed = operation_gates.get((operation.method.upper(), operation.path))
        headers = {"Authorization": f"Bearer {token_for(allowed)}"}
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            report.extend(f"{operation.label} ({mode.value} data): {text}"
                          for text in fuzz(operation, headers, mode).values())

    assert len(operations) >= {"register": 39, "documents": 11, "notifications": 4, "planning": 13}[service]
    assert not report, "\n\n".join(report)
