"""Forms for ASB incidents and cases, the action plan and escalation steps: GOV.UK error messages that name the
field. The choices are narrowed to the user's partnership and agency; the services check the rules again."""

from __future__ import annotations

from django import forms

from saferplan.accounts.models import Organisation, User
from saferplan.areas.models import Area
from saferplan.assessment.forms.document import SafeChoiceField, SafeMultipleChoiceField
from saferplan.casework.models import Case, Incident, IncidentPerson, Intervention, Person
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm


def _date(
    label: str, *, required: bool = True, help_text: str = "For example, 31/03/2016"
) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d/%m/%Y", attrs={"class": "govuk-input govuk-input--width-10"}),
        help_text=help_text,
        error_messages={
            "required": f"Enter the {label[0].lower()}{label[1:]}",
            "invalid": f"{label} must be a real date, for example 31/03/2016",
        },
    )


def _text(
    label: str, *, required: bool = False, max_length: int | None = None, rows: int | None = None, **kw
):
    messages = {"required": f"Enter the {label[0].lower()}{label[1:]}"}
    if max_length:
        messages["max_length"] = f"{label} must be {max_length} characters or fewer"
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs={"rows": rows}) if rows else forms.TextInput,
        error_messages=messages,
        **kw,
    )


def _choice(label: str, choices, *, required: bool = True, **kw) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", "Select"), *choices],
        required=required,
        error_messages={
            "required": f"Select the {label[0].lower()}{label[1:]}",
            "invalid_choice": f"Select the {label[0].lower()}{label[1:]} from the list",
        },
        **kw,
    )


def _one(label: str, queryset, *, required: bool = False, **kw) -> SafeChoiceField:
    return SafeChoiceField(
        label=label,
        queryset=queryset,
        required=required,
        empty_label="Select",
        error_messages={
            "required": f"Select the {label[0].lower()}{label[1:]}",
            "invalid_choice": f"Select the {label[0].lower()}{label[1:]} from the list",
        },
        **kw,
    )


def _many(label: str, queryset, **kw) -> SafeMultipleChoiceField:
    return SafeMultipleChoiceField(
        label=label,
        queryset=queryset,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_choice": f"Select {label.lower()} from the list",
            "invalid_pk_value": f"Select {label.lower()} from the list",
            "list": f"Select {label.lower()} from the list",
        },
        **kw,
    )


def localities(partnership):
    """The partnership's localities (or its own area when it has none)."""
    areas = Area.objects.filter(partnership=partnership, kind=Area.Kind.LOCALITY)
    if not areas.exists():
        areas = Area.objects.filter(partnership=partnership, kind=Area.Kind.PARTNERSHIP)
    return areas.order_by("order", "name")


def agency_people(partnership, organisation):
    return Person.objects.filter(
        partnership=partnership, organisation=organisation, anonymised_at__isnull=True
    ).order_by("name", "pk")


def agency_caseworkers(organisation):
    return User.objects.filter(role=User.Role.CASEWORKER, organisation=organisation, is_active=True).order_by(
        "first_name", "last_name", "username"
    )


def caseworkers():
    return User.objects.filter(
        role=User.Role.CASEWORKER, organisation__isnull=False, is_active=True
    ).order_by("organisation__name", "first_name", "last_name", "username")


def _user_label(user) -> str:
    name = user.get_full_name() or user.username
    return f"{name} ({user.organisation})" if user.organisation_id else name


