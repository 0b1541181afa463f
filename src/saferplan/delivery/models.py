"""The delivery plan (detailed actions, milestones, progress updates with evidence), escalations from groups to
the Board, the closure of task and finish groups, and the issues locality groups are tasked with."""

from __future__ import annotations

from datetime import date, time

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricalRecords

from saferplan.core.models import ArchivableModel, BaseModel


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    OFF_TRACK = "off_track", "Off track"
    COMPLETE = "complete", "Complete"


class DetailedAction(ArchivableModel):
    """A detailed action of the delivery plan, under a strategic action of the partnership plan."""

    strategic_action = models.ForeignKey(
        "plans.StrategicAction", on_delete=models.CASCADE, related_name="detailed_actions"
    )
    description = models.TextField()
    owner_group = models.ForeignKey("plans.Group", on_delete=models.PROTECT, related_name="detailed_actions")
    lead_organisation = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="detailed_actions",
    )
    lead_name = models.CharField("Named lead", max_length=200, blank=True)
    start_date = models.DateField(null=True, blank=True)
    target_date = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(default=False, help_text="Made up for the demo")
    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["strategic_action", "order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_date__isnull=True)
                | models.Q(start_date__isnull=True)
                | models.Q(target_date__gte=models.F("start_date")),
                name="detailed_action_target_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.description

    def get_absolute_url(self) -> str:
        return reverse("delivery-action", args=[self.pk])

    def status_on(self, latest_status: str | None, today: date | None = None) -> tuple[str, bool]:
        """(status from the latest update, overdue): overdue when past the target date and not complete."""
        status = latest_status or Status.NOT_STARTED
        today = today or date.today()
        overdue = bool(self.target_date and self.target_date < today and status != Status.COMPLETE)
        return status, overdue


class Milestone(BaseModel):
    action = models.ForeignKey(DetailedAction, on_delete=models.CASCADE, related_name="milestones")
    description = models.CharField(max_length=500)
    due_date = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "due_date", "pk"]

    def __str__(self) -> str:
        return self.description


