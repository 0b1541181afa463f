"""Tables that fit a phone: `{% scrolling_table "Figures by year" %}<table>…</table>{% endscrolling_table %}`.

The table scrolls sideways inside its own container, which is a labelled region that can take the keyboard's
focus (so that it can be scrolled without a mouse). With `export="name"` (or `export=""` for the page's only
table), links beside the table download it as CSV or XLSX: the page's own address with `format` (and `table`)
added, answered by the view through saferplan.web.exports. Rendered without a request (a report's PDF or
print copy), the tag leaves the table alone.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html

register = template.Library()


class ScrollingTableNode(template.Node):
    def __init__(self, nodelist, label, export):
        self.nodelist, self.label, self.export = nodelist, label, export

    def render(self, context):
        request = context.get("request")
        if request is None:  # rendered for a file (a report's PDF or print copy), not a page: the table alone
            return self.nodelist.render(context)
        label = self.label.resolve(context)
        html = format_html(
            '<div class="app-table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            label,
            self.nodelist.render(context),
        )
        if self.export is None:
            return html
        return html + download_links(request, label, self.export.resolve(context) or "")


def download_links(request, label, table: str = "", what: str = "", css: str = "app-table-exports"):
    """'Download this table as CSV or spreadsheet (XLSX)': the page's own address with `format` (and `table`)."""
    links = []
    for fmt, name in (("csv", "CSV"), ("xlsx", "spreadsheet (XLSX)")):
        query = request.GET.copy()
        query["format"] = fmt
        if table:
            query["table"] = table
        else:
            query.pop("table", None)
        links.append(
            format_html(
                '<a class="govuk-link" href="?{}" download>{}<span class="govuk-visually-hidden">: {}</span></a>',
                query.urlencode(),
                name,
                label,
            )
        )
    return format_html(
        '<p class="govuk-body-s {}">Download {} as {} or {}</p>', css, what or "this table", *links
    )


@register.simple_tag(takes_context=True)
def table_downloads(context, label, table=""):
    """The download links alone, for a table the page shows in parts (e.g. one table a fund and year, one file):
    `{% table_downloads "every allocation, one a row," "allocations" %}` says "Download every allocation, one
    a row, as CSV or spreadsheet (XLSX)", a paragraph of its own (not pulled up under a table), not printed.
    Nothing when rendered for a file."""
    request = context.get("request")
    return (
        download_links(request, label.strip(" ,"), table, what=label, css="app-no-print")
        if request is not None
        else ""
    )


@register.tag
def scrolling_table(parser, token):
    bits = token.split_contents()
    if len(bits) not in (2, 3) or (len(bits) == 3 and not bits[2].startswith("export=")):
        raise template.TemplateSyntaxError('Use {% scrolling_table "label" [export="name"] %}')
    label = parser.compile_filter(bits[1])
    export = parser.compile_filter(bits[2].removeprefix("export=")) if len(bits) == 3 else None
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(nodelist, label, export)
