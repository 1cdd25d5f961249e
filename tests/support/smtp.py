"""A real SMTP server on loopback (aiosmtpd) whose answers a test can script: 451 twice, 550, …"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ScriptedHandler:
    """Accepts mail, except for the answers queued in ``script`` (consumed one per message)."""

    def __init__(self) -> None:
        self.script: list[str] = []
        self.received: list[EmailMessage] = []
        self.answers: list[str] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, _server, _session, envelope):
        with self._lock:
            answer = self.script.pop(0) if self.script else "250 OK"
            self.answers.append(answer)
            if answer.startswith("250"):
                self.received.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        return answer

    async def handle_EHLO(self, _server, session, _envelope, hostname, responses):
        session.host_name = hostname  # aiosmtpd leaves this to a handler that answers EHLO itself
        # Offers XMSGID (services/notifications/channels/email.py): "do you hold the mail with this Message-ID?"
        return [*responses[:-1], "250-XMSGID", responses[-1]]

    def holds(self, message_id: str) -> bool:
        with self._lock:
            return any(str(m["Message-ID"]).strip() == message_id.strip() for m in self.received)


class _AskableSMTP(SMTP):
    """aiosmtpd's server with the XMSGID command: 250 when the mail is held, 550 when not."""

    async def smtp_XMSGID(self, arg):
        holds = getattr(self.event_handler, "holds", None)
        if holds is None or not arg:
            await self.push("502 Command not implemented")
        elif holds(arg):
            await self.push("250 held")
        else:
            await self.push("550 not held")


class _AskableController(Controller):
    def factory(self):
        return _AskableSMTP(self.handler, **self.SMTP_kwargs)


class SmtpServer:
    def __init__(self) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = _AskableController(self.handler, hostname="127.0.0.1", port=self.port)

    def start(self) -> SmtpServer:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    @property
    def received(self) -> list[EmailMessage]:
        return self.handler.received

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.received if address in m["To"]]

    def wait_for(self, count: int, timeout: float = 20.0) -> list[EmailMessage]:
        deadline = time.monotonic() + timeout
        while len(self.received) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.received
