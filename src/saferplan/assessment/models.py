"""The start of the cycle: the annual strategic assessment, the consultation that informs it, the scoring of its
long-list of candidate issues into priorities, and the information sharing that feeds it.

The Crime and Disorder (Formulation and Implementation of Strategy) Regulations 2007 (SI 2007/1830, amended by
SI 2011/1230): a strategic assessment every year (regs 5-7), at least one public consultation a year attended by
senior people from each responsible authority (reg 12), and the plan sent to the Police and Crime Commissioner
(reg 13A, a date on plans.Plan). The Crime and Disorder (Prescribed Information) Regulations 2007 (SI 2007/1831)
set the depersonalised information the authorities share each quarter (DataFlow).

Scoring schemes are the partnership's own: the scales, their labels and the weights are set by the partnership
(two editable templates are shipped; no national scale is embedded).
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplan.core.models import ArchivableModel, BaseModel
from saferplan.delivery.models import Status as ActionStatus

# ------------------------------------------------------------------------------------------ assessment


class StrategicAssessment(BaseModel):
    """One year's strategic assessment: the analysis of the levels and patterns of crime, disorder and substance
    misuse, what people who live and work in the area said, and the priorities that follow."""

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        AGREED = "agreed", "Agreed"

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="assessments")
    slug = models.SlugField(max_length=100)
    title = models.CharField(max_length=300)
    year = models.CharField(max_length=7, help_text="The year the assessment is for, e.g. 2015/16")
    period_start = models.DateField(help_text="The start of the period the analysis looks back over")
    period_end = models.DateField(help_text="The end of the period the analysis looks back over")
    summary = models.TextField(blank=True)
    scheme = models.ForeignKey(
        "ScoringScheme",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
        help_text="How the long-list is scored",
    )
    informs = models.ForeignKey(
        "plans.Plan",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        help_text="The plan (or plan refresh) this assessment informs",
    )
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    agreed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "-period_end", "title"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "slug"], name="assessment_unique_slug"),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")), name="assessment_period_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("assessment-detail", args=[self.slug])


class AssessmentSection(BaseModel):
    """A section of the assessment document, as analysts write it: text, with live figures (SectionFigure)."""

    class Kind(models.TextChoices):
        CURRENT_PICTURE = "current_picture", "Current picture"
        VICTIMS_OFFENDERS_LOCATIONS = "victims_offenders_locations", "Victims, offenders and locations"
        FUTURE_TRENDS = "future_trends", "Future and emerging trends"
        AREAS_FOR_DEVELOPMENT = "areas_for_development", "Areas for development"
        COMMUNITY_VIEWS = "community_views", "What our communities told us"
        OTHER = "other", "Other"

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="sections")
    kind = models.CharField(max_length=30, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    text = models.TextField(blank=True, help_text="Paragraphs separated by a blank line")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class SectionFigure(BaseModel):
    """A live figure in a section: drawn from the indicator engine or the police store each time the document is
    built, so refreshing the data refreshes the assessment."""

    class Kind(models.TextChoices):
        INDICATOR_TREND = "indicator_trend", "An indicator's trend (chart and table)"
        INDICATOR_LOCALITIES = "indicator_localities", "An indicator by locality"
        POLICE_CRIME_TYPES = "police_crime_types", "Police recorded crime by type"
        POLICE_LOCALITIES = "police_localities", "Police recorded crime by area"

    section = models.ForeignKey(AssessmentSection, on_delete=models.CASCADE, related_name="figures")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    indicator = models.ForeignKey(
        "plans.Indicator", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    crime_type = models.CharField(
        max_length=100, blank=True, help_text="A police.uk crime type; blank for all crime"
    )
    caption = models.CharField(max_length=300, blank=True)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["section", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind__in=["indicator_trend", "indicator_localities"])
                | Q(indicator__isnull=False),
                name="section_figure_indicator_needs_indicator",
            )
        ]

    def __str__(self) -> str:
        return self.caption or self.get_kind_display()


class PestleFactor(BaseModel):
    """One entry of the PESTELO scan of future and emerging trends."""

    class Category(models.TextChoices):
        POLITICAL = "political", "Political"
        ECONOMIC = "economic", "Economic"
        SOCIAL = "social", "Social"
        TECHNOLOGICAL = "technological", "Technological"
        ENVIRONMENTAL = "environmental", "Environmental"
        LEGAL = "legal", "Legal"
        ORGANISATIONAL = "organisational", "Organisational"

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="pestle")
    category = models.CharField(max_length=20, choices=Category.choices)
    text = models.TextField()
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "category", "order", "pk"]

    def __str__(self) -> str:
        return f"{self.get_category_display()}: {self.text[:60]}"


class CandidateIssue(BaseModel):
    """An issue on the long-list, with its evidence: indicators and their trends, police.uk crime types, what
    consultation found, and partners' views."""

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="candidates")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    indicators = models.ManyToManyField("plans.Indicator", blank=True, related_name="candidate_issues")
    crime_types = models.JSONField(default=list, blank=True, help_text="police.uk crime types")
    concerns = models.ManyToManyField("Concern", blank=True, related_name="candidate_issues")
    partners_views = models.TextField("Partners' views", blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords(m2m_fields=[indicators, concerns])

    class Meta:
        ordering = ["assessment", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "title"], name="candidate_issue_unique_title")
        ]

    def __str__(self) -> str:
        return self.title


