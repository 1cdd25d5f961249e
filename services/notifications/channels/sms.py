"""SMS through an HTTP gateway: POST of JSON ``{"to", "text"}`` with basic authentication."""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request

from shared.settings import Settings

from .base import OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError

#: Seconds to wait for the gateway.
GATEWAY_TIMEOUT_S = 15


class SmsChannel:
    name = "sms"
    address = "phone"

    def __init__(self, settings: Settings) -> None:
        self.url = settings.sms_gateway_url
        self.user = settings.sms_gateway_user
        self.password = settings.sms_gateway_password

    def send(self, message: OutgoingMessage) -> str:
        body = json.dumps({"to": message.recipient, "text": f"{message.subject}. {message.body}"},
                          ensure_ascii=False).encode("utf-8")
        request = urllib.request.Request(self.url, data=body, method="POST",  # noqa: S310 - URL is a setting
                                         headers={"Content-Type": "application/json; charset=utf-8"})
        if self.user:
            token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
            request.add_header("Authorization", f"Basic {token}")
        try:
            with urllib.request.urlopen(request, timeout=GATEWAY_TIMEOUT_S) as answer:  # noqa: S310 - URL is a setting
                return f"шлюз: HTTP {answer.status}"
        except urllib.error.HTTPError as exc:
            if exc.code >= 500 or exc.code == 429:
                raise TemporaryDeliveryError(f"SMS шлюз: HTTP {exc.code}") from exc
            raise PermanentDeliveryError(f"SMS шлюз отказа съобщението: HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise TemporaryDeliveryError(f"SMS шлюзът не е достъпен: {exc}") from exc


def sms_channel(settings: Settings) -> SmsChannel | None:
    """Entry point ``sms``: configured when SCHOOL_SMS_GATEWAY_URL is set."""
    return SmsChannel(settings) if settings.sms_gateway_url else None
