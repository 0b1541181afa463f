"""Funding: the Community Safety Fund and other funds, their allocations to priority areas by year, and the
projects they pay for (lead bidder, match funding, the objectives each supports, the commissioned service, the
evidence of outcomes and the sign-off of spend on that evidence).

Money is held as Decimal (12 digits, 2 decimal places); amounts the seed documents do not give are marked
illustrative. Financial years are stored as their start year (2016 means 2016/17).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplan.core.models import BaseModel

FIRST_YEAR, LAST_YEAR = 1990, 2100
YEAR_VALIDATORS = [MinValueValidator(FIRST_YEAR), MaxValueValidator(LAST_YEAR)]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


def year_label(start_year: int | None) -> str:
    """A financial year as partnerships write it: 2016 → "2016/17"."""
    if start_year is None:
        return ""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def money_field(verbose_name: str, **kwargs) -> models.DecimalField:
    return models.DecimalField(
        verbose_name, max_digits=12, decimal_places=2, validators=NOT_NEGATIVE, **kwargs
    )


class Fund(BaseModel):
    """A funding stream, e.g. the Community Safety Fund (from the Police and Crime Commissioner) or the
    Transformation Challenge Award (from a government department)."""

    name = models.CharField(max_length=200, unique=True)
    provider = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funds_provided",
        help_text="The partner organisation that provides the fund, if it is one",
    )
    provider_name = models.CharField(
        "Provider (if not a partner organisation)",
        max_length=200,
        blank=True,
        help_text="For example, a government department",
    )
    description = models.TextField(blank=True)
    source_reference = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def provider_label(self) -> str:
        return self.provider.name if self.provider_id else self.provider_name


class Allocation(BaseModel):
    """The share of a fund for a priority area in a financial year, and its agreement by the Board and the
    Police and Crime Commissioner. Seed documents often record that an allocation was agreed without the
    date of the meeting, so "agreed" and "on what date" are held apart."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="allocations")
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="allocations")
    financial_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS, help_text="The year it starts: 2016 for 2016/17"
    )
    priority_area = models.CharField(max_length=200)
    amount = money_field("Amount", null=True, blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="The amount is made up for the demo: the source does not give it"
    )
    agreed_by_board = models.BooleanField("Agreed by the Board", default=False)
    board_agreed_on = models.DateField("Date the Board agreed it", null=True, blank=True)
    agreed_by_pcc = models.BooleanField("Agreed by the Police and Crime Commissioner", default=False)
    pcc_agreed_on = models.DateField(
        "Date the Police and Crime Commissioner agreed it", null=True, blank=True
    )
    source_reference = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-financial_year", "fund__name", "order", "priority_area"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "fund", "financial_year", "priority_area"],
                name="allocation_unique_priority_area",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="allocation_amount_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.year_label}: {self.priority_area}"

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)

    def clean(self):
        errors = {}
        if self.board_agreed_on and not self.agreed_by_board:
            errors["board_agreed_on"] = "Only give the date the Board agreed it if the Board agreed it"
        if self.pcc_agreed_on and not self.agreed_by_pcc:
            errors["pcc_agreed_on"] = "Only give the date the Commissioner agreed it if they agreed it"
        if errors:
            raise ValidationError(errors)


class Project(BaseModel):
    """A funded project: who bid for it, how much it got from which fund, its match funding, the objectives
    it supports, the service it commissions, the evidence of its outcomes and the sign-off of its spend."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="projects")
    name = models.CharField("Project", max_length=300)
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="projects")
    financial_year = models.PositiveSmallIntegerField(
        validators=YEAR_VALIDATORS, help_text="The year it starts: 2014 for 2014/15"
    )
    lead_bidder = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="funded_projects",
    )
    lead_bidder_name = models.CharField(
        "Lead bidder (if not a partner organisation)", max_length=200, blank=True
    )
    amount = money_field("Amount from the fund")
    match_funding = money_field("Match funding", null=True, blank=True)
    match_funder = models.CharField("Match funder", max_length=200, blank=True)
    objectives = models.ManyToManyField("plans.Objective", blank=True, related_name="funded_projects")
    commissioned_service = models.TextField(blank=True)
    evidence_of_outcomes = models.TextField(blank=True)
    spend_signed_off_on = models.DateField(null=True, blank=True)
    spend_signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    illustrative = models.BooleanField(
        default=False, help_text="The amount is made up for the demo: the source does not give it"
    )
    source_reference = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[objectives])

    class Meta:
        ordering = ["-financial_year", "fund__name", "order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gte=0), name="project_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(match_funding__isnull=True) | Q(match_funding__gte=0),
                name="project_match_funding_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(spend_signed_off_on__isnull=True) | ~Q(evidence_of_outcomes=""),
                name="project_sign_off_needs_evidence",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("funding-project", args=[self.pk])

    @property
    def year_label(self) -> str:
        return year_label(self.financial_year)

    @property
    def lead_bidder_label(self) -> str:
        return self.lead_bidder.name if self.lead_bidder_id else self.lead_bidder_name

    @property
    def has_evidence(self) -> bool:
        return bool(self.evidence_of_outcomes.strip())

    @property
    def is_signed_off(self) -> bool:
        return self.spend_signed_off_on is not None

    def clean(self):
        errors = {}
        if self.is_signed_off and not self.has_evidence:
            errors["evidence_of_outcomes"] = (
                "Record the evidence of outcomes: the spend is signed off on that evidence"
            )
        if self.match_funding and not self.match_funder.strip():
            errors["match_funder"] = "Enter who gives the match funding"
        if self.match_funder.strip() and self.match_funding is None:
            errors["match_funding"] = "Enter the amount of match funding"
        if errors:
            raise ValidationError(errors)