class Priority(BaseModel):
    """A priority the assessment set: from a candidate issue on the long-list, and the objectives of the plan
    (or plan refresh) it became, keeping the trail from evidence to objective."""

    assessment = models.ForeignKey(StrategicAssessment, on_delete=models.CASCADE, related_name="priorities")
    candidate = models.ForeignKey(
        CandidateIssue, null=True, blank=True, on_delete=models.SET_NULL, related_name="priorities"
    )
    number = models.PositiveIntegerField()
    title = models.CharField(max_length=500)
    rationale = models.TextField(blank=True)
    objectives = models.ManyToManyField("plans.Objective", blank=True, related_name="from_priorities")

    history = HistoricalRecords(m2m_fields=[objectives])

    class Meta:
        ordering = ["assessment", "number"]
        verbose_name_plural = "priorities"
        constraints = [
            models.UniqueConstraint(fields=["assessment", "number"], name="priority_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"


# --------------------------------------------------------------------------------------------- scoring


class ScoringScheme(ArchivableModel):
    """How the partnership scores its long-list: dimensions with their scales, labels and weights, and how the
    scores combine. The partnership sets the scales; none is national."""

    class Method(models.TextChoices):
        WEIGHTED_SUM = "weighted_sum", "Weighted sum of the dimensions"
        PRODUCT = "product", "Product of the dimensions (e.g. impact × likelihood)"

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="scoring_schemes"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    method = models.CharField(max_length=20, choices=Method.choices, default=Method.WEIGHTED_SUM)
    matrix_x = models.ForeignKey(
        "ScoringDimension",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The dimension across the risk matrix (e.g. likelihood)",
    )
    matrix_y = models.ForeignKey(
        "ScoringDimension",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The dimension up the risk matrix (e.g. impact or harm)",
    )
    template = models.CharField(
        max_length=30, blank=True, help_text="The shipped template this scheme was made from, if any"
    )

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "name"], name="scoring_scheme_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ScoringDimension(BaseModel):
    """One dimension of a scheme (harm, likelihood, organisational position, confidence; impact, likelihood),
    with its scale and weight. A change of weight re-ranks at once and is kept in the history."""

    scheme = models.ForeignKey(ScoringScheme, on_delete=models.CASCADE, related_name="dimensions")
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)
    scale_min = models.IntegerField(default=1)
    scale_max = models.IntegerField(default=4)
    weight = models.DecimalField(
        max_digits=6, decimal_places=3, default=1, validators=[MinValueValidator(0), MaxValueValidator(1000)]
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["scheme", "order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "name"], name="scoring_dimension_unique_name"),
            models.CheckConstraint(
                condition=Q(scale_max__gt=F("scale_min")), name="scoring_scale_max_above_min"
            ),
            models.CheckConstraint(condition=Q(weight__gte=0), name="scoring_weight_not_negative"),
        ]

    def __str__(self) -> str:
        return self.name


class ScaleLabel(BaseModel):
    """What a value on a dimension's scale means (1 = "Low: …")."""

    dimension = models.ForeignKey(ScoringDimension, on_delete=models.CASCADE, related_name="labels")
    value = models.IntegerField()
    label = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["dimension", "value"]
        constraints = [
            models.UniqueConstraint(fields=["dimension", "value"], name="scale_label_unique_value")
        ]

    def __str__(self) -> str:
        return f"{self.value}: {self.label}"


class Score(BaseModel):
    """One scorer's independent score of a candidate issue on one dimension."""

    candidate = models.ForeignKey(CandidateIssue, on_delete=models.CASCADE, related_name="scores")
    dimension = models.ForeignKey(ScoringDimension, on_delete=models.CASCADE, related_name="scores")
    scorer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    value = models.IntegerField()
    comment = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "dimension", "scorer"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "dimension", "scorer"], name="score_one_per_scorer")
        ]

    def __str__(self) -> str:
        return f"{self.candidate} / {self.dimension}: {self.value}"


