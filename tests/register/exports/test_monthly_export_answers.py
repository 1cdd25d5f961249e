"""The month's preparation answers with moments as its API document declares them (RFC 3339 date-time).

Regression of the fuzzing (issue 17): on SQLite ``prepared_at`` came back without its offset
(``2023-11-01T06:00:00.123456``), which is no ``date-time``; every other moment the API writes
goes through the same field.
"""

from __future__ import annotations

import datetime as dt

import pytest

from tests.support.openapi import assert_as_documented
from tests.support.school import setup_small_school


@pytest.fixture
def settings(settings):
    return settings.replace(today=dt.date(2023, 11, 1), monthly_export_day=1)


def test_a_prepared_month_answers_its_moments_with_their_offset(api, app, make_user, backend):
    setup_small_school(api, make_user)

    prepared = api.post("/api/register/exports/monthly", json={"year": 2023, "month": 10})
    listed = api.get("/api/register/exports/monthly")
    one = api.get(f"/api/register/exports/monthly/{prepared.json['id']}")
    submitted = api.post(f"/api/register/exports/monthly/{prepared.json['id']}/submitted",
                         json={"submitted_on": "2023-11-03"})

    assert prepared.status_code == 201, prepared.json
    moment = dt.datetime.fromisoformat(one.json["prepared_at"])
    assert moment.utcoffset() == dt.timedelta(0)
    assert listed.json[0]["prepared_at"] == one.json["prepared_at"]
    assert_as_documented(app, "register", "POST", "/exports/monthly", prepared)
    assert_as_documented(app, "register", "GET", "/exports/monthly", listed)
    assert_as_documented(app, "register", "GET", "/exports/monthly/{export_id}", one)
    assert_as_documented(app, "register", "POST", "/exports/monthly/{export_id}/submitted", submitted)
