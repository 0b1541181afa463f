"""The form that sets who a draft committee paper goes to and comes from (reports.services.paper_change)."""

from __future__ import annotations

from django import forms

from saferplan.core.forms import GovUKForm
from saferplan.reports.committee import IMPLICATIONS

CONTACTS = 2  # as 002: a manager and an officer


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class PaperForm(GovUKForm):
    meeting = forms.CharField(label="Meeting", max_length=200, help_text="The committee or board it goes to")
    meeting_date = forms.DateField(
        label="Date of the meeting",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Leave it empty for the next meeting after the period the report covers",
    )
    report_of = forms.CharField(
        label="Report of",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line: the officer, then the portfolio holder",
    )
    background_papers = forms.CharField(
        label="Background papers",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="One a line; leave it empty for none",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, CONTACTS + 1):
            self.fields[f"contact_{n}_name"] = forms.CharField(label=f"Contact {n}: name", required=False)
            self.fields[f"contact_{n}_post"] = forms.CharField(label=f"Contact {n}: post", required=False)
            self.fields[f"contact_{n}_telephone"] = forms.CharField(
                label=f"Contact {n}: telephone", required=False
            )
        for n, heading in enumerate(IMPLICATIONS):
            self.fields[f"implication_{n}"] = forms.CharField(
                label=heading,
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
        self._style()

    @classmethod
    def initial_from(cls, settings: dict, meeting_date) -> dict:
        """The form's initial values from a paper's settings (reports.selectors.paper_settings)."""
        initial = {
            "meeting": settings["meeting"],
            "meeting_date": meeting_date,
            "report_of": "\n".join(settings["report_of"]),
            "background_papers": "\n".join(settings["background_papers"]),
        }
        for n, contact in enumerate(settings["contacts"][:CONTACTS], start=1):
            for key in ("name", "post", "telephone"):
                initial[f"contact_{n}_{key}"] = contact.get(key, "")
        for n, heading in enumerate(IMPLICATIONS):
            initial[f"implication_{n}"] = settings["implications"].get(heading, "")
        return initial

    def contact_fields(self):
        return [self[name] for name in self.fields if name.startswith("contact_")]

    def implication_fields(self):
        return [self[name] for name in self.fields if name.startswith("implication_")]

    def paper(self) -> dict:
        """The cleaned data as paper_change's keyword arguments."""
        data = self.cleaned_data
        return {
            "meeting": data["meeting"],
            "meeting_date": data["meeting_date"],
            "report_of": _lines(data["report_of"]),
            "background_papers": _lines(data["background_papers"]),
            "contacts": [
                {key: data[f"contact_{n}_{key}"] for key in ("name", "post", "telephone")}
                for n in range(1, CONTACTS + 1)
            ],
            "implications": {heading: data[f"implication_{n}"] for n, heading in enumerate(IMPLICATIONS)},
        }

    def clean(self):
        data = super().clean()
        for n in range(1, CONTACTS + 1):
            if not data.get(f"contact_{n}_name") and (
                data.get(f"contact_{n}_post") or data.get(f"contact_{n}_telephone")
            ):
                self.add_error(
                    f"contact_{n}_name", f"Give contact {n}'s name, or clear their post and telephone"
                )
        return data
