"""``schoolctl backup`` and ``schoolctl restore``: the school's data in one checked archive."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import time
from pathlib import Path

from shared.backup import BackupError, restore, take_backup
from shared.settings import Settings

#: How nightly backups are named in a ``--to-dir`` folder; ``--keep`` removes only files named so.
NAME_PATTERN = "school-office-*.tar.gz"


def _prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the ``keep`` newest backups named by :data:`NAME_PATTERN` (names sort by time)."""
    backups = sorted(folder.glob(NAME_PATTERN))
    removed = backups[:-keep] if keep > 0 else []
    for path in removed:
        path.unlink()
    return removed


def run_backup(args: argparse.Namespace, settings: Settings) -> int:
    if args.keep is not None and (args.to_dir is None or args.keep < 1):
        print("schoolctl: --keep се задава с --to-dir и е поне 1", file=sys.stderr)
        return 2
    target = args.to or args.to_dir / f"school-office-{dt.datetime.now():%Y%m%d-%H%M%S}.tar.gz"
    started = time.monotonic()
    try:
        manifest = take_backup(settings, target)
    except BackupError as exc:
        print(f"schoolctl: {exc}", file=sys.stderr)
        return 2
    size = target.stat().st_size
    print(f"Резервното копие е записано в {target} ({size / 1e6:.1f} MB, {len(manifest['members'])} части, "
          f"{time.monotonic() - started:.1f} s).")
    if args.keep:
        for path in _prune(target.parent, args.keep):
            print(f"Изтрито старо копие: {path}")
    return 0


def run_restore(args: argparse.Namespace, settings: Settings) -> int:
    if not args.archive.is_file():
        print(f"schoolctl: няма файл {args.archive}", file=sys.stderr)
        return 2
    started = time.monotonic()
    try:
        manifest = restore(args.archive, settings)
    except BackupError as exc:
        print(f"schoolctl: {exc}", file=sys.stderr)
        return 2
    resent = sum(manifest["resent"].values())
    print(f"Копието от {manifest['created_at']} е възстановено в {settings.data_dir} "
          f"({time.monotonic() - started:.1f} s); {resent} съобщения ще бъдат изпратени отново.")
    return 0
