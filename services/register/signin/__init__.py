"""Signing in (вход) and the home page: the register owns the school's users, so it serves ``/``,
``/login`` and ``/logout`` for the whole system (``../shared/spec/web-ui.md``)."""
