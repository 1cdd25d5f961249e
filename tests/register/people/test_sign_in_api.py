"""POST /api/register/login: the same check as the login page, throttled per user name (web-ui.md)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"


@pytest.mark.backend("embedded")
def test_five_wrong_passwords_refuse_the_name_for_a_while_even_with_the_right_one(backend, api, make_user):
    make_user("secretary", "Галя Петкова", password=PASSWORD)
    make_user("teacher", "Учител Друг", password=PASSWORD)
    anonymous = api.as_(None)

    def login(name: str, password: str):
        return anonymous.post("/api/register/login", json={"name": name, "password": password})

    for _ in range(5):
        wrong = login("Галя Петкова", "грешна-парола")
        assert wrong.status_code == 401
        assert wrong.json["message"] == "Грешно име или парола."
        assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
        assert "Set-Cookie" not in wrong.headers
    refused = login("Галя Петкова", PASSWORD)
    assert refused.status_code == 429
    assert "Твърде много неуспешни опити" in refused.json["message"]
    assert "Set-Cookie" not in refused.headers
    # Another name is not affected; a right password signs in and sets the session cookie.
    other = login("Учител Друг", PASSWORD)
    assert other.status_code == 200
    assert "HttpOnly" in other.headers["Set-Cookie"]
    assert "SameSite=Lax" in other.headers["Set-Cookie"]
