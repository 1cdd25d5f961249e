"""Moments on pages are shown in the school's time zone (``SCHOOL_TIMEZONE``, Europe/Sofia) through the
shared Babel filters, and the notices' dates on the home card are the school's today (``SCHOOL_TODAY``)."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from services.notifications.delivery import plan
from services.notifications.models import Delivery
from services.notifications.rules.messages import Text
from services.notifications.rules.notices import About, Recipient
from shared.clock import Clock
from shared.web.formats import date_time, short_date
from tests.support.pages import signed_in

PASSWORD = "дълга-парола-1"
#: 23:30 UTC on 2 October 2023 is 02:30 on 3 October in Sofia (summer time, UTC+3).
NEAR_MIDNIGHT = dt.datetime(2023, 10, 2, 23, 30, tzinfo=dt.UTC)
SCHOOL_TODAY = dt.date(2023, 12, 1)


def test_the_filters_show_a_moment_near_midnight_utc_on_the_schools_day():
    assert date_time(NEAR_MIDNIGHT) == "03.10.2023 02:30"
    assert short_date(NEAR_MIDNIGHT) == "03.10.2023"
    assert date_time(NEAR_MIDNIGHT.replace(tzinfo=None)) == "03.10.2023 02:30"  # SQLite hands back naive UTC
    assert short_date(dt.date(2023, 10, 2)) == "02.10.2023"  # a date is a date
    assert date_time(NEAR_MIDNIGHT, zone="UTC") == "02.10.2023 23:30"


def test_a_fixed_today_is_a_day_in_the_schools_zone_at_any_hour():
    now = Clock(SCHOOL_TODAY, "Europe/Sofia").now()
    assert now.tzinfo is not None
    assert now.astimezone(dt.timezone(dt.timedelta(hours=2))).date() == SCHOOL_TODAY  # Sofia in December


@pytest.fixture
def settings(settings):
    return settings.replace(today=SCHOOL_TODAY)


@pytest.mark.integration
def test_the_notices_card_dates_a_notice_by_the_schools_today_and_zone(app, make_user, process):
    user_id, _token = make_user("teacher", "Учител Известия", password=PASSWORD)
    notifications = process.runtime("notifications")
    with notifications.db.transaction() as s:
        plan(s, notifications, About(key="test:today", kind="reminder", audience="staff", urgent=True),
             [Recipient("inbox", str(user_id), "Учител Известия", user_id=user_id)],
             Text("Известие днес", "Текст"))
        plan(s, notifications, About(key="test:midnight", kind="reminder", audience="staff", urgent=True),
             [Recipient("inbox", str(user_id), "Учител Известия", user_id=user_id)],
             Text("Известие в полунощ", "Текст"))
        s.execute(sa.update(Delivery).where(Delivery.about_key == "test:midnight").values(created_at=NEAR_MIDNIGHT))
    card = signed_in(app, "Учител Известия", PASSWORD).get("/notifications/fragments/home").get_data(as_text=True)
    assert "Известие днес <span class=\"muted\">(01.12.2023" in card  # the school's today, not the real date
    assert "Известие в полунощ <span class=\"muted\">(03.10.2023" in card  # Sofia's day, not UTC's


def test_without_a_fixed_today_the_day_is_the_schools_not_the_servers():
    # 26 hours apart: whatever the server's clock says, the two zones are never on the same day,
    # as a server kept in UTC is not on Sofia's day between midnight and 02:00 (03:00 in summer).
    ahead, behind = Clock(None, "Pacific/Kiritimati").today(), Clock(None, "Etc/GMT+12").today()
    assert (ahead - behind).days in (1, 2)
    assert behind <= Clock(None, "Europe/Sofia").today() <= ahead
