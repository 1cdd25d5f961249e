"""``schoolctl users add``: writes the user to register's database; the outbox tells the others.

It works while ``schoolctl up`` runs on the same data dir: SQLite in WAL mode takes the write, and
the running relay finds the new outbox row on its next pass.  No broker is needed here.
"""

from __future__ import annotations

import argparse
import json
import sys

from shared.auth.roles import ROLES
from shared.bootstrap import upgrade_databases
from shared.plugins import PluginRegistry
from shared.runtime import ServiceRuntime
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
    plugins = PluginRegistry.discover(("services",))
    upgrade_databases(settings, ("register",), plugins)
    definition = plugins.get("services", "register")  # the register owns the school's users
    runtime = ServiceRuntime.offline(definition, settings, plugins)
    try:
        with runtime.db.transaction() as session:
            user_id, token = definition.commands["users.add"](
                runtime, session, name=args.name, role=args.role, class_codes=args.classes,
                student_ids=args.students, email=args.email, password=password)
    finally:
        runtime.db.dispose()
    print(json.dumps({"id": user_id, "token": token}))
    return 0
