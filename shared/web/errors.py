"""The contract's error bodies: ``{"errors": {"<field path>": ["message", ...]}}``."""

from __future__ import annotations

from typing import Any, NoReturn

from flask_smorest import abort

from shared.web.i18n import translate

#: Where a message that belongs to no single field goes.
GENERAL = "_schema"


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


def invalid(errors: dict[str, list[str] | str]) -> NoReturn:
    """422 naming each bad field; nothing of the request may have been stored."""
    normalised = {k: ([v] if isinstance(v, str) else list(v)) for k, v in errors.items()}
    abort(422, message="Невалидни данни.", errors=normalised)


def conflict(message: str, field: str = GENERAL) -> NoReturn:
    abort(409, message=message, errors={field: [message]})


def forbidden(message: str = "Нямате право на това действие.") -> NoReturn:
    abort(403, message=message)


def not_found(message: str = "Не е намерено.") -> NoReturn:
    abort(404, message=message)
