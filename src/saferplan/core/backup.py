"""Backups: one archive holding a consistent copy of the database and of the data folder, and its restore.

The archive is a gzip-compressed tar file whose members are, in this order:

- `saferplan-backup.json`, the manifest: `format` ("saferplan-backup"), `format_version`, the SaferPlan version,
  the database `engine` ("sqlite" or "postgresql"), `created_at`, `tables` (the row count of every table in the
  copy) and `members` (the SHA-256 and size of every other member);
- `database.sqlite3` (SQLite's online backup API: a consistent copy of the live database, taken while the
  application writes) or `database.pgdump` (`pg_dump --format=custom`, taken in a transaction whose snapshot
  also gave the row counts, so the counts are exactly those of the dump);
- `data/...`: the files of SAFERPLAN_DATA_DIR except the database, collected static files, temporary uploads
  and locks. The police store is copied as its manifest names it: the manifest is read first and the files it
  names are linked before anything else, so an import that commits meanwhile cannot give a mixture of versions.

The database is copied before the files, so every evidence file a record in the copy names is in the archive.

A restore checks the whole archive (its manifest, every member's name and SHA-256) into a folder beside the
data before it changes anything, refuses an instance that already holds data unless `force`, then puts the
database back (SQLite: the backup API into the database file; PostgreSQL: `pg_restore --clean --if-exists
--no-owner --single-transaction`), moves the files into place (the police manifest last) and checks that every
table holds the rows the manifest counted.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import uuid
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings

FORMAT = "saferplan-backup"
FORMAT_VERSION = 1
MANIFEST = "saferplan-backup.json"
DATABASE_MEMBERS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# Tables a freshly migrated instance already fills: rows in them do not make an instance "not empty".
BOOKKEEPING_TABLES = {"django_migrations", "django_content_type", "auth_permission"}
# Files under the data folder that a backup leaves out, and a restore neither needs nor removes.
SKIPPED_TOP = {"static"}  # collected static files: `saferplan collectstatic` makes them again
SKIPPED_NAMES = {".lock"}
SKIPPED_SUFFIXES = (".tmp", ".partial", "-journal", "-wal", "-shm")
STAGING_PREFIXES = (".backup-", ".restore-")
# Files that may be in an instance that holds no data yet (the `saferplan` command writes the key).
EMPTY_INSTANCE_FILES = {"secret_key"}


class BackupError(Exception):
    """A backup that cannot be written or restored; the message names the file and the problem."""


@dataclass
class Database:
    """Where the database is, from a Django DATABASES entry."""

    engine: str  # "sqlite" or "postgresql"
    config: dict

    @classmethod
    def of(cls, config: dict) -> Database:
        backend = config["ENGINE"]
        if backend.endswith("sqlite3"):
            return cls("sqlite", config)
        if "postgresql" in backend:
            return cls("postgresql", config)
        raise BackupError(f"Backups support SQLite and PostgreSQL databases, not {backend}")

    @property
    def path(self) -> Path:
        return Path(self.config["NAME"])

    def pg_env(self) -> dict:
        env = dict(os.environ)
        if self.config.get("PASSWORD"):
            env["PGPASSWORD"] = str(self.config["PASSWORD"])
        if self.config.get("OPTIONS", {}).get("sslmode"):
            env["PGSSLMODE"] = self.config["OPTIONS"]["sslmode"]
        return env

    def pg_args(self) -> list[str]:
        args = []
        for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
            if self.config.get(key):
                args.append(f"{flag}={self.config[key]}")
        return [*args, f"--dbname={self.config['NAME']}"]

    def pg_connect(self):
        import psycopg

        params = {
            "dbname": self.config["NAME"],
            "host": self.config.get("HOST") or None,
            "port": self.config.get("PORT") or None,
            "user": self.config.get("USER") or None,
            "password": self.config.get("PASSWORD") or None,
        }
        if self.config.get("OPTIONS", {}).get("sslmode"):
            params["sslmode"] = self.config["OPTIONS"]["sslmode"]
        return psycopg.connect(**{k: v for k, v in params.items() if v is not None}, autocommit=True)


def sqlite_tables(conn: sqlite3.Connection) -> dict[str, int]:
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def postgresql_tables(cursor) -> dict[str, int]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema') "
        "ORDER BY schemaname, tablename"
    )
    counts = {}
    for schema, table in cursor.fetchall():
        name = table if schema == "public" else f"{schema}.{table}"
        cursor.execute(f'SELECT COUNT(*) FROM "{schema}"."{table}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def table_counts(database: Database) -> dict[str, int]:
    """The row count of every table in the database (nothing when it does not exist yet)."""
    if database.engine == "sqlite":
        if not database.path.exists():
            return {}
        conn = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True, timeout=30)
        try:
            return sqlite_tables(conn)
        finally:
            conn.close()
    with database.pg_connect() as conn, conn.cursor() as cursor:
        return postgresql_tables(cursor)


def skipped(relative: PurePosixPath) -> bool:
    """Whether a file under the data folder stays out of backups (and is left alone by a restore)."""
    parts = relative.parts
    return (
        parts[0] in SKIPPED_TOP
        or parts[0].startswith(STAGING_PREFIXES)
        or parts[:2] == ("police", "uploads")
        or relative.name in SKIPPED_NAMES
        or relative.name.endswith(SKIPPED_SUFFIXES)
    )


def data_files(data_dir: Path, database: Database) -> list[PurePosixPath]:
    """The files a backup of this data folder holds, as paths relative to it; police Parquet files only if
    the police manifest names them (copied separately, see `_stage_police`)."""
    database_file = database.path.resolve() if database.engine == "sqlite" else None
    found = []
    for folder, dirs, files in os.walk(data_dir):
        here = PurePosixPath(Path(folder).relative_to(data_dir).as_posix())
        dirs[:] = sorted(d for d in dirs if not skipped(here / d / "x"))  # not into static/, uploads, staging
        for name in sorted(files):
            path = Path(folder) / name
            relative = PurePosixPath(path.relative_to(data_dir).as_posix())
            if skipped(relative) or path.is_symlink() or not path.is_file():
                continue
            if (
                database_file
                and path.resolve().parent == database_file.parent
                and (
                    path.name == database_file.name
                    or path.name
                    in {f"{database_file.name}{suffix}" for suffix in ("-wal", "-shm", "-journal")}
                )
            ):
                continue  # the database and its write-ahead log: copied through the backup API
            if relative.parts[0] == "police" and relative.parts[1:] != ("manifest.json",):
                continue
            found.append(relative)
    return found


def _link_or_copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(source, target)  # a file that is never rewritten in place: a link is a snapshot of it
    except OSError:
        shutil.copy2(source, target)


def _stage_police(data_dir: Path, staging: Path) -> list[PurePosixPath]:
    """Read the police manifest, then link every file it names; if an import committed meanwhile and removed
    one, start again from the new manifest."""
    manifest_path = data_dir / "police" / "manifest.json"
    for _ in range(20):
        if not manifest_path.exists():
            return []
        raw = manifest_path.read_bytes()
        manifest = json.loads(raw)
        named = sorted(
            {e["file"] for entries in manifest.get("parts", {}).values() for e in entries.values()}
        )
        target = staging / "data" / "police"
        shutil.rmtree(target, ignore_errors=True)
        try:
            for relative in named:
                _link_or_copy(data_dir / "police" / relative, target / relative)
        except FileNotFoundError:
            continue
        target.mkdir(parents=True, exist_ok=True)
        (target / "manifest.json").write_bytes(raw)
        return [PurePosixPath("police") / name for name in [*named, "manifest.json"]]
    raise BackupError("The police store kept changing while it was copied; try again")


def _stage_database(database: Database, staging: Path) -> tuple[str, dict[str, int]]:
    member = DATABASE_MEMBERS[database.engine]
    target = staging / member
    if database.engine == "sqlite":
        if not database.path.exists():
            raise BackupError(f"{database.path}: the database does not exist")
        source = sqlite3.connect(f"file:{database.path}?mode=ro", uri=True, timeout=30)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # one step: a consistent copy while other connections write
            counts = sqlite_tables(copy)
        finally:
            copy.close()
            source.close()
        return member, counts
    if not shutil.which("pg_dump"):
        raise BackupError("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    # One snapshot for the counts and the dump: pg_dump --snapshot reads exactly what this transaction sees.
    with database.pg_connect() as conn, conn.cursor() as cursor:
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        counts = postgresql_tables(cursor)
        result = subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                f"--snapshot={snapshot}",
                "--no-owner",
                f"--file={target}",
                *database.pg_args(),
            ],
            env=database.pg_env(),
            capture_output=True,
            text=True,
        )
        cursor.execute("COMMIT")
    if result.returncode:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return member, counts


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def saferplan_version() -> str:
    try:
        return metadata.version("saferplan")
    except metadata.PackageNotFoundError:
        return "unknown"


@contextmanager
def _staging(data_dir: Path, prefix: str):
    data_dir.mkdir(parents=True, exist_ok=True)
    folder = data_dir / f"{prefix}{uuid.uuid4().hex}"
    folder.mkdir()
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def backup_write(output: str | Path, *, database: dict | None = None, data_dir: Path | None = None) -> dict:
    """Write a backup of the database and the data folder to `output`; return its manifest.

    Nothing is left at `output` unless the whole archive was written (it is written beside it, then renamed)."""
    database_ = Database.of(database or settings.DATABASES["default"])
    data_dir = Path(data_dir or settings.DATA_DIR).resolve()
    output = Path(output)
    if output.is_dir():
        raise BackupError(f"{output}: is a folder; give the name of the backup file to write")
    if not output.parent.is_dir():
        raise BackupError(f"{output}: the folder {output.parent} does not exist")
    with _staging(data_dir, ".backup-") as staging:
        member, counts = _stage_database(database_, staging)
        files = _stage_police(data_dir, staging)
        for relative in data_files(data_dir, database_):
            if relative.parts[0] == "police":
                continue  # the police manifest, staged above with the files it names
            try:
                if relative.parts[0] == "evidence":
                    _link_or_copy(data_dir / relative, staging / "data" / relative)
                else:
                    (staging / "data" / relative).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copy2(data_dir / relative, staging / "data" / relative)
            except FileNotFoundError:
                continue  # removed since the folder was listed
            files.append(relative)
        members = [member, *(f"data/{relative}" for relative in sorted(files))]
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "saferplan_version": saferplan_version(),
            "engine": database_.engine,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "tables": counts,
            "members": {
                name: {"sha256": _sha256(staging / name), "size": (staging / name).stat().st_size}
                for name in members
            },
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
        partial = output.with_name(f".{output.name}.{uuid.uuid4().hex[:8]}.partial")
        try:
            fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)  # it holds everything: private
            with os.fdopen(fd, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz", compresslevel=1) as tar:
                for name in [MANIFEST, *members]:
                    info = tar.gettarinfo(staging / name, arcname=name)
                    info.uid = info.gid = 0
                    info.uname = info.gname = ""
                    with open(staging / name, "rb") as handle:
                        tar.addfile(info, handle)
                raw.flush()
                os.fsync(raw.fileno())
            os.replace(partial, output)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    return manifest


def _safe_member(name: str) -> PurePosixPath:
    """The path under the data folder a `data/...` member is written to, refusing any that would escape it."""
    path = PurePosixPath(name)
    if (
        path.is_absolute()
        or str(path) != name
        or "\\" in name
        or "\x00" in name
        or len(path.parts) < 2
        or path.parts[0] != "data"
        or any(part in ("..", ".", "") for part in path.parts)
    ):
        raise BackupError(f"the member {name!r} is refused: not a plain path inside the data folder")
    relative = PurePosixPath(*path.parts[1:])
    if skipped(relative):
        raise BackupError(f"the member {name!r} is not a file a backup holds")
    return relative


def read_manifest(archive: Path, tar: tarfile.TarFile) -> dict:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile() or first.size > 50_000_000:
        raise BackupError(f"{archive}: not a SaferPlan backup (it does not start with {MANIFEST})")
    try:
        manifest = json.loads(tar.extractfile(first).read())
    except (ValueError, UnicodeDecodeError):
        raise BackupError(f"{archive}: not a SaferPlan backup ({MANIFEST} is not valid JSON)") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"{archive}: not a SaferPlan backup ({MANIFEST} does not say it is one)")
    version = manifest.get("format_version")
    if not isinstance(version, int) or version < 1:
        raise BackupError(f"{archive}: the backup's format version {version!r} is not a version number")
    if version > FORMAT_VERSION:
        raise BackupError(
            f"{archive}: the backup is in format version {version}, made by a newer SaferPlan "
            f"({manifest.get('saferplan_version', 'unknown')}); this one ({saferplan_version()}) reads up to "
            f"version {FORMAT_VERSION}. Restore it with that version or a later one"
        )
    members = manifest.get("members")
    engine = manifest.get("engine")
    if (
        engine not in DATABASE_MEMBERS
        or not isinstance(members, dict)
        or not isinstance(manifest.get("tables"), dict)
    ):
        raise BackupError(
            f"{archive}: the backup's manifest is incomplete (engine, tables or members missing)"
        )
    if DATABASE_MEMBERS[engine] not in members:
        raise BackupError(f"{archive}: the backup's manifest names no database copy")
    for name, entry in members.items():
        if name != DATABASE_MEMBERS[engine]:
            _safe_member(name)
        if not isinstance(entry, dict) or not isinstance(entry.get("sha256"), str):
            raise BackupError(f"{archive}: the manifest gives no SHA-256 for {name}")
    return manifest


def _unpack(archive: Path, tar: tarfile.TarFile, manifest: dict, staging: Path) -> None:
    """Every member into the staging folder, each checked against the manifest's SHA-256."""
    expected = manifest["members"]
    seen = set()
    for index, info in enumerate(tar):
        name = info.name
        if index == 0:
            continue  # the manifest, read already
        if name not in expected or name in seen:
            what = "a second copy of" if name in seen else "a member the manifest does not name:"
            raise BackupError(f"{archive}: the archive holds {what} {name!r}")
        if not info.isfile():
            raise BackupError(f"{archive}: the member {name!r} is not a plain file (links are refused)")
        seen.add(name)
        target = staging / PurePosixPath(name)
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with tar.extractfile(info) as source, open(target, "wb") as handle:
            for chunk in iter(lambda: source.read(1 << 20), b""):
                digest.update(chunk)
                handle.write(chunk)
        if digest.hexdigest() != expected[name]["sha256"]:
            raise BackupError(
                f"{archive}: {name} does not match its SHA-256 in the manifest: the backup is damaged"
            )
    missing = sorted(set(expected) - seen)
    if missing:
        raise BackupError(
            f"{archive}: the archive lacks {len(missing)} member(s) its manifest names: {missing[0]}"
        )


