from django.db import models

from saferplan.core.models import BaseModel


class PoliceImport(BaseModel):
    """An import of a police open data file uploaded on the web, run in the background."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to start"
        RUNNING = "running", "Importing"
        DONE = "done", "Imported"
        FAILED = "failed", "Not imported"

    filename = models.CharField(max_length=255)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    files_total = models.PositiveIntegerField(default=0)
    files_done = models.PositiveIntegerField(default=0)
    rows = models.PositiveIntegerField(default=0)
    rows_per_second = models.PositiveIntegerField(default=0)
    message = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # The queue's side (saferplan.police.tasks): the upload kept under SAFERPLAN_DATA_DIR until it is imported
    # (so a failed import can be retried), the task, and the worker process running it with its last sign of
    # life (so the page can tell when a worker died part-way).
    partnership = models.ForeignKey(
        "plans.Partnership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    upload = models.CharField(max_length=500, blank=True, help_text="Under SAFERPLAN_DATA_DIR")
    task_id = models.CharField(max_length=64, blank=True)
    worker = models.CharField(max_length=200, blank=True, help_text="host:pid of the worker process")
    attempts = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        """How far the import has got, for the progress bar: files checked and staged."""
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.files_done / self.files_total) if self.files_total else 0


class AreaBoundary(BaseModel):
    """An area boundary the partnership loaded from a GeoJSON file, drawn on the police map (WGS84 lon/lat)."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)
    code = models.CharField(max_length=50, blank=True)
    geometry = models.JSONField(help_text="A GeoJSON Polygon or MultiPolygon")
    source = models.CharField(max_length=255, blank=True, help_text="The file it was loaded from")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name
