"""The partnership and its plan, in the users' own words.

Partnership → groups (Board, thematic groups, task and finish groups, locality groups, peer boards)
Plan → approvals, narrative sections, strategic objectives → outcomes → strategic actions
Indicators ("how we will measure success"), strategies, baskets of indicators.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplan.accounts.models import Organisation
from saferplan.core.models import ArchivableModel, BaseModel


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"


class Partnership(BaseModel):
    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    area = models.CharField(max_length=200)
    vision = models.TextField(blank=True)
    figure_precedence = models.JSONField(
        default=list,
        blank=True,
        help_text="Which kind of figure is the headline when several sources give one, first first "
        "(empty: the default, see saferplan.indicators.services.DEFAULT_PRECEDENCE)",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Group(ArchivableModel):
    class Kind(models.TextChoices):
        BOARD = "board", "Board"
        THEMATIC = "thematic", "Thematic group"
        TASK_AND_FINISH = "task_and_finish", "Task and finish group"
        LOCALITY = "locality", "Locality problem-solving group"
        PEER_BOARD = "peer_board", "Peer board"
        OTHER = "other", "Other group"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="groups")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    lead_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="led_groups"
    )
    members = models.ManyToManyField(Organisation, blank=True, related_name="member_of_groups")
    escalates_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations_from"
    )
    areas = models.JSONField(default=list, blank=True, help_text="Names of the areas the group covers")
    remit = models.TextField(blank=True)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    leads = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="led_groups",
        verbose_name="group leads",
        help_text="Leading a group gives the right to change what it owns: its history records who and when",
    )

    history = HistoricalRecords(m2m_fields=[members, leads])

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="group_unique_slug"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="group_end_after_start",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("group-detail", args=[self.pk])

    def __str__(self) -> str:
        return self.name

    @property
    def is_joint(self) -> bool:
        return len(self.areas) > 1


class Plan(BaseModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved"
        ARCHIVED = "archived", "Archived"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="plans")
    slug = models.SlugField(max_length=100, unique=True)
    title = models.CharField(max_length=200)
    start_year = models.PositiveIntegerField()
    end_year = models.PositiveIntegerField()
    refresh_year = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    previous_version = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        help_text="The version of the plan this one refreshes",
    )
    sent_to_pcc_on = models.DateField(
        "Sent to the Police and Crime Commissioner",
        null=True,
        blank=True,
        help_text="When the plan was sent to the Police and Crime Commissioner (SI 2007/1830 reg 13A)",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["-start_year", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__gte=models.F("start_year")), name="plan_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        """The plan period as partnerships write it, e.g. 2016-19."""
        return f"{self.start_year}-{self.end_year % 100:02d}"


class PlanApproval(BaseModel):
    class Approved(models.TextChoices):
        OBJECTIVES = "objectives", "Objectives"
        OUTCOMES = "outcomes", "Outcomes"
        FINAL_PLAN = "final_plan", "The final plan"
        OTHER = "other", "Other"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="approvals")
    order = models.PositiveIntegerField()
    body = models.CharField(max_length=200)
    date = models.DateField()
    date_precision = models.CharField(max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY)
    approved = models.CharField(max_length=20, choices=Approved.choices)
    note = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return f"{self.get_approved_display()} approved by {self.body}"


class PlanSection(BaseModel):
    class Kind(models.TextChoices):
        FOREWORD = "foreword", "Foreword"
        INTRODUCTION = "introduction", "Introduction"
        CONTEXT = "context", "Context"
        PROGRESS = "progress", "Progress and achievements"
        INITIATIVES = "initiatives", "Initiatives"
        CROSS_CUTTING_THEMES = "cross_cutting_themes", "Cross-cutting themes"
        MONITORING = "monitoring", "Monitoring success"
        NATIONAL_POLICY = "national_policy", "National policy"
        GLOSSARY = "glossary", "Glossary"
        CONTACTS = "contacts", "Contact details"
        OTHER = "other", "Other"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    order = models.PositiveIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)  # none: a heading for what the plan prints under it (its objectives)

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "order"]

    def __str__(self) -> str:
        return self.title


class Objective(ArchivableModel):
    """A strategic objective of the plan."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="objectives")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=300)
    why_priority = models.TextField("Why this is a priority", blank=True)
    key_challenges = models.TextField("Key challenges", blank=True)
    joint_with = models.JSONField(default=list, blank=True, help_text="Partnerships it is held jointly with")
    groups = models.ManyToManyField(Group, through="ObjectiveGroup", related_name="objectives")
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        help_text="The objective of the previous version of the plan that this one carries on",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=Q(archived_at__isnull=True),
                name="objective_unique_number",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("objective-detail", args=[self.pk])

    def __str__(self) -> str:
        return f"Objective {self.number}: {self.title}"


