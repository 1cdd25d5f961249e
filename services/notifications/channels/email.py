"""E-mail over SMTP (STARTTLS and authentication as the settings say)."""

from __future__ import annotations

import base64
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid, parseaddr

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
        self.ca_file = settings.smtp_ca_file or None

    def compose(self, message: OutgoingMessage) -> EmailMessage:
        mail = EmailMessage()
        mail["From"] = self.sender
        mail["To"] = formataddr((message.recipient_name, message.recipient))
        mail["Subject"] = message.subject
        mail["Date"] = formatdate(localtime=True)
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or None
        mail["Message-ID"] = make_msgid(idstring=f"delivery-{message.delivery_id}", domain=domain)
        # Base64 keeps the Cyrillic text 7-bit clean for every relay on the way (no 8BITMIME needed).
        mail.set_content(message.body, charset="utf-8", cte="base64")
        return mail

    def send(self, message: OutgoingMessage) -> str:
        if "@" not in message.recipient.strip("@"):
            raise PermanentDeliveryError(f"невалиден адрес на електронна поща: {message.recipient}")
        mail = self.compose(message)
        try:
            with smtplib.SMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S) as smtp:
                if self.starttls:
                    # Verify the server's certificate: credentials and children's data must not go elsewhere.
                    smtp.starttls(context=ssl.create_default_context(cafile=self.ca_file))
                if self.user:
                    self._login(smtp)
                refused = smtp.send_message(mail)
        except smtplib.SMTPRecipientsRefused as exc:
            code, text = next(iter(exc.recipients.values()))
            raise _by_code(code, text) from exc
        except smtplib.SMTPResponseException as exc:
            raise _by_code(exc.smtp_code, exc.smtp_error) from exc
        except smtplib.SMTPNotSupportedError as exc:
            raise PermanentDeliveryError(f"SMTP сървърът не предлага STARTTLS, а настройките го изискват: {exc}") \
                from exc
        except (TimeoutError, smtplib.SMTPException, OSError) as exc:
            raise TemporaryDeliveryError(f"SMTP сървърът не е достъпен: {exc}") from exc
        if refused:
            code, text = next(iter(refused.values()))
            raise _by_code(code, text)
        return "приет от SMTP сървъра"


    def _login(self, smtp: smtplib.SMTP) -> None:
        if (self.user + self.password).isascii():
            smtp.login(self.user, self.password)
            return
        # smtplib encodes credentials as ASCII; AUTH PLAIN carries UTF-8 (RFC 4616), e.g. a Cyrillic password.
        smtp.ehlo_or_helo_if_needed()
        token = base64.b64encode(f"\0{self.user}\0{self.password}".encode()).decode("ascii")
        code, text = smtp.docmd("AUTH", f"PLAIN {token}")
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, text)


def _by_code(code: int, text: bytes | str) -> Exception:
    detail = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    if 400 <= code < 500:
        return TemporaryDeliveryError(f"SMTP {code}: {detail}")
    return PermanentDeliveryError(f"SMTP {code}: {detail}")


def email_channel(settings: Settings) -> EmailChannel | None:
    """Entry point ``email``: configured when SCHOOL_SMTP_HOST and SCHOOL_SMTP_FROM are set."""
    return EmailChannel(settings) if settings.email_enabled else None
