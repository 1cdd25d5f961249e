"""Sanctions and measures for students (санкции и мерки), Правилник Чл. 52–60.

Pure domain code: a sanction procedure is an immutable value whose steps carry their article,
owner and due date. The school calendar comes in through :class:`SanctionCalendar`, a protocol.
"""
