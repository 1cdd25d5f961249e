"""Validation messages as the contract's error bodies: ``{"errors": {"<field path>": ["message", ...]}}``."""

from __future__ import annotations

from typing import Any

from shared.errors import GENERAL
from shared.web.i18n import translate


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"marks": {"0": {"kind": ["…"]}}}`` → ``{"marks.0.kind": ["…"]}``, texts in Bulgarian."""
    out: dict[str, list[str]] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            for sub_path, texts in flatten(value, path).items():
                out.setdefault(sub_path, []).extend(texts)
    elif isinstance(messages, list | tuple):
        if all(isinstance(m, str) for m in messages):
            out[prefix or GENERAL] = [translate(m) for m in messages]
        else:
            for index, value in enumerate(messages):
                out.update(flatten(value, f"{prefix}.{index}" if prefix else str(index)))
    else:
        out[prefix or GENERAL] = [translate(str(messages))]
    return out
