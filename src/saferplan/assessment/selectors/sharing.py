"""Reads for information sharing: the schedule of data flows (what each authority shares with the partnership,
when each period is due, and what arrived, late or not at all, as of a date), the register of
information-sharing agreements with their reviews, and the data improvement plan.

The law behind the schedule:
- Crime and Disorder Act 1998 s.17A: each responsible authority must share the depersonalised information it
  holds that is relevant to reducing crime and disorder, and s.115: the power to share with the partnership.
- The Crime and Disorder (Prescribed Information) Regulations 2007 (SI 2007/1831): the information the
  authorities must share is prescribed, depersonalised, and shared every quarter (`DataFlow.prescribed`).

A flow's periods run from its `starts_on`, one after another, each as long as its frequency (a month, a
quarter, six months, a year); each is due `due_days` after it ends. A period's data arrived when either
(a) a data return from the flow's provider brought figures for any of the flow's indicators whose period ends
within the flow's period (dated by the return's `created_at`; the first such return counts, even when a later
return revised the figures, so the figures' history is read too), or (b) a receipt was recorded by hand
(`DataFlowReceipt`). Only what had arrived by the date the schedule is seen as of counts.

Status of a period, as of a date: "arrived" (on or before its due date), "late" (after it), "missing" (due
before the date and not arrived), "not yet due" (ended, its due date still to come).
"""

from __future__ import annotations

from calendar import monthrange
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import OuterRef, Prefetch, Subquery
from django.utils import timezone

from saferplan.assessment.models import (
    DataFlow,
    DataFlowReceipt,
    ImprovementAction,
    ImprovementUpdate,
    SharingAgreement,
)
from saferplan.core.formatting import long_date
from saferplan.delivery.models import Status
from saferplan.indicators.models import DataReturn, Observation

MONTHS = {
    DataFlow.Frequency.MONTHLY: 1,
    DataFlow.Frequency.QUARTERLY: 3,
    DataFlow.Frequency.SIX_MONTHLY: 6,
    DataFlow.Frequency.ANNUAL: 12,
}

ARRIVED, LATE, MISSING, NOT_YET_DUE = "arrived", "late", "missing", "not_yet_due"
STATUS_WORDS = {
    ARRIVED: "Arrived",
    LATE: "Arrived late",
    MISSING: "Missing",
    NOT_YET_DUE: "Not yet due",
}
STATUS_TAGS = {ARRIVED: "green", LATE: "orange", MISSING: "red", NOT_YET_DUE: "grey"}
MAX_PERIODS = 600  # 50 years of months: a schedule never runs further


# ---------------------------------------------------------------------------------------- period arithmetic


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month0 = divmod(index, 12)
    return date(year, month0 + 1, min(day.day, monthrange(year, month0 + 1)[1]))


@dataclass(frozen=True)
class FlowPeriod:
    start: date
    end: date
    due: date

    @property
    def label(self) -> str:
        """ "Apr – Jun 2016", "Apr 2016", "Apr 2016 – Mar 2017", or full dates for periods not of whole months."""
        whole = self.start.day == 1 and self.end.day == monthrange(self.end.year, self.end.month)[1]
        if not whole:
            return f"{long_date(self.start)} to {long_date(self.end)}"
        if (self.start.year, self.start.month) == (self.end.year, self.end.month):
            return f"{self.start:%b %Y}"
        if self.start.year == self.end.year:
            return f"{self.start:%b} – {self.end:%b %Y}"
        return f"{self.start:%b %Y} – {self.end:%b %Y}"


def flow_periods(starts_on: date, frequency: str, due_days: int, until: date) -> list[FlowPeriod]:
    """The flow's periods that have ended by `until` (their last day before it), oldest first. The k-th period
    starts `k` × its length in months after `starts_on` (counted from `starts_on` each time, so a schedule that
    starts on the 31st keeps to month ends) and ends the day before the next one starts."""
    months = MONTHS[frequency]
    result = []
    start = starts_on
    for k in range(1, MAX_PERIODS + 1):
        following = add_months(starts_on, k * months)
        end = following - timedelta(days=1)
        if end >= until:
            break
        result.append(FlowPeriod(start, end, end + timedelta(days=due_days)))
        start = following
    return result


def next_period(starts_on: date, frequency: str, due_days: int, after: date) -> FlowPeriod:
    """The first period not yet ended by `after` (the one running then, or the first when none has begun)."""
    done = flow_periods(starts_on, frequency, due_days, after)
    start = add_months(starts_on, len(done) * MONTHS[frequency])
    end = add_months(starts_on, (len(done) + 1) * MONTHS[frequency]) - timedelta(days=1)
    return FlowPeriod(start, end, end + timedelta(days=due_days))


# ------------------------------------------------------------------------------------------------ schedule


@dataclass
class PeriodStatus:
    period: FlowPeriod
    status: str
    arrived_on: date | None = None
    how: str = ""  # "Data return <file>" or "Recorded by hand"

    @property
    def words(self) -> str:
        return STATUS_WORDS[self.status]

    @property
    def tag(self) -> str:
        return STATUS_TAGS[self.status]

    @property
    def days_late(self) -> int:
        return (self.arrived_on - self.period.due).days if self.status == LATE else 0


