"""The demo partnership's committee-paper defaults (reports.models.PaperDefaults), from the council's papers in
the seeds: the officer, portfolio holder and contacts of 001 and 002, and the implications as 002's Appendix 1
gives them for a report that informs (every heading N/A but crime and disorder)."""

from __future__ import annotations

from saferplan.plans.models import Partnership
from saferplan.reports.models import PaperDefaults, Report

Kind = Report.Kind
BOARD = "Safe Durham Partnership Board"
REPORT_OF = [
    "Peter Appleton, Head of Planning and Service Strategy",
    "Councillor Joy Allen, Cabinet Portfolio Holder for Safer Communities",
]
CONTACTS = [
    {
        "name": "Peter Appleton",
        "post": "Head of Planning and Service Strategy, Children and Adults Service",
        "telephone": "03000 267381",
    },
    {
        "name": "Andrea Petty",
        "post": "Strategic Manager – Policy, Planning & Partnerships",
        "telephone": "03000 267 312",
    },
]
PLAN = "Safe Durham Partnership Plan 2016-19"
# Appendix 1 of a paper that informs the meeting: N/A under every heading but crime and disorder (as 002).
CRIME_AND_DISORDER = {
    Kind.BOARD: "The performance escalation report gives an overview of the partnership's performance against "
    f"the objectives of the {PLAN}.",
    Kind.BASKET: "The report gives an overview of the partnership's performance on the indicators of the "
    f"{PLAN} that the meeting follows.",
    Kind.DELIVERY: f"The report gives progress on the delivery plan's detailed actions, which deliver the {PLAN}.",
    Kind.ACHIEVEMENTS: "The report describes the partnership's progress in reducing crime and disorder, from "
    "its figures.",
}


# The scrutiny committee's partnership update, as 002 gives it: its own officer, two contacts, no background
# papers; its meeting and date are the report's own (reports.partnership_update).
UPDATE = {
    "meeting": "Safer and Stronger Communities Overview and Scrutiny Committee",
    "report_of": ["Peter Appleton, Head of Planning and Service Strategy"],
    "contacts": [
        CONTACTS[1],
        {"name": "Caroline Duckworth", "post": "Community Safety Manager", "telephone": "03000 265 435"},
    ],
    "background_papers": [],
    "implications": {
        "Crime and Disorder": "The Safe Durham Partnership update provides an overview of reports and "
        "discussions from the Safe Durham Partnership Board meetings."
    },
    "lag_days": 42,
}


def load(partnership: Partnership) -> int:
    """The defaults of every committee paper kind, once; return how many were created."""
    created = 0
    papers = {
        kind: {
            "meeting": "" if kind == Kind.BASKET else BOARD,  # a basket's paper goes to its audience
            "report_of": REPORT_OF,
            "contacts": CONTACTS,
            "background_papers": [PLAN],
            "implications": {"Crime and Disorder": text},
            "lag_days": 42,
        }
        for kind, text in CRIME_AND_DISORDER.items()
    }
    papers[Kind.PARTNERSHIP_UPDATE] = UPDATE
    for kind, defaults in papers.items():
        _, new = PaperDefaults.objects.get_or_create(partnership=partnership, kind=kind, defaults=defaults)
        created += new
    return created
