"""The columnar store of police open data: Parquet files under $SAFERPLAN_DATA_DIR/police.

One Parquet file per kind (street, outcomes, stop-and-search), force and month. The manifest
(`manifest.json`) names the current file of each; an import writes new files beside the old ones and then
replaces the manifest in one atomic rename. So a re-import replaces a force-month exactly (never duplicates),
and an import that fails or is killed before that rename leaves the store as it was. Files no manifest names
(old versions, or leftovers of a killed import) are removed at the next commit.
"""

from __future__ import annotations

import fcntl
import json
import os
import uuid
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
from django.conf import settings

KINDS = ("street", "outcomes", "stop-and-search")


def root() -> Path:
    path = Path(settings.DATA_DIR) / "police"
    path.mkdir(parents=True, exist_ok=True)
    return path


def read_manifest() -> dict:
    path = root() / "manifest.json"
    if not path.exists():
        return {"version": 0, "parts": {kind: {} for kind in KINDS}}
    return json.loads(path.read_text())


@contextmanager
def locked():
    """Only one import writes at a time."""
    with open(root() / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def new_part_path(kind: str, force: str, month: str) -> Path:
    folder = root() / kind / force
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{month}-{uuid.uuid4().hex[:12]}.parquet"


def commit(parts: dict[str, dict[str, dict]]) -> dict:
    """Make the written parts current in one atomic step; then remove every file no longer named."""
    manifest = read_manifest()
    for kind, entries in parts.items():
        manifest["parts"].setdefault(kind, {}).update(entries)
    manifest["version"] += 1
    manifest["committed_at"] = datetime.now(UTC).isoformat(timespec="seconds")
    path = root() / "manifest.json"
    tmp = path.with_suffix(".json.tmp")
    with open(tmp, "w") as handle:
        json.dump(manifest, handle, indent=1, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)
    collect_garbage(manifest)
    return manifest


def collect_garbage(manifest: dict | None = None) -> int:
    manifest = manifest or read_manifest()
    current = {entry["file"] for entries in manifest["parts"].values() for entry in entries.values()}
    removed = 0
    for kind in KINDS:
        for file in (root() / kind).glob("*/*.parquet") if (root() / kind).exists() else []:
            if str(file.relative_to(root())) not in current:
                file.unlink(missing_ok=True)
                removed += 1
    return removed


def key(force: str, month: str) -> str:
    return f"{force}|{month}"


def parts(kind: str = "street", *, forces=None, months: tuple[str, str] | None = None) -> list[dict]:
    """Current parts of a kind, optionally only some forces and months (inclusive "YYYY-MM" range)."""
    result = []
    for k, entry in sorted(read_manifest()["parts"].get(kind, {}).items()):
        force, month = k.split("|")
        if forces and force not in forces:
            continue
        if months and not months[0] <= month <= months[1]:
            continue
        result.append({"force": force, "month": month, **entry})
    return result


def scan(kind: str = "street", *, forces=None, months: tuple[str, str] | None = None) -> pl.LazyFrame | None:
    """A lazy frame over the current files, or None when the store holds nothing that matches."""
    files = [str(root() / p["file"]) for p in parts(kind, forces=forces, months=months)]
    if not files:
        return None
    return pl.scan_parquet(files)
