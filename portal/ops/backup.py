"""Backing up and restoring the portal: the database and the uploaded media files.

A backup is a directory holding
- `database.dump`: `pg_dump --format=custom` of the PostgreSQL database, or
  `database.sqlite3`: a consistent copy of the SQLite database (sqlite3's backup API,
  safe while the portal runs);
- `media.tar.gz`: every file under MEDIA_ROOT;
- `manifest.json`: when, which database engine, and the SHA-256 of both files, checked
  before anything is restored.

Restoring replaces the database's content and the media directory with the backup's.
See docs/operations.md."""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
PG_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
MEDIA = "media.tar.gz"
FORMAT = 1


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env(db: dict) -> tuple[list[str], dict]:
    args = []
    if db.get("HOST"):
        args += ["--host", str(db["HOST"])]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _run(command: list[str], env: dict) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(f"{command[0]} is not installed (apt-get install "
                          "postgresql-client).") from exc
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()[-2000:]}")


def _media_root() -> Path:
    return Path(settings.MEDIA_ROOT)


def backup(target: Path | str, *, using: str = "default") -> dict:
    """Write a backup into `target` (created; must be empty if it exists)."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty.")
    target.mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        database_file = target / PG_DUMP
        args, env = _pg_env(db)
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", *args,
              "--file", str(database_file), str(db["NAME"])], env)
    elif connection.vendor == "sqlite":
        database_file = target / SQLITE_COPY
        connection.ensure_connection()
        destination = sqlite3.connect(database_file)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    else:
        raise BackupError(f"Backups of {connection.vendor} databases are not supported.")

    media_file = target / MEDIA
    root = _media_root()
    with tarfile.open(media_file, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                if path.is_file():
                    tar.add(path, arcname=str(path.relative_to(root)), recursive=False)
    manifest = {
        "format": FORMAT,
        "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "engine": connection.vendor,
        "files": {f.name: _sha256(f) for f in (database_file, media_file)},
    }
    (target / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return manifest


def read_manifest(source: Path | str) -> dict:
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source} holds no readable {MANIFEST}.") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
    for name, digest in manifest.get("files", {}).items():
        path = source / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{path} is missing or damaged (checksum differs).")
    return manifest


def restore(source: Path | str, *, using: str = "default") -> dict:
    """Replace the database's content and MEDIA_ROOT with the backup in `source`."""
    source = Path(source)
    manifest = read_manifest(source)
    connection = connections[using]
    if manifest["engine"] != connection.vendor:
        raise BackupError(f"The backup is of a {manifest['engine']} database; this portal "
                          f"uses {connection.vendor}.")
    db = connection.settings_dict
    if connection.vendor == "postgresql":
        connection.close()
        args, env = _pg_env(db)
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", *args, "--dbname", str(db["NAME"]),
              str(source / PG_DUMP)], env)
    else:
        connection.ensure_connection()
        if connection.in_atomic_block:
            raise BackupError("Cannot restore inside a transaction.")
        origin = sqlite3.connect(source / SQLITE_COPY)
        try:
            origin.backup(connection.connection)
        finally:
            origin.close()

    root = _media_root()
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root.parent) as unpacked:
        with tarfile.open(source / MEDIA, "r:gz") as tar:
            tar.extractall(unpacked, filter="data")  # no absolute paths, links or ../
        for child in root.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
        for child in Path(unpacked).iterdir():
            shutil.move(str(child), root / child.name)
    # Written behind Django's back: no public page kept from before may be served.
    from portal.pagecache import cms_changed

    cms_changed()
    return manifest
