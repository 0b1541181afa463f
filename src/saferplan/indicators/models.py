"""Performance data: observations of indicators by area and period, commentary, targets and data returns."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplan.core.models import BaseModel


class DataReturn(BaseModel):
    """One accepted upload of a data return by a data-providing organisation."""

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, related_name="data_returns"
    )
    filename = models.CharField(max_length=255)
    rows_created = models.PositiveIntegerField(default=0)
    rows_revised = models.PositiveIntegerField(default=0)
    rows_unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.organisation})"

    @property
    def summary(self) -> str:
        def n(count: int, word: str) -> str:
            return (
                f"{count} {word}"
                if word == "unchanged"
                else f"{count} {word} figure{'s' if count != 1 else ''}"
            )

        return f"{n(self.rows_created, 'new')}, {n(self.rows_revised, 'revised')}, {n(self.rows_unchanged, 'unchanged')}"


class DataReturnImport(BaseModel):
    """A data return too large to import while the person waits (over settings.QUEUE_RETURNS_OVER figures),
    checked on upload and imported by the task queue (saferplan.indicators.tasks). All its figures are written
    in one transaction, so a worker stopped part-way leaves none of them. created_by is the person who uploaded
    it, and is recorded as the return's sender."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.CASCADE, related_name="+")
    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    filename = models.CharField(max_length=255)
    confirm_unusual = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(default=0, help_text="Figures in the return")
    rows_done = models.PositiveIntegerField(default=0, help_text="Figures written so far")
    message = models.TextField(blank=True)
    data_return = models.ForeignKey(
        DataReturn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The queue's side, as for police imports: the upload kept under SAFERPLAN_DATA_DIR until it is imported
    # (so a failed import can be retried), the task, and the worker running it with its last sign of life.
    upload = models.CharField(max_length=500, blank=True, help_text="Under SAFERPLAN_DATA_DIR")
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid of the worker process")
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """How far the import has got, for the progress bar: figures written of those in the return."""
        if self.status == self.Status.DONE:
            return 100
        return min(99, int(100 * self.rows_done / self.rows_total)) if self.rows_total else 0


class Observation(BaseModel):
    """A value of an indicator for an area and period, from one source.

    Rates and percentages keep the numerator and denominator where they are known; a figure published
    ready-made (e.g. an age-standardised rate) keeps its published limits and method instead.
    """

    class Status(models.TextChoices):
        PROVISIONAL = "provisional", "Provisional"
        FINAL = "final", "Final"
        FORECAST = (
            "forecast",
            "Forecast",
        )  # for a period not ended yet, within the allowance (rules.FORECAST_MONTHS)

    class Origin(models.TextChoices):
        """What kind of figure this is; the headline is chosen by the partnership's precedence of origins
        (saferplan.indicators.services.DEFAULT_PRECEDENCE, docs/adr/0003-which-figure-counts.md)."""

        PUBLISHED = "published", "Published figure"
        RETURN = "return", "Partner's return"
        CASEWORK = "casework", "Casework records"
        DERIVED = "derived", "Derived from published figures"
        POLICE = "police", "Police open data"
        SYNTHETIC = "synthetic", "Synthetic demo figure"

    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE, related_name="observations")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="observations")
    period = models.CharField(max_length=20, help_text="Period code, see saferplan.indicators.periods")
    period_start = models.DateField()
    period_end = models.DateField()
    period_kind = models.CharField(max_length=20)
    value = models.FloatField()
    numerator = models.FloatField(null=True, blank=True)
    denominator = models.FloatField(null=True, blank=True)
    lower = models.FloatField(null=True, blank=True, help_text="Lower confidence limit, when published")
    upper = models.FloatField(null=True, blank=True, help_text="Upper confidence limit, when published")
    method = models.CharField(max_length=200, blank=True, help_text="How a ready-made figure was calculated")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.FINAL)
    source = models.CharField(max_length=200, help_text="Who produced the figure, e.g. Durham Constabulary")
    origin = models.CharField(max_length=12, choices=Origin.choices, default=Origin.RETURN)
    headline = models.BooleanField(
        default=True, help_text="The figure reported when there are several sources"
    )
    headline_chosen = models.BooleanField(
        default=False, help_text="An analyst chose this source as the headline (among real figures)"
    )
    synthetic = models.BooleanField(default=False, help_text="Made up for the demo: not a real figure")
    reference = models.TextField(blank=True, help_text="Where the figure was published")
    note = models.TextField(
        blank=True,
        help_text="A judgement behind the figure, e.g. how its period was inferred or how it was derived",
    )
    confirmed_unusual = models.BooleanField(
        default=False, help_text="Far outside its series, and confirmed by its provider"
    )
    data_return = models.ForeignKey(
        DataReturn, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    history = HistoricalRecords(history_change_reason_field=models.TextField(null=True))  # withdrawal reasons

    class Meta:
        ordering = ["indicator", "area", "period_end", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "period", "source"], name="observation_unique_source"
            ),
            models.UniqueConstraint(
                fields=["indicator", "area", "period"],
                condition=Q(headline=True),
                name="observation_one_headline",
            ),
            models.CheckConstraint(
                condition=Q(synthetic=True, origin="synthetic")
                | (Q(synthetic=False) & ~Q(origin="synthetic")),
                name="observation_synthetic_origin",
            ),
        ]
        indexes = [models.Index(fields=["indicator", "area", "period_kind", "period_end"])]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area} {self.period}: {self.value}"


class Commentary(BaseModel):
    """What the indicator's owner says about a period's figure."""

    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE, related_name="commentaries")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="commentaries")
    period = models.CharField(max_length=20)
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "-period"]
        verbose_name_plural = "commentaries"
        constraints = [
            models.UniqueConstraint(fields=["indicator", "area", "period"], name="commentary_unique_period")
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.period}"


class Target(BaseModel):
    """A target for a period, or a cumulative target to a date judged against its trajectory."""

    indicator = models.ForeignKey("plans.Indicator", on_delete=models.CASCADE, related_name="targets")
    area = models.ForeignKey("areas.Area", on_delete=models.CASCADE, related_name="targets")
    value = models.FloatField()
    period = models.CharField(
        max_length=20, blank=True, help_text="The period the target is for (not cumulative)"
    )
    cumulative = models.BooleanField(default=False)
    start_period = models.CharField(max_length=20, blank=True, help_text="First month counted (cumulative)")
    due_period = models.CharField(max_length=20, blank=True, help_text="Month the cumulative target is due")
    reference = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["indicator", "period", "due_period"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(cumulative=False) & ~Q(period=""))
                | (Q(cumulative=True) & ~Q(start_period="") & ~Q(due_period="")),
                name="target_period_or_trajectory",
            )
        ]

    def __str__(self) -> str:
        return f"{self.indicator}: {self.value} ({self.period or self.due_period})"

    def get_absolute_url(self) -> str:
        return f"{reverse('indicator-performance', args=[self.indicator_id])}?area={self.area.code}"
