"""The delivery plan report prints what the demo invented with "(assumed for the demo)" in the cell, and a
partnership's own entry without it."""

from datetime import date

from saferplan.core.selectors import ASSUMED
from saferplan.delivery.models import DetailedAction
from saferplan.plans.models import StrategicAction
from saferplan.reports.delivery_report import delivery_document, delivery_report
from saferplan.reports.document import Table

AS_OF, SINCE = date(2017, 9, 30), date(2017, 3, 31)


def overdue_rows(plan):
    """The report's overdue table by action description, and the document."""
    document = delivery_document(delivery_report(plan, as_of=AS_OF, since=SINCE))
    (table,) = [b for b in document.blocks if isinstance(b, Table) and b.caption == "Overdue actions"]
    return {row[1]: row for row in table.rows}, document


def test_invented_owners_and_dates_are_marked_in_the_paper(demo):
    strategic = StrategicAction.objects.live().filter(outcome__objective__plan=demo).order_by("pk").first()
    own = DetailedAction.objects.create(
        strategic_action=strategic,
        owner_group=strategic.owner_group,
        description="An action the partnership recorded itself",
        target_date=date(2017, 6, 30),
    )
    rows, document = overdue_rows(demo)
    demo_rows = [row for text, row in rows.items() if text != own.description]
    assert demo_rows  # the demo's delivery plan has overdue actions on this date
    assert all(row[2].endswith(f" ({ASSUMED})") and row[3].endswith(f" ({ASSUMED})") for row in demo_rows)
    assert rows[own.description][2] == strategic.owner_group.name
    assert rows[own.description][3] == "30 Jun 2017"
    assert ASSUMED in document.warning
