"""Reads for the start page: what needs the signed-in person now, by role, each item linking to where it is done.

A fixed number of queries whatever the data size: the delivery plan, escalations, data returns and reports are
each read in one or two queries, and the indicators are assessed together (indicators.selectors)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.urls import reverse

from saferplan.accounts import permissions
from saferplan.accounts.models import User
from saferplan.areas.models import Area
from saferplan.core.formatting import figure, long_date
from saferplan.delivery import selectors as delivery_selectors
from saferplan.delivery.models import Escalation, Status
from saferplan.indicators import periods
from saferplan.indicators.data_returns import RETURN_LAG_DAYS
from saferplan.indicators.models import Observation
from saferplan.indicators.selectors import assess_indicators, default_period, revisions_since
from saferplan.plans.models import Group, Indicator, Plan

SOON = timedelta(days=30)  # "due soon": within the next 30 days
SHOWN = 10  # items listed in a section; the rest are on the page the section links to

# The latest point's special-cause variation, in plain words
SIGNAL_WORDS = {
    "improvement": "an unusual change for the better (special cause improvement)",
    "concern": "an unusual change for the worse (special cause concern)",
    "neutral_high": "unusually high (special cause)",
    "neutral_low": "unusually low (special cause)",
}
REASON_WORDS = {  # the Board report's reasons, in the same plain words as SIGNAL_WORDS
    "special-cause concern": SIGNAL_WORDS["concern"],
    "special-cause improvement": SIGNAL_WORDS["improvement"],
}
DIRECTION_WORDS = {
    "improving": "Improving on the same period last year",
    "worsening": "Worse than the same period last year",
    "no change": "No change on the same period last year",
    "higher": "Higher than the same period last year",
    "lower": "Lower than the same period last year",
    "no data": "No figure a year earlier to compare with",
}


@dataclass
class Entry:
    text: str
    url: str
    detail: str = ""


@dataclass
class Section:
    """One heading of the start page: "4 overdue actions", its first items, and where to see them all."""

    key: str
    one: str  # "overdue action"
    many: str  # "overdue actions"
    empty: str  # said when there is nothing
    entries: list[Entry] = field(default_factory=list)
    total: int | None = None  # when more than the entries (e.g. figures counted, organisations listed)
    more_url: str = ""
    more_label: str = ""

    @property
    def count(self) -> int:
        return len(self.entries) if self.total is None else self.total

    @property
    def heading(self) -> str:
        n = self.count
        return f"{n if n else 'No'} {self.one if n == 1 else self.many}"

    @property
    def shown(self) -> list[Entry]:
        return self.entries[:SHOWN]

    @property
    def hidden(self) -> int:
        return max(len(self.entries) - SHOWN, 0)


# ---------------------------------------------------------------------------------------------- delivery


def _actions(plan: Plan, group_ids: set[int] | None, today: date) -> tuple[Section, Section]:
    """Overdue and due-soon detailed actions of the groups (None: every group)."""
    # One group: the delivery plan filtered to it
    group = f"group={next(iter(group_ids))}&" if group_ids and len(group_ids) == 1 else ""
    overdue = Section(
        "overdue-actions",
        "overdue action",
        "overdue actions",
        "No action is past its target date.",
        more_url=reverse("delivery-plan") + f"?{group}status=overdue",
        more_label="See the overdue actions in the delivery plan",
    )
    soon = Section(
        "due-soon-actions",
        "action due in the next 30 days",
        "actions due in the next 30 days",
        "No action is due in the next 30 days.",
        more_url=reverse("delivery-plan") + (f"?{group[:-1]}" if group else ""),
        more_label="See the delivery plan",
    )
    rows = delivery_selectors.delivery_plan(plan, today=today).rows
    for row in sorted(rows, key=lambda r: (r.action.target_date or date.max, r.action.pk)):
        a = row.action
        if group_ids is not None and a.owner_group_id not in group_ids:
            continue
        if row.status == Status.COMPLETE or a.target_date is None:
            continue
        detail = f"{a.owner_group.name}. Status: {row.status_label}."
        if row.overdue:
            overdue.entries.append(
                Entry(a.description, a.get_absolute_url(), f"Due {long_date(a.target_date)}. {detail}")
            )
        elif a.target_date - today <= SOON:
            soon.entries.append(
                Entry(a.description, a.get_absolute_url(), f"Due {long_date(a.target_date)}. {detail}")
            )
    return overdue, soon


def _escalation_entry(e: Escalation) -> Entry:
    return Entry(
        e.title,
        e.get_absolute_url(),
        f"Raised by {e.from_group.name} to {e.to_group.name} on {long_date(e.raised_on)}.",
    )


def _escalations(user: User, plan: Plan, group_ids: set[int] | None) -> tuple[Section, Section]:
    """Open escalations the person decides, and those their groups raised (None: every group, for one list)."""
    open_ = list(
        Escalation.objects.filter(from_group__partnership=plan.partnership, state=Escalation.State.OPEN)
        .select_related("from_group", "to_group")
        .order_by("raised_on", "pk")
    )
    decide = Section(
        "escalations-to-decide",
        "escalation to decide",
        "escalations to decide",
        "No escalation is waiting for your decision.",
        [_escalation_entry(e) for e in open_ if permissions.can_decide_escalation(user, e)],
        more_url=reverse("escalation-list") + "?state=open",
        more_label="See the open escalations",
    )
    raised = Section(
        "escalations-raised",
        "open escalation raised by your group",
        "open escalations raised by your groups",
        "No escalation your groups raised is still open.",
        [_escalation_entry(e) for e in open_ if group_ids is None or e.from_group_id in group_ids],
        more_url=reverse("escalation-list") + "?state=open",
        more_label="See the open escalations",
    )
    return decide, raised


def open_escalations(plan: Plan) -> Section:
    """Every open escalation of the partnership (the Board's and the administrator's view)."""
    return Section(
        "open-escalations",
        "open escalation",
        "open escalations",
        "No escalation is open.",
        [
            _escalation_entry(e)
            for e in Escalation.objects.filter(
                from_group__partnership=plan.partnership, state=Escalation.State.OPEN
            )
            .select_related("from_group", "to_group")
            .order_by("raised_on", "pk")
        ],
        more_url=reverse("escalation-list") + "?state=open",
        more_label="See the open escalations",
    )


# ------------------------------------------------------------------------------------------ data returns


@dataclass(frozen=True)
class Owed:
    """A figure an organisation owes (the rule of indicators.data_returns.due_figures, for every organisation
    at once)."""

    indicator: Indicator
    period: periods.Period
    due: date


def figures_owed(plan: Plan, area: Area, today: date, organisation=None) -> list[Owed]:
    """Every figure not yet received for the plan period up to today, for the area, of every organisation (or
    one), oldest due first: in two queries."""
    start = date(plan.start_year, 4, 1)
    end = min(date(plan.end_year, 3, 31), today)
    indicators = (
        Indicator.objects.live()
        .filter(partnership=plan.partnership, source__isnull=False)
        .select_related("source")
        .order_by("order", "name")
    )
    if organisation is not None:
        indicators = indicators.filter(source=organisation)
    indicators = list(indicators)
    received = set(
        Observation.objects.filter(indicator__in=indicators, area=area).values_list(
            "indicator_id", "period", "source"
        )
    )
    owed = []
    for indicator in indicators:
        for period in periods.periods_for(indicator.frequency, indicator.period_basis, start, end):
            if (indicator.pk, period.code, indicator.source.name) not in received:
                owed.append(Owed(indicator, period, period.end + timedelta(days=RETURN_LAG_DAYS)))
    return sorted(owed, key=lambda o: (o.due, o.indicator.order, o.indicator.name))


def _by_indicator(owed: list[Owed], url: str, what: str) -> list[Entry]:
    """One entry an indicator: how many figures, for which periods, and when the first was due."""
    by: dict[int, list[Owed]] = {}
    for o in owed:
        by.setdefault(o.indicator.pk, []).append(o)
    entries = []
    for items in sorted(by.values(), key=lambda items: (items[0].due, items[0].indicator.order)):
        first, last = items[0], items[-1]
        span = first.period.label if len(items) == 1 else f"{first.period.label} to {last.period.label}"
        entries.append(
            Entry(
                first.indicator.name,
                url,
                f"{len(items)} figure{'s' if len(items) != 1 else ''} {what} ({span}), "
                f"the first due {long_date(first.due)}.",
            )
        )
    return entries


def _returns_of(organisation, owed: list[Owed], today: date) -> tuple[Section, Section]:
    """The organisation's overdue figures and those due (not yet overdue), an entry per indicator."""
    url = reverse("data-return-detail", args=[organisation.slug])
    late = [o for o in owed if o.due < today]
    coming = [o for o in owed if o.due >= today]
    overdue = Section(
        "overdue-returns",
        "overdue figure",
        "overdue figures",
        f"{organisation.name} owes no overdue figure.",
        _by_indicator(late, url, "overdue"),
        total=len(late),
        more_url=url,
        more_label=f"Send {organisation.name}'s data return",
    )
    due = Section(
        "due-returns",
        "figure due",
        "figures due",
        f"No figure is due from {organisation.name} yet.",
        _by_indicator(coming, url, "due"),
        total=len(coming),
        more_url=url,
        more_label=f"Send {organisation.name}'s data return",
    )
    return overdue, due


