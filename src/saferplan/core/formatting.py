"""How figures are written in pages, papers and spreadsheets."""


def figure(value, unit: str = "count") -> str:
    """A figure as partnerships write it: 20,649; 32.3%; 55.28 (rates)."""
    if value is None or value == "":
        return "–"
    value = float(value)
    if unit == "percentage":
        return f"{value:,.1f}%"
    if unit == "percentage_change":
        return f"{value:+,.1f}%".replace("-", "−")
    if unit in ("rate_per_1000", "rate_per_100000", "score"):
        return f"{value:,.2f}"
    return f"{value:,.0f}" if value == int(value) else f"{value:,.1f}"


def long_date(day) -> str:
    """A date as GOV.UK writes it: 1 April 2017."""
    return f"{day.day} {day:%B %Y}"
