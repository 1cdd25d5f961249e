"""E-mail over SMTP (STARTTLS and authentication as the settings say)."""

from __future__ import annotations

import base64
import hashlib
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr

from shared.settings import Settings

from .base import OutgoingMessage, PermanentDeliveryError, TemporaryDeliveryError

#: Seconds to wait for the SMTP server before the attempt counts as a temporary failure.
SMTP_TIMEOUT_S = 20

#: The SMTP extension by which a server says whether it holds a mail, by Message-ID (this project's
#: own, spoken by the test server; a real server does not offer it, see ARCHITECTURE.md "Crash recovery").
HOLDS_EXTENSION = "XMSGID"


class _MarkingSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` that calls ``before_data`` right before the DATA command (after MAIL and RCPT)."""

    before_data = None

    def data(self, msg):
        if self.before_data is not None:
            self.before_data()
        return super().data(msg)


class EmailChannel:
    name = "email"
    address = "email"
    #: Calls ``OutgoingMessage.before_handover`` right before DATA (see ``claims.py``).
    marks_handover = True

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
        mail["Message-ID"] = self.message_id(message)
        # Base64 keeps the Cyrillic text 7-bit clean for every relay on the way (no 8BITMIME needed).
        mail.set_content(message.body, charset="utf-8", cte="base64")
        return mail

    def message_id(self, message: OutgoingMessage) -> str:
        """The mail's Message-ID: the same on every attempt of one delivery, unique across schools and reinstalls."""
        domain = parseaddr(self.sender)[1].rpartition("@")[2] or "school-office.invalid"
        unique = hashlib.sha256(f"{message.key}|{message.delivery_id}".encode()).hexdigest()[:20]
        return f"<{unique}.delivery-{message.delivery_id}@{domain}>"

    def _connect(self) -> _MarkingSMTP:
        smtp = _MarkingSMTP(self.host, self.port, timeout=SMTP_TIMEOUT_S)
        try:
            if self.starttls:
                # Verify the server's certificate: credentials and children's data must not go elsewhere.
                smtp.starttls(context=ssl.create_default_context(cafile=self.ca_file))
            if self.user:
                self._login(smtp)
        except BaseException:
            smtp.close()
            raise
        return smtp

    def accepted(self, message: OutgoingMessage) -> bool | None:
        """Whether the server already holds this delivery's mail (by Message-ID); ``None``: it cannot tell.

        Asked after a crash that may have struck between DATA and the delivery's being marked sent.
        """
        with self._connect() as smtp:
            smtp.ehlo_or_helo_if_needed()
            if not smtp.has_extn(HOLDS_EXTENSION):
                return None
            code, _text = smtp.docmd(HOLDS_EXTENSION, self.message_id(message))
        return True if code == 250 else False if code == 550 else None

    def send(self, message: OutgoingMessage) -> str:
        if "@" not in message.recipient.strip("@"):
            raise PermanentDeliveryError(f"невалиден адрес на електронна поща: {message.recipient}")
        mail = self.compose(message)
        try:
            with self._connect() as smtp:
                smtp.before_data = message.before_handover
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
