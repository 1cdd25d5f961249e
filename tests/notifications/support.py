"""Helpers of the notifications tests: events as register and planning publish them, and the log."""

from __future__ import annotations

import datetime as dt
import time

import sqlalchemy as sa

from shared.platform_models import utcnow

LADDER = "parent_notification_ladder"


def rule_fired(student_id: int, threshold: int, *, urgent: bool = False) -> dict:
    details = {"message": "Класният ръководител писмено уведомява родителя.",
               "title": "Писмено уведомяване на родителя", "recipients": ["class_teacher"],
               "period_label": "учебна 2023/2024 година", "period_from": "2023-09-15", "period_to": "2023-11-03"}
    if threshold == 30:
        details["meeting"] = {"date": "2023-11-14", "time": "14:30", "place": "кабинета на директора",
                              "institutions": "Отдел „Закрила на детето“"}
    return {
        "firing_id": threshold, "student_id": student_id, "student_name": "Мария Петрова Иванова",
        "class_code": "10а", "rule_id": LADDER, "article": "Чл. 97, т. 8", "action": "notify_parent",
        "threshold": threshold, "count": threshold, "period": "2023/2024", "urgent": urgent, "details": details,
    }


def publish_from(process, service: str, event: str, payload: dict) -> None:
    """Publish through the service's transactional outbox, as the service itself does."""
    runtime = process.runtime(service)
    with runtime.db.transaction() as s:
        runtime.publish(s, event, payload)


def publish_from_register(process, event: str, payload: dict) -> None:
    publish_from(process, "register", event, payload)


def deliveries(api, **query) -> list[dict]:
    answer = api.get("/api/notifications/deliveries", query_string=query)
    assert answer.status_code == 200, answer.json
    return answer.json


def attempts_of(process, delivery_id: int) -> list[str]:
    from services.notifications.models import DeliveryAttempt  # noqa: PLC0415

    with process.runtime("notifications").db.sessions() as s:
        return list(s.scalars(sa.select(DeliveryAttempt.outcome).where(
            DeliveryAttempt.delivery_id == delivery_id).order_by(DeliveryAttempt.id)))


def guardian_id(process, name: str) -> int:
    from services.notifications.models import Guardian  # noqa: PLC0415

    with process.runtime("notifications").db.sessions() as s:
        return s.scalar(sa.select(Guardian.id).where(Guardian.name == name))


def later(days: float = 0, hours: float = 0) -> dt.datetime:
    """A moment in the future, for running a sweep as the scheduler would then."""
    return utcnow() + dt.timedelta(days=days, hours=hours)


def wait_until(predicate, timeout: float = 20.0) -> None:
    """For effects outside the broker (e.g. an SMTP server still writing): poll briefly."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met")
        time.sleep(0.02)
