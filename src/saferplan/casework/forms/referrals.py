"""Forms for Safer Homes referrals (000 §4): the frontline referral, a receiving service's response, and the date
range of the figures page. Every error is a GOV.UK error message naming the field; nothing is written until the
whole form and its routing are valid (saferplan.casework.services.referrals)."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError

from saferplan.areas.models import Area
from saferplan.assessment.forms.consultation import GovUKDateField
from saferplan.casework.models import Referral, ReferralRoute, Vulnerability
from saferplan.core.forms import GovUKForm


class BirthDateField(GovUKDateField):
    """A date of birth: any real date since 1900 (GovUKDateField refuses dates before 1998)."""

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(f"Enter {self.name[0].lower()}{self.name[1:]}")
        if value is not None and value.year < 1900:
            raise ValidationError(f"{self.name} must be in 1900 or later")


class ReferralForm(GovUKForm):
    referred_on = GovUKDateField(label="Date of the referral", name="The date of the referral")
    source = forms.ChoiceField(
        label="Who is referring",
        choices=[("", "Choose who is referring"), *Referral.Source.choices],
        error_messages={"required": "Choose who is referring", "invalid_choice": "Choose who is referring"},
    )
    referrer_name = forms.CharField(
        label="Name of the person referring", max_length=200, required=False, help_text="Optional"
    )
    person_name = forms.CharField(
        label="Name of the person at risk",
        max_length=200,
        error_messages={"required": "Enter the name of the person at risk"},
    )
    date_of_birth = BirthDateField(
        label="Their date of birth (optional)",
        name="Their date of birth",
        required=False,
        example="27 3 1940",
    )
    contact = forms.CharField(
        label="How to contact them",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Telephone or e-mail, and the best time to call (optional)",
    )
    address_text = forms.CharField(
        label="Address",
        max_length=300,
        error_messages={"required": "Enter the address of the home visited"},
        help_text="The home visited, without the postcode",
    )
    postcode = forms.CharField(label="Postcode", max_length=10, required=False)
    area = forms.ModelChoiceField(
        label="Locality",
        queryset=Area.objects.none(),
        required=False,
        empty_label="Not known",
        error_messages={"invalid_choice": "Choose a locality from the list"},
    )
    vulnerabilities = forms.MultipleChoiceField(
        label="What did you see on the visit?",
        choices=Vulnerability.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one vulnerability",
            "invalid_choice": "Select vulnerabilities from the list",
        },
    )
    clutter_rating = forms.TypedChoiceField(
        label="Clutter image rating",
        choices=[("", "Not rated"), *[(str(n), str(n)) for n in range(1, 10)]],
        coerce=int,
        empty_value=None,
        required=False,
        help_text="1 (no clutter) to 9 (severe): required when hoarding is seen, and only then",
        error_messages={"invalid_choice": "Choose a clutter image rating from 1 to 9"},
    )
    urgency = forms.ChoiceField(
        label="Urgency",
        choices=Referral.Urgency.choices,
        initial=Referral.Urgency.ROUTINE,
        error_messages={"required": "Choose the urgency", "invalid_choice": "Choose the urgency"},
    )
    consent = forms.BooleanField(
        label="The person agreed to this referral",
        required=False,
        help_text="Without consent, say in the notes why the referral is still needed (for example a serious "
        "fire risk to life: vital interests)",
    )
    notes = forms.CharField(label="Notes", required=False, max_length=5000, widget=forms.Textarea)

    def __init__(self, *args, partnership=None, **kwargs):
        super().__init__(*args, **kwargs)
        if partnership is not None:
            self.fields["area"].queryset = Area.objects.filter(
                partnership=partnership, kind=Area.Kind.LOCALITY
            ).order_by("order", "name")

    def clean_referred_on(self):
        value = self.cleaned_data.get("referred_on")
        if value and value > date.today():
            raise ValidationError("The date of the referral must be today or in the past")
        return value

    def clean(self):
        data = super().clean()
        ticked = data.get("vulnerabilities") or []
        rating = data.get("clutter_rating")
        if "vulnerabilities" in data:
            if Vulnerability.HOARDING in ticked and rating is None and "clutter_rating" not in self.errors:
                self.add_error("clutter_rating", "Choose a clutter image rating: hoarding was seen")
            if Vulnerability.HOARDING not in ticked and rating is not None:
                self.add_error(
                    "clutter_rating", "Leave the clutter image rating empty: hoarding was not selected"
                )
        if not data.get("consent") and not (data.get("notes") or "").strip() and "notes" not in self.errors:
            self.add_error(
                "consent",
                "The person has not agreed to the referral: say in the notes why it is still needed, or get "
                "their consent",
            )
        born, referred = data.get("date_of_birth"), data.get("referred_on")
        if born and referred and born > referred:
            self.add_error("date_of_birth", "Their date of birth must be before the date of the referral")
        return data


class RouteResponseForm(GovUKForm):
    """A receiving service accepts, completes or declines the referral sent to it."""

    ACTIONS = [
        ("accept", "Accept it"),
        ("complete", "Mark it completed"),
        ("decline", "Decline it"),
    ]

    action = forms.ChoiceField(
        label="What is your service doing with this referral?",
        choices=[("", "Choose a response"), *ACTIONS],
        error_messages={"required": "Choose a response", "invalid_choice": "Choose a response"},
    )
    on = GovUKDateField(label="Date", name="The date")
    reason = forms.CharField(
        label="Reason for declining",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when you decline",
    )

    def __init__(self, *args, route: ReferralRoute | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if route is not None:
            allowed = {
                ReferralRoute.Status.SENT: {"accept", "decline"},
                ReferralRoute.Status.ACCEPTED: {"complete", "decline"},
            }.get(route.status, set())
            self.fields["action"].choices = [
                ("", "Choose a response"),
                *[(k, v) for k, v in self.ACTIONS if k in allowed],
            ]

    def clean(self):
        data = super().clean()
        if data.get("action") == "decline" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Enter the reason for declining")
        return data


class FiguresForm(GovUKForm):
    """The date range of the figures page (read from the query string)."""

    start = GovUKDateField(label="From", name="The start date", example="19 9 2014")
    end = GovUKDateField(label="To", name="The end date", example="30 11 2015")

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The end date must be the same as or after the start date")
        return data
