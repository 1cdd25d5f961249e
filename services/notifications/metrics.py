"""Notification metrics: sent, failed and suppressed-as-duplicate per channel; delivery delay."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Histogram

from shared.metrics import LATENCY_BUCKETS


class NotificationMetrics:
    def __init__(self, registry: CollectorRegistry) -> None:
        self.sent = Counter("school_notifications_sent_total", "Messages accepted by the channel.",
                            ["channel"], registry=registry)
        self.failed = Counter("school_notifications_failed_total", "Messages given up (permanent or exhausted).",
                              ["channel"], registry=registry)
        self.suppressed = Counter("school_notifications_suppressed_total",
                                  "Messages not planned again because their idempotency key existed.",
                                  ["channel"], registry=registry)
        self.delay = Histogram("school_notification_delay_seconds",
                               "From the event's time to the channel's acceptance (e.g. the SMTP server).",
                               ["channel"], buckets=LATENCY_BUCKETS, registry=registry)