def instance_contents(database: Database, data_dir: Path) -> list[str]:
    """What already makes this instance hold data: tables with rows, and data files (empty list: empty)."""
    found = [
        f"the table {table} holds {count} row(s)"
        for table, count in table_counts(database).items()
        if count and table not in BOOKKEEPING_TABLES
    ]
    if data_dir.exists():
        for relative in data_files(data_dir, database):
            if str(relative) not in EMPTY_INSTANCE_FILES:
                found.append(f"the data folder holds {relative}")
        police = data_dir / "police"
        if police.exists() and any(police.glob("*/*/*.parquet")):
            found.append("the data folder holds police data")
    return found


def _restore_database(database: Database, source: Path) -> None:
    if database.engine == "sqlite":
        database.path.parent.mkdir(parents=True, exist_ok=True)
        copy = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        target = sqlite3.connect(database.path, timeout=30)
        try:
            copy.backup(target)  # replaces every page of the target, whatever it held
        except sqlite3.Error as exc:
            raise BackupError(f"The database copy could not be restored ({exc})") from None
        finally:
            target.close()
            copy.close()
        return
    if not shutil.which("pg_restore"):
        raise BackupError("pg_restore is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(
        [
            "pg_restore",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            *database.pg_args(),
            str(source),
        ],
        env=database.pg_env(),
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise BackupError(f"pg_restore failed, and the database is as it was: {result.stderr.strip()}")


def backup_restore(
    file: str | Path, *, force: bool = False, database: dict | None = None, data_dir: Path | None = None
) -> dict:
    """Put a backup back into this instance (its DATABASE_URL and SAFERPLAN_DATA_DIR); return the manifest.

    The whole archive is checked before anything changes. An instance that already holds data is refused
    unless `force`, which replaces its database and the data files a backup holds."""
    database_ = Database.of(database or settings.DATABASES["default"])
    data_dir = Path(data_dir or settings.DATA_DIR).resolve()
    archive = Path(file)
    if not archive.is_file():
        raise BackupError(f"{archive}: no such file")
    with _staging(data_dir, ".restore-") as staging:
        try:
            with tarfile.open(archive, mode="r:*") as tar:
                manifest = read_manifest(archive, tar)
                if manifest["engine"] != database_.engine:
                    raise BackupError(
                        f"{archive}: a backup of a {ENGINE_NAMES[manifest['engine']]} database cannot be "
                        f"restored into {ENGINE_NAMES[database_.engine]}"
                    )
                contents = [] if force else instance_contents(database_, data_dir)
                if contents:
                    raise BackupError(
                        f"This instance is not empty ({contents[0]}{' and more' if len(contents) > 1 else ''}): "
                        "restore into an empty one, or add --force to replace everything it holds"
                    )
                _unpack(archive, tar, manifest, staging)
        except (tarfile.TarError, EOFError, OSError, zlib.error) as exc:
            reason = str(exc).splitlines()[0].rstrip(":") if str(exc) else type(exc).__name__
            if "could not be opened successfully" in reason:
                reason = "not a tar archive"
            raise BackupError(f"{archive}: not a readable SaferPlan backup ({reason})") from None
        _restore_database(database_, staging / DATABASE_MEMBERS[manifest["engine"]])
        restored = [_safe_member(name) for name in manifest["members"] if name.startswith("data/")]
        if force:  # what the backup does not hold goes
            keep = set(restored)
            for relative in data_files(data_dir, database_):
                if relative not in keep and str(relative) not in EMPTY_INSTANCE_FILES:
                    (data_dir / relative).unlink(missing_ok=True)
            for path in (data_dir / "police").glob("*/*/*.parquet"):
                if PurePosixPath(path.relative_to(data_dir).as_posix()) not in keep:
                    path.unlink(missing_ok=True)
        police_manifest = PurePosixPath("police/manifest.json")
        for relative in sorted(restored, key=lambda r: r == police_manifest):  # the police manifest last
            target = data_dir / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staging / "data" / relative, target)
    counts = {t: c for t, c in table_counts(database_).items() if t in manifest["tables"]}
    if counts != manifest["tables"]:
        wrong = sorted(t for t in manifest["tables"] if counts.get(t) != manifest["tables"][t])
        raise BackupError(
            f"The restored database does not hold the rows the backup counted (table {wrong[0]})"
        )
    return manifest
