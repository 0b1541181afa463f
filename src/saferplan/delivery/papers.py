"""The "Partnership update" paper for the scrutiny committee, drafted from a period's Board meetings.

The layout follows the papers the Safe Durham Partnership sends to the Safer and Stronger Communities
Overview and Scrutiny Committee (seeds 002 and 004): purpose, one numbered section per item discussed at the
Board meetings of the period, recommendations, and the implications appendix. The draft is plain text that
the officer edits and saves.
"""

from __future__ import annotations

from datetime import date

from saferplan.delivery.models import Meeting


def _months(meetings: list[Meeting]) -> str:
    names = []
    for m in meetings:
        label = m.date.strftime("%B %Y")
        if label not in names:
            names.append(label)
    return " and ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else (names[0] if names else "")


def partnership_update(
    partnership, board, date_from: date, date_to: date, *, committee: str, author: str = ""
) -> tuple[str, str]:
    """(title, text) of a draft paper from the Board's meetings between the dates."""
    meetings = list(
        Meeting.objects.filter(group=board, date__gte=date_from, date__lte=date_to)
        .prefetch_related("items")
        .order_by("date")
    )
    months = _months(meetings)
    title = f"{partnership.name} Update"
    lines = [committee, "", title, "", date.today().strftime("%d %B %Y"), ""]
    if author:
        lines += [f"Report of {author}", ""]
    lines += ["Purpose of the Report", ""]
    n = 1
    if meetings:
        lines.append(
            f"{n}. To provide members of the {committee} with a summary update on key issues from the "
            f"{months} {partnership.name} Board meeting{'s' if len(meetings) > 1 else ''}."
        )
    else:
        lines.append(
            f"{n}. The {partnership.name} Board did not meet between {date_from:%d %B %Y} and "
            f"{date_to:%d %B %Y}."
        )
    for meeting in meetings:
        for item in meeting.items.all():
            if not (item.summary or item.decision):
                continue
            lines += ["", item.title, ""]
            for paragraph in [p for p in (item.summary, item.decision) if p]:
                for part in [p.strip() for p in paragraph.split("\n\n") if p.strip()]:
                    n += 1
                    lines.append(f"{n}. {part}")
    n += 1
    lines += [
        "",
        "Recommendations and reasons",
        "",
        f"{n}. The {committee} is recommended to:",
        "",
        "Note the contents of the report.",
        "",
        "Appendix 1 – Implications",
        "",
    ]
    lines += [
        f"{heading} – N/A"
        for heading in (
            "Finance",
            "Staffing",
            "Risk",
            "Equality and Diversity / Public Sector Equality Duty",
            "Accommodation",
        )
    ]
    lines.append(
        f"Crime and Disorder – The {partnership.name} update provides an overview of reports and "
        f"discussions from the {partnership.name} Board meetings."
    )
    lines += [
        f"{heading} – N/A"
        for heading in (
            "Human Rights",
            "Consultation",
            "Procurement",
            "Disability Issues",
            "Legal Implications",
        )
    ]
    return title, "\n".join(lines)
