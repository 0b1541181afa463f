"""Forms of the strategic assessment pages: the assessment, a section and its live figures, a PESTELO entry, a
candidate issue with its evidence, a priority and the objectives it became, and the date the plan was sent to the
Police and Crime Commissioner. Every error is a GOV.UK message naming the field."""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import slugify

from saferplan.assessment.models import (
    AssessmentSection,
    CandidateIssue,
    PestleFactor,
    Priority,
    ScoringScheme,
    SectionFigure,
    StrategicAssessment,
)
from saferplan.core.forms import DATE_INPUT_FORMATS, GovUKForm, GovUKModelForm
from saferplan.plans.models import Indicator, Objective, Plan

YEAR = re.compile(r"^\s*(\d{4})\s*[/\-–]\s*(\d{2})\s*$")
FIRST_YEAR = 1998  # the Crime and Disorder Act 1998


BIGGEST_ID = 2**63 - 1


def _id_or_refuse(value, field) -> None:
    """A record's id as posted must be a whole number the database can hold; else the field's own message."""
    text = str(value).strip()
    if text and (not text.isdigit() or int(text) > BIGGEST_ID):
        raise ValidationError(
            field.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
        )


class SafeChoiceField(forms.ModelChoiceField):
    def to_python(self, value):
        if value not in self.empty_values:
            _id_or_refuse(value, self)
        return super().to_python(value)


class SafeMultipleChoiceField(forms.ModelMultipleChoiceField):
    def _check_values(self, value):
        for v in value or []:
            _id_or_refuse(v, self)
        return super()._check_values(value)


def _date_field(label: str, *, required: bool = True, help_text: str = "For example, 31/03/2016"):
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


def _in_range(value: date | None, label: str) -> date | None:
    if value is not None and not (FIRST_YEAR <= value.year <= 2100):
        raise ValidationError(f"{label} must be between {FIRST_YEAR} and 2100")
    return value


class AssessmentForm(GovUKModelForm):
    period_start = _date_field("Start of the period looked back over", help_text="For example, 01/10/2014")
    period_end = _date_field("End of the period looked back over", help_text="For example, 30/09/2015")

    class Meta:
        model = StrategicAssessment
        field_classes = {"scheme": SafeChoiceField, "informs": SafeChoiceField}
        fields = [
            "title",
            "slug",
            "year",
            "period_start",
            "period_end",
            "summary",
            "scheme",
            "informs",
            "state",
        ]
        labels = {
            "title": "Title",
            "slug": "Short name for the web address",
            "year": "Year the assessment is for",
            "summary": "Summary (optional)",
            "scheme": "Scoring scheme (optional)",
            "informs": "The plan it informs (optional)",
            "state": "State",
        }
        help_texts = {
            "slug": "Lower-case letters, numbers and hyphens, for example sa-2015-16",
            "year": "For example, 2015/16",
            "state": "An agreed assessment is dated the day it is agreed",
        }
        error_messages = {
            "title": {"required": "Enter the title", "max_length": "Title must be 300 characters or fewer"},
            "slug": {
                "required": "Enter a short name for the web address",
                "invalid": "Short name must only include lower-case letters, numbers and hyphens",
                "max_length": "Short name must be 100 characters or fewer",
            },
            "year": {
                "required": "Enter the year the assessment is for, like 2015/16",
                "max_length": "Enter the year the assessment is for, like 2015/16",
            },
            "scheme": {"invalid_choice": "Choose one of the partnership's scoring schemes"},
            "informs": {"invalid_choice": "Choose one of the partnership's plans"},
            "state": {"invalid_choice": "Choose draft or agreed", "required": "Choose draft or agreed"},
        }

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership
        self.fields["scheme"].queryset = ScoringScheme.objects.filter(partnership=partnership).live()
        self.fields["scheme"].empty_label = "No scheme yet"
        self.fields["informs"].queryset = Plan.objects.filter(partnership=partnership).order_by("-start_year")
        self.fields["informs"].empty_label = "None yet"
        self.fields["summary"].widget.attrs["rows"] = 4

    def clean_slug(self):
        slug = self.cleaned_data["slug"]
        if slugify(slug) != slug:
            raise ValidationError("Short name must only include lower-case letters, numbers and hyphens")
        if slug == "new":
            raise ValidationError("That short name is used by SaferPlan itself: choose another")
        taken = StrategicAssessment.objects.filter(partnership=self.partnership, slug=slug)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("That short name is already used by another assessment: choose another")
        return slug

    def clean_year(self):
        year = self.cleaned_data["year"].strip()
        match = YEAR.match(year)
        if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
            raise ValidationError("Enter the year the assessment is for, like 2015/16")
        if not FIRST_YEAR <= int(match.group(1)) <= 2100:
            raise ValidationError(f"The year must start between {FIRST_YEAR} and 2100")
        return f"{match.group(1)}/{match.group(2)}"

    def clean_period_start(self):
        return _in_range(self.cleaned_data["period_start"], "The start of the period")

    def clean_period_end(self):
        return _in_range(self.cleaned_data["period_end"], "The end of the period")

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", "The end of the period must be the same as or after its start")
        return data


