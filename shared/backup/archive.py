"""The backup archive: a gzip'd tar whose first member, ``manifest.json``, checks all the others."""

from __future__ import annotations

import hashlib
import io
import json
import os
import tarfile
import time
import zlib
from collections.abc import Iterator
from pathlib import Path, PurePosixPath
from typing import IO, Any

#: The archive layout's version; a newer one is refused by older software with a clear message.
FORMAT = 1
MANIFEST = "manifest.json"
#: Bytes read at a time while hashing.
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup cannot be taken, checked or restored; the message says why, in Bulgarian."""


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_archive(target: Path, staging: Path, manifest: dict[str, Any]) -> dict[str, Any]:
    """Pack every file under ``staging`` behind a manifest of their sizes and checksums.

    The archive is written beside ``target`` and renamed into place only when complete, so a
    crash or a full disk never leaves a file that looks like a finished backup.
    """
    members = {path.relative_to(staging).as_posix(): {"size": path.stat().st_size, "sha256": sha256_file(path)}
               for path in sorted(staging.rglob("*")) if path.is_file()}
    manifest = {**manifest, "format": FORMAT, "members": members}
    partial = target.with_name(target.name + ".partial")
    try:
        with partial.open("wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz") as tar:
                data = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime, info.mode = len(data), int(time.time()), 0o600
                tar.addfile(info, io.BytesIO(data))
                for name in members:
                    tar.add(staging / name, arcname=name, recursive=False)
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise BackupError(f"Архивът не може да се запише в {target}: {exc.strerror or exc}.") from exc
    return manifest


def _members(archive: Path) -> Iterator[tuple[tarfile.TarInfo, IO[bytes] | None, dict[str, Any] | None]]:
    """Each member with its stream, after the manifest (yielded first with its parsed content)."""
    try:
        with tarfile.open(archive, mode="r:gz") as tar:
            first = tar.next()
            if first is None or first.name != MANIFEST or not first.isfile():
                raise BackupError(f"{archive} не е резервно копие на Училищна канцелария: липсва описът му.")
            try:
                manifest = json.loads(tar.extractfile(first).read().decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise BackupError(f"Описът на архива {archive} е повреден.") from exc
            if manifest.get("format") != FORMAT:
                raise BackupError(f"Архивът е във формат {manifest.get('format')}, а тази версия чете формат {FORMAT}.")
            yield first, None, manifest
            while (member := tar.next()) is not None:
                yield member, tar.extractfile(member) if member.isfile() else None, None
    except (tarfile.TarError, EOFError, zlib.error) as exc:
        raise BackupError(f"Архивът {archive} е повреден или непълен ({exc}); нищо не е възстановено.") from exc


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name != MANIFEST


def unpack(archive: Path, destination: Path | None) -> dict[str, Any]:
    """Check every member against the manifest, writing them under ``destination`` if given.

    Returns the manifest. Raises :class:`BackupError` on any damage: a member missing, added,
    of another size or checksum, a link or a path leaving the folder, a truncated stream.
    """
    try:
        return _unpack(archive, destination)
    except (tarfile.TarError, EOFError, zlib.error, OSError) as exc:
        raise BackupError(f"Архивът {archive} е повреден или непълен ({exc}); нищо не е възстановено.") from exc


def _unpack(archive: Path, destination: Path | None) -> dict[str, Any]:
    manifest: dict[str, Any] = {}
    seen: set[str] = set()
    for member, stream, parsed in _members(archive):
        if parsed is not None:
            manifest = parsed
            continue
        expected = manifest["members"].get(member.name)
        if expected is None or not member.isfile() or not _safe_name(member.name) or member.name in seen:
            raise BackupError(f"Архивът съдържа „{member.name}“, което описът му не посочва; нищо не е възстановено.")
        digest, size = hashlib.sha256(), 0
        out = None
        if destination is not None:
            target = destination / member.name
            target.parent.mkdir(parents=True, exist_ok=True)
            out = target.open("wb")
        try:
            while chunk := stream.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                if out is not None:
                    out.write(chunk)
        finally:
            if out is not None:
                out.close()
        if size != expected["size"] or digest.hexdigest() != expected["sha256"]:
            raise BackupError(f"„{member.name}“ в архива е повреден (контролната сума не съвпада); "
                              "нищо не е възстановено.")
        seen.add(member.name)
    missing = sorted(set(manifest.get("members", {})) - seen)
    if missing:
        raise BackupError(f"Архивът е непълен: липсва „{missing[0]}“; нищо не е възстановено.")
    return manifest


def verify_archive(archive: Path) -> dict[str, Any]:
    """The manifest of an intact archive (every member read and checked); BackupError otherwise."""
    return unpack(archive, None)


def read_manifest(archive: Path) -> dict[str, Any]:
    """The manifest alone, without checking the members."""
    for _member, _stream, parsed in _members(archive):
        return parsed
    raise BackupError(f"{archive} е празен.")  # pragma: no cover - _members always yields the manifest first