@dataclass
class FlowSchedule:
    flow: DataFlow
    periods: list[PeriodStatus]
    next_due: FlowPeriod
    counts: Counter = field(default_factory=Counter)
    data_end: date | None = None  # the day after the last of its recorded data was due

    @property
    def missing(self) -> list[PeriodStatus]:
        return [p for p in self.periods if p.status == MISSING]

    @property
    def late(self) -> list[PeriodStatus]:
        return [p for p in self.periods if p.status == LATE]


@dataclass
class Schedule:
    as_of: date
    flows: list[FlowSchedule]
    data_end: date | None  # the last date the flows' data and receipts cover, to view the schedule as at then

    @property
    def counts(self) -> Counter:
        total = Counter()
        for f in self.flows:
            total.update(f.counts)
        return total


def _arrivals(flows: list[DataFlow]) -> dict[int, list[tuple[date, date, str]]]:
    """Flow id → (figures' period end, date the return arrived, how) for every return from the flow's provider
    that brought figures for the flow's indicators: from the figures and their history (a revision
    replaces a figure's return, the first return still counts). Three queries whatever the number of flows."""
    indicator_flows: dict[int, list[DataFlow]] = {}
    for flow in flows:
        for indicator in flow.indicators.all():
            indicator_flows.setdefault(indicator.pk, []).append(flow)
    result: dict[int, list[tuple[date, date, str]]] = {}
    if not indicator_flows:
        return result
    providers = {f.provider_id for f in flows}
    pairs: set[tuple[int, date, int]] = set()
    for model in (Observation, Observation.history.model):
        pairs.update(
            model.objects.filter(
                indicator_id__in=indicator_flows,
                data_return__isnull=False,
            ).values_list("indicator_id", "period_end", "data_return_id")
        )
    returns = {
        r.pk: r
        for r in DataReturn.objects.filter(pk__in={p[2] for p in pairs}, organisation_id__in=providers).only(
            "pk", "organisation_id", "filename", "created_at"
        )
    }
    for indicator_id, period_end, return_id in pairs:
        data_return = returns.get(return_id)
        if data_return is None:
            continue
        arrived = timezone.localtime(data_return.created_at).date()
        for flow in indicator_flows[indicator_id]:
            if flow.provider_id == data_return.organisation_id:
                result.setdefault(flow.pk, []).append(
                    (period_end, arrived, f"Data return {data_return.filename}")
                )
    return result


def _flows(partnership, *, archived: bool = False):
    qs = DataFlow.objects.filter(partnership=partnership)
    qs = qs if archived else qs.live()
    return qs.select_related("provider", "agreement").prefetch_related(
        "indicators", Prefetch("receipts", queryset=DataFlowReceipt.objects.order_by("period_end"))
    )


def _flow_schedule(flow: DataFlow, arrivals: list[tuple[date, date, str]], as_of: date) -> FlowSchedule:
    rows = []
    receipts = [r for r in flow.receipts.all() if r.received_on <= as_of]
    for period in flow_periods(flow.starts_on, flow.frequency, flow.due_days, as_of):
        candidates = [
            (arrived, how)
            for end, arrived, how in arrivals
            if period.start <= end <= period.end and arrived <= as_of
        ]
        # a receipt counts for the period its period end falls in (so one recorded before the flow's start
        # date was changed still counts)
        for receipt in receipts:
            if period.start <= receipt.period_end <= period.end:
                note = f": {receipt.note}" if receipt.note else ""
                candidates.append((receipt.received_on, f"Recorded by hand{note}"))
        if candidates:
            arrived_on, how = min(candidates)
            status = ARRIVED if arrived_on <= period.due else LATE
            rows.append(PeriodStatus(period, status, arrived_on, how))
        else:
            rows.append(PeriodStatus(period, MISSING if period.due < as_of else NOT_YET_DUE))
    result = FlowSchedule(flow, rows, next_period(flow.starts_on, flow.frequency, flow.due_days, as_of))
    result.counts = Counter(r.status for r in rows)
    result.data_end = _data_end([flow], {flow.pk: arrivals})
    return result


def schedule(partnership, as_of: date | None = None) -> Schedule:
    """The schedule of the partnership's live data flows as of a date (default today), in a fixed number of
    queries."""
    as_of = as_of or date.today()
    flows = list(_flows(partnership))
    arrivals = _arrivals(flows)
    rows = [_flow_schedule(f, arrivals.get(f.pk, []), as_of) for f in flows]
    data_end = max((r.data_end for r in rows if r.data_end), default=None)
    return Schedule(as_of, rows, data_end)


