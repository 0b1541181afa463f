"""GOV.UK Design System styling for Django forms: classes, hints and error states on every widget."""

from django import forms

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d %m %Y", "%Y-%m-%d", "%d/%m/%y"]


class GovUKFormMixin:
    def _style(self) -> None:
        for name, field in self.fields.items():
            widget = field.widget
            classes = {
                forms.Textarea: "govuk-textarea",
                forms.Select: "govuk-select",
                forms.CheckboxSelectMultiple: "",
                forms.FileInput: "govuk-file-upload",
            }
            css = next((c for w, c in classes.items() if isinstance(widget, w)), "govuk-input")
            if isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            # Never trigger validation here: subclasses narrow their choices after __init__, and a form
            # validated before that would accept choices it must refuse. After full_clean, _errors is set.
            has_error = self.is_bound and self._errors is not None and name in self._errors
            if css and has_error:
                css += f" {css}--error"
            described = []
            if field.help_text:
                described.append(f"{self[name].id_for_label}-hint")
            if has_error:
                described.append(f"{self[name].id_for_label}-error")
            attrs = {"class": css}
            if described:
                attrs["aria-describedby"] = " ".join(described)
            if isinstance(widget, forms.Textarea):
                attrs["rows"] = widget.attrs.get("rows", 5)
            widget.attrs.update(attrs)

    def full_clean(self):
        super().full_clean()
        self._style()


class GovUKModelForm(GovUKFormMixin, forms.ModelForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()


class GovUKForm(GovUKFormMixin, forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._style()
