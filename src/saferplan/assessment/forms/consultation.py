"""Forms for consultation: an exercise (GOV.UK date inputs: day, month and year), a result, and the upload of
a results file. Every error is a GOV.UK error message naming the field."""

from __future__ import annotations

from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator

from saferplan.accounts.models import Organisation
from saferplan.assessment.models import Concern, ConsultationExercise, StrategicAssessment
from saferplan.assessment.selectors.consultation import responsible_authorities
from saferplan.core.forms import GovUKForm, GovUKModelForm

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_PEOPLE = 10_000_000  # more than anyone consults: beyond it a figure is a typing error
FIRST_YEAR = 1998  # the Crime and Disorder Act: no partnership consulted before it


class DateParts(forms.MultiWidget):
    """The GOV.UK date input: day, month and year in three boxes."""

    template_name = "web/assessment/consultation_date_widget.html"
    is_govuk_date = True

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput, forms.TextInput, forms.TextInput], attrs)

    def decompress(self, value):
        if isinstance(value, date):
            return [str(value.day), str(value.month), str(value.year)]
        return ["", "", ""]

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


class GovUKDateField(forms.Field):
    """A date from the GOV.UK date input, with the Design System's error messages ("… must include a month",
    "… must be a real date")."""

    widget = DateParts

    def __init__(self, *, name: str, example: str = "27 3 2016", **kwargs):
        self.name = name  # "The date the exercise started"
        kwargs.setdefault("help_text", f"For example, {example}")
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, date):
            return value
        parts = [str(p or "").strip() for p in (value or ["", "", ""])][:3]
        parts += [""] * (3 - len(parts))
        if not any(parts):
            return None
        missing = [n for n, p in zip(("day", "month", "year"), parts, strict=True) if not p]
        if missing:
            raise ValidationError(f"{self.name} must include a {' and a '.join(missing)}")
        if not all(p.isascii() and p.isdigit() for p in parts):
            raise ValidationError(f"{self.name} must be a real date")
        day, month, year = (int(p) for p in parts)
        if len(parts[2]) != 4:
            raise ValidationError("Year must include 4 numbers")
        try:
            return date(year, month, day)
        except ValueError:
            raise ValidationError(f"{self.name} must be a real date") from None

    def validate(self, value):
        if value is None and self.required:
            raise ValidationError(f"Enter {self.name[0].lower()}{self.name[1:]}")
        if value is not None and value.year < FIRST_YEAR:
            raise ValidationError(f"{self.name} must be in {FIRST_YEAR} or later")


class ExerciseForm(GovUKModelForm):
    held_from = GovUKDateField(label="When it was held (or started)", name="The date the exercise was held")
    held_to = GovUKDateField(
        label="When it ended (optional)",
        name="The date the exercise ended",
        required=False,
        help_text="For a survey or series of events that ran over a period. For example, 30 11 2015",
    )

    class Meta:
        model = ConsultationExercise
        fields = [
            "title",
            "kind",
            "assessment",
            "held_from",
            "held_to",
            "reached",
            "people_reached",
            "senior_attendance",
            "notes",
            "source",
        ]
        labels = {
            "title": "Name of the exercise",
            "kind": "Kind of exercise",
            "assessment": "The strategic assessment it informed (optional)",
            "reached": "Who was reached (optional)",
            "people_reached": "How many people took part (optional)",
            "senior_attendance": "Responsible authorities that sent a senior person",
            "notes": "Notes (optional)",
            "source": "Source (optional)",
        }
        help_texts = {
            "reached": "For example, residents of the 14 Area Action Partnership areas",
            "people_reached": "A whole number",
            "senior_attendance": "Regulation 12 asks for at least one consultation a year attended by a senior "
            "person from every responsible authority",
            "source": "Where this record comes from, for example a report and its paragraph",
        }
        widgets = {
            "title": forms.TextInput,
            "reached": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
            "senior_attendance": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "title": {
                "required": "Enter the name of the exercise",
                "max_length": "The name must be 300 characters or fewer",
            },
            "kind": {
                "required": "Select the kind of exercise",
                "invalid_choice": "Select a kind from the list",
            },
            "assessment": {"invalid_choice": "Select an assessment from the list"},
            "people_reached": {
                "invalid": "How many people took part must be a whole number",
                "min_value": "How many people took part must be 0 or more",
                "max_value": "How many people took part must be 10,000,000 or fewer",
            },
            "senior_attendance": {"invalid_choice": "Select responsible authorities from the list"},
            "source": {"max_length": "The source must be 300 characters or fewer"},
        }

    def __init__(self, *args, partnership, **kwargs):
        # Skip GovUKModelForm.__init__ so that the choices below are narrowed before the fields are styled
        super(GovUKModelForm, self).__init__(*args, **kwargs)
        self.fields["assessment"].queryset = StrategicAssessment.objects.filter(partnership=partnership)
        self.fields["assessment"].empty_label = "None"
        authorities = [o.pk for o in responsible_authorities(partnership)]
        chosen = self.instance.senior_attendance.all() if self.instance.pk else Organisation.objects.none()
        self.fields["senior_attendance"].queryset = (
            (Organisation.objects.filter(pk__in=authorities) | Organisation.objects.filter(pk__in=chosen))
            .distinct()
            .order_by("name")
        )
        people = self.fields["people_reached"]
        people.widget.attrs.update({"inputmode": "numeric", "class": "govuk-input govuk-input--width-10"})
        people.validators.append(MaxValueValidator(MAX_PEOPLE))
        self._style()

    def clean(self):
        data = super().clean()
        start, end = data.get("held_from"), data.get("held_to")
        if start and end and end < start:
            self.add_error(
                "held_to", "The date the exercise ended must be the same as or after the date it was held"
            )
        return data


class ConcernForm(GovUKModelForm):
    class Meta:
        model = Concern
        fields = ["group", "kind", "text", "respondents"]
        labels = {
            "group": "Group consulted",
            "kind": "What they said",
            "text": "In their words",
            "respondents": "How many raised it (optional)",
        }
        help_texts = {
            "text": "Up to 500 characters, for example: anti-social behaviour in the town centre",
            "respondents": "A whole number; leave blank if it was not counted",
        }
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "group": {
                "required": "Select the group consulted",
                "invalid_choice": "Select a group from the list",
            },
            "kind": {"required": "Select what they said", "invalid_choice": "Select from the list"},
            "text": {
                "required": "Enter what the group said",
                "max_length": "What the group said must be 500 characters or fewer",
            },
            "respondents": {
                "invalid": "How many raised it must be a whole number",
                "min_value": "How many raised it must be 0 or more",
                "max_value": "How many raised it must be 10,000,000 or fewer",
            },
        }

    def __init__(self, *args, **kwargs):
        super(GovUKModelForm, self).__init__(*args, **kwargs)
        respondents = self.fields["respondents"]
        respondents.widget.attrs.update({"inputmode": "numeric"})
        respondents.validators.append(MaxValueValidator(MAX_PEOPLE))
        self._style()


class ResultsUploadForm(GovUKForm):
    file = forms.FileField(
        label="Upload the results file",
        help_text="A CSV file in the layout of the template, up to 2 MB",
        error_messages={"required": "Select the results file", "empty": "The selected file is empty"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError("The file must be smaller than 2 MB")
        if not upload.name.lower().endswith(".csv"):
            raise ValidationError("The file must be a CSV file")
        return upload