class SectionForm(GovUKModelForm):
    class Meta:
        model = AssessmentSection
        fields = ["kind", "title", "text"]
        labels = {"kind": "What the section covers", "title": "Heading", "text": "Text"}
        help_texts = {"text": "Separate paragraphs with a blank line"}
        error_messages = {
            "kind": {
                "required": "Choose what the section covers",
                "invalid_choice": "Choose what the section covers",
            },
            "title": {
                "required": "Enter the heading",
                "max_length": "Heading must be 300 characters or fewer",
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 10


class FigureForm(GovUKModelForm):
    crime_type = forms.ChoiceField(
        label="Crime type (for police figures)",
        required=False,
        help_text="Police recorded crime figures only; leave as all crime for every type",
        error_messages={"invalid_choice": "Choose a crime type from the list"},
    )

    class Meta:
        model = SectionFigure
        field_classes = {"indicator": SafeChoiceField}
        fields = ["kind", "indicator", "crime_type", "caption"]
        labels = {
            "kind": "What the figure shows",
            "indicator": "Indicator (for an indicator's figures)",
            "caption": "Caption (optional)",
        }
        error_messages = {
            "kind": {
                "required": "Choose what the figure shows",
                "invalid_choice": "Choose what the figure shows",
            },
            "indicator": {"invalid_choice": "Choose an indicator from the list"},
            "caption": {"max_length": "Caption must be 300 characters or fewer"},
        }

    def __init__(self, *args, indicators, crime_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["indicator"].empty_label = "Choose an indicator"
        choices = list(crime_types)
        if self.instance.crime_type and self.instance.crime_type not in choices:
            choices.append(self.instance.crime_type)
        self.fields["crime_type"].choices = [("", "All crime"), *((c, c) for c in choices)]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        needs = (SectionFigure.Kind.INDICATOR_TREND, SectionFigure.Kind.INDICATOR_LOCALITIES)
        if kind in needs and not data.get("indicator") and "indicator" not in self.errors:
            self.add_error("indicator", "Choose the indicator the figure shows")
        return data


class PestleForm(GovUKModelForm):
    class Meta:
        model = PestleFactor
        fields = ["category", "text"]
        labels = {"category": "PESTELO category", "text": "Trend or factor"}
        error_messages = {
            "category": {
                "required": "Choose the PESTELO category",
                "invalid_choice": "Choose the PESTELO category",
            },
            "text": {"required": "Enter the trend or factor"},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].widget.attrs["rows"] = 3


class IndicatorChoiceField(SafeMultipleChoiceField):
    def label_from_instance(self, obj: Indicator) -> str:
        return obj.name


class ConcernChoiceField(SafeMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return (
            f"{obj.exercise.title} ({obj.get_group_display()}, {obj.get_kind_display().lower()}): {obj.text}"
        )


def _pick_errors(what: str) -> dict:
    return {
        "invalid_choice": f"Choose {what} from the list",
        "invalid_pk_value": f"Choose {what} from the list",
    }


class CandidateForm(GovUKModelForm):
    indicators = IndicatorChoiceField(
        queryset=Indicator.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Indicators (optional)",
        help_text="Their latest figures and direction of travel are shown on the long-list",
        error_messages=_pick_errors("indicators"),
    )
    crime_types = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Police recorded crime types (optional)",
        help_text="Counted over the assessment's period from the police data held",
        error_messages={"invalid_choice": "Choose crime types from the list"},
    )
    concerns = ConcernChoiceField(
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="What consultation found (optional)",
        error_messages=_pick_errors("consultation results"),
    )

    class Meta:
        model = CandidateIssue
        fields = ["title", "description", "indicators", "crime_types", "concerns", "partners_views"]
        labels = {
            "title": "Issue",
            "description": "Description (optional)",
            "partners_views": "Partners' views (optional)",
        }
        error_messages = {
            "title": {"required": "Enter the issue", "max_length": "Issue must be 300 characters or fewer"}
        }

    def __init__(self, *args, indicators, concerns, crime_types: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = indicators
        self.fields["concerns"].queryset = concerns
        choices = list(crime_types) + [t for t in (self.instance.crime_types or []) if t not in crime_types]
        self.fields["crime_types"].choices = [(c, c) for c in choices]
        for name in ("description", "partners_views"):
            self.fields[name].widget.attrs["rows"] = 3

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        taken = CandidateIssue.objects.filter(assessment_id=self.instance.assessment_id, title__iexact=title)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError("The long-list already has an issue with that name")
        return title


class ObjectiveChoiceField(SafeMultipleChoiceField):
    def label_from_instance(self, obj: Objective) -> str:
        return f"Objective {obj.number}: {obj.title}"


class PriorityForm(GovUKModelForm):
    number = forms.IntegerField(
        label="Priority number",
        min_value=1,
        max_value=999,
        required=False,
        help_text="Leave blank for the next number",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input govuk-input--width-3"}),
        error_messages={
            "invalid": "Priority number must be a whole number, like 2",
            "min_value": "Priority number must be 1 or more",
            "max_value": "Priority number must be 999 or less",
        },
    )
    objectives = ObjectiveChoiceField(
        queryset=Objective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Objectives of the plan it became (optional)",
        error_messages=_pick_errors("objectives"),
    )

    class Meta:
        model = Priority
        field_classes = {"candidate": SafeChoiceField}
        fields = ["candidate", "title", "rationale", "objectives"]
        labels = {
            "candidate": "From the long-list (optional)",
            "title": "Priority",
            "rationale": "Why (optional)",
        }
        help_texts = {"candidate": "In ranked order where the long-list has been scored"}
        error_messages = {
            "candidate": {"invalid_choice": "Choose an issue from the long-list"},
            "title": {
                "required": "Enter the priority",
                "max_length": "Priority must be 500 characters or fewer",
            },
        }

    field_order = ["candidate", "number", "title", "rationale", "objectives"]

    def __init__(self, *args, candidates: list[CandidateIssue], objectives, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("number", self.instance.number)
        field = self.fields["candidate"]
        field.queryset = CandidateIssue.objects.filter(pk__in=[c.pk for c in candidates])
        field.empty_label = "Not from the long-list"
        order = {c.pk: i for i, c in enumerate(candidates)}
        field.choices = [("", field.empty_label)] + [
            (c.pk, c.title) for c in sorted(candidates, key=lambda c: order[c.pk])
        ]
        self.fields["objectives"].queryset = objectives
        self.fields["rationale"].widget.attrs["rows"] = 4

    def clean_number(self):
        number = self.cleaned_data.get("number")
        if number is None:
            return None
        taken = Priority.objects.filter(assessment_id=self.instance.assessment_id, number=number)
        if self.instance.pk:
            taken = taken.exclude(pk=self.instance.pk)
        if taken.exists():
            raise ValidationError(f"There is already a priority {number}: choose another number")
        return number


class SentToPccForm(GovUKForm):
    sent_to_pcc_on = _date_field(
        "Date sent to the Police and Crime Commissioner",
        required=False,
        help_text="For example, 01/06/2016. Leave blank if it has not been sent",
    )

    def clean_sent_to_pcc_on(self):
        value = _in_range(self.cleaned_data.get("sent_to_pcc_on"), "The date sent")
        if value and value > date.today():
            raise ValidationError("The date sent must be today or in the past")
        return value