def late_returns(owed: list[Owed], today: date) -> Section:
    """Overdue figures by organisation, most owed first."""
    by_org: dict[int, list[Owed]] = {}
    for o in owed:
        if o.due < today:
            by_org.setdefault(o.indicator.source_id, []).append(o)
    ranked = sorted(by_org.values(), key=lambda items: (-len(items), items[0].indicator.source.name))
    return Section(
        "late-returns",
        "overdue figure",
        "overdue figures",
        "No organisation owes an overdue figure.",
        [
            Entry(
                items[0].indicator.source.name,
                reverse("data-return-detail", args=[items[0].indicator.source.slug]),
                f"{len(items)} figure{'s' if len(items) != 1 else ''} overdue, the oldest due "
                f"{long_date(items[0].due)}.",
            )
            for items in ranked
        ],
        total=sum(len(items) for items in ranked),
        more_url=reverse("data-return-list"),
        more_label="See every organisation's data returns",
    )


# ----------------------------------------------------------------------------------------- performance


def _indicators(plan: Plan) -> list[Indicator]:
    return list(plan.partnership.indicators.live().select_related("source").order_by("order"))


def special_cause(rows: dict) -> Section:
    entries = []
    for row in rows.values():
        words = SIGNAL_WORDS.get(row.assessment.spc_status)
        if words:
            entries.append(
                Entry(
                    row.indicator.name,
                    reverse("indicator-performance", args=[row.indicator.pk]),
                    f"The latest figure ({row.assessment.period.label}) is {words}.",
                )
            )
    return Section(
        "special-cause",
        "indicator with an unusual latest figure",
        "indicators with an unusual latest figure",
        "No indicator's latest figure is unusual: the changes are within normal variation.",
        entries,
        more_url=reverse("performance-overview"),
        more_label="See the performance overview",
    )


