"""Forms for the ASB Case Review: the application, the decision on the threshold, the review and an appeal.
Dates use the GOV.UK date input; every error names its field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from saferplan.assessment.forms.consultation import GovUKDateField
from saferplan.casework.models import CaseReview, Person
from saferplan.core.forms import GovUKForm


class ApplicationForm(GovUKForm):
    applicant = forms.ModelChoiceField(
        queryset=Person.objects.none(),
        required=False,
        empty_label="Someone not yet recorded (give their name below)",
        label="Applicant",
        error_messages={"invalid_choice": "Select an applicant from the list"},
        help_text="The victim: the person who applied, or on whose behalf someone applied",
    )
    applicant_name = forms.CharField(
        max_length=200,
        required=False,
        label="Name of a new applicant",
        help_text="Leave blank if selected above",
    )
    applicant_contact = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Contact details of a new applicant (optional)",
    )
    on_behalf = forms.BooleanField(
        required=False,
        label="Made on the victim's behalf",
        help_text="For example by a carer, a relative, a councillor or an MP, with the victim's consent",
    )
    applied_on = GovUKDateField(label="Date of the application", name="The date of the application")
    behaviour = forms.CharField(
        max_length=10_000,
        widget=forms.Textarea,
        label="The behaviour complained of",
        help_text="In the applicant's own words",
        error_messages={"required": "Enter the behaviour complained of"},
    )
    restricted = forms.BooleanField(
        required=False,
        label="Restricted",
        help_text="Only you may open it, not everyone in your agency",
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        if people is not None:
            self.fields["applicant"].queryset = people

    def clean(self):
        data = super().clean()
        if not data.get("applicant") and not (data.get("applicant_name") or "").strip():
            if "applicant" not in self.errors:
                self.add_error("applicant_name", "Select the applicant or enter the name of a new applicant")
        if data.get("applicant") and (data.get("applicant_name") or "").strip():
            self.add_error("applicant_name", "Select an applicant or enter a new name, not both")
        return data


class DecisionForm(GovUKForm):
    decision = forms.ChoiceField(
        choices=[
            ("", "Select"),
            (CaseReview.Decision.MET, "Threshold met"),
            (CaseReview.Decision.NOT_MET, "Threshold not met"),
        ],
        label="Decision",
        error_messages={
            "required": "Select whether the threshold is met",
            "invalid_choice": "Select whether the threshold is met",
        },
    )
    decided_on = GovUKDateField(label="Date of the decision", name="The date of the decision")
    reason = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Further reason (optional)",
        help_text="Needed when the threshold is not met although the count reaches it",
    )
    discretion = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Reason for discretion",
        help_text="Needed to go ahead with a review below the threshold (the statutory guidance allows it)",
    )

    def clean_decision(self):
        value = self.cleaned_data["decision"]
        if value not in (CaseReview.Decision.MET, CaseReview.Decision.NOT_MET):
            raise ValidationError("Select whether the threshold is met")
        return value


class ReviewForm(GovUKForm):
    held_on = GovUKDateField(label="Date the review was held", name="The date the review was held")
    recommendations = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea,
        label="Recommendations",
        help_text="Leave blank if the review made none",
    )


class AppealForm(GovUKForm):
    requested_on = GovUKDateField(
        label="Date the appeal was asked for", name="The date the appeal was asked for"
    )
    outcome = forms.CharField(
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="Outcome of the appeal",
        help_text="Leave blank while the appeal is open",
    )