class ModeratedScore(BaseModel):
    """The agreed score of a candidate issue on one dimension after moderation, with the reason."""

    candidate = models.ForeignKey(CandidateIssue, on_delete=models.CASCADE, related_name="moderated_scores")
    dimension = models.ForeignKey(ScoringDimension, on_delete=models.CASCADE, related_name="moderated_scores")
    value = models.IntegerField()
    reason = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["candidate", "dimension"]
        constraints = [
            models.UniqueConstraint(
                fields=["candidate", "dimension"], name="moderated_score_one_per_dimension"
            )
        ]

    def __str__(self) -> str:
        return f"{self.candidate} / {self.dimension}: {self.value} (moderated)"


# ---------------------------------------------------------------------------------------- consultation


class ConsultationExercise(BaseModel):
    """A consultation or engagement exercise (reg 12 asks for at least one a year, attended by senior people from
    each responsible authority), with who was reached and what they said (Concern)."""

    class Kind(models.TextChoices):
        SURVEY = "survey", "Survey"
        PACT = "pact", "PACT meeting"
        AAP_EVENT = "aap_event", "Area Action Partnership event"
        PUBLIC_MEETING = "public_meeting", "Public meeting"
        WORKSHOP = "workshop", "Workshop or event"
        YOUNG_PEOPLE = "young_people", "Young people's forum"
        SCRUTINY = "scrutiny", "Scrutiny committee"
        OTHER = "other", "Other"

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="consultations"
    )
    assessment = models.ForeignKey(
        StrategicAssessment, null=True, blank=True, on_delete=models.SET_NULL, related_name="consultations"
    )
    title = models.CharField(max_length=300)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    held_from = models.DateField()
    held_to = models.DateField(null=True, blank=True, help_text="For exercises that ran over a period")
    reached = models.TextField("Who was reached", blank=True)
    people_reached = models.PositiveIntegerField(null=True, blank=True)
    senior_attendance = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="consultations_attended",
        help_text="Responsible authorities represented by a senior person (reg 12)",
    )
    notes = models.TextField(blank=True)
    source = models.CharField(max_length=300, blank=True, help_text="Where the record comes from")

    history = HistoricalRecords(m2m_fields=[senior_attendance])

    class Meta:
        ordering = ["partnership", "-held_from", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(held_to__isnull=True) | Q(held_to__gte=F("held_from")),
                name="consultation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("consultation-detail", args=[self.pk])


class Concern(BaseModel):
    """A result of a consultation: what a group consulted is concerned about, or wants to see."""

    class Group(models.TextChoices):
        COMMUNITIES = "communities", "Our communities"
        YOUNG_PEOPLE = "young_people", "Children and young people"
        PUBLIC_AUTHORITIES = "public_authorities", "Our public authorities"
        PARTNERS = "partners", "Partners and stakeholders"
        BUSINESSES = "businesses", "Businesses"
        VICTIMS = "victims", "Victims"

    class Kind(models.TextChoices):
        CONCERN = "concern", "Concerned about"
        WANT = "want", "Want to see"

    exercise = models.ForeignKey(ConsultationExercise, on_delete=models.CASCADE, related_name="concerns")
    group = models.CharField("Group consulted", max_length=20, choices=Group.choices)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.CONCERN)
    text = models.CharField(max_length=500)
    respondents = models.PositiveIntegerField(
        null=True, blank=True, help_text="How many raised it, if counted"
    )
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["exercise", "group", "kind", "order", "pk"]

    def __str__(self) -> str:
        return self.text


