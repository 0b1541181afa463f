from django.urls import reverse

from saferplan.accounts.permissions import can_use_data_returns, can_use_my_group, can_view_escalations
from saferplan.assessment.permissions import can_read_assessment
from saferplan.casework.permissions import can_read_counts as can_read_casework_counts


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    items = [
        ("Plan", reverse("plan-current"), ("/plans", "/plan/")),
        ("Performance", reverse("performance-overview"), ("/performance",)),
        ("Indicators", reverse("indicator-list"), ("/indicators",)),
        ("Reports", reverse("report-list"), ("/reports",)),
        ("Police data", reverse("police-overview"), ("/police",)),
        ("Delivery", reverse("delivery-plan"), ("/delivery",)),
        ("Groups", reverse("group-list"), ("/groups",)),
        ("Organisations", reverse("organisation-list"), ("/organisations",)),
        ("Search", reverse("search"), ("/search",)),
    ]
    if can_read_assessment(user):
        prefixes = ("/assessments", "/consultation", "/sharing", "/scoring")
        items.insert(1, ("Assessment", reverse("assessment-list"), prefixes))
    if can_view_escalations(user):
        items.append(("Escalations", reverse("escalation-list"), ("/escalations",)))
        items.append(("Meetings", reverse("meeting-list"), ("/meetings",)))
        items.append(("Funding", reverse("funding-overview"), ("/funding",)))
    if can_use_data_returns(user):
        items.append(("Data returns", reverse("data-return-list"), ("/data-returns",)))
    if can_read_casework_counts(user):
        items.append(("Casework", reverse("casework-home"), ("/casework",)))
    items.append(("Reminders", reverse("my-reminders"), ("/reminders",)))
    if can_use_my_group(user):
        items.append(("My group", reverse("my-group"), ("/my-group",)))
    if user.is_superuser:
        items.append(("Admin", reverse("admin:index"), ("/admin",)))
    path = request.path
    return {
        "nav_items": [
            {"label": label, "url": url, "active": path == url or any(path.startswith(p) for p in prefixes)}
            for label, url, prefixes in items
        ]
    }
