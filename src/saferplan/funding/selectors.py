"""Reads for funding, each in a fixed number of queries however many allocations and projects there are.

Totals are computed in the database (Sum, Count). A project that supports several objectives is counted in
full under each of them, so the totals by objective can add up to more than the money spent; the overview
says so. (Splitting a project equally between its objectives would invent a split nobody agreed.)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from itertools import groupby

from django.db.models import Count, Prefetch, Q, Sum
from django.urls import reverse

from saferplan.funding.models import Allocation, Fund, Project, year_label
from saferplan.plans.models import Objective

ZERO = Decimal("0")


@dataclass
class AllocationGroup:
    """The allocations of one fund in one financial year."""

    fund: Fund
    financial_year: int
    rows: list[Allocation]

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)

    @property
    def total(self) -> Decimal | None:
        amounts = [a.amount for a in self.rows if a.amount is not None]
        return sum(amounts, ZERO) if amounts else None

    @property
    def any_illustrative(self) -> bool:
        return any(a.illustrative for a in self.rows)


@dataclass
class Total:
    """One row of a totals table."""

    label: str
    amount: Decimal = ZERO
    match_funding: Decimal = ZERO
    projects: int = 0
    illustrative: int = 0
    url: str = ""
    allocated: Decimal | None = None

    @property
    def any_illustrative(self) -> bool:
        return self.illustrative > 0


@dataclass
class FundingOverview:
    allocations: list[AllocationGroup]
    projects: list[Project]
    by_objective: list[Total] = field(default_factory=list)
    by_funder: list[Total] = field(default_factory=list)
    by_year: list[Total] = field(default_factory=list)

    @property
    def total_amount(self) -> Decimal:
        return sum((p.amount for p in self.projects), ZERO)

    @property
    def total_match_funding(self) -> Decimal:
        return sum((p.match_funding or ZERO for p in self.projects), ZERO)

    @property
    def any_illustrative(self) -> bool:
        return any(p.illustrative for p in self.projects) or any(g.any_illustrative for g in self.allocations)


def _objectives():
    return Objective.objects.select_related("plan").order_by("-plan__start_year", "number")


def _projects(partnership):
    return (
        Project.objects.filter(partnership=partnership)
        .select_related("fund__provider", "lead_bidder", "spend_signed_off_by")
        .prefetch_related(Prefetch("objectives", queryset=_objectives()))
        .order_by("-financial_year", "fund__name", "order", "name", "pk")
    )


def _sums():
    return {
        "amount_sum": Sum("amount"),
        "match_sum": Sum("match_funding"),
        "project_count": Count("pk", distinct=True),
        "illustrative_count": Count("pk", filter=Q(illustrative=True), distinct=True),
    }


def allocations(partnership) -> list[AllocationGroup]:
    """Allocations grouped by financial year (newest first) and fund, in one query."""
    rows = (
        Allocation.objects.filter(partnership=partnership)
        .select_related("fund")
        .order_by("-financial_year", "fund__name", "order", "priority_area", "pk")
    )
    return [
        AllocationGroup(fund=fund, financial_year=year, rows=list(items))
        for (year, fund), items in groupby(rows, key=lambda a: (a.financial_year, a.fund))
    ]


def totals_by_objective(partnership) -> list[Total]:
    """Amount and match funding of the projects supporting each objective; a project supporting several
    objectives counts in full under each. Projects linked to no objective come last."""
    rows = (
        Project.objects.filter(partnership=partnership)
        .values(
            "objectives",
            "objectives__number",
            "objectives__title",
            "objectives__plan__start_year",
            "objectives__plan__end_year",
        )
        .annotate(**_sums())
        .order_by("-objectives__plan__start_year", "objectives__number", "objectives")
    )
    totals, unlinked = [], None
    for r in rows:
        total = Total(
            label="",
            amount=r["amount_sum"] or ZERO,
            match_funding=r["match_sum"] or ZERO,
            projects=r["project_count"],
            illustrative=r["illustrative_count"],
        )
        if r["objectives"] is None:
            total.label = "Not linked to an objective"
            unlinked = total
            continue
        start, end = r["objectives__plan__start_year"], r["objectives__plan__end_year"]
        total.label = (
            f"{start}-{end % 100:02d} plan, objective {r['objectives__number']}: {r['objectives__title']}"
        )
        total.url = reverse("objective-detail", args=[r["objectives"]])
        totals.append(total)
    return totals + ([unlinked] if unlinked else [])


def totals_by_funder(partnership) -> list[Total]:
    """What each funder gives: the fund's provider for the amounts from funds, the match funder for match
    funding. Two grouped queries, merged by the funder's name; largest first."""
    projects = Project.objects.filter(partnership=partnership)
    by_label: dict[str, Total] = {}

    def add(label, amount, count, illustrative):
        label = label or "Funder not recorded"
        total = by_label.setdefault(label.strip().casefold(), Total(label=label))
        total.amount += amount or ZERO
        total.projects += count
        total.illustrative += illustrative

    for r in projects.values("fund__provider__name", "fund__provider_name").annotate(**_sums()):
        add(
            r["fund__provider__name"] or r["fund__provider_name"],
            r["amount_sum"],
            r["project_count"],
            r["illustrative_count"],
        )
    matched = projects.exclude(match_funder="").filter(match_funding__isnull=False)
    for r in matched.values("match_funder").annotate(**_sums()):
        add(r["match_funder"], r["match_sum"], r["project_count"], r["illustrative_count"])
    return sorted(by_label.values(), key=lambda t: (-t.amount, t.label))


def totals_by_year(partnership) -> list[Total]:
    """Per financial year: the amount allocated, and the amount and match funding of projects."""
    years: dict[int, Total] = {}
    for r in (
        Project.objects.filter(partnership=partnership)
        .values("financial_year")
        .annotate(**_sums())
        .order_by("financial_year")
    ):
        years[r["financial_year"]] = Total(
            label=year_label(r["financial_year"]),
            amount=r["amount_sum"] or ZERO,
            match_funding=r["match_sum"] or ZERO,
            projects=r["project_count"],
            illustrative=r["illustrative_count"],
        )
    for r in (
        Allocation.objects.filter(partnership=partnership)
        .values("financial_year")
        .annotate(allocated=Sum("amount"), illustrative_count=Count("pk", filter=Q(illustrative=True)))
        .order_by("financial_year")
    ):
        total = years.setdefault(r["financial_year"], Total(label=year_label(r["financial_year"])))
        total.allocated = r["allocated"]
        total.illustrative += r["illustrative_count"]
    return [years[y] for y in sorted(years, reverse=True)]


def funding_overview(partnership) -> FundingOverview:
    """Allocations by year and priority area, every project, and the totals: eight queries in all."""
    return FundingOverview(
        allocations=allocations(partnership),
        projects=list(_projects(partnership)),
        by_objective=totals_by_objective(partnership),
        by_funder=totals_by_funder(partnership),
        by_year=totals_by_year(partnership),
    )


def project_detail(pk: int) -> Project | None:
    return (
        Project.objects.filter(pk=pk)
        .select_related("fund__provider", "lead_bidder", "spend_signed_off_by", "partnership")
        .prefetch_related(Prefetch("objectives", queryset=_objectives()))
        .first()
    )
