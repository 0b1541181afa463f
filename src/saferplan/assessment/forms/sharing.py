"""Forms for information sharing, with GOV.UK error messages that name the field."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.validators import MaxValueValidator

from saferplan.accounts.models import Organisation
from saferplan.assessment.models import DataFlow, ImprovementAction, SharingAgreement, StrategicAssessment
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm, GovUKModelForm
from saferplan.delivery.models import Status
from saferplan.plans.models import Indicator


def _date(label: str, required: bool = False, **kwargs) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text=kwargs.pop("help_text", "For example, 31/03/2017"),
        error_messages={
            "invalid": f"{label} must be a real date, for example 31/03/2017",
            "required": f"Enter the {label[0].lower()}{label[1:]}",
        },
        **kwargs,
    )


def _not_future(form, name: str, label: str, today: date) -> None:
    value = form.cleaned_data.get(name)
    if value and value > today:
        form.add_error(name, f"{label} must be today or in the past")


class _Choices(forms.ModelMultipleChoiceField):
    def __init__(self, *, label: str, **kwargs):
        super().__init__(
            queryset=kwargs.pop("queryset"),
            required=kwargs.pop("required", False),
            widget=forms.CheckboxSelectMultiple,
            label=label,
            error_messages={
                "required": f"Select the {label.lower()}",
                "invalid_choice": f"Select {label.lower()} from the list",
                "invalid_pk_value": f"Select {label.lower()} from the list",
                "list": f"Select {label.lower()} from the list",
            },
            **kwargs,
        )


class IndicatorChoices(_Choices):
    def label_from_instance(self, obj: Indicator) -> str:
        return obj.name


class DataFlowForm(GovUKModelForm):
    starts_on = _date("Start of the first period", required=True, help_text="For example, 01/04/2014")
    indicators = IndicatorChoices(
        label="Indicators whose figures it brings",
        queryset=Indicator.objects.none(),
        help_text="A data return from the provider with figures for these indicators counts as the period's data",
    )

    class Meta:
        model = DataFlow
        fields = [
            "provider",
            "title",
            "data_items",
            "frequency",
            "due_days",
            "depersonalised",
            "prescribed",
            "agreement",
            "starts_on",
            "indicators",
        ]
        labels = {
            "provider": "Authority that shares it",
            "title": "What is shared",
            "due_days": "Days after each period ends that it is due",
            "depersonalised": "Depersonalised information",
            "prescribed": "Prescribed information (SI 2007/1831)",
            "agreement": "Information-sharing agreement",
        }
        help_texts = {
            "prescribed": "The depersonalised information the Crime and Disorder (Prescribed Information) "
            "Regulations 2007 require each quarter",
            "due_days": "For example, 30",
        }
        widgets = {"data_items": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "provider": {
                "required": "Select the authority that shares it",
                "invalid_choice": "Select an authority from the list",
            },
            "title": {
                "required": "Enter what is shared",
                "max_length": "What is shared must be 300 characters or fewer",
            },
            "frequency": {
                "required": "Select how often it is shared",
                "invalid_choice": "Select how often it is shared",
            },
            "due_days": {
                "required": "Enter how many days after each period ends it is due",
                "invalid": "Days after each period ends must be a whole number, like 30",
                "min_value": "Days after each period ends must be 0 or more",
                "max_value": "Days after each period ends must be 366 or fewer",
            },
            "agreement": {"invalid_choice": "Select an agreement from the list"},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Organisation.objects.order_by("name")
        self.fields["agreement"].queryset = SharingAgreement.objects.live().filter(partnership=partnership)
        self.fields["agreement"].required = False
        self.fields["indicators"].queryset = (
            Indicator.objects.live().filter(partnership=partnership).order_by("order", "name")
        )
        self.fields["due_days"].validators.append(MaxValueValidator(366))
        self.fields["due_days"].widget.attrs.update({"inputmode": "numeric"})
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("prescribed") and (
            not data.get("depersonalised") or data.get("frequency") != DataFlow.Frequency.QUARTERLY
        ):
            self.add_error(
                "prescribed",
                "Prescribed information (SI 2007/1831) is shared depersonalised and every quarter: make the "
                "flow quarterly and depersonalised, or untick prescribed",
            )
        starts = data.get("starts_on")
        if starts and not date(1990, 1, 1) <= starts <= date(2100, 12, 31):
            self.add_error("starts_on", "The start of the first period must be between 1990 and 2100")
        return data


class ReceiptForm(GovUKForm):
    period_end = forms.TypedChoiceField(
        label="Period",
        coerce=date.fromisoformat,
        error_messages={
            "required": "Select the period whose data arrived",
            "invalid_choice": "Select a period from the list",
        },
    )
    received_on = _date("Date received", required=True)
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        max_length=300,
        error_messages={"max_length": "The note must be 300 characters or fewer"},
    )

    def __init__(self, *args, periods, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.periods = {p.end: p for p in periods}
        self.fields["period_end"].choices = [("", "Select a period")] + [
            (p.end.isoformat(), f"{p.label} (due {p.due.day} {p.due:%B %Y})") for p in periods
        ]
        self._style()

    def clean(self):
        data = super().clean()
        _not_future(self, "received_on", "The date received", self.today)
        period = self.periods.get(data.get("period_end"))
        received = data.get("received_on")
        if period and received and received < period.start and "received_on" not in self.errors:
            self.add_error("received_on", "The date received must be on or after the period began")
        return data


class PartyChoices(_Choices):
    def label_from_instance(self, obj: Organisation) -> str:
        return obj.name


class AgreementForm(GovUKModelForm):
    signed_on = _date("Date signed")
    review_due = _date("Next review by")
    parties = PartyChoices(label="Parties", queryset=Organisation.objects.none(), required=True)

    class Meta:
        model = SharingAgreement
        fields = [
            "title",
            "purpose",
            "legal_basis",
            "parties",
            "data_items",
            "signatories",
            "signed_on",
            "review_due",
        ]
        labels = {"title": "Name of the agreement", "legal_basis": "Legal basis"}
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "data_items": forms.Textarea(attrs={"rows": 3}),
            "signatories": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "title": {
                "required": "Enter the name of the agreement",
                "max_length": "The name must be 300 characters or fewer",
            },
            "purpose": {"required": "Enter the purpose of the agreement"},
            "legal_basis": {
                "required": "Enter the legal basis, for example Crime and Disorder Act 1998 s.115"
            },
            "data_items": {"required": "Enter the data items shared"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Organisation.objects.order_by("name")
        self._style()

    def clean(self):
        data = super().clean()
        signed, review = data.get("signed_on"), data.get("review_due")
        if signed and review and review < signed:
            self.add_error("review_due", "The review date must be on or after the date signed")
        return data


class ReviewForm(GovUKForm):
    reviewed_on = _date("Date reviewed", required=True)
    review_due = _date("Next review by", required=True)

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self._style()

    def clean(self):
        data = super().clean()
        _not_future(self, "reviewed_on", "The date reviewed", self.today)
        reviewed, due = data.get("reviewed_on"), data.get("review_due")
        if reviewed and due and due <= reviewed:
            self.add_error("review_due", "The next review must be after the date reviewed")
        return data


class ImprovementActionForm(GovUKModelForm):
    target_date = _date("Target date")

    class Meta:
        model = ImprovementAction
        fields = ["description", "owner", "lead_name", "target_date", "assessment"]
        labels = {
            "description": "Action",
            "owner": "Owner",
            "assessment": "Strategic assessment whose gaps in data it closes",
        }
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "description": {"required": "Enter the action"},
            "owner": {"invalid_choice": "Select an owner from the list"},
            "lead_name": {"max_length": "The named lead must be 200 characters or fewer"},
            "assessment": {"invalid_choice": "Select an assessment from the list"},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = Organisation.objects.order_by("name")
        self.fields["assessment"].queryset = StrategicAssessment.objects.filter(partnership=partnership)
        self._style()


class ImprovementUpdateForm(GovUKForm):
    status = forms.ChoiceField(
        label="Status",
        choices=Status.choices,
        error_messages={"required": "Select the status", "invalid_choice": "Select the status"},
    )
    date = _date("Date of the update", required=True)
    text = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the progress"},
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self._style()

    def clean(self):
        data = super().clean()
        _not_future(self, "date", "The date of the update", self.today)
        return data


class AsOfForm(GovUKForm):
    as_of = _date("Show the schedule as at", required=False, help_text="For example, 31/03/2017")

    def _style(self) -> None:
        super()._style()
        widget = self.fields["as_of"].widget
        widget.attrs["class"] = widget.attrs.get("class", "govuk-input") + " govuk-input--width-10"

    def clean(self):
        data = super().clean()
        value = data.get("as_of")
        if value and not date(1990, 1, 1) <= value <= date(2100, 12, 31):
            self.add_error("as_of", "The date must be between 1990 and 2100")
        return data
