from django import forms

from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKModelForm
from saferplan.plans.models import Group, Indicator, Objective, Outcome, SearchSynonym, StrategicAction


class ObjectiveForm(GovUKModelForm):
    class Meta:
        model = Objective
        fields = ["title", "why_priority", "key_challenges"]
        labels = {
            "title": "Objective",
            "why_priority": "Why this is a priority",
            "key_challenges": "Our key challenges",
        }
        error_messages = {"title": {"required": "Enter the objective"}}


class OutcomeForm(GovUKModelForm):
    class Meta:
        model = Outcome
        fields = ["title"]
        labels = {"title": "Outcome"}
        widgets = {"title": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "title": {
                "required": "Enter the outcome",
                "max_length": "Outcome must be 500 characters or fewer",
            }
        }


class ActionForm(GovUKModelForm):
    target_date = forms.DateField(
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        label="Target date (optional)",
        help_text="For example, 31/03/2017",
        error_messages={"invalid": "Target date must be a real date, for example 31/03/2017"},
    )

    class Meta:
        model = StrategicAction
        fields = ["text", "owner_group", "target_date"]
        labels = {"text": "Strategic action", "owner_group": "Owner group"}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"text": {"required": "Enter the strategic action"}}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_group"].queryset = (
            Group.objects.live().filter(partnership=partnership).order_by("name")
        )
        self.fields["owner_group"].empty_label = "No owner group"


class IndicatorForm(GovUKModelForm):
    class Meta:
        model = Indicator
        fields = [
            "name",
            "definition",
            "unit",
            "polarity",
            "frequency",
            "period_basis",
            "source",
            "heading",
            "key_crime",
            "objectives",
        ]
        labels = {
            "name": "Indicator",
            "source": "Source organisation",
            "heading": "Heading (optional)",
            "key_crime": "Key crime indicator monitored by the Board",
        }
        widgets = {
            "objectives": forms.CheckboxSelectMultiple,
            "key_crime": forms.Select(choices=[(False, "No"), (True, "Yes")]),
        }
        error_messages = {"name": {"required": "Enter the name of the indicator"}}

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["objectives"].queryset = plan.objectives.live().order_by("number")
        self.fields["objectives"].required = False
        self.fields["objectives"].help_text = "The objectives this indicator measures"
        self.fields["source"].empty_label = "Not recorded"
        self.fields["key_crime"] = forms.TypedChoiceField(
            label="Key crime indicator monitored by the Board",
            choices=[("False", "No"), ("True", "Yes")],
            coerce=lambda v: v == "True",
            initial="True" if (self.instance and self.instance.key_crime) else "False",
            widget=forms.Select,
        )
        self._style()


class SearchSynonymForm(GovUKModelForm):
    class Meta:
        model = SearchSynonym
        fields = ["term", "meaning"]
        labels = {"term": "Short form", "meaning": "What it stands for"}
        help_texts = {"term": "For example ASB", "meaning": "For example anti-social behaviour"}
        error_messages = {
            "term": {
                "required": "Enter the short form",
                "unique": "That short form is already recorded",
                "max_length": "Short form must be 50 characters or fewer",
            },
            "meaning": {
                "required": "Enter what the short form stands for",
                "max_length": "What it stands for must be 200 characters or fewer",
            },
        }
