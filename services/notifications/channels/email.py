"""E-mail over SMTP (STARTTLS and authentication as the settings say)."""

from __future__ import annotations

import smtplib
from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from shared.settings import Settings

from .base import OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError

#: Seconds to wait for the SMTP server before the attempt counts as a temporary failure.
SMTP_TIMEOUT_S = 20


class EmailChannel:
    name = "email"
    address = "email"

    def __init__(self, settings: Settings) -> None:
        self.host = settings.smtp_host
        self.port = settings.smtp_port
        self.sender = settings.smtp_from
        self.user = settings.smtp_user
        self.password = settings.smtp_password
        self.starttls = settings.smtp_starttls

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = formataddr((message.recipient_name, message.recipient))
        mail["Subject"] = message.subject
        mail["Message-ID"] = make_msgid(idstring=f"delivery-{message.delivery_id}")
        mail.set_content(message.body, charset="utf-8")
        return mail

    def send(self, message: OutgoingMessage) -> str:
        mail = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S) as smtp:
                if self.starttls:
                    smtp.starttls()
                if self.user:
                    smtp.login(self.user, self.password)
                refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _by_code(code, text) from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error) from exc
        except (TimeoutError, smtplib.SMTPServerDisconnected, OSError) as exc:
            raise TemporaryDeliveryError(f"SMTP сървърът не е достъпен: {exc}") from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise _by_code(code, text)
        return "приет от SMTP сървъра"


def _by_code(code: int, text: bytes | str) -> Exception:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    if 400 <= code < 500:
        return TemporaryDeliveryError(f"SMTP {code}: {detail}")
    return PermanentDeliveryError(f"SMTP {code}: {detail}")


def email_channel(settings: Settings) -> EmailChannel | None:
    """Entry point ``email``: configured when SCHOOL_SMTP_HOST and SCHOOL_SMTP_FROM are set."""
    return EmailChannel(settings) if settings.email_enabled else None
