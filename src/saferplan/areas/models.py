"""Areas: the partnership area, its localities, and benchmark areas; mid-year populations for rates."""

from django.db import models
from simple_history.models import HistoricalRecords

from saferplan.core.models import BaseModel


class Area(BaseModel):
    class Kind(models.TextChoices):
        PARTNERSHIP = "partnership", "Partnership area"
        LOCALITY = "locality", "Locality"
        BENCHMARK = "benchmark", "Benchmark"

    partnership = models.ForeignKey(
        "plans.Partnership", null=True, blank=True, on_delete=models.CASCADE, related_name="areas"
    )
    code = models.CharField(
        max_length=20, unique=True, help_text="ONS code where there is one, e.g. E06000047"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="children"
    )
    lsoa_codes = models.JSONField(default=list, blank=True, help_text="LSOA codes that make up the area")
    lsoa_name_prefix = models.CharField(
        max_length=100,
        blank=True,
        help_text='LSOAs whose police.uk name starts with this, e.g. "County Durham " for "County Durham 001A"',
    )

    @property
    def has_lsoas(self) -> bool:
        return bool(self.lsoa_codes or self.lsoa_name_prefix)

    order = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Population(models.Model):
    """Mid-year population estimate (ONS) of an area in a year."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveIntegerField()
    population = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["area", "year"]
        constraints = [models.UniqueConstraint(fields=["area", "year"], name="population_unique_area_year")]

    def __str__(self) -> str:
        return f"{self.area} {self.year}: {self.population}"
