from django import forms

from saferplan.accounts.models import Organisation
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm, GovUKModelForm
from saferplan.delivery.evidence import MAX_BYTES as MAX_EVIDENCE_BYTES
from saferplan.delivery.models import (
    AgendaItem,
    DetailedAction,
    Escalation,
    LocalityIssue,
    Meeting,
    MeetingAction,
    Status,
)
from saferplan.plans.models import Group


def _date(label: str, required: bool = False) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_INPUT_FORMATS,
        help_text="For example, 31/03/2017",
        error_messages={
            "invalid": f"{label} must be a real date, for example 31/03/2017",
            "required": f"Enter the {label.lower()}",
        },
    )


class DetailedActionForm(GovUKModelForm):
    start_date = _date("Start date")
    target_date = _date("Target date")

    class Meta:
        model = DetailedAction
        fields = ["description", "owner_group", "lead_organisation", "lead_name", "start_date", "target_date"]
        labels = {"description": "Detailed action", "owner_group": "Owning group"}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "description": {"required": "Enter the detailed action"},
            "owner_group": {"required": "Select the owning group"},
        }

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_group"].queryset = groups
        self.fields["lead_organisation"].queryset = Organisation.objects.order_by("name")
        self.fields["lead_organisation"].required = False
        self._style()

    def clean(self):
        data = super().clean()
        start, target = data.get("start_date"), data.get("target_date")
        if start and target and target < start:
            self.add_error("target_date", "The target date must be on or after the start date")
        return data


class ProgressUpdateForm(GovUKForm):
    status = forms.ChoiceField(label="Status", choices=Status.choices)
    text = forms.CharField(
        label="Progress",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Describe the progress"},
    )
    evidence_link = forms.URLField(
        assume_scheme="https",
        label="Link to evidence (optional)",
        required=False,
        max_length=500,
        error_messages={"invalid": "Enter a full web address, starting https://"},
    )
    evidence = forms.FileField(
        label="Evidence file (optional)",
        required=False,
        help_text="PDF, Word, Excel, PNG, JPEG, CSV or text, up to 10 MB",
    )

    def clean_evidence(self):
        """Refuse a large file before it is read into memory (its content is checked by the service)."""
        upload = self.cleaned_data.get("evidence")
        if upload is not None and upload.size > MAX_EVIDENCE_BYTES:
            raise forms.ValidationError("The evidence file must be smaller than 10 MB")
        return upload


class EscalationForm(GovUKModelForm):
    class Meta:
        model = Escalation
        fields = ["from_group", "about", "title", "why", "ask", "indicator", "action"]
        labels = {
            "from_group": "Raised by",
            "about": "About",
            "indicator": "Indicator (if about one)",
            "action": "Detailed action (if about one)",
        }
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "ask": forms.Textarea(attrs={"rows": 3}),
            "title": forms.TextInput,
        }
        error_messages = {
            "title": {"required": "Enter what is being escalated"},
            "why": {"required": "Enter why it is escalated"},
            "ask": {"required": "Enter what is asked for"},
        }

    def __init__(self, *args, groups, indicators, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["from_group"].queryset = groups
        self.fields["indicator"].queryset = indicators
        self.fields["action"].queryset = actions
        self._style()

    def clean(self):
        data = super().clean()
        group = data.get("from_group")
        if group is not None and group.escalates_to_id is None:
            self.add_error("from_group", f"{group} does not report to another group")
        return data


class DecisionForm(GovUKForm):
    decision = forms.CharField(
        label="Decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter the decision"},
    )
    keep_open = forms.BooleanField(label="Keep the item open", required=False)


class ClosureForm(GovUKForm):
    achievements = forms.CharField(
        label="What the group achieved",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Enter what the group achieved"},
    )