class ObjectiveGroup(models.Model):
    """A group that facilitates an objective, as its lead or in support."""

    class Role(models.TextChoices):
        LEAD = "lead", "Lead"
        SUPPORTING = "supporting", "Supporting"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="group_roles")
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="objective_roles")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.LEAD)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()  # which group leads an objective gives its leads the right to change it

    class Meta:
        ordering = ["objective", "order"]
        constraints = [models.UniqueConstraint(fields=["objective", "group"], name="objective_group_unique")]

    def __str__(self) -> str:
        return f"{self.group} ({self.get_role_display().lower()})"


class ObjectiveLink(models.Model):
    """A link from an objective to an objective of another plan (e.g. the Police and Crime Plan)."""

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="links")
    order = models.PositiveIntegerField(default=0)
    plan_name = models.CharField(max_length=200)
    objective_text = models.TextField()
    focus = models.TextField(blank=True)

    class Meta:
        ordering = ["objective", "order"]

    def __str__(self) -> str:
        return f"{self.plan_name}: {self.objective_text}"


class Outcome(ArchivableModel):
    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="outcomes")
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        help_text="The outcome of the previous version of the plan that this one carries on",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["objective", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["objective", "number"],
                condition=Q(archived_at__isnull=True),
                name="outcome_unique_number",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("outcome-detail", args=[self.pk])

    def __str__(self) -> str:
        return self.title

    @property
    def reference(self) -> str:
        return f"{self.objective.number}.{self.number}"


class StrategicAction(ArchivableModel):
    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="actions")
    order = models.PositiveIntegerField()
    text = models.TextField()
    owner_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategic_actions"
    )
    target_date = models.DateField(null=True, blank=True)
    previous = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_versions",
        help_text="The strategic action of the previous version of the plan that this one carries on",
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["outcome", "order"]

    def get_absolute_url(self) -> str:
        return reverse("action-detail", args=[self.pk])

    def __str__(self) -> str:
        return self.text


