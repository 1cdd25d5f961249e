"""A page's id beyond what the databases hold is „Няма такава страница“ (404), never a server error."""

from __future__ import annotations

import re

import pytest
from werkzeug.test import Client

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
HUGE = 2879098111423700944289792  # beyond 64 bits: SQLite's driver cannot even bind it


@pytest.mark.parametrize("path", [f"/register/students/{HUGE}", f"/documents/{HUGE}",
                                  f"/notifications/inbox/{HUGE}", f"/register/exports/{HUGE}/files/neispuo",
                                  f"/register/students/{2**31}"])
def test_an_id_no_database_holds_is_a_404_page(app, make_user, path):
    make_user("director", "Директор Тестов", password=PASSWORD)
    client = Client(app)
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").get_data(as_text=True)).group(1)
    assert client.post("/login", data={"name": "Директор Тестов", "password": PASSWORD,
                                       "csrf_token": token}).status_code == 303
    answer = client.get(path)
    assert answer.status_code == 404
    assert "Няма такава страница" in answer.get_data(as_text=True)