class IncidentForm(GovUKForm):
    category = _choice(
        "Category", Incident.Category.choices, help_text="The Home Office category of the behaviour"
    )
    occurred_on = _date("Date the behaviour happened")
    reported_on = _date("Date it was reported")
    address_text = _text("Address or place", max_length=300, help_text="For example, 12 High Street, Stanley")
    postcode = _text("Postcode", max_length=10)
    area = _one("Locality", None)
    description = _text("What happened", rows=4)
    reporter = _one("Reporter", None, help_text="A person your agency has recorded")
    reporter_name = _text(
        "Or a new reporter's name", max_length=200, help_text="Leave blank if the reporter is chosen above"
    )
    anonymous = forms.BooleanField(label="The reporter did not give their name", required=False)
    restricted = forms.BooleanField(
        label="Restricted", required=False, help_text="Only you and the team of a case it joins may open it"
    )

    def __init__(self, *args, partnership, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = localities(partnership)
        self.fields["reporter"].queryset = agency_people(partnership, organisation)

    def clean(self):
        data = super().clean()
        occurred, reported = data.get("occurred_on"), data.get("reported_on")
        if occurred and reported and reported < occurred:
            self.add_error(
                "reported_on", "The date it was reported must be on or after the date the behaviour happened"
            )
        if data.get("anonymous") and (data.get("reporter") or (data.get("reporter_name") or "").strip()):
            self.add_error(
                "anonymous", "An anonymous report has no reporter: untick this or remove the reporter"
            )
        if data.get("reporter") and (data.get("reporter_name") or "").strip():
            self.add_error("reporter_name", "Select an existing person or enter a new name, not both")
        return data

    @staticmethod
    def initial_for(incident: Incident) -> dict:
        return {
            "category": incident.category,
            "occurred_on": incident.occurred_on,
            "reported_on": incident.reported_on,
            "address_text": incident.address.text if incident.address else "",
            "postcode": incident.address.postcode if incident.address else "",
            "area": incident.area_id,
            "description": incident.description,
            "reporter": incident.reporter_id,
            "anonymous": incident.anonymous,
            "restricted": incident.restricted,
        }


class IncidentPersonForm(GovUKForm):
    role = _choice("Role in the incident", IncidentPerson.Role.choices)
    person = _one("Person", None, help_text="A person your agency has recorded")
    name = _text(
        "Or a new person's name", max_length=200, help_text="Leave blank if the person is chosen above"
    )
    vulnerable = forms.BooleanField(
        label="Vulnerable",
        required=False,
        help_text="For a new person: assessed as vulnerable (age, disability, health, isolation)",
    )

    def __init__(self, *args, partnership, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = agency_people(partnership, organisation)

    def clean(self):
        data = super().clean()
        chosen, name = data.get("person"), (data.get("name") or "").strip()
        if chosen and name:
            self.add_error("name", "Select an existing person or enter a new name, not both")
        elif not chosen and not name and "person" not in self.errors and "name" not in self.errors:
            self.add_error("person", "Select a person or enter a new person's name")
        return data


class CaseDetailsFields(GovUKForm):
    lead = _one("Lead officer", None, required=True)
    team = _many("Team", None, help_text="Caseworkers working on the case")
    partners = _many("Partner agencies", None)
    risk = _choice("Risk level", Case.Risk.choices)
    risk_assessment = _text("Risk assessment", rows=4)
    summary = _text("Summary", rows=4)
    restricted = forms.BooleanField(
        label="Restricted", required=False, help_text="Only the lead officer and the team may open it"
    )

    def _narrow(self, *, lead_queryset):
        self.fields["lead"].queryset = lead_queryset
        self.fields["lead"].label_from_instance = _user_label
        self.fields["team"].queryset = caseworkers()
        self.fields["team"].label_from_instance = _user_label
        self.fields["partners"].queryset = Organisation.objects.order_by("name")


class CaseOpenForm(CaseDetailsFields):
    subject = _one("Person the case is about", None, required=True, help_text="Usually the victim")
    opened_on = _date("Date the case was opened")
    incidents = _many(
        "Further incidents", None, help_text="Other incidents of your agency that are part of it"
    )

    field_order = [
        "subject",
        "opened_on",
        "lead",
        "team",
        "partners",
        "risk",
        "risk_assessment",
        "summary",
        "incidents",
        "restricted",
    ]

    def __init__(self, *args, incident: Incident, further, **kwargs):
        super().__init__(*args, **kwargs)
        self._narrow(lead_queryset=agency_caseworkers(incident.organisation))
        people_ids = incident.people.values("person_id")
        self.fields["subject"].queryset = Person.objects.filter(
            pk__in=people_ids, anonymised_at__isnull=True
        ).order_by("name", "pk")
        self.fields["incidents"].queryset = further
        self.fields["incidents"].label_from_instance = lambda i: (
            f"{i.reference}: {i.get_category_display()}, {i.occurred_on:%-d %B %Y}"
        )
        self.order_fields(self.field_order)
        self._style()


class CaseEditForm(CaseDetailsFields):
    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self._narrow(
            lead_queryset=caseworkers()
            if case.kind != Case.Kind.ASB
            else agency_caseworkers(case.organisation)
        )
        self._style()

    @staticmethod
    def initial_for(case: Case) -> dict:
        return {
            "lead": case.lead_id,
            "team": [u.pk for u in case.team.all()],
            "partners": [o.pk for o in case.partners.all()],
            "risk": case.risk,
            "risk_assessment": case.risk_assessment,
            "summary": case.summary,
            "restricted": case.restricted,
        }


class CaseCloseForm(GovUKForm):
    closed_on = _date("Date the case was closed")
    reason = _text("Why the case is closed", required=True, rows=4)


class ActionForm(GovUKForm):
    description = _text("What is to be done", required=True, rows=3)
    organisation = _one("Agency that does it", None, required=True)
    owner = _one("Owner", None, help_text="The caseworker responsible (optional)")
    due_on = _date("Date it is due")
    done_on = _date("Date it was done", required=False, help_text="Leave blank until it is done")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["owner"].queryset = caseworkers()
        self.fields["owner"].label_from_instance = _user_label

    @staticmethod
    def initial_for(action) -> dict:
        return {
            "description": action.description,
            "organisation": action.organisation_id,
            "owner": action.owner_id,
            "due_on": action.due_on,
            "done_on": action.done_on,
        }


class InterventionForm(GovUKForm):
    step = _choice("Escalation step", Intervention.Step.choices)
    person = _one("Issued to", None, help_text="A person linked to the case (optional)")
    issued_on = _date("Date it was issued")
    ends_on = _date("Date it ends", required=False, help_text="Leave blank if it has no end date")
    outcome = _choice("Outcome", Intervention.Outcome.choices)
    outcome_on = _date(
        "Date of the outcome", required=False, help_text="Leave blank while the outcome is pending"
    )
    notes = _text("Notes", rows=3)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        ids = {case.subject_id, *case.people.values_list("pk", flat=True)}
        self.fields["person"].queryset = Person.objects.filter(pk__in=ids).order_by("name", "pk")

    def clean(self):
        data = super().clean()
        issued, outcome_on, ends = data.get("issued_on"), data.get("outcome_on"), data.get("ends_on")
        if issued and outcome_on and outcome_on < issued:
            self.add_error("outcome_on", "The date of the outcome must be on or after the date it was issued")
        if issued and ends and ends < issued:
            self.add_error("ends_on", "The date it ends must be on or after the date it was issued")
        return data

    @staticmethod
    def initial_for(intervention: Intervention) -> dict:
        return {
            "step": intervention.step,
            "person": intervention.person_id,
            "issued_on": intervention.issued_on,
            "ends_on": intervention.ends_on,
            "outcome": intervention.outcome,
            "outcome_on": intervention.outcome_on,
            "notes": intervention.notes,
        }


class IncidentFilterForm(GovUKForm):
    """The incident list's filter (GET): a bad value is shown as an error, never a 500."""

    category = _choice("Category", Incident.Category.choices, required=False)
    start = _date("From", required=False, help_text="Behaviour on or after, for example 01/04/2015")
    end = _date("To", required=False, help_text="Behaviour on or before, for example 31/03/2016")

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "The 'to' date must be on or after the 'from' date")
        return data


class AsAtForm(GovUKForm):
    """The day the repeat victims are counted to (GET)."""

    on = _date(
        "As at", required=False, help_text="Count the incidents up to this day, for example 31/03/2016"
    )
