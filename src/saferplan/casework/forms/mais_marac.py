"""Forms for MAIS referrals, MARAC referrals with the DASH checklist, MARAC meetings and their agency actions."""

from __future__ import annotations

from django import forms

from saferplan.accounts.models import Organisation, User
from saferplan.casework import dash
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 31/03/2016",
        error_messages={
            "invalid": f"{label} must be a real date, for example 31/03/2016",
            "required": f"Enter the {label.lower()}",
        },
    )


def _organisations():
    return Organisation.objects.order_by("name")


def _caseworkers():
    return (
        User.objects.filter(role=User.Role.CASEWORKER, is_active=True, organisation__isnull=False)
        .select_related("organisation")
        .order_by("organisation__name", "username")
    )


class _UserChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.organisation.short_name or obj.organisation.name})"


class _UsersChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        name = obj.get_full_name() or obj.username
        return f"{name} ({obj.organisation.short_name or obj.organisation.name})"


class _PersonFields(forms.Form):
    name = forms.CharField(
        label="Full name",
        max_length=200,
        error_messages={"required": "Enter the person's full name"},
    )
    date_of_birth = _date("Date of birth", required=False)
    contact = forms.CharField(
        label="Address and contact details", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MaisCaseForm(_PersonFields, GovUKForm):
    vulnerable = forms.BooleanField(label="Assessed as vulnerable", required=False)
    referring_organisation = forms.ModelChoiceField(
        label="Referring agency",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select the referring agency"},
    )
    role = forms.ChoiceField(
        label="The adult is",
        choices=[("", "Select"), ("victim", "A victim"), ("perpetrator", "A perpetrator"), ("both", "Both")],
        error_messages={"required": "Select whether the adult is a victim, a perpetrator or both"},
    )
    referred_on = _date("Date of referral")
    lead = _UserChoice(
        label="Lead professional",
        queryset=User.objects.none(),
        error_messages={"required": "Select the lead professional"},
    )
    team = _UsersChoice(
        label="Team around the adult",
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each agency brought in needs a live information-sharing agreement with yours",
    )
    summary = forms.CharField(label="Summary", required=False, widget=forms.Textarea(attrs={"rows": 4}))
    agreed_with_adult = forms.BooleanField(label="The action plan was agreed with the adult", required=False)
    first_action = forms.CharField(
        label="First action agreed", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    first_action_organisation = forms.ModelChoiceField(
        label="Agency for the first action", queryset=Organisation.objects.none(), required=False
    )
    first_action_due_on = _date("First action due", required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("referring_organisation", "first_action_organisation"):
            self.fields[name].queryset = _organisations()
        self.fields["lead"].queryset = _caseworkers().filter(organisation_id=user.organisation_id)
        self.fields["team"].queryset = _caseworkers()
        if not self.is_bound:
            self.initial.setdefault("lead", user.pk)
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("first_action"):
            if not data.get("first_action_organisation"):
                self.add_error("first_action_organisation", "Select the agency for the first action")
            if not data.get("first_action_due_on"):
                self.add_error("first_action_due_on", "Enter the date the first action is due")
        return data


def _dash_fields(form: forms.Form, initial: list | None = None) -> None:
    for number, question in enumerate(dash.QUESTIONS, start=1):
        form.fields[f"q{number}"] = forms.ChoiceField(
            label=f"{number}. {question}",
            choices=dash.ANSWERS,
            widget=forms.RadioSelect,
            error_messages={
                "required": f"Answer question {number}: yes, no or not known",
                "invalid_choice": f"Answer question {number}: yes, no or not known",
            },
        )
    if initial:
        for number, value in enumerate(dash.to_form(initial), start=1):
            form.initial.setdefault(f"q{number}", value)


class _DashMixin:
    def dash_fields(self):
        return [self[f"q{n}"] for n in range(1, dash.COUNT + 1)]

    def other_fields(self):
        return [f for f in self if not (f.name.startswith("q") and f.name[1:].isdigit())]

    def answers(self) -> list:
        return dash.to_stored([self.cleaned_data[f"q{n}"] for n in range(1, dash.COUNT + 1)])

    def _clean_judgement(self, data):
        if data.get("professional_judgement") and not (data.get("judgement_reason") or "").strip():
            self.add_error("judgement_reason", "Say why professional judgement makes this high risk")


class DashForm(_DashMixin, GovUKForm):
    professional_judgement = forms.BooleanField(label="High risk on professional judgement", required=False)
    judgement_reason = forms.CharField(
        label="Reason for professional judgement",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required when professional judgement is ticked",
    )

    def __init__(self, *args, answers: list | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        _dash_fields(self, answers)
        self._style()

    def clean(self):
        data = super().clean()
        self._clean_judgement(data)
        return data


class MaracReferralForm(_DashMixin, _PersonFields, GovUKForm):
    referred_on = _date("Date of referral")
    referring_organisation = forms.ModelChoiceField(
        label="Referring agency",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select the referring agency"},
    )
    meeting = forms.ModelChoiceField(
        label="MARAC meeting", queryset=None, required=False, help_text="Leave blank to list it later"
    )
    professional_judgement = DashForm.base_fields["professional_judgement"]
    judgement_reason = DashForm.base_fields["judgement_reason"]

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from saferplan.casework.models import MaracMeeting

        self.fields[
            "date_of_birth"
        ].help_text = (
            "For example, 31/03/1980. With the name, it links the referral to the victim's earlier referrals"
        )
        self.fields["referring_organisation"].queryset = _organisations()
        self.fields["meeting"].queryset = MaracMeeting.objects.filter(partnership=partnership).order_by(
            "-held_on"
        )
        _dash_fields(self)
        self._style()

    def clean(self):
        data = super().clean()
        self._clean_judgement(data)
        return data


class MeetingForm(GovUKForm):
    held_on = _date("Date of the meeting")
    area = forms.ModelChoiceField(label="Locality", queryset=None, required=False)
    chair = forms.ModelChoiceField(
        label="Chairing agency",
        queryset=Organisation.objects.none(),
        error_messages={"required": "Select the chairing agency"},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        from saferplan.areas.models import Area

        self.fields["area"].queryset = Area.objects.filter(partnership=partnership).order_by("name")
        self.fields["chair"].queryset = _organisations()
        self._style()


class MeetingActionForm(GovUKForm):
    case = forms.ChoiceField(
        label="Case",
        error_messages={
            "required": "Select the case",
            "invalid_choice": "Select a case heard at this meeting that you work on",
        },
    )
    description = forms.CharField(
        label="Action",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Enter the action"},
    )
    organisation = forms.ModelChoiceField(
        label="Agency", queryset=Organisation.objects.none(), error_messages={"required": "Select the agency"}
    )
    owner = _UserChoice(label="Owner", queryset=User.objects.none(), required=False)
    due_on = _date("Due date")

    def __init__(self, *args, cases: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].choices = [("", "Select"), *[(c.reference, c.reference) for c in cases]]
        self.fields["organisation"].queryset = _organisations()
        self.fields["owner"].queryset = _caseworkers()
        self._style()


class AssignForm(GovUKForm):
    referral = forms.ChoiceField(
        label="Referral to list at this meeting",
        error_messages={
            "required": "Select a referral",
            "invalid_choice": "Select one of your referrals not yet listed",
        },
    )

    def __init__(self, *args, referrals: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].choices = [
            ("", "Select"),
            *[
                (r.case.reference, f"{r.case.reference}, referred {r.referred_on.day} {r.referred_on:%B %Y}")
                for r in referrals
            ],
        ]
        self._style()
