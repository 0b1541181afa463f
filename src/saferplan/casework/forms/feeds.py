"""The casework feed form: which indicator a measure's counts go to, and for which area."""

from __future__ import annotations

from django import forms

from saferplan.areas.models import Area
from saferplan.assessment.forms.consultation import GovUKDateField
from saferplan.casework import measures
from saferplan.core.forms import GovUKForm
from saferplan.plans.models import Indicator


class FeedForm(GovUKForm):
    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.none(),
        label="Indicator",
        help_text="The plan's indicator the counts are recorded for",
        error_messages={
            "required": "Choose the indicator",
            "invalid_choice": "Choose an indicator from the list",
        },
    )
    measure = forms.ChoiceField(
        choices=[("", "Choose a measure"), *measures.choices()],
        label="Measure",
        help_text="What is counted from the casework records; its unit must be the indicator's",
        error_messages={"required": "Choose the measure", "invalid_choice": "Choose a measure from the list"},
    )
    area = forms.ModelChoiceField(
        queryset=Area.objects.none(),
        label="Area",
        help_text="The partnership's area counts every record; a locality counts the records in it",
        error_messages={"required": "Choose the area", "invalid_choice": "Choose an area from the list"},
    )
    records_from = GovUKDateField(
        label="Records complete from (optional)",
        name="The date records are complete from",
        required=False,
        help_text="When the service began keeping every record; blank: the month of the first record. "
        "A period that starts earlier is not counted. For example, 1 9 2014",
    )
    records_to = GovUKDateField(
        label="Records complete to (optional)",
        name="The date records are complete to",
        required=False,
        help_text="Blank while records are still being kept. A period that ends later is not counted",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = Indicator.objects.filter(partnership=partnership).order_by("name")
        self.fields["indicator"].empty_label = "Choose an indicator"
        self.fields["area"].queryset = Area.objects.filter(
            partnership=partnership, kind__in=[Area.Kind.PARTNERSHIP, Area.Kind.LOCALITY]
        ).order_by("kind", "name")
        self.fields["area"].empty_label = "Choose an area"