# ---------------------------------------------------------------------------------- information sharing


class SharingAgreement(ArchivableModel):
    """An information-sharing agreement: its parties, purpose, legal basis, data items and signatories, and when
    it is next reviewed (overdue reviews are flagged)."""

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="sharing_agreements"
    )
    title = models.CharField(max_length=300)
    purpose = models.TextField()
    legal_basis = models.TextField(
        help_text="e.g. Crime and Disorder Act 1998 s.115 (power to share), s.17A (duty to share depersonalised "
        "information)"
    )
    parties = models.ManyToManyField("accounts.Organisation", related_name="sharing_agreements")
    data_items = models.TextField("Data items shared")
    signatories = models.TextField(blank=True, help_text="Who signed for each party, one per line")
    signed_on = models.DateField(null=True, blank=True)
    review_due = models.DateField(null=True, blank=True)
    reviewed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[parties])

    class Meta:
        ordering = ["partnership", "title"]

    def __str__(self) -> str:
        return self.title

    def review_overdue(self, today: date | None = None) -> bool:
        return bool(self.review_due and self.review_due < (today or date.today()) and not self.is_archived)


class DataFlow(ArchivableModel):
    """A flow on the information-sharing schedule: which authority shares what with the partnership, how often,
    and when each period's data are due. Arrivals are the provider's data returns for the flow's indicators
    (and receipts recorded by hand for flows outside SaferPlan)."""

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", "Monthly"
        QUARTERLY = "quarterly", "Quarterly"
        SIX_MONTHLY = "six_monthly", "Every six months"
        ANNUAL = "annual", "Annual"

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="data_flows")
    provider = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="data_flows")
    title = models.CharField(max_length=300, help_text="What is shared")
    data_items = models.TextField(blank=True)
    frequency = models.CharField(max_length=12, choices=Frequency.choices, default=Frequency.QUARTERLY)
    due_days = models.PositiveIntegerField(
        default=30, help_text="Days after the end of each period it is due"
    )
    depersonalised = models.BooleanField(default=True)
    prescribed = models.BooleanField(
        default=False, help_text="Prescribed information (SI 2007/1831): depersonalised, quarterly"
    )
    agreement = models.ForeignKey(
        SharingAgreement, null=True, blank=True, on_delete=models.SET_NULL, related_name="data_flows"
    )
    indicators = models.ManyToManyField("plans.Indicator", blank=True, related_name="data_flows")
    starts_on = models.DateField(help_text="The start of the first period on the schedule")

    history = HistoricalRecords(m2m_fields=[indicators])

    class Meta:
        ordering = ["partnership", "provider", "title"]

    def __str__(self) -> str:
        return f"{self.provider}: {self.title}"


class DataFlowReceipt(BaseModel):
    """A period's data for a flow, received outside SaferPlan's data returns (recorded by hand)."""

    flow = models.ForeignKey(DataFlow, on_delete=models.CASCADE, related_name="receipts")
    period_end = models.DateField()
    received_on = models.DateField()
    note = models.CharField(max_length=300, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["flow", "-period_end"]
        constraints = [models.UniqueConstraint(fields=["flow", "period_end"], name="receipt_one_per_period")]

    def __str__(self) -> str:
        return f"{self.flow}: {self.period_end}"


class ImprovementAction(ArchivableModel):
    """An action of the data improvement plan, tracked like a delivery action: an owner, a target date, and
    dated progress updates whose latest gives its status."""

    partnership = models.ForeignKey(
        "plans.Partnership", on_delete=models.CASCADE, related_name="improvement_actions"
    )
    assessment = models.ForeignKey(
        StrategicAssessment,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="improvement_actions",
        help_text="The assessment whose gaps in data the action closes",
    )
    description = models.TextField()
    owner = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    lead_name = models.CharField("Named lead", max_length=200, blank=True)
    target_date = models.DateField(null=True, blank=True)
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["partnership", "order", "pk"]

    def __str__(self) -> str:
        return self.description


class ImprovementUpdate(BaseModel):
    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()} ({self.date})"
