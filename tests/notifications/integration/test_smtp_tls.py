"""E-mail over STARTTLS with authentication, against a loopback server that requires both."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.notifications.support import deliveries, publish_from_register, rule_fired
from tests.support.school import setup_small_school
from tests.support.smtp import ScriptedHandler, free_port

#: A self-signed certificate for 127.0.0.1, valid for a century; for these tests only.
TLS = Path(__file__).resolve().parent.parent / "tls"


class TlsSmtpServer:
    def __init__(self, password: str) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.logins: list[tuple[str, bool]] = []
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(TLS / "smtp-cert.pem", TLS / "smtp-key.pem")

        def authenticate(_server, _session, _envelope, _mechanism, auth_data) -> AuthResult:
            accepted = auth_data.login == b"school" and auth_data.password == password.encode()
            self.logins.append((auth_data.login.decode(), accepted))
            return AuthResult(success=accepted, handled=False)

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, tls_context=context,
                                     require_starttls=True, authenticator=authenticate, auth_require_tls=True)


@pytest.fixture
def smtp():
    server = TlsSmtpServer(password="тайна-123")
    server.controller.start()
    yield server
    server.controller.stop()


@pytest.fixture
def smtp_password() -> str:
    """The password the school configured (a test may give a wrong one)."""
    return "тайна-123"


@pytest.fixture
def settings(settings, smtp_password):
    return settings.replace(smtp_starttls=True, smtp_user="school", smtp_password=smtp_password,
                            smtp_ca_file=str(TLS / "smtp-cert.pem"))


def test_mail_goes_over_starttls_with_the_configured_login(api, make_user, process, smtp):
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert smtp.logins == [("school", True)]
    [mail] = smtp.handler.received
    assert mail["To"] == "Петър Иванов <petar@example.bg>"
    assert mail["Subject"] == "Уведомление: 3 отсъствия по неуважителни причини на Мария Петрова Иванова"
    assert mail.get_content_charset() == "utf-8"
    assert "Чл. 97, т. 8" in mail.get_content()
    [email_delivery] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert email_delivery["status"] == "sent"


@pytest.mark.parametrize("smtp_password", ["грешна"])
def test_a_refused_login_is_a_permanent_failure(api, make_user, process, smtp):
    # The server refuses the password (535): retrying cannot help, the office must fix the setting.
    school = setup_small_school(api, make_user, guardians=[{"name": "Петър Иванов", "email": "petar@example.bg"}])
    publish_from_register(process, "register.rule_fired", rule_fired(school.student_id, 3))
    api.drain()
    assert smtp.logins == [("school", False)]
    assert smtp.handler.received == []
    [email_delivery] = [d for d in deliveries(api, student_id=school.student_id) if d["channel"] == "email"]
    assert email_delivery["status"] == "failed"
    assert "535" in email_delivery["error"]
