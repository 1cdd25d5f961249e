"""Loading the demo school once (демонстрационно училище), for newcomers and trainings."""

from __future__ import annotations

import logging
from pathlib import Path

from shared.auth.roles import ROLE_TITLES
from shared.bootstrap import Process

log = logging.getLogger(__name__)

MARKER = "demo-loaded"
#: The demo's accounts and passwords, for a newcomer who missed the printout.
ACCOUNTS_FILE = "demo-accounts.txt"


def load_demo_once(process: Process) -> bool:
    """Run each service's demo loader, in service order, unless it ran before on this data dir."""
    marker = process.settings.data_dir / MARKER
    if marker.exists():
        log.info("демонстрационните данни вече са заредени")
        return False
    accounts = []
    for runtime in process.runtimes:
        if runtime.definition.load_demo is not None:
            accounts += runtime.definition.load_demo(runtime) or []
    marker.write_text("1", encoding="ascii")
    log.info("заредено е демонстрационното училище")
    if accounts:
        show_accounts(process.settings.data_dir, accounts)
    return True


def show_accounts(data_dir: Path, accounts: list) -> None:
    """Print the demo's accounts once, and keep them (readable by the owner only) for later."""
    lines = ["Демонстрационното училище е заредено. Влезте на началната страница с някой от тези профили:"]
    for account in accounts:
        role = ROLE_TITLES.get(account.role, account.role)
        note = f" ({account.note})" if account.note else ""
        lines.append(f"  {role}{note}: потребител „{account.name}“, парола {account.password}")
    text = "\n".join(lines) + "\n"
    path = data_dir / ACCOUNTS_FILE
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    print(text + f"(Записани са и в {path}.)", flush=True)
