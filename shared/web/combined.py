"""The WSGI apps as they are mounted: everything on one port (embedded), or one service (production).

Paths are the same in both: ``/api/<service>/…`` for the JSON API, ``/<service>/…`` for its pages,
and the register's front pages (``/``, ``/login``, ``/logout``) with the shared ``/static`` at the
root. In production nginx routes each prefix to its service (``deploy/nginx``).
"""

from __future__ import annotations

from flask import Flask, Response, jsonify
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.runtime import ServiceRuntime
from shared.web.app import create_service_app
from shared.web.health import readiness
from shared.web.pages import create_pages_app
from shared.web.security import install_security_headers

#: Probes answer without a session.
PROBES = ("healthz", "readyz", "metrics")


def _add_probes(app: Flask, runtimes: list[ServiceRuntime]) -> None:
    @app.get("/healthz")
    def healthz():
        return {"status": "ok", "services": [rt.name for rt in runtimes]}

    @app.get("/readyz")
    def readyz():
        ok, checks = readiness(runtimes)
        return jsonify({"status": "ready" if ok else "not ready", "checks": checks}), (200 if ok else 503)

    @app.get("/metrics")
    def metrics():
        # One process, one metrics object: any runtime's exposition has all series.
        return Response(runtimes[0].metrics.exposition(), mimetype="text/plain; version=0.0.4; charset=utf-8")


def _root_app(runtimes: list[ServiceRuntime], front: ServiceRuntime | None) -> Flask:
    """The register's front pages and the probes; a bare app where the register is not served here."""
    if front is None:
        root = Flask("school_office_root")
        install_security_headers(root)
    else:
        root = create_pages_app(front, front.definition.front_pages(), name="front",
                                public=(*front.definition.public_pages, *PROBES))
    _add_probes(root, runtimes)
    return root


def _mounts(runtime: ServiceRuntime) -> dict[str, object]:
    mounts: dict[str, object] = {f"/api/{runtime.name}": create_service_app(runtime)}
    pages = runtime.definition.pages()
    if pages:
        mounts[f"/{runtime.name}"] = create_pages_app(runtime, pages, name=runtime.name)
    return mounts


def create_combined_app(runtimes: list[ServiceRuntime]):
    front = next((rt for rt in runtimes if rt.definition.front_pages()), None)
    mounts: dict[str, object] = {}
    for runtime in runtimes:
        mounts.update(_mounts(runtime))
    return DispatcherMiddleware(_root_app(runtimes, front), mounts)


def create_mounted_app(runtime: ServiceRuntime):
    """Production: one service, at the same paths as in the embedded mode."""
    front = runtime if runtime.definition.front_pages() else None
    app = DispatcherMiddleware(_root_app([runtime], front), _mounts(runtime))
    # Behind nginx (deploy/nginx), which terminates TLS and says so in X-Forwarded-Proto/-For.
    return ProxyFix(app, x_for=1, x_proto=1)
