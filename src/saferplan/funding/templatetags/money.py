"""Template filters for funding pages: {% load money %} then {{ amount|money }} gives £1,234 or £1,234.50."""

from decimal import Decimal, InvalidOperation

from django import template

register = template.Library()


def format_money(value) -> str:
    """£1,234 when the amount is whole pounds, £1,234.50 otherwise; a dash when there is no amount."""
    if value is None or value == "":
        return "–"
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return "–"
    if not amount.is_finite():
        return "–"
    sign = "−" if amount < 0 else ""
    amount = abs(amount).quantize(Decimal("0.01"))
    if amount == amount.to_integral_value():
        return f"{sign}£{amount:,.0f}"
    return f"{sign}£{amount:,.2f}"


@register.filter
def money(value) -> str:
    return format_money(value)
