"""Reports drafted, reviewed and published. Publishing freezes a report: its Document (the data as laid out)
and every rendered file are stored with who published it and when, so later revisions of the data never
change it."""

from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from saferplan.core.models import BaseModel
from saferplan.plans.models import Plan


class Report(BaseModel):
    class Kind(models.TextChoices):
        BOARD = "board", "Performance escalation report to the Board"
        BASKET = "basket", "Basket report"
        DELIVERY = "delivery", "Delivery plan report"
        ACHIEVEMENTS = "achievements", "Progress and achievements"
        PLAN = "plan", "Partnership plan"
        PARTNERSHIP_UPDATE = "partnership_update", "Partnership update to scrutiny"

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

    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        ordering = ["-published_at", "-created_at"]

    def __str__(self) -> str:
        return self.title


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
