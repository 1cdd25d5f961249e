"""A small JSON client over the combined WSGI app, as an integrator would call it."""

from __future__ import annotations

from collections.abc import Callable

from werkzeug.test import Client


class ApiClient:
    def __init__(self, app, token: str | None, drain: Callable[[], None]) -> None:
        self.app = app
        self.client = Client(app)
        self.token = token
        self.drain = drain

    def as_(self, token: str | None) -> ApiClient:
        return ApiClient(self.app, token, self.drain)

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, path: str, json=None, **kwargs):
        return self.client.open(path, method=method, json=json, headers=self._headers(), **kwargs)

    def get(self, path: str, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path: str, json=None, **kwargs):
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json=None, **kwargs):
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json=None, **kwargs):
        return self.request("PATCH", path, json=json, **kwargs)