class Indicator(ArchivableModel):
    """An indicator: how the partnership will measure success."""

    class Unit(models.TextChoices):
        COUNT = "count", "Count"
        PERCENTAGE = "percentage", "Percentage"
        RATE_PER_1000 = "rate_per_1000", "Rate per 1,000"
        RATE_PER_100000 = "rate_per_100000", "Rate per 100,000"
        PERCENTAGE_CHANGE = "percentage_change", "Percentage change"
        SCORE = "score", "Score"

    class Polarity(models.TextChoices):
        HIGHER_IS_BETTER = "higher_is_better", "Higher is better"
        LOWER_IS_BETTER = "lower_is_better", "Lower is better"
        NONE = "none", "None (monitoring only)"

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        ANNUAL = "annual", "Annual"

    class PeriodBasis(models.TextChoices):
        FINANCIAL = "financial", "Financial year (April to March)"
        CALENDAR = "calendar", "Calendar year"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="indicators")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=300)
    definition = models.TextField(blank=True)
    unit = models.CharField(max_length=20, choices=Unit.choices)
    polarity = models.CharField(max_length=20, choices=Polarity.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    period_basis = models.CharField(max_length=10, choices=PeriodBasis.choices, default=PeriodBasis.FINANCIAL)
    source = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="indicators"
    )
    heading = models.CharField(max_length=200, blank=True)
    key_crime = models.BooleanField("Key crime indicator", default=False)
    rag_tolerance = models.FloatField(
        "RAG tolerance (%)", default=5.0, help_text="Amber when within this percentage of the target"
    )
    narrative = models.CharField(
        max_length=300,
        blank=True,
        help_text='How the progress narrative names what is counted, e.g. "ASB incidents reported to the police"',
    )
    derived_from = models.CharField(
        max_length=30,
        blank=True,
        choices=[
            ("asb", "Police open data: anti-social behaviour incidents"),
            ("criminal_damage_arson", "Police open data: criminal damage and arson"),
            ("all_crime", "Police open data: all crime"),
            ("theft", "Police open data: theft offences"),
            ("victim_based", "Police open data: victim-based crime"),
            ("violence", "Police open data: violence against the person"),
        ],
        help_text="Derived automatically from imported police open data",
    )
    baseline_period = models.CharField(
        max_length=20, blank=True, help_text="A named baseline period to compare with, e.g. 2007/08"
    )
    minimum = models.FloatField(
        null=True,
        blank=True,
        help_text="The lowest plausible figure for one of the indicator's own periods (beyond the unit's bounds)",
    )
    maximum = models.FloatField(
        null=True,
        blank=True,
        help_text="The highest plausible figure for one of the indicator's own periods, e.g. deaths in dwelling "
        "fires in a quarter; counts over longer periods scale with their length",
    )
    part_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="parts",
        help_text="The indicator this one counts a part of (theft is part of victim-based crime): its figure "
        "can never be more than that one's for the same area and period",
    )
    order = models.PositiveIntegerField(default=0)
    objectives = models.ManyToManyField(Objective, blank=True, related_name="indicators")
    outcomes = models.ManyToManyField(Outcome, blank=True, related_name="indicators")

    history = HistoricalRecords(m2m_fields=[objectives, outcomes])

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="indicator_unique_slug")]

    def get_absolute_url(self) -> str:
        return reverse("indicator-detail", args=[self.pk])

    def __str__(self) -> str:
        return self.name


class Strategy(BaseModel):
    """A partner or thematic strategy the plan relies on (e.g. the Alcohol Strategy 2015-20)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="strategies")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=300)
    start_year = models.PositiveIntegerField(null=True, blank=True)
    end_year = models.PositiveIntegerField(null=True, blank=True)
    owner_group = models.ForeignKey(
        Group, null=True, blank=True, on_delete=models.SET_NULL, related_name="strategies"
    )
    approved_on = models.DateField(null=True, blank=True)
    approved_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    review_on = models.DateField(null=True, blank=True)
    review_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    objectives = models.ManyToManyField(Objective, blank=True, related_name="strategies")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "title"]
        verbose_name_plural = "strategies"
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="strategy_unique_slug")]

    def __str__(self) -> str:
        return self.title

    @property
    def period(self) -> str:
        if self.start_year and self.end_year:
            return f"{self.start_year}-{self.end_year % 100:02d}"
        return ""


class Basket(BaseModel):
    """A named subset of indicators for an audience (the Board, Cabinet, a scrutiny committee...)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="baskets")
    slug = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    audience = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    illustrative = models.BooleanField(
        default=False, help_text="Members chosen for the demo because the source does not list them"
    )
    order = models.PositiveIntegerField(default=0)
    indicators = models.ManyToManyField(Indicator, through="BasketIndicator", related_name="baskets")

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["partnership", "slug"], name="basket_unique_slug")]

    def __str__(self) -> str:
        return self.name


class BasketIndicator(models.Model):
    basket = models.ForeignKey(Basket, on_delete=models.CASCADE, related_name="members")
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="basket_memberships")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["basket", "order"]
        constraints = [
            models.UniqueConstraint(fields=["basket", "indicator"], name="basket_indicator_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} in {self.basket}"


class SearchSynonym(BaseModel):
    """A short form the partnership uses and what it stands for (ASB → anti-social behaviour). Search looks
    for either when someone types one of them."""

    term = models.CharField("Short form", max_length=50, unique=True, help_text="For example ASB")
    meaning = models.CharField("Stands for", max_length=200, help_text="For example anti-social behaviour")

    history = HistoricalRecords()

    class Meta:
        ordering = ["term"]
        verbose_name = "search synonym"

    def __str__(self) -> str:
        return f"{self.term} → {self.meaning}"
