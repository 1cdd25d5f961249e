"""A page's id beyond what the databases hold is „Няма такава страница“ (404), never a server error."""

from __future__ import annotations

import pytest

from tests.support.pages import signed_in

pytestmark = pytest.mark.integration

PASSWORD = "дълга-парола-1"
HUGE = 2879098111423700944289792  # beyond 64 bits: SQLite's driver cannot even bind it


@pytest.mark.parametrize("path", [f"/register/students/{HUGE}", f"/documents/{HUGE}",
                                  f"/notifications/inbox/{HUGE}", f"/register/exports/{HUGE}/files/neispuo",
                                  f"/register/students/{2**31}", f"/register/sanctions/{HUGE}",
                                  f"/register/sanctions/{2**31}", f"/register/users/{HUGE}", "/register/users/999999"])
def test_an_id_no_database_holds_is_a_404_page(app, make_user, path):
    make_user("director", "Директор Тестов", password=PASSWORD)
    client = signed_in(app, "Директор Тестов", PASSWORD)
    answer = client.get(path)
    assert answer.status_code == 404
    assert "Няма такава страница" in answer.get_data(as_text=True)
