"""Template filters: plan text as paragraphs and lists; permission checks to show or hide links."""

from django import template
from django.utils.html import escape, format_html_join
from django.utils.safestring import mark_safe

from saferplan.accounts import permissions

register = template.Library()


@register.filter
def paragraphs(text: str) -> str:
    """Plain plan text → GOV.UK paragraphs; lines starting "- " become a bulleted list."""
    html: list[str] = []
    for block in (text or "").split("\n\n"):
        lines = [ln for ln in block.splitlines() if ln.strip()]
        if not lines:
            continue
        bullets = [ln for ln in lines if ln.lstrip().startswith("- ")]
        if bullets and len(bullets) == len(lines):
            items = format_html_join("", "<li>{}</li>", ((ln.lstrip()[2:],) for ln in lines))
            html.append(f'<ul class="govuk-list govuk-list--bullet">{items}</ul>')
        else:
            html.append('<p class="govuk-body">' + "<br>".join(escape(ln) for ln in lines) + "</p>")
    return mark_safe("\n".join(html))


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
