"""What a request handler reaches for: the runtime of the service whose app is answering."""

from __future__ import annotations

from flask import current_app

from shared.runtime import ServiceRuntime

#: The key under ``app.extensions`` where the app factory keeps its service's runtime.
RUNTIME_KEY = "school_runtime"


def current_runtime() -> ServiceRuntime:
    """The answering service's runtime (settings, database, clock, components)."""
    return current_app.extensions[RUNTIME_KEY]
