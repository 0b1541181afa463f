"""Writes for police open data: import files into the store, then refresh the derived observations."""

from __future__ import annotations

from saferplan.police import derive, ingest


def police_import(files: list[ingest.SourceFile], *, partnership=None, user=None, progress=None):
    """Import the files (all or nothing), then record the derived indicators for the months imported."""
    result = ingest.import_files(files, progress=progress)
    derived = None
    if partnership is not None and result.months:
        derived = derive.derive_observations(partnership, (min(result.months), max(result.months)), user=user)
    return result, derived
