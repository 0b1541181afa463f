"""Reports drafted, reviewed and published. Publishing freezes a report: its Document (the data as laid out)
and every rendered file are stored with who published it and when, so later revisions of the data never
change it."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from saferplan.core.models import BaseModel
from saferplan.plans.models import Partnership, Plan


class Report(BaseModel):
    class Kind(models.TextChoices):
        BOARD = "board", "Performance escalation report to the Board"
        BASKET = "basket", "Basket report"
        DELIVERY = "delivery", "Delivery plan report"
        ACHIEVEMENTS = "achievements", "Progress and achievements"
        PLAN = "plan", "Partnership plan"
        PARTNERSHIP_UPDATE = "partnership_update", "Partnership update to scrutiny"
        ASSESSMENT = "assessment", "Strategic assessment"
        ASSESSMENT_SUMMARY = "assessment_summary", "Strategic assessment: public summary"

    class State(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parameters = models.JSONField(default=dict, blank=True, help_text="The quarter, basket, year or dates")
    title = models.CharField(max_length=300)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True)
    content = models.JSONField(null=True, blank=True, help_text="The published Document, frozen")
    meeting_date = models.DateField(
        null=True,
        blank=True,
        help_text="The date of the meeting the paper goes to; when empty, the next meeting after the period",
    )
    paper = models.JSONField(
        default=dict,
        blank=True,
        help_text="This paper's own meeting, report of, contacts, background papers and implications, in "
        "place of the partnership's defaults (PaperDefaults)",
    )

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


class PaperDefaults(BaseModel):
    """What the partnership puts on every committee paper of a kind of report unless the report says otherwise
    (Report.paper): the meeting, whose report it is (the officer, then the portfolio holder), the contacts, the
    background papers and the text under each heading of Appendix 1: Implications (reports.committee)."""

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="paper_defaults")
    kind = models.CharField(max_length=20, choices=Report.Kind.choices)
    meeting = models.CharField(
        max_length=200, blank=True, help_text="e.g. Safe Durham Partnership Board; when empty, the audience"
    )
    report_of = models.JSONField(
        default=list, blank=True, help_text='Lines of "Report of": the officer, then the portfolio holder'
    )
    contacts = models.JSONField(default=list, blank=True, help_text="Each a {name, post, telephone}")
    background_papers = models.JSONField(default=list, blank=True)
    implications = models.JSONField(
        default=dict,
        blank=True,
        help_text="Text under each heading of Appendix 1; a heading not given is N/A",
    )
    lag_days = models.PositiveSmallIntegerField(
        default=42,
        help_text="Days from the end of the period to the meeting, for a paper with no meeting date when the "
        "meeting's group has no meeting after the period",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "paper defaults"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "kind"], name="paper_defaults_once_a_kind")
        ]

    def __str__(self) -> str:
        return f"{self.partnership}: {self.get_kind_display()}"


class ReportFile(models.Model):
    """A published report's rendering in one format, stored as published."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=10)
    content = models.BinaryField()
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="one_file_a_format")]
        ordering = ["format"]

    def __str__(self) -> str:
        return f"{self.report} ({self.format})"


class Publication(BaseModel):
    """One request to publish a report, run by the task queue (saferplan.reports.tasks): the Document is laid
    out and each format rendered in the worker, then the report and its files are stored in one transaction.
    created_by is the person who asked to publish, and becomes the report's publisher."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Publishing"
        DONE = "done", "Published"
        FAILED = "failed", "Not published"

    STEPS = 5  # lay out the Document, then HTML, Word, PDF, spreadsheet

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="publications")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True, help_text="What the worker is doing now")
    message = models.TextField(blank=True)
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid of the worker process")
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.report} ({self.get_status_display()})"

    @property
    def active(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        return 100 if self.status == self.Status.DONE else int(100 * self.steps_done / self.STEPS)
