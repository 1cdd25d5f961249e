"""Checking an answer against the service's own API document, as an integrator's generated client would."""

from __future__ import annotations

import schemathesis


def assert_as_documented(app, service: str, method: str, path: str, response) -> None:
    """Fail, saying which part differs, when ``response`` does not match the document's declared body.

    ``path`` is the document's template (``/exports/monthly/{export_id}``), without ``/api/<service>``.
    """
    schema = schemathesis.openapi.from_wsgi(f"/api/{service}/openapi.json", app)
    schema[path][method.upper()].validate_response(response)
