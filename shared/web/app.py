"""The app factory every service uses (one Flask app per service, mounted at ``/api/<service>``)."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, request
from flask_smorest import Api
from werkzeug.exceptions import HTTPException

from shared.auth.flask_auth import authenticate
from shared.errors import (
    ConflictError,
    DomainError,
    InvalidInputError,
    NotAllowedError,
    NotFoundError,
    NotSignedInError,
    TooManyAttemptsError,
)
from shared.outage import RETRY_AFTER_S, storage_failure
from shared.runtime import ServiceRuntime
from shared.web.arguments import install_integer_converter
from shared.web.context import RUNTIME_KEY
from shared.web.errors import flatten
from shared.web.health import readiness
from shared.web.security import install_security_headers
from shared.web.session import session_config

log = logging.getLogger(__name__)

#: What a 401 answer asks for (RFC 6750).
BEARER_CHALLENGE = 'Bearer realm="school-office"'


#: Bulgarian for the answers werkzeug gives in English (an unknown path or id beyond any row, a wrong method…).
HTTP_TEXTS = {
    400: "Заявката не може да бъде разчетена.",
    404: "Няма такъв адрес или запис.",
    405: "Този адрес не приема такава заявка.",
    413: "Изпратеният файл е твърде голям.",
    415: "Видът на изпратените данни не се приема.",
}


class ContractApi(Api):
    """flask-smorest's Api with the contract's error body and Bulgarian messages."""

    def handle_http_exception(self, error: HTTPException):
        data = getattr(error, "data", None) or {}
        description = error.description
        if description == type(error).description:  # werkzeug's own English text, not ours
            description = HTTP_TEXTS.get(error.code, description)
        body: dict = {"message": data.get("message") or description or error.name}
        if "messages" in data:  # webargs validation: {"json": {...}} → field paths
            merged: dict = {}
            for location_messages in data["messages"].values():
                for path, texts in flatten(location_messages).items():
                    merged.setdefault(path, []).extend(texts)
            body["errors"] = merged
            body["message"] = "Невалидни данни."
        elif "errors" in data:
            body["errors"] = data["errors"]
        response = jsonify(body)
        response.status_code = error.code or 500
        for name, value in (data.get("headers") or {}).items():
            response.headers[name] = value
        if error.code == 401:
            response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
        return response


#: The one place where a domain error becomes an HTTP status.
STATUS_OF: tuple[tuple[type[DomainError], int], ...] = (
    (NotSignedInError, 401), (NotFoundError, 404), (NotAllowedError, 403), (ConflictError, 409),
    (InvalidInputError, 422), (TooManyAttemptsError, 429))


def http_status(error: DomainError) -> int:
    return next((code for kind, code in STATUS_OF if isinstance(error, kind)), 422)


def domain_error_response(error: DomainError) -> Response:
    """The contract's error body for a refusal: ``{"message": …, "errors": {path: [texts]}}``."""
    status = http_status(error)
    body: dict = {"message": error.message}
    if error.errors or status in (409, 422):
        body["errors"] = error.errors
    response = jsonify(body)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = BEARER_CHALLENGE
    return response


def create_service_app(runtime: ServiceRuntime) -> Flask:
    """Build the Flask app of one service; nothing here connects until a request arrives."""
    definition = runtime.definition
    app = Flask(f"school_office.{definition.name}")
    app.config.update(
        API_TITLE=f"School Office — {definition.title}",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        **session_config(runtime),
        MAX_CONTENT_LENGTH=20 * 1024 * 1024,
    )
    app.json.ensure_ascii = False
    app.extensions[RUNTIME_KEY] = runtime
    api = ContractApi(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer"}}}, "security": [{"bearer": []}]})
    install_integer_converter(app, api)
    for blueprint in definition.blueprints():
        api.register_blueprint(blueprint)
    app.before_request(authenticate)
    install_security_headers(app)

    @app.after_request
    def count(response):
        runtime.metrics.http_requests.labels(definition.name, f"{response.status_code // 100}xx").inc()
        return response

    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "service": definition.name}

    @app.get("/readyz")
    def readyz():
        ok, checks = readiness([runtime])
        return jsonify({"status": "ready" if ok else "not ready", "checks": checks}), (200 if ok else 503)

    @app.get("/metrics")
    def metrics():
        return Response(runtime.metrics.exposition(), mimetype="text/plain; version=0.0.4; charset=utf-8")

    @app.errorhandler(DomainError)
    def refused(error: DomainError):
        return domain_error_response(error)

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        if isinstance(error, HTTPException):
            return api.handle_http_exception(error)
        if failure := storage_failure(error):
            status, message = failure
            log.error("storage failure in %s %s: %s", request.method, request.path, error)
            return jsonify({"message": message, "errors": {}}), status, {"Retry-After": str(RETRY_AFTER_S)}
        log.error("unhandled error in %s %s", request.method, request.path, exc_info=error)
        return jsonify({"message": "Вътрешна грешка. Опитайте отново или се обърнете към администратора.",
                        "errors": {}}), 500

    return app
