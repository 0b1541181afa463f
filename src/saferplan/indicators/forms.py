from django import forms

from saferplan.core.forms import GovUKForm
from saferplan.indicators import periods

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class DataReturnUploadForm(GovUKForm):
    file = forms.FileField(
        label="Upload the completed return",
        help_text="A CSV or XLSX file in the layout of the template, up to 10 MB",
        error_messages={"required": "Select the completed return file"},
    )
    confirm_unusual = forms.BooleanField(
        label="I confirm the unusual figures in this return are right",
        help_text="A figure far outside its series is accepted only when you confirm it",
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 10 MB")
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError("The file must be a CSV or XLSX file")
        return upload


class PerformanceFilterForm(GovUKForm):
    area = forms.ChoiceField(label="Area", required=False)
    period = forms.ChoiceField(label="Period", required=False)
    group = forms.ChoiceField(label="Thematic group", required=False)
    basket = forms.ChoiceField(label="Basket", required=False)
    status = forms.ChoiceField(label="Status", required=False)

    def __init__(self, *args, areas, periods, groups, baskets=(), statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
        self.fields["period"].choices = [(p.code, p.label) for p in periods]
        self.fields["group"].choices = [("", "All groups")] + [(str(g.pk), g.name) for g in groups]
        self.fields["basket"].choices = [("", "All indicators")] + [(b.slug, b.name) for b in baskets]
        self.fields["status"].choices = [("", "Any status")] + list((statuses or {}).items())
        self._style()


class TargetForm(GovUKForm):
    """A target for one of the indicator's periods, or a cumulative target to a month."""

    value = forms.FloatField(
        label="Target",
        error_messages={"required": "Enter the target", "invalid": "The target must be a number"},
    )
    period = forms.CharField(
        label="For the period (leave blank for a cumulative target)",
        required=False,
        max_length=60,
        help_text="For example, 2016/17, Q1 2016/17 or Apr 2016",
    )
    start = forms.CharField(
        label="Cumulative from (month)", required=False, max_length=60, help_text="For example, Apr 2015"
    )
    due = forms.CharField(
        label="Cumulative to (month)", required=False, max_length=60, help_text="For example, Mar 2017"
    )

    def __init__(self, *args, indicator, **kwargs):
        self.indicator = indicator
        super().__init__(*args, **kwargs)

    def _period(self, name: str, basis: str):
        text = self.cleaned_data.get(name, "").strip()
        if not text:
            return None
        try:
            return periods.parse(text, basis=basis)
        except ValueError as exc:
            self.add_error(name, str(exc))
            return None

    def clean(self):
        data = super().clean()
        basis = self.indicator.period_basis
        period, start, due = (
            self._period("period", basis),
            self._period("start", basis),
            self._period("due", basis),
        )
        if self.errors:
            return data
        if period is not None:
            if not periods.valid_for(period, self.indicator.frequency, basis):
                self.add_error(
                    "period",
                    f"{period.label} is not one of this indicator's "
                    f"{self.indicator.get_frequency_display().lower()} periods",
                )
        elif start is None or due is None:
            self.add_error("period", "Enter the period, or the months a cumulative target runs from and to")
        elif start.kind != periods.Kind.MONTH or due.kind != periods.Kind.MONTH or due.end < start.start:
            self.add_error("due", "Give two months, the second no earlier than the first")
        data.update(period=period, start=start, due=due)
        return data


class WithdrawFigureForm(GovUKForm):
    reason = forms.CharField(
        label="Why is the figure withdrawn?",
        help_text="For example: sent for the wrong period. The figure and the reason stay in the history.",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        error_messages={"required": "Give the reason for withdrawing the figure"},
    )
