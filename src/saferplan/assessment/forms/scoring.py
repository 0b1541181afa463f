"""Forms of the scoring pages: a scheme from a template, a dimension's weight, scale and labels, a scorer's own
scores of one candidate issue (radios labelled with the scale labels) and the moderation of one candidate issue.
Every error names the dimension, in GOV.UK style."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from saferplan.assessment.models import ScoringScheme
from saferplan.assessment.scheme_templates import TEMPLATES
from saferplan.assessment.selectors.scoring import scale
from saferplan.core.forms import GovUKForm


class Radios(forms.RadioSelect):
    """Radios whose field's id is the first radio's, so the GOV.UK error summary links to it."""

    def id_for_label(self, id_, index=None):
        return f"{id_}_0" if id_ and index is None else super().id_for_label(id_, index)


def radio_items(field, choices, *, numbered: bool = True) -> list[dict]:
    """The GOV.UK radios of a bound field: id, value, label, hint (the scale label's description), checked."""
    current = field.value()
    current = "" if current is None else str(current)
    return [
        {
            "id": f"{field.auto_id}_{i}",
            "value": str(value),
            "label": (f"{value}: {label}" if label else str(value)) if numbered else label,
            "hint": description,
            "checked": current == str(value),
        }
        for i, (value, label, description) in enumerate(choices)
    ]


class SchemeCreateForm(GovUKForm):
    template = forms.ChoiceField(
        label="Which template do you want to start from?",
        choices=[(key, t["name"]) for key, t in TEMPLATES.items()],
        widget=Radios,
        error_messages={
            "required": "Choose a template to start from",
            "invalid_choice": "Choose a template to start from",
        },
    )
    name = forms.CharField(
        label="Name of the scheme",
        max_length=200,
        required=False,
        help_text="Leave blank to use the template's name",
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.partnership = partnership

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if name and ScoringScheme.objects.filter(partnership=self.partnership, name=name).exists():
            raise forms.ValidationError("The partnership already has a scoring scheme with this name")
        return name

    def template_items(self) -> list[dict]:
        return radio_items(
            self["template"],
            [(key, t["name"], t["description"]) for key, t in TEMPLATES.items()],
            numbered=False,
        )


class DimensionForm(GovUKForm):
    """A dimension's name, weight and scale, and a label for each value of its current scale."""

    name = forms.CharField(
        label="Name", max_length=100, error_messages={"required": "Enter the dimension's name"}
    )
    description = forms.CharField(
        label="What it measures", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    weight = forms.DecimalField(
        label="Weight",
        min_value=Decimal("0"),
        max_value=Decimal("1000"),
        max_digits=6,
        decimal_places=3,
        help_text="How much this dimension counts in a weighted sum, from 0 to 1000 (for example 1.5)",
        error_messages={
            "required": "Enter the weight",
            "invalid": "Enter the weight as a number, like 1.5",
            "min_value": "The weight must be 0 or more",
            "max_value": "The weight must be 1000 or less",
            "max_digits": "Enter the weight with no more than 6 digits",
            "max_decimal_places": "Enter the weight with no more than 3 decimal places",
            "max_whole_digits": "The weight must be 1000 or less",
        },
    )
    scale_min = forms.IntegerField(
        label="Lowest score",
        min_value=-100,
        max_value=100,
        error_messages={
            "required": "Enter the lowest score",
            "invalid": "Enter the lowest score as a whole number, like 1",
            "min_value": "The lowest score must be -100 or more",
            "max_value": "The lowest score must be 100 or less",
        },
    )
    scale_max = forms.IntegerField(
        label="Highest score",
        min_value=-100,
        max_value=100,
        help_text="After changing the scale, save, then label any new values",
        error_messages={
            "required": "Enter the highest score",
            "invalid": "Enter the highest score as a whole number, like 4",
            "min_value": "The highest score must be -100 or more",
            "max_value": "The highest score must be 100 or less",
        },
    )

    def __init__(self, *args, dimension, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "name": dimension.name,
                "description": dimension.description,
                "weight": dimension.weight.normalize() if dimension.weight is not None else None,
                "scale_min": dimension.scale_min,
                "scale_max": dimension.scale_max,
            },
        )
        super().__init__(*args, **kwargs)
        self.dimension = dimension
        self.label_values = []
        for value, label, _description in scale(dimension):
            name = f"label_{value}" if value >= 0 else f"label_minus_{-value}"
            self.fields[name] = forms.CharField(
                label=f"Label for {value}", max_length=100, required=False, initial=label
            )
            self.label_values.append((value, name))
        self._style()

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and high <= low:
            self.add_error("scale_max", "The highest score must be above the lowest score")
        name = (data.get("name") or "").strip()
        if name and self.dimension.scheme.dimensions.exclude(pk=self.dimension.pk).filter(name=name).exists():
            self.add_error("name", "The scheme already has a dimension with this name")
        return data

    def labels(self) -> dict[int, str]:
        return {value: self.cleaned_data.get(name, "") for value, name in self.label_values}


def _radio_choices(dimension):
    return [
        (str(value), f"{value}: {label}" if label else str(value)) for value, label, _ in scale(dimension)
    ]


class ScoreForm(GovUKForm):
    """The signed-in scorer's own scores of one candidate issue: a radio group per dimension, and a comment."""

    def __init__(self, *args, dimensions, mine: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.dimensions = dimensions
        for d in dimensions:
            message = f"Choose a score for {d.name} from {d.scale_min} to {d.scale_max}"
            current = mine.get(d.pk)
            self.fields[f"dim_{d.pk}"] = forms.ChoiceField(
                label=d.name,
                choices=_radio_choices(d),
                widget=Radios,
                help_text=d.description,
                initial=str(current.value) if current else None,
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"comment_{d.pk}"] = forms.CharField(
                label=f"Why this score for {d.name} (optional)",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                initial=current.comment if current else "",
                error_messages={"max_length": f"The comment on {d.name} must be 2,000 characters or fewer"},
            )
        self._style()

    def groups(self):
        """(dimension, radio field, comment field, scale) for the template."""
        return [
            (d, self[f"dim_{d.pk}"], self[f"comment_{d.pk}"], radio_items(self[f"dim_{d.pk}"], scale(d)))
            for d in self.dimensions
        ]

    def values(self):
        """[(dimension, value, comment)] once valid."""
        return [
            (d, int(self.cleaned_data[f"dim_{d.pk}"]), self.cleaned_data[f"comment_{d.pk}"])
            for d in self.dimensions
        ]


class ModerationForm(GovUKForm):
    """The moderated score of one candidate issue on each dimension that two or more people scored: a value and
    the reason. A dimension left without a value is left as it is."""

    def __init__(self, *args, rows, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = [r for r in rows if r.scorer_count >= 2]
        for r in self.rows:
            d = r.dimension
            message = f"Choose the moderated score for {d.name} from {d.scale_min} to {d.scale_max}"
            self.fields[f"dim_{d.pk}"] = forms.ChoiceField(
                label=f"Moderated score for {d.name}",
                choices=_radio_choices(d),
                widget=Radios,
                required=False,
                initial=str(r.moderated.value) if r.moderated else None,
                error_messages={"invalid_choice": message},
            )
            self.fields[f"reason_{d.pk}"] = forms.CharField(
                label=f"Reason for the moderated score for {d.name}",
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
                initial=r.moderated.reason if r.moderated else "",
                error_messages={"max_length": f"The reason for {d.name} must be 4,000 characters or fewer"},
            )
        self._style()

    def clean(self):
        data = super().clean()
        chosen = 0
        for r in self.rows:
            d = r.dimension
            value, reason = data.get(f"dim_{d.pk}"), (data.get(f"reason_{d.pk}") or "").strip()
            if value:
                chosen += 1
                if not reason:
                    self.add_error(f"reason_{d.pk}", f"Give the reason for the moderated score for {d.name}")
            elif reason and f"dim_{d.pk}" not in self.errors:
                self.add_error(f"dim_{d.pk}", f"Choose the moderated score for {d.name}, or clear the reason")
        if not chosen and not self.errors and self.rows:
            first = self.rows[0].dimension
            self.add_error(f"dim_{first.pk}", "Choose at least one moderated score, with its reason")
        return data

    def groups(self):
        return [
            (
                r,
                self[f"dim_{r.dimension.pk}"],
                self[f"reason_{r.dimension.pk}"],
                radio_items(self[f"dim_{r.dimension.pk}"], scale(r.dimension)),
            )
            for r in self.rows
        ]

    def values(self):
        return [
            (
                r.dimension,
                int(self.cleaned_data[f"dim_{r.dimension.pk}"]),
                self.cleaned_data[f"reason_{r.dimension.pk}"],
            )
            for r in self.rows
            if self.cleaned_data.get(f"dim_{r.dimension.pk}")
        ]


class SchemeChoiceForm(GovUKForm):
    scheme = forms.ModelChoiceField(
        label="Which scoring scheme is the long-list scored with?",
        queryset=ScoringScheme.objects.none(),
        widget=Radios,
        empty_label=None,
        error_messages={"required": "Choose a scoring scheme", "invalid_choice": "Choose a scoring scheme"},
    )

    def __init__(self, *args, partnership, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = ScoringScheme.objects.filter(partnership=partnership).live()

    def items(self) -> list[dict]:
        schemes = list(self.fields["scheme"].queryset)
        return radio_items(self["scheme"], [(s.pk, s.name, "") for s in schemes], numbered=False)
