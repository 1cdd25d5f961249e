"""The embedded mode's single WSGI app: the four services under ``/api/<service>`` plus root probes."""

from __future__ import annotations

from flask import Flask, Response, jsonify, redirect
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.middleware.proxy_fix import ProxyFix

from shared.runtime import ServiceRuntime
from shared.web.app import create_service_app
from shared.web.health import readiness
from shared.web.security import install_security_headers


def create_combined_app(runtimes: list[ServiceRuntime]):
    root = Flask("school_office")
    root.json.ensure_ascii = False
    install_security_headers(root)

    @root.get("/healthz")
    def healthz():
        return {"status": "ok", "services": [rt.name for rt in runtimes]}

    @root.get("/readyz")
    def readyz():
        ok, checks = readiness(runtimes)
        return jsonify({"status": "ready" if ok else "not ready", "checks": checks}), (200 if ok else 503)

    @root.get("/metrics")
    def metrics():
        # One process, one metrics object: any runtime's exposition has all series.
        return Response(runtimes[0].metrics.exposition(), mimetype="text/plain; version=0.0.4; charset=utf-8")

    @root.get("/")
    def index():
        return redirect("/api/register/openapi.json")

    mounts = {f"/api/{rt.name}": create_service_app(rt) for rt in runtimes}
    return DispatcherMiddleware(root, mounts)


def create_mounted_app(runtime: ServiceRuntime):
    """Production: one service, still answering under ``/api/<service>`` so paths are the same."""
    app = create_service_app(runtime)
    root = Flask("school_office_root")
    install_security_headers(root)
    # Behind nginx (deploy/nginx), which terminates TLS and says so in X-Forwarded-Proto/-For.
    return ProxyFix(DispatcherMiddleware(root, {f"/api/{runtime.name}": app}), x_for=1, x_proto=1)
