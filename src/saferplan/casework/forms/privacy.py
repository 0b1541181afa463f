"""Forms for casework settings, routing and retention rules, the reason for opening a record, the access-log
filter, subject access and sharing a case."""

from __future__ import annotations

from django import forms

from saferplan.accounts.models import Organisation
from saferplan.assessment.models import SharingAgreement
from saferplan.casework.models import AccessLog, CaseworkSettings, RetentionRule, Vulnerability
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm, GovUKModelForm

REASON_MAX = 500


class SettingsForm(GovUKModelForm):
    class Meta:
        model = CaseworkSettings
        fields = [
            "repeat_victim_incidents",
            "repeat_victim_days",
            "trigger_complaints",
            "trigger_window_days",
            "trigger_report_within_days",
            "marac_repeat_days",
            "dash_high_risk_yes",
        ]
        labels = {
            "repeat_victim_incidents": "Incidents that make a repeat victim",
            "repeat_victim_days": "Repeat victim window (days)",
            "trigger_complaints": "Qualifying complaints for an ASB Case Review",
            "trigger_window_days": "ASB Case Review window (days)",
            "trigger_report_within_days": "Each complaint reported within (days)",
            "marac_repeat_days": "MARAC repeat window (days)",
            "dash_high_risk_yes": "DASH 'yes' answers for high risk",
        }


class RoutingRuleForm(GovUKForm):
    vulnerability = forms.ChoiceField(choices=Vulnerability.choices)
    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.none(), label="Service that deals with it"
    )
    urgent_days = forms.IntegerField(min_value=1, max_value=365, label="Urgent referrals: days to respond")
    routine_days = forms.IntegerField(min_value=1, max_value=365, label="Routine referrals: days to respond")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")


class RetentionRuleForm(GovUKForm):
    record_type = forms.ChoiceField(choices=RetentionRule.RecordType.choices, label="Record type")
    keep_months = forms.IntegerField(
        min_value=1,
        max_value=1200,
        label="Keep for (months)",
        help_text="After the record closes (or after it happened, for incidents and referrals)",
    )
    action = forms.ChoiceField(choices=RetentionRule.Action.choices, label="Then")


class OpenReasonForm(GovUKForm):
    PURPOSES = [
        ("case", "Working on this case"),
        ("supervision", "Supervision"),
        ("safeguarding", "Safeguarding concern"),
        ("other", "Other"),
    ]
    purpose = forms.ChoiceField(choices=PURPOSES, label="Purpose")
    detail = forms.CharField(
        required=False,
        max_length=REASON_MAX,
        label="Say more",
        help_text=f"Required for 'Other'. No more than {REASON_MAX} characters",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean(self):
        data = super().clean()
        purpose, detail = data.get("purpose"), (data.get("detail") or "").strip()
        if purpose == "other" and not detail:
            self.add_error("detail", "Say why you are opening this record")
        return data

    def reason(self) -> str:
        label = dict(self.PURPOSES)[self.cleaned_data["purpose"]]
        detail = (self.cleaned_data.get("detail") or "").strip()
        if self.cleaned_data["purpose"] == "other":
            return detail[:REASON_MAX]
        return f"{label}: {detail}"[:REASON_MAX] if detail else label


class AccessLogFilterForm(GovUKForm):
    reference = forms.CharField(required=False, max_length=30, label="Record reference")
    username = forms.CharField(required=False, max_length=150, label="User name")
    action = forms.ChoiceField(required=False, choices=[("", "Any")] + list(AccessLog.Action.choices))
    start = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS, label="From (dd/mm/yyyy)")
    end = forms.DateField(required=False, input_formats=DATE_INPUT_FORMATS, label="To (dd/mm/yyyy)")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            self.add_error("end", "The end date must be on or after the start date")
        return data


class SubjectAccessSearchForm(GovUKForm):
    name = forms.CharField(max_length=200, label="Name", help_text="Their full name, or part of it")
    date_of_birth = forms.DateField(
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        label="Date of birth (dd/mm/yyyy)",
        help_text="Leave empty only if it is not known",
    )
    reason = forms.CharField(
        max_length=REASON_MAX,
        label="Why you are searching",
        help_text="For example the subject access request's reference and date",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExportReasonForm(GovUKForm):
    reason = forms.CharField(
        max_length=REASON_MAX,
        label="Why you are exporting these records",
        help_text="For example the subject access request's reference and date",
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class CaseShareForm(GovUKForm):
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.none(), label="Agency to bring in")
    agreement = forms.ModelChoiceField(
        queryset=SharingAgreement.objects.none(),
        label="Information-sharing agreement",
        help_text="An agreement in force whose parties include both agencies",
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.exclude(pk=case.organisation_id).order_by(
            "name"
        )
        self.fields["agreement"].queryset = SharingAgreement.objects.filter(
            partnership_id=case.partnership_id, archived_at__isnull=True
        ).order_by("title")
