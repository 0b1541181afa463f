"""Writes for police open data: import files into the store, then refresh the derived observations."""

from __future__ import annotations

from saferplan.core.importing import DocumentError, Problem
from saferplan.indicators.rules import FigureRefused
from saferplan.police import derive, ingest


def police_import(files: list[ingest.SourceFile], *, partnership=None, user=None, progress=None):
    """Import the files (all or nothing), then record the derived indicators for the months imported."""
    result = ingest.import_files(files, progress=progress)
    derived = None
    if partnership is not None and result.months:
        try:
            derived = derive.derive_observations(
                partnership, (min(result.months), max(result.months)), user=user
            )
        except FigureRefused as exc:  # the derived figures break a rule: none of them is recorded
            raise DocumentError(
                [Problem(None, "derived figures", message) for _, message in exc.problems]
            ) from None
    return result, derived
