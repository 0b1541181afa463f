"""References for casework records: PREFIX-YEAR-NNNNN (e.g. ASB-2015-00012), unique across the installation,
numbered in order within a prefix and year. A reference names a record in URLs, the access log and papers, and
never carries a person's name."""

from __future__ import annotations

from datetime import date

from django.db.models import Model

PREFIXES = {
    "incident": "INC",
    "asb": "ASB",
    "mais": "MAIS",
    "marac": "MARAC",
    "case_review": "CR",
    "referral": "SH",
}


def next_reference(model: type[Model], kind: str, on: date) -> str:
    """The next free reference for a record of `kind` (a key of PREFIXES) made on `on`. Call inside the
    transaction that saves the record (the unique constraint on `reference` refuses a clash)."""
    stem = f"{PREFIXES[kind]}-{on.year}-"
    last = (
        model.objects.filter(reference__startswith=stem)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{number:05d}"
