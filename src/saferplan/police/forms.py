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


class BoundaryUploadForm(GovUKForm):
    file = forms.FileField(
        label="Upload area boundaries (GeoJSON)",
        help_text="A GeoJSON FeatureCollection of Polygon or MultiPolygon features in longitude and latitude, "
        'each with a "name" property (up to 20 MB); it replaces the boundaries loaded before',
        error_messages={"required": "Select the GeoJSON file to upload"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("The file must be smaller than 20 MB")
        if not upload.name.lower().endswith((".geojson", ".json")):
            raise forms.ValidationError("The file must be a GeoJSON file (.geojson or .json)")
        return upload
