"""Writes for information sharing: the schedule of data flows and their receipts, the register of
information-sharing agreements (Crime and Disorder Act 1998 s.115 and s.17A) and the data improvement plan.
Every write records who made it (created/modified by and a history record) and runs in one transaction."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from saferplan.assessment.models import (
    DataFlow,
    DataFlowReceipt,
    ImprovementAction,
    ImprovementUpdate,
    SharingAgreement,
)
from saferplan.assessment.selectors.sharing import flow_periods
from saferplan.core.formatting import long_date
from saferplan.core.services import archive, save_with_stamp
from saferplan.delivery.models import Status

# ------------------------------------------------------------------------------------------------- flows


@transaction.atomic
def flow_save(*, flow: DataFlow, user, indicators=None, **fields) -> DataFlow:
    """Create or change a data flow; `indicators` (if given) replaces the indicators whose figures it brings.
    Prescribed information (SI 2007/1831) is depersonalised and shared every quarter: refused otherwise."""
    for name, value in fields.items():
        setattr(flow, name, value)
    if flow.prescribed and (not flow.depersonalised or flow.frequency != DataFlow.Frequency.QUARTERLY):
        raise ValidationError(
            {
                "prescribed": "Prescribed information (SI 2007/1831) is shared depersonalised and every quarter: "
                "make the flow quarterly and depersonalised, or untick prescribed"
            }
        )
    save_with_stamp(flow, user=user)
    if indicators is not None:
        flow.indicators.set(indicators)
    return flow


@transaction.atomic
def flow_archive(*, flow: DataFlow, user) -> DataFlow:
    return archive(flow, user=user)


@transaction.atomic
def receipt_record(
    *, flow: DataFlow, period_end: date, received_on: date, note: str = "", user, today: date | None = None
) -> DataFlowReceipt:
    """Record by hand that a period's data arrived (for data that come outside SaferPlan's data returns); a
    second receipt for the same period corrects the first. The period must be one of the flow's periods that
    has ended, and the data cannot arrive in the future or before the period began."""
    today = today or date.today()
    period = next(
        (
            p
            for p in flow_periods(flow.starts_on, flow.frequency, flow.due_days, today)
            if p.end == period_end
        ),
        None,
    )
    if period is None:
        raise ValidationError({"period_end": "Select a period of this flow that has ended"})
    if received_on > today:
        raise ValidationError({"received_on": "The date received must be today or in the past"})
    if received_on < period.start:
        raise ValidationError(
            {
                "received_on": f"The date received must be on or after the period began ({long_date(period.start)})"
            }
        )
    receipt = DataFlowReceipt.objects.filter(flow=flow, period_end=period_end).first() or DataFlowReceipt(
        flow=flow, period_end=period_end
    )
    receipt.received_on = received_on
    receipt.note = note
    return save_with_stamp(receipt, user=user)


# -------------------------------------------------------------------------------------------- agreements


@transaction.atomic
def agreement_save(*, agreement: SharingAgreement, user, parties=None, **fields) -> SharingAgreement:
    """Create or change an information-sharing agreement; `parties` (if given) replaces its parties."""
    for name, value in fields.items():
        setattr(agreement, name, value)
    if agreement.signed_on and agreement.review_due and agreement.review_due < agreement.signed_on:
        raise ValidationError({"review_due": "The review date must be on or after the date signed"})
    save_with_stamp(agreement, user=user)
    if parties is not None:
        agreement.parties.set(parties)
    return agreement


@transaction.atomic
def agreement_review(
    *, agreement: SharingAgreement, reviewed_on: date, review_due: date, user, today: date | None = None
) -> SharingAgreement:
    """Record that the agreement was reviewed, and when it is next reviewed."""
    today = today or date.today()
    if reviewed_on > today:
        raise ValidationError({"reviewed_on": "The date reviewed must be today or in the past"})
    if review_due <= reviewed_on:
        raise ValidationError({"review_due": "The next review must be after the date reviewed"})
    agreement.reviewed_on = reviewed_on
    agreement.review_due = review_due
    return save_with_stamp(agreement, user=user)


@transaction.atomic
def agreement_archive(*, agreement: SharingAgreement, user) -> SharingAgreement:
    return archive(agreement, user=user)


# -------------------------------------------------------------------------------- data improvement plan


@transaction.atomic
def improvement_action_save(*, action: ImprovementAction, user, **fields) -> ImprovementAction:
    for name, value in fields.items():
        setattr(action, name, value)
    if action._state.adding and not action.order:
        action.order = (
            ImprovementAction.objects.filter(partnership_id=action.partnership_id).aggregate(m=Max("order"))[
                "m"
            ]
            or 0
        ) + 1
    return save_with_stamp(action, user=user)


@transaction.atomic
def improvement_update_add(
    *, action: ImprovementAction, on: date, status: str, text: str, user, today: date | None = None
) -> ImprovementUpdate:
    """A dated progress update; the latest one gives the action its status."""
    today = today or date.today()
    if status not in Status.values:
        raise ValidationError({"status": "Select the status"})
    if on > today:
        raise ValidationError({"date": "The date of the update must be today or in the past"})
    update = ImprovementUpdate(action=action, date=on, status=status, text=text)
    return save_with_stamp(update, user=user)


@transaction.atomic
def improvement_action_archive(*, action: ImprovementAction, user) -> ImprovementAction:
    return archive(action, user=user)