def _data_end(flows: list[DataFlow], arrivals_all: dict) -> date | None:
    """The date by which every period the flows' data cover was due: the last period end among the arrivals
    and receipts plus the flow's allowance."""
    ends = []
    for flow in flows:
        for end, _arrived, _how in arrivals_all.get(flow.pk, []):
            ends.append(end + timedelta(days=flow.due_days))
        for receipt in flow.receipts.all():
            ends.append(receipt.period_end + timedelta(days=flow.due_days))
    return max(ends) + timedelta(days=1) if ends else None


def flow_detail(pk: int) -> DataFlow | None:
    return (
        DataFlow.objects.filter(pk=pk)
        .select_related("provider", "agreement", "partnership")
        .prefetch_related(
            "indicators", Prefetch("receipts", queryset=DataFlowReceipt.objects.order_by("period_end"))
        )
        .first()
    )


def flow_schedule(flow: DataFlow, as_of: date | None = None) -> FlowSchedule:
    as_of = as_of or date.today()
    return _flow_schedule(flow, _arrivals([flow]).get(flow.pk, []), as_of)


def receivable_periods(flow: DataFlow, today: date | None = None) -> list[FlowPeriod]:
    """The periods a receipt may be recorded for: those ended by today, newest first."""
    return list(reversed(flow_periods(flow.starts_on, flow.frequency, flow.due_days, today or date.today())))


# ------------------------------------------------------------------------------------------------ agreements


def review_words(agreement: SharingAgreement, today: date | None = None) -> str:
    """ "Review overdue since 1 March 2017", "Next review by 1 March 2018", or "No review date set"."""
    if agreement.review_due is None:
        return "No review date set"
    if agreement.review_overdue(today):
        return f"Review overdue since {long_date(agreement.review_due)}"
    return f"Next review by {long_date(agreement.review_due)}"


def agreements(partnership, *, archived: bool = False) -> list[SharingAgreement]:
    qs = SharingAgreement.objects.filter(partnership=partnership)
    qs = qs.archived() if archived else qs.live()
    return list(qs.prefetch_related("parties").order_by("title", "pk"))


def agreement_detail(pk: int) -> SharingAgreement | None:
    return (
        SharingAgreement.objects.filter(pk=pk)
        .select_related("partnership")
        .prefetch_related("parties", "data_flows__provider")
        .first()
    )


def overdue_reviews(partnership, today: date | None = None) -> list[SharingAgreement]:
    today = today or date.today()
    return list(
        SharingAgreement.objects.live()
        .filter(partnership=partnership, review_due__lt=today)
        .order_by("review_due", "title")
    )


# ------------------------------------------------------------------------------------- data improvement plan


def _with_status(qs):
    latest = ImprovementUpdate.objects.filter(action=OuterRef("pk")).order_by("-date", "-pk")
    return qs.annotate(
        latest_status=Subquery(latest.values("status")[:1]),
        latest_date=Subquery(latest.values("date")[:1]),
    )


@dataclass
class ImprovementRow:
    action: ImprovementAction
    status: str
    overdue: bool

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def status_on(
    action: ImprovementAction, latest_status: str | None, today: date | None = None
) -> tuple[str, bool]:
    """(status from the latest update, overdue): as delivery actions (DetailedAction.status_on), overdue when
    past the target date and not complete."""
    status = latest_status or Status.NOT_STARTED
    today = today or date.today()
    return status, bool(action.target_date and action.target_date < today and status != Status.COMPLETE)


def improvement_plan(partnership, today: date | None = None) -> list[ImprovementRow]:
    qs = _with_status(
        ImprovementAction.objects.live()
        .filter(partnership=partnership)
        .select_related("owner", "assessment")
        .order_by("order", "pk")
    )
    return [ImprovementRow(a, *status_on(a, a.latest_status, today)) for a in qs]


def improvement_action(pk: int) -> ImprovementAction | None:
    return (
        _with_status(ImprovementAction.objects.filter(pk=pk))
        .select_related("owner", "assessment", "partnership")
        .prefetch_related(
            Prefetch("updates", queryset=ImprovementUpdate.objects.select_related("created_by"))
        )
        .first()
    )


# ------------------------------------------------------------------------------------------- the start page


@dataclass
class MissingFlow:
    """A flow with data due and not arrived (and how many arrived late), for the analysts' start page."""

    flow: DataFlow
    missing: list[PeriodStatus]
    late: int

    @property
    def detail(self) -> str:
        n = len(self.missing)
        first, last = self.missing[0].period, self.missing[-1].period
        span = first.label if n == 1 else f"{first.label} to {last.label}"
        words = f"{n} period{'s' if n != 1 else ''} missing ({span}), the first due {long_date(first.due)}."
        if self.late:
            words += f" {self.late} period{'s' if self.late != 1 else ''} arrived late."
        return f"{self.flow.provider.name}. {words}"


def missing_flows(partnership, today: date | None = None) -> list[MissingFlow]:
    """The live flows with data due and not arrived as of today, the longest missing first."""
    result = [
        MissingFlow(f.flow, f.missing, len(f.late)) for f in schedule(partnership, today).flows if f.missing
    ]
    return sorted(result, key=lambda m: (m.missing[0].period.due, m.flow.title))