class LocalityIssueForm(GovUKModelForm):
    opened_on = _date("Tasked on", required=True)

    class Meta:
        model = LocalityIssue
        fields = ["place", "problem", "partners", "actions", "outcome", "opened_on", "state"]
        widgets = {
            "partners": forms.CheckboxSelectMultiple,
            "problem": forms.Textarea(attrs={"rows": 3}),
            "actions": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }
        error_messages = {
            "place": {"required": "Enter the place"},
            "problem": {"required": "Enter the problem"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partners"].queryset = Organisation.objects.order_by("name")
        self.fields["partners"].required = False
        self._style()


def group_choices(partnership):
    return Group.objects.live().filter(partnership=partnership).order_by("name")


def _period_in_order(form, data: dict) -> dict:
    """Shared check of the Board meetings period: its end is not before its start."""
    if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
        form.add_error("date_to", "The end of the period must be after its start")
    return data


class PartnershipUpdateForm(GovUKForm):
    """The scrutiny committee's Partnership update (reports.partnership_update): the committee, its meeting's
    date and, when not the default, the Board meetings covered."""

    committee = forms.CharField(label="Committee", max_length=200)
    meeting_date = _date("Date of the committee meeting", required=True)
    date_from = _date("Board meetings from")
    date_to = _date("Board meetings to")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["committee"].error_messages["required"] = "Enter the committee"
        self.fields[
            "date_from"
        ].help_text = (
            "For example, 01/11/2015. Leave empty for the meetings since the previous published update"
        )
        self.fields[
            "date_to"
        ].help_text = "For example, 31/01/2016. Leave empty for up to the committee meeting"

    def clean(self):
        return _period_in_order(self, super().clean())


class TaskAndFinishForm(GovUKModelForm):
    start_date = _date("Start date", required=True)
    end_date = _date("End date", required=True)

    class Meta:
        model = Group
        fields = ["name", "remit", "lead_organisation", "escalates_to", "start_date", "end_date"]
        labels = {"name": "Name of the task and finish group", "escalates_to": "Reports to"}
        widgets = {"remit": forms.Textarea(attrs={"rows": 4})}
        error_messages = {"name": {"required": "Enter the name of the group"}}

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["remit"].required = True
        self.fields["remit"].error_messages["required"] = "Enter the remit"
        self.fields["escalates_to"].queryset = group_choices(partnership)
        self.fields["escalates_to"].required = True
        self.fields["escalates_to"].error_messages["required"] = "Select the group it reports to"
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", "The end date must be on or after the start date")
        return data


class MilestoneForm(GovUKForm):
    milestone = forms.CharField(
        label="Milestone", max_length=500, error_messages={"required": "Enter the milestone"}
    )
    due_date = _date("Due date")


class NewActionForm(GovUKForm):
    """An optional new detailed action the deciding body sets when it decides an escalation."""

    new_action = forms.CharField(
        label="New action arising (optional)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    strategic_action = forms.ModelChoiceField(
        label="Under the strategic action", required=False, queryset=None
    )
    owner_group = forms.ModelChoiceField(label="Owned by", required=False, queryset=None)

    def __init__(self, *args, strategic_actions, groups, **kwargs):
        """`groups`: those the person may create actions for; with none, the form has no fields."""
        super().__init__(*args, **kwargs)
        if not groups.exists():
            self.fields.clear()
            return
        self.fields["strategic_action"].queryset = strategic_actions
        self.fields["strategic_action"].label_from_instance = lambda a: (
            f"{a.outcome.objective.number}.{a.outcome.number}: {a.text[:90]}"
        )
        self.fields["owner_group"].queryset = groups
        self._style()

    def clean(self):
        data = super().clean()
        if data.get("new_action") and not (data.get("strategic_action") and data.get("owner_group")):
            self.add_error("strategic_action", "Choose the strategic action and the group for the new action")
        return data


class MeetingForm(GovUKModelForm):
    date = _date("Date of the meeting", required=True)

    class Meta:
        model = Meeting
        fields = ["group", "date", "title"]
        labels = {"group": "Meeting of", "title": "Title (optional)"}

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups
        self._style()


class AgendaItemForm(GovUKModelForm):
    class Meta:
        model = AgendaItem
        fields = ["kind", "title", "summary", "decision"]
        labels = {
            "kind": "Kind of item",
            "title": "Agenda item",
            "summary": "What was reported and discussed",
            "decision": "Decision (optional)",
        }
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "decision": forms.Textarea(attrs={"rows": 2}),
            "title": forms.TextInput,
        }
        error_messages = {"title": {"required": "Enter the agenda item"}}


class MeetingActionForm(GovUKModelForm):
    due_date = _date("Due date")

    class Meta:
        model = MeetingAction
        fields = ["description", "owner", "due_date"]
        labels = {"description": "Action arising", "owner": "Owner (optional)"}
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}
        error_messages = {"description": {"required": "Enter the action"}}
