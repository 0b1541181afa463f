import re
from datetime import date
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from saferplan.accounts.models import Organisation
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm, GovUKModelForm
from saferplan.funding.models import FIRST_YEAR, LAST_YEAR, Fund, Project, year_label
from saferplan.plans.models import Objective

YEAR_PATTERN = re.compile(r"^\s*(\d{4})\s*(?:[/\-–]\s*(\d{2}|\d{4}))?\s*$")


class FinancialYearField(forms.CharField):
    """A financial year typed as partnerships write it ("2016/17", "2016-17", "2016/2017" or "2016"),
    held as the year it starts."""

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", "For example, 2016/17")
        super().__init__(**kwargs)
        self.widget.attrs.update({"class": "govuk-input govuk-input--width-5", "spellcheck": "false"})

    def prepare_value(self, value):
        if isinstance(value, int):
            return year_label(value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        if text in self.empty_values:
            return None
        match = YEAR_PATTERN.match(text[:20])
        if not match:
            raise ValidationError("Enter the financial year like 2016/17", code="invalid")
        start = int(match.group(1))
        end = match.group(2)
        if end is not None:
            end_year = int(end) if len(end) == 4 else start - start % 100 + int(end)
            if len(end) == 2 and end_year < start:
                end_year += 100  # 1999/00
            if end_year != start + 1:
                raise ValidationError(
                    "The financial year must run from one year to the next, like 2016/17", code="invalid"
                )
        if not FIRST_YEAR <= start <= LAST_YEAR:
            raise ValidationError(
                f"The financial year must start between {FIRST_YEAR} and {LAST_YEAR}", code="invalid"
            )
        return start


class MoneyField(forms.DecimalField):
    """An amount in pounds; "£25,000" and "25000.50" are both accepted."""

    def __init__(self, *, label: str, required: bool = True, **kwargs):
        super().__init__(
            label=label,
            required=required,
            max_digits=12,
            decimal_places=2,
            min_value=Decimal("0"),
            localize=False,
            help_text="In pounds, for example 25,000",
            error_messages={
                "required": f"Enter the {label[0].lower()}{label[1:]}",
                "invalid": f"{label} must be an amount in pounds, like 25,000 or 1,250.50",
                "min_value": f"{label} must be £0 or more",
                "max_digits": f"{label} must be less than £10,000,000,000",
                "max_whole_digits": f"{label} must be less than £10,000,000,000",
                "max_decimal_places": f"{label} can only have pence, like 1,250.50",
            },
            **kwargs,
        )
        self.widget = forms.TextInput(
            attrs={
                "inputmode": "decimal",
                "spellcheck": "false",
                "class": "govuk-input govuk-input--width-10",
            }
        )

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("£", "").replace(",", "").replace(" ", "")
        return super().to_python(value)

    def prepare_value(self, value):
        if isinstance(value, Decimal):
            return f"{value:f}".removesuffix(".00")
        return value


class ObjectiveChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return f"{obj.plan.period} plan, objective {obj.number}: {obj.title}"


class ProjectForm(GovUKModelForm):
    financial_year = FinancialYearField(
        label="Financial year", error_messages={"required": "Enter the financial year, like 2016/17"}
    )
    amount = MoneyField(label="Amount from the fund")
    match_funding = MoneyField(label="Match funding", required=False)
    objectives = ObjectiveChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Objectives it supports",
        error_messages={
            "invalid_choice": "Select objectives from the list",
            "invalid_pk_value": "Select objectives from the list",
        },
    )

    class Meta:
        model = Project
        fields = [
            "name",
            "fund",
            "financial_year",
            "lead_bidder",
            "lead_bidder_name",
            "amount",
            "match_funding",
            "match_funder",
            "objectives",
            "commissioned_service",
            "evidence_of_outcomes",
            "source_reference",
            "illustrative",
        ]
        labels = {
            "name": "Project",
            "fund": "Fund",
            "lead_bidder": "Lead bidder",
            "lead_bidder_name": "Or the lead bidder's name, if not a partner organisation",
            "match_funder": "Match funder",
            "commissioned_service": "Commissioned service",
            "evidence_of_outcomes": "Evidence of outcomes",
            "source_reference": "Source (optional)",
            "illustrative": "The amounts are illustrative (made up for a demonstration)",
        }
        help_texts = {
            "evidence_of_outcomes": "What the project achieved, with figures. The spend is signed off on it.",
            "source_reference": "For example, the report and paragraph that record the funding",
            "match_funder": "Who gives the match funding, if any",
        }
        widgets = {
            "name": forms.TextInput,
            "commissioned_service": forms.Textarea(attrs={"rows": 3}),
            "evidence_of_outcomes": forms.Textarea(attrs={"rows": 5}),
        }
        error_messages = {
            "name": {
                "required": "Enter the name of the project",
                "max_length": "Project must be 300 characters or fewer",
            },
            "fund": {"required": "Select the fund", "invalid_choice": "Select a fund from the list"},
            "lead_bidder": {"invalid_choice": "Select a lead bidder from the list"},
        }

    def __init__(self, *args, partnership, **kwargs):
        # Skip GovUKModelForm.__init__: it validates a bound form at once, before the querysets below are set
        super(GovUKModelForm, self).__init__(*args, **kwargs)
        self.fields["fund"].queryset = Fund.objects.order_by("name")
        self.fields["fund"].empty_label = "Select the fund"
        self.fields["lead_bidder"].queryset = Organisation.objects.order_by("name")
        self.fields["lead_bidder"].empty_label = "Not a partner organisation, or not known"
        objectives = Objective.objects.live().filter(plan__partnership=partnership)
        if self.instance.pk:
            objectives = objectives | Objective.objects.filter(funded_projects=self.instance)
        self.fields["objectives"].queryset = (
            objectives.distinct().select_related("plan").order_by("-plan__start_year", "number")
        )
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("lead_bidder") and (data.get("lead_bidder_name") or "").strip():
            self.add_error(
                "lead_bidder_name", "Choose the lead bidder from the list or type its name, not both"
            )
        return data


class SignOffForm(GovUKForm):
    signed_off_on = forms.DateField(
        label="Date the spend is signed off",
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 31/03/2017",
        error_messages={
            "required": "Enter the date the spend is signed off",
            "invalid": "The date must be a real date, for example 31/03/2017",
        },
    )

    def clean_signed_off_on(self):
        value = self.cleaned_data["signed_off_on"]
        if value > date.today():
            raise ValidationError("The date the spend is signed off must be today or in the past")
        if value.year < FIRST_YEAR:
            raise ValidationError(f"The date must be in {FIRST_YEAR} or later")
        return value