class ProgressUpdate(BaseModel):
    """A dated, signed update on a detailed action; the latest one gives the action its status."""

    action = models.ForeignKey(DetailedAction, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField()
    status = models.CharField(max_length=12, choices=Status.choices)
    text = models.TextField()
    evidence_link = models.URLField(blank=True, max_length=500)
    evidence_file = models.CharField(max_length=200, blank=True, help_text="Path under SAFERPLAN_DATA_DIR")
    evidence_name = models.CharField(max_length=255, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    illustrative = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["action", "-date", "-pk"]

    def __str__(self) -> str:
        return f"{self.action}: {self.get_status_display()} ({self.date})"


class Escalation(BaseModel):
    """An item a group raises to the group it reports to (ultimately the Board), and that body's decision."""

    class About(models.TextChoices):
        INDICATOR = "indicator", "An indicator"
        ACTION = "action", "An action"
        RISK = "risk", "A risk"
        RESOURCE = "resource", "A resource"

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    from_group = models.ForeignKey("plans.Group", on_delete=models.PROTECT, related_name="escalations_raised")
    to_group = models.ForeignKey("plans.Group", on_delete=models.PROTECT, related_name="escalations_received")
    about = models.CharField(max_length=10, choices=About.choices)
    indicator = models.ForeignKey(
        "plans.Indicator", null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    action = models.ForeignKey(
        DetailedAction, null=True, blank=True, on_delete=models.SET_NULL, related_name="escalations"
    )
    title = models.CharField("What", max_length=300)
    why = models.TextField("Why")
    ask = models.TextField("What is asked for")
    raised_on = models.DateField()
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    decision = models.TextField(blank=True)
    decided_on = models.DateField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    new_actions = models.ManyToManyField(DetailedAction, blank=True, related_name="arising_from")

    history = HistoricalRecords(m2m_fields=[new_actions])

    class Meta:
        ordering = ["state", "-raised_on", "-pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("escalation-detail", args=[self.pk])


class GroupClosure(BaseModel):
    """The closing record of a time-limited task and finish group: when it closed and what it achieved."""

    group = models.OneToOneField("plans.Group", on_delete=models.CASCADE, related_name="closure")
    closed_on = models.DateField()
    achievements = models.TextField()

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"{self.group} closed {self.closed_on}"


class LocalityIssue(BaseModel):
    """An issue a locality multi-agency problem-solving group is tasked with."""

    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    group = models.ForeignKey("plans.Group", on_delete=models.CASCADE, related_name="locality_issues")
    place = models.CharField(max_length=300)
    problem = models.TextField()
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="locality_issues")
    actions = models.TextField(blank=True)
    outcome = models.TextField(blank=True)
    opened_on = models.DateField()
    state = models.CharField(max_length=6, choices=State.choices, default=State.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    illustrative = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "-opened_on"]

    def __str__(self) -> str:
        return f"{self.place}: {self.problem[:60]}"


class Meeting(BaseModel):
    """A Board or group meeting: its agenda items, decisions and actions arising."""

    group = models.ForeignKey("plans.Group", on_delete=models.PROTECT, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date", "group"]

    def __str__(self) -> str:
        return self.title or f"{self.group} {self.date:%d %B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("meeting-detail", args=[self.pk])


class AgendaItem(BaseModel):
    class Kind(models.TextChoices):
        PERFORMANCE = "performance", "Performance report"
        DELIVERY = "delivery", "Delivery plan report"
        ESCALATIONS = "escalations", "Escalations"
        OTHER = "other", "Other business"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.OTHER)
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True, help_text="What was reported and discussed")
    decision = models.TextField(blank=True)
    reference = models.CharField(max_length=200, blank=True, help_text="Where this is recorded, e.g. a paper")

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class MeetingAction(BaseModel):
    """An action arising from a meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    item = models.ForeignKey(
        AgendaItem, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions"
    )
    description = models.TextField()
    owner = models.CharField(max_length=200, blank=True)
    due_date = models.DateField(null=True, blank=True)
    done = models.BooleanField(default=False)

    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "pk"]

    def __str__(self) -> str:
        return self.description


class PartnershipUpdate(BaseModel):
    """A draft "Partnership update" paper for the scrutiny committee, made from a period's Board meetings."""

    title = models.CharField(max_length=300)
    date_from = models.DateField()
    date_to = models.DateField()
    text = models.TextField()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-date_to", "-pk"]

    def __str__(self) -> str:
        return self.title


class ReminderSent(models.Model):
    """A reminder already sent to a person, so that running the reminders again sends nothing new."""

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="reminders_sent")
    key = models.CharField(max_length=200)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="reminder_once_per_key")]

    def __str__(self) -> str:
        return f"{self.user}: {self.key}"


class ReminderSchedule(models.Model):
    """When the reminders are sent (one row): the administrator's choice on the Reminders page, and a record
    of the last run and the next. The task queue runs them (saferplan.delivery.tasks)."""

    class Days(models.TextChoices):
        DAILY = "daily", "Every day"
        WEEKDAYS = "weekdays", "Monday to Friday"
        WEEKLY = "weekly", "Mondays"

    enabled = models.BooleanField(default=True)
    days = models.CharField(max_length=10, choices=Days.choices, default=Days.DAILY)
    time_of_day = models.TimeField(default=time(7, 0), help_text="UK time")
    next_run_at = models.DateTimeField(null=True, blank=True)
    last_run_at = models.DateTimeField(null=True, blank=True)
    last_run_result = models.CharField(max_length=300, blank=True)
    task_id = models.CharField(max_length=64, blank=True, help_text="The queued run")
    modified_at = models.DateTimeField(null=True, blank=True)
    modified_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Reminders: {self.get_days_display()} at {self.time_of_day:%H:%M}"
