"""A real SMTP server on loopback (aiosmtpd) whose answers a test can script: 451 twice, 550, …"""

from __future__ import annotations

import email
import email.policy
import socket
import threading
import time
from email.message import EmailMessage

from aiosmtpd.controller import Controller


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


class SmtpServer:
    def __init__(self) -> None:
        self.handler = ScriptedHandler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

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
