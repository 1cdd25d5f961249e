"""The database away or its disk full: a clear answer instead of a 500, and nothing half-written.

A request's writes are one transaction (``shared/db.py``), so an error from the database rolls the
whole request back: nothing is half-written, and the user is told so.  PostgreSQL restarting (its
connections cut, or refused for a while) is a 503 with ``Retry-After``; the next request gets a
fresh connection (the pool checks one idle for a second or more before use, and
replaces every connection once one is found cut: ``shared/db_ping.py``).  A full disk (SQLite
``database or disk is full``, PostgreSQL ``could not extend file``, ``ENOSPC``) is a 507: it will not
pass by itself, the administrator must act.  The workers use the same judgement
(:func:`is_outage`): a job failing on an outage is retried without using up its retries
(``shared/messaging/retries.py``).
"""

from __future__ import annotations

import errno

import sqlalchemy.exc

#: Seconds a client is asked to wait before trying again while the database is away.
RETRY_AFTER_S = 10

UNAVAILABLE = ("Базата данни временно не е достъпна. Нищо не е записано; опитайте отново след минута.")
DISK_FULL = ("Дискът с данните е пълен. Нищо не е записано; обърнете се към администратора, "
             "за да освободи място.")

UNCERTAIN = ("Връзката с базата данни прекъсна в момента на записа: не е сигурно дали промяната е записана. "
             "Проверете, преди да я въведете отново.")


class CommitUncertainError(Exception):
    """The connection to PostgreSQL was lost while COMMIT was on its way: stored or not, nobody can say.

    The only moment a request's outcome is unknown (a crash before COMMIT rolls everything back, one
    after it has been answered is stored): the user is told so rather than "nothing was written".
    """


_DISK_FULL_SIGNS = ("database or disk is full", "could not extend file", "no space left on device",
                    "disk full", "diskfull")


def storage_failure(error: BaseException) -> tuple[int, str] | None:
    """``(status, message)`` when ``error`` is the database unreachable (503) or its disk full (507)."""
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return 507, DISK_FULL
    if isinstance(error, CommitUncertainError):
        return 503, UNCERTAIN
    if not isinstance(error, sqlalchemy.exc.DBAPIError | sqlalchemy.exc.DisconnectionError):
        return None
    text = str(getattr(error, "orig", None) or error).lower()
    if any(sign in text for sign in _DISK_FULL_SIGNS):
        return 507, DISK_FULL
    if isinstance(error, sqlalchemy.exc.OperationalError | sqlalchemy.exc.InterfaceError
                  | sqlalchemy.exc.DisconnectionError) or getattr(error, "connection_invalidated", False):
        return 503, UNAVAILABLE
    return None


def is_outage(error: BaseException) -> bool:
    """The database or the broker unreachable, or the disk full: not the job's fault, it passes by itself."""
    import redis  # noqa: PLC0415 - only the workers need it
    from dramatiq.errors import BrokerConnectionError  # noqa: PLC0415

    return (storage_failure(error) is not None
            or isinstance(error, redis.ConnectionError | redis.TimeoutError | BrokerConnectionError))
