"""``schoolctl`` — the command line of School Office (see the contract in the README)."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from shared.settings import SERVICES, SettingsError, load_settings


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="schoolctl", description="Училищна канцелария (School Office)")
    sub = parser.add_subparsers(dest="command", required=True)

    def with_data(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--data", type=Path, help="папка с данните (по подразбиране SCHOOL_DATA_DIR или ./var)")
        return p

    up = with_data(sub.add_parser("up", help="всичко на една машина (вграден брокер, SQLite)"))
    up.add_argument("--host", default="127.0.0.1")
    up.add_argument("--port", type=int, default=8000)
    up.add_argument("--demo", action="store_true", help="зарежда демонстрационното училище (веднъж)")

    serve = with_data(sub.add_parser("serve", help="HTTP приложението на една услуга (gunicorn)"))
    serve.add_argument("service", choices=SERVICES)
    serve.add_argument("--bind", default="127.0.0.1:8001")
    serve.add_argument("--workers", type=int, default=2)

    worker = with_data(sub.add_parser("worker", help="обработчикът на съобщения на една услуга"))
    worker.add_argument("service", choices=SERVICES)

    with_data(sub.add_parser("scheduler", help="периодичните проверки (един на системата)"))

    backup = with_data(sub.add_parser("backup", help="резервно копие на данните (докато системата работи)"))
    where = backup.add_mutually_exclusive_group(required=True)
    where.add_argument("--to", type=Path, help="файлът на копието (.tar.gz)")
    where.add_argument("--to-dir", type=Path, help="папка: копието е school-office-ГГГГММДД-ЧЧММСС.tar.gz")
    backup.add_argument("--keep", type=int, help="с --to-dir: оставя само толкова най-нови копия")
    restore = with_data(sub.add_parser("restore", help="възстановява копие в нова папка с данни (--data)"))
    restore.add_argument("archive", type=Path, help="файлът на копието")

    db = sub.add_parser("db", help="база данни")
    db_sub = db.add_subparsers(dest="db_command", required=True)
    with_data(db_sub.add_parser("upgrade", help="прилага миграциите на всички услуги"))

    users = sub.add_parser("users", help="потребители")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = with_data(users_sub.add_parser("add", help="създава потребител и отпечатва ключ за достъп"))
    add.add_argument("--name", required=True)
    add.add_argument("--role", required=True)
    add.add_argument("--class", dest="classes", action="append", default=[], metavar="CODE")
    add.add_argument("--student", dest="students", action="append", default=[], type=int, metavar="ID")
    add.add_argument("--email")
    add.add_argument("--password-stdin", action="store_true")
    listing = with_data(users_sub.add_parser("list", help="всички потребители (без пароли и ключове)"))
    listing.add_argument("--table", action="store_true", help="като таблица за четене (иначе JSON, по един на ред)")
    off = with_data(users_sub.add_parser("deactivate", help="деактивира потребител във всички услуги"))
    off.add_argument("user_id", type=int, metavar="ID")
    with_data(users_sub.add_parser("revoke-token", help="отменя ключ за достъп, подаден на стандартния вход"))
    return parser


def main(argv: list[str] | None = None) -> int:
    from shared.plugins import PluginLoadError  # noqa: PLC0415 - keeps prometheus_client unimported

    try:
        return _run(argv)
    except PluginLoadError as exc:
        print(f"schoolctl: спиране: {exc}", file=sys.stderr)
        return 1


def _run(argv: list[str] | None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(level=os.environ.get("SCHOOL_LOG_LEVEL", "INFO").upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    overrides = {"data_dir": args.data} if getattr(args, "data", None) else {}
    try:
        settings = load_settings(os.environ, overrides=overrides)
    except SettingsError as exc:
        print(f"schoolctl: {exc}", file=sys.stderr)
        return 2
    # Commands import their machinery lazily, so `users` and `db` start without the broker's.
    if args.command == "up":
        from shared.cli.up import run_up  # noqa: PLC0415

        return run_up(settings, host=args.host, port=args.port, demo=args.demo)
    if args.command in ("serve", "worker", "scheduler"):
        from shared.cli import production  # noqa: PLC0415

        return production.run(args, settings)
    if args.command == "db":
        from shared.bootstrap import upgrade_databases  # noqa: PLC0415

        upgrade_databases(settings)
        print("Базите данни са обновени.")
        return 0
    if args.command in ("backup", "restore"):
        from shared.cli import backup  # noqa: PLC0415

        return (backup.run_backup if args.command == "backup" else backup.run_restore)(args, settings)
    if args.command == "users":
        from shared.cli import users  # noqa: PLC0415

        command = {"add": users.add_user, "list": users.list_users, "deactivate": users.deactivate,
                   "revoke-token": users.revoke_token}[args.users_command]
        return command(args, settings)
    return 2


if __name__ == "__main__":
    sys.exit(main())
