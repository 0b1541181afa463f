"""The start page: what needs the signed-in person now (web.selectors.start_page); and the plan's own page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from saferplan.accounts.models import User
from saferplan.plans import selectors as plan_selectors
from saferplan.web import selectors

INTRO = {
    User.Role.ADMINISTRATOR: "A summary of what needs the partnership now: actions, escalations, data returns, "
    "figures and reports.",
    User.Role.ANALYST: "Late data returns, unusual figures and revised figures across the partnership.",
    User.Role.BOARD_MEMBER: "Open escalations, the latest quarter's areas for improvement and reports awaiting "
    "your review.",
    User.Role.DATA_PROVIDER: "The figures your organisation owes the partnership.",
    User.Role.CASEWORKER: "Your open cases, the case actions waiting for you and the referrals sent to your "
    "service that await a response, oldest first.",
    User.Role.VIEWER: "The partnership's key indicators: the latest figure for each and how it compares with a "
    "year earlier.",
}


def _intro(user) -> str:
    if user.role == User.Role.GROUP_LEAD and not user.is_superuser:
        names = selectors.group_names(user)
        if not names:
            return "You do not lead a group yet: an administrator can make you the lead of one."
        return f"What needs {' and '.join(names)} now: actions due and escalations."
    if user.role in (User.Role.DATA_PROVIDER, User.Role.CASEWORKER) and not user.organisation_id:
        return "Your account is not linked to an organisation yet: an administrator can link it."
    return INTRO.get(User.Role.ADMINISTRATOR if user.is_superuser else user.role, "")


@login_required
def home(request):
    plan = plan_selectors.plan_get(user=request.user)
    if plan is None:
        return render(request, "web/no_plan.html", {"page_title": "No plan yet"})
    return render(
        request,
        "web/start.html",
        {
            "page_title": "What needs you now",
            "plan": plan,
            "intro": _intro(request.user),
            "sections": selectors.start_page(request.user, plan),
        },
    )


@login_required
def plan_current(request):
    """The current plan's text (the menu's "Plan")."""
    plan = plan_selectors.plan_get(user=request.user)
    if plan is None:
        return render(request, "web/no_plan.html", {"page_title": "No plan yet"})
    return redirect("plan-overview", slug=plan.slug)