def revised(plan: Plan, today: date) -> Section:
    entries = []
    for r in revisions_since(plan.partnership, today - SOON):
        if r["indicator"] is None:
            continue
        unit = r["indicator"].unit
        change = (
            f"withdrawn ({r['withdrawn']})"
            if r["new"] is None
            else f"{figure(r['old'], unit)} revised to {figure(r['new'], unit)}"
        )
        area = f", {r['area'].name}" if r["area"] else ""
        entries.append(
            Entry(
                f"{r['indicator'].name}, {r['period'].label}{area}",
                reverse("indicator-performance", args=[r["indicator"].pk]),
                f"{change[0].upper()}{change[1:]} on {long_date(r['when'].date())}.",
            )
        )
    return Section(
        "revised",
        "figure revised in the last 30 days",
        "figures revised in the last 30 days",
        "No figure was revised or withdrawn in the last 30 days.",
        entries,
        more_url=reverse("performance-revisions"),
        more_label="See every revised figure",
    )


def exceptions(plan: Plan, area: Area, quarter: periods.Period, indicators: list[Indicator]) -> Section:
    """The areas for improvement of the Board's performance report for the quarter."""
    from saferplan.reports.board import board_report

    by_name = {i.name: i for i in indicators}
    report = board_report(plan, quarter, area=area)
    entries = []
    for section in report.sections:
        for item in section.improvements:
            indicator = by_name.get(item.indicator)
            entries.append(
                Entry(
                    item.indicator,
                    reverse("indicator-performance", args=[indicator.pk]) if indicator else "",
                    f"{section.title}: " + "; ".join(REASON_WORDS.get(r, r) for r in item.reasons) + ".",
                )
            )
    return Section(
        "exceptions",
        f"area for improvement in {quarter.label}",
        f"areas for improvement in {quarter.label}",
        f"No indicator is an area for improvement in {quarter.label}.",
        entries,
        more_url=reverse("report-board") + f"?period={quarter.code}",
        more_label=f"See the performance escalation report for {quarter.label}",
    )


def scorecard(rows: dict, indicators: list[Indicator]) -> Section:
    """The headline scorecard: the key crime indicators' latest figure, its period and direction in words."""
    entries = []
    for indicator in indicators:
        if not indicator.key_crime:
            continue
        a = rows[indicator.pk].assessment
        value = (
            f"{figure(a.value, indicator.unit)} in {a.period.label}"
            if a.value is not None
            else f"No figure for {a.period.label}"
        )
        direction = DIRECTION_WORDS.get(a.direction, a.direction) if a.value is not None else ""
        entries.append(
            Entry(
                indicator.name,
                reverse("indicator-performance", args=[indicator.pk]),
                f"{value}. {direction}." if direction else f"{value}.",
            )
        )
    return Section(
        "scorecard",
        "key indicator",
        "key indicators",
        "No key indicator has been set up yet.",
        entries,
        more_url=reverse("performance-overview"),
        more_label="See the full scorecard",
    )


