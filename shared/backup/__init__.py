"""Backups (резервни копия) of a school's data, and restoring them into a new data folder.

One archive holds everything a school would lose with its server: each service's database
(a consistent snapshot of each, taken while the system runs), the broker's queues, and the files of
the data folder (the cookie-signing key, the demo marker). A manifest lists every member with its
size and SHA-256, so a damaged or partial archive is refused before anything is written.

The databases are snapshotted one after another, not at one instant; what keeps them coherent is
the outbox. The broker is copied *first*, at a moment recorded in the manifest; on restore, every
outbox row published after that moment is marked unpublished again, so its relay sends it once
more, and the consumers, idempotent on the message id, drop what they had already handled.
Nothing in flight is lost, and nothing is done twice.
"""

from shared.backup.archive import BackupError, read_manifest, verify_archive
from shared.backup.restore import restore
from shared.backup.snapshot import take_backup

__all__ = ["BackupError", "read_manifest", "restore", "take_backup", "verify_archive"]
