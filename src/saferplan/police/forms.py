from django import forms

from saferplan.core.forms import GovUKForm

MAX_UPLOAD_BYTES = 200 * 1024 * 1024


class PoliceUploadForm(GovUKForm):
    file = forms.FileField(
        label="Upload a month's file from data.police.uk",
        help_text="A street-level CSV as data.police.uk names it, for example 2016-03-durham-street.csv (up to 200 MB)",
        error_messages={"required": "Select the file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file must be smaller than 200 MB")
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The file must be a CSV file from data.police.uk")
        return upload
