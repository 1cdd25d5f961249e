"""A third-party channel: appends each message, as a JSON line, to ``<data dir>/echo-channel.jsonl``."""

from __future__ import annotations

import json
from pathlib import Path


class EchoChannel:
    name = "echo"
    address = "email"

    def __init__(self, path: Path) -> None:
        self.path = path

    def send(self, message) -> str:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        record = {"to": message.recipient, "subject": message.subject, "body": message.body}
        with self.path.open("a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "echoed"


def echo_channel(settings) -> EchoChannel:
    return EchoChannel(Path(settings.data_dir) / "echo-channel.jsonl")
