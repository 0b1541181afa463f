from django import forms

from saferplan.core.forms import GovUKForm

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class DataReturnUploadForm(GovUKForm):
    file = forms.FileField(
        label="Upload the completed return",
        help_text="A CSV or XLSX file in the layout of the template, up to 10 MB",
        error_messages={"required": "Select the completed return file"},
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

    def __init__(self, *args, areas, periods, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [(a.code, a.name) for a in areas]
        self.fields["period"].choices = [(p.code, p.label) for p in periods]
        self.fields["group"].choices = [("", "All groups")] + [(str(g.pk), g.name) for g in groups]
        self._style()
