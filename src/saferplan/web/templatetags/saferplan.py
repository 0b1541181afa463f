"""Template filters: plan text as paragraphs and lists; permission checks to show or hide links; the marker of a
value the demo assumed."""

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from saferplan.accounts import permissions
from saferplan.core.formatting import figure as format_figure
from saferplan.core.formatting import without_source_marks
from saferplan.core.selectors import ASSUMED, assumption_note
from saferplan.reports.document import Bullets, Heading, text_blocks
from saferplan.reports.render import cell_text

register = template.Library()


@register.filter
def paragraphs(text: str) -> str:
    """Plain plan text → GOV.UK paragraphs and bulleted lists, read by reports.document.text_blocks."""
    html: list[str] = []
    for block in text_blocks(text):
        if isinstance(block, Bullets):
            items = format_html_join("", "<li>{}</li>", ((item,) for item in block.items))
            html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        elif isinstance(block, Heading):  # under the page's h1: "## " is h2, "### " h3
            size = "m" if block.level == 2 else "s"
            html.append(
                format_html('<h{0} class="govuk-heading-{1}">{2}</h{0}>', block.level, size, block.text)
            )
        else:
            html.append(
                '<p class="govuk-body">' + "<br>".join(escape(ln) for ln in block.text.split("\n")) + "</p>"
            )
    return mark_safe("\n".join(html))


@register.filter
def cell(value) -> str:
    """A report table's cell: numbers with thousands separators, a dash for nothing."""
    return cell_text(value)


@register.filter
def can_edit_objective(user, objective) -> bool:
    return permissions.can_edit_objective(user, objective)


@register.filter
def can_edit_outcome(user, outcome) -> bool:
    return permissions.can_edit_outcome(user, outcome)


@register.filter
def can_edit_action(user, action) -> bool:
    return permissions.can_edit_action(user, action)


@register.filter
def can_edit_indicator(user, indicator) -> bool:
    return permissions.can_edit_indicator(user, indicator)


@register.filter
def figure(value, unit: str = "count") -> str:
    return format_figure(value, unit)


@register.filter
def signed(value, unit: str = "count") -> str:
    """A change with its sign: +1,234; −11.2%; +0.4 points."""
    if value is None:
        return "–"
    if unit in ("percentage", "percentage_change"):
        text = f"{abs(value):,.1f} pts"
    else:
        text = figure(abs(value), unit)
    return ("+" if value > 0 else "−" if value < 0 else "") + text


@register.filter
def percent(value) -> str:
    return "–" if value is None else f"{value:+.1f}%".replace("-", "−")


RAG_TAGS = {
    "green": ("govuk-tag--green", "Green: target met"),
    "amber": ("govuk-tag--yellow", "Amber: near target"),
    "red": ("govuk-tag--red", "Red: target missed"),
    "grey": ("govuk-tag--grey", "No target"),
}
SPC_TAGS = {
    "improvement": ("govuk-tag--blue", "Special cause: improvement"),
    "concern": ("govuk-tag--orange", "Special cause: concern"),
    "neutral_high": ("govuk-tag--purple", "Special cause: high"),
    "neutral_low": ("govuk-tag--purple", "Special cause: low"),
    "common_cause": ("govuk-tag--grey", "Common cause"),
    "not enough data": ("govuk-tag--grey", "Too few points"),
}
DIRECTION = {
    "improving": "↑ Improving",
    "worsening": "↓ Worsening",
    "no change": "→ No change",
    "higher": "↑ Higher",
    "lower": "↓ Lower",
    "no data": "No comparison",
}


@register.filter
def rag_tag(rag: str) -> str:
    css, text = RAG_TAGS.get(rag, RAG_TAGS["grey"])
    return mark_safe(f'<strong class="govuk-tag {css}">{escape(text)}</strong>')


@register.filter
def spc_tag(status: str) -> str:
    css, text = SPC_TAGS.get(status, ("govuk-tag--grey", status))
    return mark_safe(f'<strong class="govuk-tag {css}">{escape(text)}</strong>')


@register.filter
def direction(value: str) -> str:
    return DIRECTION.get(value, value)


@register.filter
def and_list(items) -> str:
    """Names as a sentence writes them: "County Durham and Darlington"; "A, B and C"."""
    names = [str(i) for i in items or []]
    if len(names) < 2:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@register.simple_tag
def assumed(record, field: str, short: bool = False) -> str:
    """The "Assumed for the demo" marker of a value the sources do not give, with the note of what was assumed and
    why; nothing when the value is not assumed. The view gives the record its assumptions first
    (core.selectors.assumptions_attach, one query for the page). The words say it, not only the colour.

    `{% assumed group "lead_organisation" %}`: the tag and the note under it, for a page about the record;
    `{% assumed a "owner_group" short=True %}`: the tag alone in a list or table, the note read out by screen
    readers and shown on hover; the record's own page shows it in full."""
    note = without_source_marks(assumption_note(record, field))
    if not note:
        return ""
    label = ASSUMED.capitalize()
    if short:
        return format_html(
            '<strong class="govuk-tag govuk-tag--orange app-assumed" title="{}">{}'
            '<span class="govuk-visually-hidden">: {}</span></strong>',
            note,
            label,
            note,
        )
    return format_html(
        '<div class="app-assumed govuk-!-margin-top-1"><strong class="govuk-tag govuk-tag--orange">{}</strong>'
        '<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">{}</p></div>',
        label,
        note,
    )


@register.filter
def plain(text) -> str:
    """Text without the seed documents' paragraph marks ("002 ¶2-4"): core.formatting.without_source_marks."""
    return without_source_marks(text)


@register.filter
def may_view_escalations(user) -> bool:
    """Whether to show links to escalations (accounts.permissions.can_view_escalations): viewers may not."""
    from saferplan.accounts.permissions import can_view_escalations

    return can_view_escalations(user)