# ------------------------------------------------------------------------------------- information sharing


def missing_data_flows(plan: Plan, today: date) -> Section:
    """Data flows with data due and not arrived (saferplan.assessment.selectors.sharing)."""
    from saferplan.assessment.selectors.sharing import missing_flows

    return Section(
        "missing-data-flows",
        "data flow with data missing",
        "data flows with data missing",
        "Every data flow's data due so far has arrived.",
        [
            Entry(m.flow.title, reverse("sharing-flow", args=[m.flow.pk]), m.detail)
            for m in missing_flows(plan.partnership, today)
        ],
        more_url=reverse("sharing-schedule"),
        more_label="See the schedule of data flows",
    )


def overdue_agreement_reviews(plan: Plan, today: date) -> Section:
    """Information-sharing agreements whose review is overdue."""
    from saferplan.assessment.selectors.sharing import overdue_reviews, review_words

    return Section(
        "overdue-agreement-reviews",
        "information-sharing agreement to review",
        "information-sharing agreements to review",
        "No information-sharing agreement is overdue for review.",
        [
            Entry(a.title, reverse("sharing-agreement", args=[a.pk]), f"{review_words(a, today)}.")
            for a in overdue_reviews(plan.partnership, today)
        ],
        more_url=reverse("sharing-agreements"),
        more_label="See the information-sharing agreements",
    )


# --------------------------------------------------------------------------------------------- reports


def reports_awaiting(user: User, plan: Plan) -> Section:
    from saferplan.reports.models import Report

    reports = Report.objects.filter(plan=plan, state=Report.State.IN_REVIEW).order_by("submitted_at", "pk")
    return Section(
        "reports-in-review",
        "report awaiting your review",
        "reports awaiting your review",
        "No report is waiting for your review.",
        [
            Entry(
                r.title,
                reverse("report-detail", args=[r.pk]),
                f"Sent for review on {long_date(r.submitted_at.date())}." if r.submitted_at else "",
            )
            for r in reports
            if permissions.can_publish_report(user, r)
        ],
        more_url=reverse("report-list"),
        more_label="See every report",
    )


# ---------------------------------------------------------------------------------------------- the page


def start_page(user: User, plan: Plan, today: date | None = None) -> list[Section]:
    """The sections of the person's start page, in the order they are shown."""
    today = today or date.today()
    role = User.Role.ADMINISTRATOR if user.is_superuser else user.role
    area = Area.objects.filter(partnership=plan.partnership, kind=Area.Kind.PARTNERSHIP).first()
    sections: list[Section] = []
    admin = role == User.Role.ADMINISTRATOR
    if role == User.Role.GROUP_LEAD:
        led = set(permissions.led_group_ids(user))
        sections += [*_actions(plan, led, today), *_escalations(user, plan, led)]
    if admin:
        sections += [*_actions(plan, None, today), open_escalations(plan)]
    if role == User.Role.DATA_PROVIDER and user.organisation_id and area is not None:
        owed = figures_owed(plan, area, today, organisation=user.organisation)
        sections += _returns_of(user.organisation, owed, today)
    needs_figures = role in (User.Role.ANALYST, User.Role.BOARD_MEMBER, User.Role.VIEWER) or admin
    quarter = default_period(plan, area) if (area is not None and needs_figures) else None
    indicators = _indicators(plan) if quarter is not None else []
    rows = assess_indicators(indicators, area, quarter) if quarter is not None else {}
    if role == User.Role.ANALYST or admin:
        if area is not None:
            sections.append(late_returns(figures_owed(plan, area, today), today))
        if quarter is not None:
            sections.append(special_cause(rows))
        sections.append(revised(plan, today))
        sections += [missing_data_flows(plan, today), overdue_agreement_reviews(plan, today)]
    if role == User.Role.BOARD_MEMBER:
        sections.append(open_escalations(plan))
    if role == User.Role.BOARD_MEMBER or admin:
        if quarter is not None:
            sections.append(exceptions(plan, area, quarter, indicators))
        sections.append(reports_awaiting(user, plan))
    if role == User.Role.VIEWER or admin:
        if quarter is not None:
            sections.append(scorecard(rows, indicators))
    if role == User.Role.CASEWORKER and user.organisation_id:
        from saferplan.casework.selectors.privacy import start_sections

        sections += start_sections(user, today)
    return sections


def group_names(user: User) -> list[str]:
    """The names of the groups the person leads (for the page's introduction)."""
    return list(Group.objects.filter(pk__in=permissions.led_group_ids(user)).values_list("name", flat=True))
