"""``schoolctl users add|list|deactivate|revoke-token``: the register's users, from the command line.

Each writes to the register's database; the outbox tells the other services.

It works while ``schoolctl up`` runs on the same data dir: SQLite in WAL mode takes the write.  When
a broker is running (``SCHOOL_REDIS_URL``, or the embedded one of ``schoolctl up``), the command
then sends the identity event itself on the identity lane and returns once every running service
has applied it (``shared.messaging.identity``): the printed token works everywhere, a deactivated
user is refused everywhere.  Without a broker the change waits in the outbox for a relay.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator

from shared.auth.roles import ROLES
from shared.bootstrap import BrokerNotConfiguredError, resolve_broker_url, upgrade_databases
from shared.errors import NotFoundError
from shared.messaging.broker import make_broker
from shared.messaging.identity import propagate
from shared.messaging.outbox import urgent_events
from shared.metrics import Metrics
from shared.plugins import PluginRegistry
from shared.runtime import ServiceDefinition, ServiceRuntime
from shared.settings import Settings


def add_user(args: argparse.Namespace, settings: Settings) -> int:
    if args.role not in ROLES:
        print(f"schoolctl: непозната роля „{args.role}“; възможни: {', '.join(ROLES)}", file=sys.stderr)
        return 2
    if args.students and args.role != "parent":
        print("schoolctl: --student се задава само за роля parent", file=sys.stderr)
        return 2
    password = None
    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
        if len(password) < 8:
            print("schoolctl: паролата трябва да е поне 8 знака", file=sys.stderr)
            return 2
    with _register(settings) as (runtime, definition):
        with runtime.db.transaction() as session:
            user_id, token = definition.commands["users.add"](
                runtime, session, name=args.name, role=args.role, class_codes=args.classes,
                student_ids=args.students, email=args.email, password=password)
            events = urgent_events(session)
        _tell_services(runtime, events)
    print(json.dumps({"id": user_id, "token": token}))
    return 0


@contextlib.contextmanager
def _register(settings: Settings) -> Iterator[tuple[ServiceRuntime, ServiceDefinition]]:
    """The register (which owns the school's users), on the broker if one is configured."""
    plugins = PluginRegistry.discover(("services",))
    upgrade_databases(settings, ("register",), plugins)
    definition = plugins.get("services", "register")
    try:
        broker = make_broker(resolve_broker_url(settings))
    except BrokerNotConfiguredError:
        broker = None
    runtime = (ServiceRuntime(definition, settings, broker, Metrics(), plugins) if broker is not None
               else ServiceRuntime.offline(definition, settings, plugins))
    try:
        yield runtime, definition
    finally:
        runtime.db.dispose()
        if broker is not None:
            broker.close()


def _tell_services(runtime: ServiceRuntime, events: list[tuple[str, str]]) -> None:
    """Send the committed change on the identity lane and wait until every running service applied it.

    The change is committed either way: what could not be confirmed is said on stderr, and the
    exit status stays 0 (running the command again would add a second user).
    """
    if not events:
        return
    if runtime.broker is None:
        print("schoolctl: няма стартиран брокер на съобщения; другите услуги ще научат за промяната, "
              "когато бъдат стартирани.", file=sys.stderr)
        return
    outcome = propagate(runtime, events)
    if outcome.warning():
        print(f"schoolctl: {outcome.warning()}", file=sys.stderr)


def list_users(args: argparse.Namespace, settings: Settings) -> int:
    """One JSON object per line (the contract's form, for scripts); ``--table`` for a person at a terminal."""
    with _register(settings) as (runtime, definition), runtime.db.sessions() as session:
        users = definition.commands["users.list"](session)
    if not args.table:
        for user in users:
            print(json.dumps(user, ensure_ascii=False))
        return 0
    print(f"{'№':>4}  {'име':<32} {'роля':<16} {'активен':<8} {'парола':<7} {'ключове':>7}  паралелки / деца")
    for user in users:
        scope = ", ".join(user["classes"]) or ", ".join(map(str, user["students"]))
        print(f"{user['id']:>4}  {user['name'][:32]:<32} {user['role']:<16} {'да' if user['active'] else 'не':<8} "
              f"{'да' if user['password'] else 'не':<7} {user['tokens']:>7}  {scope}")
    return 0


def deactivate(args: argparse.Namespace, settings: Settings) -> int:
    with _register(settings) as (runtime, definition):
        try:
            with runtime.db.transaction() as session:
                changed = definition.commands["users.deactivate"](runtime, session, args.user_id)
                events = urgent_events(session)
        except NotFoundError as exc:
            print(f"schoolctl: {exc.message}", file=sys.stderr)
            return 1  # the contract: an unknown id exits 1 with a message
        _tell_services(runtime, events)
    print(f"Потребител {args.user_id} е деактивиран." if changed else f"Потребител {args.user_id} вече е неактивен.")
    return 0


def revoke_token(_args: argparse.Namespace, settings: Settings) -> int:
    token = sys.stdin.readline().strip()  # from standard input: a token on the command line stays in the history
    if not token:
        print("schoolctl: подайте ключа за достъп на стандартния вход", file=sys.stderr)
        return 2
    with _register(settings) as (runtime, definition):
        try:
            with runtime.db.transaction() as session:
                user_id = definition.commands["users.revoke_token"](runtime, session, token)
                events = urgent_events(session)
        except NotFoundError as exc:
            print(f"schoolctl: {exc.message}", file=sys.stderr)
            return 2
        _tell_services(runtime, events)
    print(f"Ключът за достъп на потребител {user_id} е отменен.")
    return 0
