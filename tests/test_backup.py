"""Backup and restore (saferplan.core.backup): the demo, backed up while a writer records figures, restored into
a second empty instance, table by table and file by file; and every archive a restore must refuse.

The test database of this session is not used: the instances are subprocesses with their own
SAFERPLAN_DATA_DIR and database, of the engine this session runs on (DATABASE_URL): two SQLite files, or
PostgreSQL databases created here and dropped at the end."""

from __future__ import annotations

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
import uuid
from pathlib import Path

import dj_database_url
import pytest

from saferplan.core import backup
from saferplan.core.backup import BackupError, backup_restore

URL = os.environ.get("DATABASE_URL", "")
ENGINE = "postgresql" if URL.startswith("postgres") else "sqlite"
SAFERPLAN = str(Path(sys.executable).with_name("saferplan"))

WRITER = """
import os, time
from pathlib import Path
from django.db import transaction
from saferplan.indicators.models import Observation
from saferplan.indicators.periods import Period
from saferplan.indicators.services import commentary_record, observation_record
stop = Path(os.environ["WRITER_STOP"])
target = Observation.objects.filter(headline=True).order_by("pk").first()
period = Period.from_code(target.period)
print(f"target {target.pk} {target.indicator_id} {target.area_id} {target.period} {target.value}", flush=True)
i = 0
while not stop.exists() and i < 5000:
    with transaction.atomic():
        commentary_record(indicator=target.indicator, area=target.area, period=period, text=f"Writer update {i}")
        observation_record(
            indicator=target.indicator, area=target.area, period=period, value=target.value + i + 1,
            source=target.source, origin=target.origin, synthetic=target.synthetic, check=False,
            confirmed_unusual=True,
        )
    print(i, flush=True)
    i += 1
    time.sleep(0.005)
"""


class Instance:
    """A SaferPlan instance: a data folder and a database, driven through the `saferplan` command."""

    def __init__(self, folder: Path, name: str):
        self.data_dir = folder / "data"
        self.data_dir.mkdir(parents=True)
        if ENGINE == "postgresql":
            self.db_name = f"saferplan_backup_{name}_{uuid.uuid4().hex[:8]}"
            self.url = URL.rsplit("/", 1)[0] + "/" + self.db_name
            admin(f'CREATE DATABASE "{self.db_name}"')
        else:
            self.url = f"sqlite:///{self.data_dir / 'saferplan.sqlite3'}"
        self.database = dj_database_url.parse(self.url)
        self.env = {
            **os.environ,
            "SAFERPLAN_DATA_DIR": str(self.data_dir),
            "DATABASE_URL": self.url,
            "SECRET_KEY": "test-secret-key-not-for-production",
        }

    def start(self, *args: str, **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            [SAFERPLAN, *args], env={**self.env, **kwargs.pop("env", {})}, text=True, **kwargs
        )

    def run(self, *args: str) -> subprocess.CompletedProcess:
        return subprocess.run([SAFERPLAN, *args], env=self.env, text=True, capture_output=True, timeout=120)

    def count(self, table: str) -> int:
        if ENGINE == "sqlite":
            conn = sqlite3.connect(self.database["NAME"], timeout=30)
            try:
                return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            finally:
                conn.close()
        with self.connect() as conn:
            return conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]

    def drop(self) -> None:
        if ENGINE == "postgresql":
            admin(f'DROP DATABASE IF EXISTS "{self.db_name}" WITH (FORCE)')

    # Reading the database without Django, as the backup does.
    def connect(self):
        return backup.Database.of(self.database).pg_connect() if ENGINE == "postgresql" else None

    def tables(self) -> dict[str, list[tuple]]:
        """Every row of every table, ordered by primary key."""
        result = {}
        if ENGINE == "sqlite":
            conn = sqlite3.connect(self.database["NAME"])
            try:
                for table in backup.sqlite_tables(conn):
                    keys = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[5]]
                    order = ", ".join(f'"{k}"' for k in keys) or "rowid"
                    result[table] = conn.execute(f'SELECT * FROM "{table}" ORDER BY {order}').fetchall()
            finally:
                conn.close()
            return result
        with self.connect() as conn, conn.cursor() as cursor:
            for table in backup.postgresql_tables(cursor):
                cursor.execute(
                    "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid "
                    "AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s::regclass AND i.indisprimary",
                    [f'"{table}"'],
                )
                keys = [r[0] for r in cursor.fetchall()]
                cursor.execute(f'SELECT * FROM "{table}" ORDER BY {", ".join(keys) or "1"}')
                result[table] = cursor.fetchall()
        return result

    def files(self) -> dict[str, str]:
        """SHA-256 of every file in the data folder but the SQLite database."""
        found = {}
        for path in sorted(self.data_dir.rglob("*")):
            if path.is_file() and not path.name.startswith("saferplan.sqlite3"):
                found[path.relative_to(self.data_dir).as_posix()] = hashlib.sha256(
                    path.read_bytes()
                ).hexdigest()
        return found


def admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(URL, autocommit=True) as conn:
        conn.execute(sql)


def wait(process: subprocess.Popen, what: str) -> None:
    out, err = process.communicate(timeout=180)
    assert process.returncode == 0, f"{what} failed:\n{out}\n{err}"


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory):
    """The demo backed up while a writer records figures, then restored into an empty instance."""
    folder = tmp_path_factory.mktemp("backup")
    timings = {}
    source = Instance(folder / "source", "source")
    target = Instance(folder / "target", "target")
    empty = Instance(folder / "empty", "empty")
    try:
        started = time.monotonic()
        load = source.start(  # one process for both: Django starts once
            "shell",
            "-c",
            "from django.core.management import call_command as c; c('migrate', verbosity=0); c('demo', verbosity=0)",
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        wait(load, "loading the demo")
        timings["load"] = time.monotonic() - started
        # Files a backup holds, and files it must leave out.
        evidence = source.data_dir / "evidence"
        evidence.mkdir()
        (evidence / f"{uuid.uuid4().hex}.pdf").write_bytes(b"%PDF-1.4 evidence " + os.urandom(2000))
        (evidence / f"{uuid.uuid4().hex}.txt").write_text("Minutes of the Board, 12 May 2016\n")
        (source.data_dir / "police" / "uploads" / "abc").mkdir(parents=True)
        (source.data_dir / "police" / "uploads" / "abc" / "2016-03-durham-street.csv").write_text("partial")
        (source.data_dir / "police" / "street" / "durham" / "2016-03-leftover.parquet").write_bytes(b"old")

        stop = folder / "stop-writer"
        writer = source.start(
            "shell",
            "-c",
            WRITER,
            env={"WRITER_STOP": str(stop)},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        first = ""
        while not first.startswith("target"):  # after what the shell prints about its imports
            first = writer.stdout.readline()
            assert first, writer.stderr.read()
        lines: list[str] = [first.strip()]
        reader = threading.Thread(
            target=lambda: lines.extend(line.strip() for line in writer.stdout), daemon=True
        )
        reader.start()
        while len(lines) < 6:  # the writer is under way
            time.sleep(0.05)
        archive = folder / "saferplan-backup.tar.gz"
        started = time.monotonic()
        made = source.run("backup", "--output", str(archive))
        timings["backup"] = time.monotonic() - started
        assert made.returncode == 0, made.stderr
        with tarfile.open(archive) as tar:
            manifest = json.loads(tar.extractfile(backup.MANIFEST).read())
        history = "indicators_historicalcommentary"
        deadline = time.monotonic() + 60
        while source.count(history) < manifest["tables"][history] + 3:  # and keeps writing after the snapshot
            assert writer.poll() is None and time.monotonic() < deadline, "the writer stopped"
            time.sleep(0.05)
        stop.touch()
        writer.wait(timeout=60)
        reader.join(timeout=10)  # every line the writer printed
        assert writer.returncode == 0, writer.stderr.read()
        started = time.monotonic()
        restored = target.run("restore", str(archive))
        timings["restore"] = time.monotonic() - started
        assert restored.returncode == 0, restored.stderr
        yield {
            "source": source,
            "target": target,
            "empty": empty,
            "archive": archive,
            "manifest": manifest,
            "writer": lines,
            "timings": timings,
            "output": made.stdout + restored.stdout,
        }
    finally:
        for instance in (source, target, empty):
            instance.drop()


def test_the_restored_instance_holds_every_table_of_the_snapshot(round_trip):
    source, target, manifest = round_trip["source"], round_trip["target"], round_trip["manifest"]
    print(round_trip["timings"], round_trip["output"])
    before, after = source.tables(), target.tables()
    assert manifest["engine"] == ENGINE
    assert set(after) >= set(manifest["tables"]) and set(manifest["tables"]) == set(before)
    assert sum(manifest["tables"].values()) > 20_000  # the demo, not an empty database
    assert {t: len(after[t]) for t in manifest["tables"]} == manifest["tables"]

    # The writer revised one figure and its commentary in each of its transactions.
    _, obs_id, indicator_id, area_id, period, base = round_trip["writer"][0].split()
    written = [int(line) for line in round_trip["writer"][1:]]
    changed = {
        "indicators_observation",
        "indicators_historicalobservation",
        "indicators_commentary",
        "indicators_historicalcommentary",
    }
    for table in manifest["tables"]:
        if table not in changed:
            assert after[table] == before[table], f"{table} differs from the source"
    for table in ("indicators_historicalobservation", "indicators_historicalcommentary"):
        # History only grows: the copy holds the source's first rows, as many as the manifest counted.
        assert after[table] == before[table][: manifest["tables"][table]], table
        assert len(after[table]) < len(before[table]), f"no write to {table} landed after the snapshot"

    # A consistent snapshot: the commentary, the figure and both histories are those of one transaction.
    def named(table, **where):
        columns = columns_of(target, table)
        rows = [dict(zip(columns, row, strict=True)) for row in after[table]]
        return [row for row in rows if all(row[k] == v for k, v in where.items())]

    commentary = named(
        "indicators_commentary", indicator_id=int(indicator_id), area_id=int(area_id), period=period
    )
    assert len(commentary) == 1
    k = int(commentary[0]["text"].removeprefix("Writer update "))
    assert 0 <= k < written[-1], "the snapshot was taken while the writer was writing"
    observation = named("indicators_observation", id=int(obs_id))[0]
    assert observation["value"] == pytest.approx(float(base) + k + 1)
    history = named("indicators_historicalcommentary", id=commentary[0]["id"])
    assert [h["text"] for h in history] == [f"Writer update {i}" for i in range(k + 1)]
    figures = named("indicators_historicalobservation", id=int(obs_id))
    assert figures[-1]["value"] == observation["value"]
    # Everything else in the changed tables is as in the source.
    for table, key in (("indicators_observation", "id"), ("indicators_commentary", "id")):
        columns = columns_of(source, table)
        ours = {row[columns.index(key)] for row in after[table]} - {observation["id"], commentary[0]["id"]}
        assert [r for r in after[table] if r[columns.index(key)] in ours] == [
            r for r in before[table] if r[columns.index(key)] in ours
        ], table


def columns_of(instance: Instance, table: str) -> list[str]:
    if ENGINE == "sqlite":
        conn = sqlite3.connect(instance.database["NAME"])
        try:
            return [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")')]
        finally:
            conn.close()
    with instance.connect() as conn, conn.cursor() as cursor:
        cursor.execute(f'SELECT * FROM "{table}" LIMIT 0')
        return [d.name for d in cursor.description]


def test_the_restored_instance_holds_every_stored_file(round_trip):
    source, target, manifest = round_trip["source"], round_trip["target"], round_trip["manifest"]
    ours, theirs = source.files(), target.files()
    left_out = {
        "police/.lock",
        "police/uploads/abc/2016-03-durham-street.csv",  # an upload being imported
        "police/street/durham/2016-03-leftover.parquet",  # a file the police manifest does not name
    }
    assert left_out <= set(ours)
    assert theirs == {name: digest for name, digest in ours.items() if name not in left_out}
    assert {name for name in theirs if name.startswith("evidence/")} and "police/manifest.json" in theirs
    assert any(name.endswith(".parquet") for name in theirs)
    for name, digest in theirs.items():
        assert manifest["members"][f"data/{name}"]["sha256"] == digest
    # the database travels only as its consistent copy, never as its live file or write-ahead log
    assert not [m for m in manifest["members"] if m.startswith("data/saferplan.sqlite3")]
    assert oct(round_trip["archive"].stat().st_mode & 0o777) == "0o600"


# Archives a restore refuses, writing nothing.


def rebuild(archive: Path, output: Path, *, manifest=None, members=None, extra=()) -> Path:
    """A copy of a backup with its manifest or members changed, and extra tar entries appended."""
    with tarfile.open(archive) as tar:
        original = {m.name: tar.extractfile(m).read() for m in tar.getmembers()}
    names = json.loads(original.pop(backup.MANIFEST))
    content = {**original, **(members or {})}
    with tarfile.open(output, "w:gz") as tar:
        for name, data in [(backup.MANIFEST, json.dumps(manifest or names).encode()), *content.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for info, data in extra:
            tar.addfile(info, io.BytesIO(data) if data is not None else None)
    return output


def refuse(round_trip, archive, message: str, *, instance=None, force=False) -> None:
    instance = instance or round_trip["empty"]
    files = instance.files()
    counts = backup.table_counts(backup.Database.of(instance.database))
    with pytest.raises(BackupError, match=message):
        backup_restore(archive, database=instance.database, data_dir=instance.data_dir, force=force)
    assert instance.files() == files, "a refused restore wrote files"
    assert sorted(p.name for p in instance.data_dir.iterdir() if p.name.startswith(".restore-")) == []
    assert backup.table_counts(backup.Database.of(instance.database)) == counts, (
        "a refused restore wrote rows"
    )


def test_a_missing_corrupt_or_foreign_archive_is_refused(round_trip, tmp_path):
    refuse(round_trip, tmp_path / "nothing.tar.gz", "no such file")
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(os.urandom(5000))
    refuse(round_trip, junk, "not a readable SaferPlan backup")
    truncated = tmp_path / "truncated.tar.gz"
    data = round_trip["archive"].read_bytes()
    truncated.write_bytes(data[: len(data) // 2])
    refuse(round_trip, truncated, "not a readable SaferPlan backup")
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as tar:
        tar.add(Path(__file__), arcname="test_backup.py")
    refuse(round_trip, foreign, "not a SaferPlan backup")
    other = json.loads(json.dumps(round_trip["manifest"]))
    other["format"] = "another-backup"
    refuse(
        round_trip,
        rebuild(round_trip["archive"], tmp_path / "other.tar.gz", manifest=other),
        "not a SaferPlan",
    )
    wrong = json.loads(json.dumps(round_trip["manifest"]))
    wrong["engine"] = "sqlite" if ENGINE == "postgresql" else "postgresql"
    wrong["members"] = {
        (backup.DATABASE_MEMBERS[wrong["engine"]] if n == backup.DATABASE_MEMBERS[ENGINE] else n): e
        for n, e in wrong["members"].items()
    }
    refuse(
        round_trip,
        rebuild(round_trip["archive"], tmp_path / "engine.tar.gz", manifest=wrong),
        "cannot be restored",
    )


def test_a_damaged_member_is_refused(round_trip, tmp_path):
    manifest = round_trip["manifest"]
    evidence = next(name for name in manifest["members"] if name.startswith("data/evidence/"))
    damaged = rebuild(round_trip["archive"], tmp_path / "damaged.tar.gz", members={evidence: b"changed"})
    refuse(round_trip, damaged, f"{evidence} does not match its SHA-256")
    database = backup.DATABASE_MEMBERS[ENGINE]
    with tarfile.open(round_trip["archive"]) as tar:
        data = bytearray(tar.extractfile(database).read())
    data[len(data) // 2] ^= 0xFF
    damaged = rebuild(round_trip["archive"], tmp_path / "damaged-db.tar.gz", members={database: bytes(data)})
    refuse(round_trip, damaged, f"{database} does not match its SHA-256")
    missing = json.loads(json.dumps(manifest))
    missing["members"]["data/evidence/not-in-the-archive.pdf"] = {"sha256": "0" * 64, "size": 1}
    refuse(
        round_trip, rebuild(round_trip["archive"], tmp_path / "missing.tar.gz", manifest=missing), "lacks 1"
    )
    extra = tarfile.TarInfo("data/evidence/unlisted.pdf")
    extra.size = 3
    refuse(
        round_trip,
        rebuild(round_trip["archive"], tmp_path / "extra.tar.gz", extra=[(extra, b"abc")]),
        "does not name",
    )


def test_a_backup_from_a_newer_version_is_refused(round_trip, tmp_path):
    future = json.loads(json.dumps(round_trip["manifest"]))
    future["format_version"] = backup.FORMAT_VERSION + 1
    future["saferplan_version"] = "9.0.0"
    archive = rebuild(round_trip["archive"], tmp_path / "future.tar.gz", manifest=future)
    refuse(
        round_trip,
        archive,
        f"format version {backup.FORMAT_VERSION + 1}, made by a newer SaferPlan \\(9.0.0\\)",
    )


def test_members_outside_the_data_folder_are_refused(round_trip, tmp_path):
    escape = tmp_path / "escaped.txt"
    for name in (
        "data/../../../../../../../../../../.." + str(escape),
        "data/evidence/../../escaped.txt",
        str(escape),
        "data//etc/passwd",
        "../data/x",
    ):
        crafted = json.loads(json.dumps(round_trip["manifest"]))
        crafted["members"][name] = {"sha256": hashlib.sha256(b"boo").hexdigest(), "size": 3}
        info = tarfile.TarInfo(name)
        info.size = 3
        archive = rebuild(
            round_trip["archive"], tmp_path / "crafted.tar.gz", manifest=crafted, extra=[(info, b"boo")]
        )
        refuse(round_trip, archive, "not a plain path inside the data folder")
    assert not escape.exists()
    # A link inside the data folder pointing out of it.
    crafted = json.loads(json.dumps(round_trip["manifest"]))
    crafted["members"]["data/evidence/link.pdf"] = {"sha256": hashlib.sha256(b"").hexdigest(), "size": 0}
    link = tarfile.TarInfo("data/evidence/link.pdf")
    link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
    archive = rebuild(round_trip["archive"], tmp_path / "link.tar.gz", manifest=crafted, extra=[(link, None)])
    refuse(round_trip, archive, "not a plain file")


def test_an_instance_that_holds_data_is_refused_unless_forced(round_trip, tmp_path):
    target = round_trip["target"]
    refuse(round_trip, round_trip["archive"], "This instance is not empty", instance=target)
    # --force replaces the database and the data files, and removes files the backup does not hold.
    stray = target.data_dir / "evidence" / "stray.txt"
    stray.write_text("not in the backup")
    rows = target.tables()
    result = target.run("restore", str(round_trip["archive"]), "--force")
    assert result.returncode == 0, result.stderr
    assert not stray.exists()
    assert target.tables() == rows
    refused = target.run("restore", str(round_trip["archive"]))
    assert refused.returncode == 1 and "CommandError: This instance is not empty" in refused.stderr
    assert "--force" in refused.stderr


def test_backup_refuses_an_output_it_cannot_write(round_trip, tmp_path):
    source = round_trip["source"]
    result = source.run("backup", "--output", str(tmp_path / "no-such-folder" / "b.tar.gz"))
    assert result.returncode == 1 and "does not exist" in result.stderr
    assert not (tmp_path / "no-such-folder").exists()
    assert not [p for p in source.data_dir.iterdir() if p.name.startswith(".backup-")]


def test_the_police_store_is_copied_as_one_manifest_names_it(tmp_path, monkeypatch):
    """An import that commits while the backup links the police files (its new manifest renamed into place,
    the old files removed) makes the backup start again from the new manifest: never a mixture."""
    police = tmp_path / "police"
    (police / "street" / "durham").mkdir(parents=True)

    def commit(name: str) -> None:
        (police / "street" / "durham" / name).write_bytes(name.encode())
        manifest = {"version": 1, "parts": {"street": {"durham|2016-03": {"file": f"street/durham/{name}"}}}}
        (police / "manifest.json.tmp").write_text(json.dumps(manifest))
        os.replace(police / "manifest.json.tmp", police / "manifest.json")

    commit("2016-03-old.parquet")
    original = backup._link_or_copy
    calls = []

    def import_commits_meanwhile(source: Path, target: Path) -> None:
        if not calls:  # the first file: an import commits a new version and removes the old file
            commit("2016-03-new.parquet")
            (police / "street" / "durham" / "2016-03-old.parquet").unlink()
        calls.append(source.name)
        original(source, target)

    monkeypatch.setattr(backup, "_link_or_copy", import_commits_meanwhile)
    staging = tmp_path / ".backup-x"
    staged = backup._stage_police(tmp_path, staging)
    assert [str(p) for p in staged] == ["police/street/durham/2016-03-new.parquet", "police/manifest.json"]
    assert calls == ["2016-03-old.parquet", "2016-03-new.parquet"]
    files = sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*") if p.is_file())
    assert files == ["data/police/manifest.json", "data/police/street/durham/2016-03-new.parquet"]
    assert "2016-03-new.parquet" in (staging / "data" / "police" / "manifest.json").read_text()
