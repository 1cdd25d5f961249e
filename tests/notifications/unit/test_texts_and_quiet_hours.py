"""Pure pieces: the Bulgarian texts, the sandbox they render in, and the quiet-hours arithmetic."""

from __future__ import annotations

import datetime as dt

import pytest
from jinja2.exceptions import SecurityError, UndefinedError

from services.notifications.channels import OutgoingMessage
from services.notifications.channels.email import EmailChannel
from services.notifications.rules import messages
from services.notifications.rules.quiet_hours import release_time
from shared.settings import Settings

SOFIA = Settings(timezone="Europe/Sofia")


def ladder(**changes) -> messages.Text:
    context = {"article": "Чл. 97, т. 8", "student_name": "Мария Иванова", "class_code": "10а", "count": 8.5,
               "threshold": 8, "period": "учебна 2023/2024 година", "message": "", "school_name": "ПГЕС"}
    return messages.render(messages.LADDER, **{**context, **changes})


def test_the_ladder_notice_cites_the_article_the_count_and_what_to_do():
    text = ladder()
    assert text.subject == "Уведомление: 8,5 отсъствия по неуважителни причини на Мария Иванова"
    assert "На основание Чл. 97, т. 8 от Правилника" in text.body
    assert "прага от 8 отсъствия" in text.body
    assert "Какво можете да направите" in text.body


def test_dates_are_written_day_month_year():
    text = messages.render(messages.REMINDER, title="Отчет", due=dt.date(2023, 10, 5), state="due_soon")
    assert text.subject == "Наближава срок: Отчет"
    assert "Срок: 05.10.2023." in text.body


def test_templates_run_sandboxed_and_a_missing_value_is_an_error():
    with pytest.raises(SecurityError):
        messages.render(("{{ value.__class__.__mro__ }}", ""), value=1)
    with pytest.raises(UndefinedError):
        messages.render(messages.LADDER, article="Чл. 97, т. 8")


def test_quiet_hours_across_midnight_end_in_the_morning():
    settings = SOFIA.replace(quiet_hours="21:00-07:00")
    morning = dt.datetime(2023, 10, 3, 4, 0, tzinfo=dt.UTC)  # 07:00 in Sofia
    assert release_time(settings, dt.datetime(2023, 10, 2, 19, 30, tzinfo=dt.UTC)) == morning  # 22:30
    assert release_time(settings, dt.datetime(2023, 10, 3, 2, 0, tzinfo=dt.UTC)) == morning  # 05:00
    assert release_time(settings, dt.datetime(2023, 10, 2, 9, 0, tzinfo=dt.UTC)) is None  # 12:00
    assert release_time(SOFIA, dt.datetime(2023, 10, 2, 19, 30, tzinfo=dt.UTC)) is None  # no quiet hours


def test_an_e_mail_is_proper_mime_in_utf_8():
    channel = EmailChannel(Settings(smtp_host="mail.example.bg", smtp_from="Училище <school@example.bg>"))
    mail = channel.compose(OutgoingMessage(7, "petar@example.bg", "Петър Иванов", "Отсъствие", "Уважаеми родители,"))
    raw = mail.as_bytes()
    assert raw.isascii()  # headers encoded, body in base64: every relay passes it unchanged
    assert mail["Subject"] == "Отсъствие"
    assert mail["To"] == "Петър Иванов <petar@example.bg>"
    assert mail["Message-ID"].endswith("@example.bg>")
    assert mail.get_content() == "Уважаеми родители,\n"
