"""Server-rendered SVG charts: one chart serves the page, the PDF and the Word document.

The XmR chart shows the values, the centre line, the process limits, special-cause points coloured by
improvement (blue) or concern (orange), and the target line. Colours follow NHS "Making Data Count". The SVG
has a title and description; the data table beside it carries the figures for screen-reader users.
"""

from __future__ import annotations

from html import escape

from saferplan.indicators import stats

WIDTH, HEIGHT = 720, 320
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 56
COLOURS = {
    "common_cause": "#505a5f",
    "improvement": "#1d70b8",
    "concern": "#d4351c",
    "neutral_high": "#4c2c92",
    "neutral_low": "#4c2c92",
}


def _fmt(value: float) -> str:
    return f"{value:,.1f}" if abs(value) < 100 else f"{value:,.0f}"


def spc_description(labels: list[str], result: stats.SPCResult, target: float | None = None) -> str:
    """The chart in words: its span, mean and limits, special-cause points and target."""
    n = len(result.points)
    special = sum(1 for p in result.points if p.variation != "common_cause")
    return (
        f"{n} points from {labels[0]} to {labels[-1]}. "
        + " ".join(
            f"Mean {_fmt(g.mean)}, process limits {_fmt(g.lower)} to {_fmt(g.upper)}"
            + (" (trial limits)" if g.trial else "")
            + "."
            for g in result.groups
        )
        + f" {special} special-cause point{'s' if special != 1 else ''}."
        + (f" Target {_fmt(target)}." if target is not None else "")
    )


def spc_chart(labels: list[str], result: stats.SPCResult, *, title: str, target: float | None = None) -> str:
    """An XmR chart as an SVG string."""
    values = [p.value for p in result.points]
    lows = [g.lower for g in result.groups] + values
    highs = [g.upper for g in result.groups] + values
    if target is not None:
        lows.append(target)
        highs.append(target)
    low, high = min(lows), max(highs)
    if high == low:
        high, low = high + 1, low - 1
    pad = (high - low) * 0.05
    low, high = low - pad, high + pad
    n = len(values)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: float) -> float:
        return LEFT + (plot_w * (i / (n - 1)) if n > 1 else plot_w / 2)

    def y(v: float) -> float:
        return TOP + plot_h * (1 - (v - low) / (high - low))

    desc = spc_description(labels, result, target)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="app-chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
        f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="#ffffff" stroke="#b1b4b6"/>',
    ]
    # y axis ticks
    for k in range(5):
        v = low + (high - low) * k / 4
        parts.append(
            f'<line x1="{LEFT - 4}" x2="{LEFT}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#505a5f"/>'
            f'<text x="{LEFT - 6}" y="{y(v) + 4:.1f}" font-size="12" text-anchor="end" fill="#0b0c0c">'
            f"{escape(_fmt(v))}</text>"
        )
    # x labels: at most 8 (every figure is in the table beside the chart; each label costs PDF time)
    step = -(-n // 8)
    for i in range(0, n, step):
        parts.append(
            f'<text x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 16}" font-size="11" text-anchor="end" fill="#0b0c0c" '
            f'transform="rotate(-35 {x(i):.1f} {HEIGHT - BOTTOM + 16})">{escape(labels[i])}</text>'
        )
    for g in result.groups:
        x1, x2 = x(g.start), x(g.end)
        for v, dash, colour in (
            (g.mean, "", "#0b0c0c"),
            (g.upper, "6 4", "#505a5f"),
            (g.lower, "6 4", "#505a5f"),
        ):
            if low <= v <= high:
                parts.append(
                    f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="{colour}" '
                    f'stroke-width="1.5"{f" stroke-dasharray={chr(34)}{dash}{chr(34)}" if dash else ""}/>'
                )
    if target is not None:
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(target):.1f}" y2="{y(target):.1f}" stroke="#00703c" '
            f'stroke-width="2" stroke-dasharray="2 3"/>'
        )
    path = " ".join(f"{'M' if i == 0 else 'L'}{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))
    parts.append(f'<path d="{path}" fill="none" stroke="#505a5f" stroke-width="1.5"/>')
    for p in result.points:
        colour = COLOURS.get(p.variation, "#505a5f")
        r = 4.5 if p.variation != "common_cause" else 3
        parts.append(
            f'<circle cx="{x(p.index):.1f}" cy="{y(p.value):.1f}" r="{r}" fill="{colour}">'
            f"<title>{escape(labels[p.index])}: {escape(_fmt(p.value))}"
            f"{' – ' + escape(p.variation.replace('_', ' ')) if p.variation != 'common_cause' else ''}</title>"
            f"</circle>"
        )
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(labels: list[str], values: list[int], *, title: str) -> str:
    """A horizontal bar chart of counts as an SVG string, e.g. actions by status."""
    n = max(len(values), 1)
    label_w, bar_h, gap = 200, 24, 10
    height = TOP + n * (bar_h + gap) + 8
    top = max(values, default=0) or 1
    plot_w = WIDTH - label_w - RIGHT - 48
    desc = "; ".join(f"{label}: {value:,}" for label, value in zip(labels, values, strict=True)) + "."
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" '
        f'aria-labelledby="chart-title chart-desc" class="app-chart">',
        f'<title id="chart-title">{escape(title)}</title>',
        f'<desc id="chart-desc">{escape(desc)}</desc>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = TOP + i * (bar_h + gap)
        w = plot_w * value / top
        parts.append(
            f'<text x="{label_w - 8}" y="{y + bar_h * 0.7:.1f}" font-size="13" text-anchor="end" '
            f'fill="#0b0c0c">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar_h}" fill="#1d70b8"/>'
            f'<text x="{label_w + w + 6:.1f}" y="{y + bar_h * 0.7:.1f}" font-size="13" fill="#0b0c0c">'
            f"{value:,}</text>"
        )
    parts.append("</svg>")
    return "".join(parts)
