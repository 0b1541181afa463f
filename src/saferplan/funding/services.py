"""Writes for funding. Every write records who made it (created/modified by and a history record)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from saferplan.core.services import save_with_stamp
from saferplan.funding.models import Allocation, Fund, Project


def _next_order(qs) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def fund_save(*, fund: Fund, user, **fields) -> Fund:
    for name, value in fields.items():
        setattr(fund, name, value)
    return save_with_stamp(fund, user=user)


@transaction.atomic
def allocation_save(*, allocation: Allocation, user, **fields) -> Allocation:
    """Create or change an allocation of a fund to a priority area for a year."""
    for name, value in fields.items():
        setattr(allocation, name, value)
    if allocation._state.adding and not allocation.order:
        allocation.order = _next_order(
            Allocation.objects.filter(
                partnership_id=allocation.partnership_id,
                fund_id=allocation.fund_id,
                financial_year=allocation.financial_year,
            )
        )
    return save_with_stamp(allocation, user=user)


@transaction.atomic
def project_save(*, project: Project, user, objectives=None, **fields) -> Project:
    """Create or change a funded project; `objectives` (if given) replaces the objectives it supports.

    Signing off the spend is not done here but by `spend_sign_off`, which checks the evidence."""
    fields.pop("spend_signed_off_on", None)
    fields.pop("spend_signed_off_by", None)
    for name, value in fields.items():
        setattr(project, name, value)
    if project._state.adding and not project.order:
        project.order = _next_order(
            Project.objects.filter(
                partnership_id=project.partnership_id,
                fund_id=project.fund_id,
                financial_year=project.financial_year,
            )
        )
    save_with_stamp(project, user=user)
    if objectives is not None:
        project.objectives.set(objectives)
    return project


@transaction.atomic
def spend_sign_off(*, project: Project, user, on: date | None = None) -> Project:
    """Sign off the project's spend on the evidence of its outcomes. Refused (ValidationError) when there is
    no evidence of outcomes, or when the spend is already signed off."""
    project = Project.objects.select_for_update().get(pk=project.pk)
    if project.is_signed_off:
        raise ValidationError(
            "The spend was already signed off on "
            f"{project.spend_signed_off_on.day} {project.spend_signed_off_on:%B %Y}",
            code="signed_off",
        )
    if not project.has_evidence:
        raise ValidationError(
            "The spend cannot be signed off until the evidence of outcomes is recorded", code="no_evidence"
        )
    project.spend_signed_off_on = on or date.today()
    project.spend_signed_off_by = user if getattr(user, "is_authenticated", False) else None
    return save_with_stamp(project, user=user)
