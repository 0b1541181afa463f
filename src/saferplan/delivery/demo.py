"""An illustrative delivery plan for the demo: detailed actions for every strategic action of the Safe Durham
plan, with a spread of statuses and updates, two escalations and two locality issues. Everything is marked
illustrative: the seeds describe the delivery plan (001 ¶12) but do not publish it."""

from __future__ import annotations

import random
from datetime import date
from textwrap import shorten

from django.db import transaction

from saferplan.core.services import assumptions_sync
from saferplan.delivery import meetings_demo
from saferplan.delivery.models import DetailedAction, Escalation, LocalityIssue, ProgressUpdate, Status
from saferplan.plans.models import Group, Plan, StrategicAction

NOTES = {
    Status.ON_TRACK: "Work is progressing as planned; partners are engaged and the next milestone is on course.",
    Status.AT_RISK: "Progress has slowed: capacity in the lead organisation is stretched; the group is reviewing it.",
    Status.OFF_TRACK: "The action has stalled while funding is confirmed; an escalation to the Board is considered.",
    Status.COMPLETE: "The action is complete and the outcome has been reported to the thematic group.",
}
# What the demo invents for each detailed action (field → note), recorded as assumptions so that pages and
# papers mark them "assumed for the demo".
NOT_PUBLISHED = "The seeds describe the delivery plan (001 paragraph 12) but do not publish it"
ASSUMED = {
    "owner_group": f"{NOT_PUBLISHED}; the owner of the strategic action is assumed.",
    "lead_organisation": f"{NOT_PUBLISHED}; the lead organisation of the owning group is assumed.",
    "lead_name": f"{NOT_PUBLISHED}; no named lead is given, so the lead is a placeholder.",
    "start_date": f"{NOT_PUBLISHED}; the start date is made up for the demo.",
    "target_date": f"{NOT_PUBLISHED}; the target date is made up for the demo.",
}
ROUTES = [
    [Status.ON_TRACK, Status.ON_TRACK, Status.COMPLETE],
    [Status.ON_TRACK, Status.AT_RISK, Status.ON_TRACK],
    [Status.ON_TRACK, Status.AT_RISK, Status.OFF_TRACK],
    [Status.ON_TRACK, Status.ON_TRACK],
    [Status.ON_TRACK],
    [],
]


@transaction.atomic
def load(plan: Plan) -> int:
    """Create the illustrative delivery plan once; return the number of detailed actions created."""
    meetings_demo.load(plan)
    if DetailedAction.objects.filter(strategic_action__outcome__objective__plan=plan).exists():
        return 0
    rng = random.Random(2016)
    created = 0
    assumed = []
    actions = (
        StrategicAction.objects.live()
        .filter(outcome__objective__plan=plan)
        .select_related("owner_group__lead_organisation", "outcome__objective")
        .order_by("outcome__objective__number", "outcome__number", "order")
    )
    for n, strategic in enumerate(actions):
        group = strategic.owner_group
        if group is None:
            continue
        for k in range(2 if n % 3 == 0 else 1):
            start = date(2016, 7 + k * 3, 1)
            target = date(2017 + (n + k) % 3, 3, 31)
            action = DetailedAction.objects.create(
                strategic_action=strategic,
                owner_group=group,
                lead_organisation=group.lead_organisation,
                description=f"{'Deliver' if k == 0 else 'Review'} the {strategic.outcome.objective.number}."
                f"{strategic.outcome.number} work: {shorten(strategic.text, 150, placeholder='…', break_on_hyphens=False).rstrip(' .')}",
                lead_name="Illustrative lead",
                start_date=start,
                target_date=target,
                illustrative=True,
                order=k + 1,
            )
            created += 1
            assumed.append(
                (action, {f: note for f, note in ASSUMED.items() if getattr(action, f) not in (None, "")})
            )
            for i, status in enumerate(ROUTES[rng.randrange(len(ROUTES))]):
                ProgressUpdate.objects.create(
                    action=action,
                    date=date(2016 + (i + 1) // 2, 10 if i % 2 == 0 else 4, 15),
                    status=status,
                    text=NOTES[status],
                    illustrative=True,
                )
    assumptions_sync(assumed)
    board = Group.objects.filter(partnership=plan.partnership, kind=Group.Kind.BOARD).first()
    asb = Group.objects.filter(partnership=plan.partnership, slug="anti-social-behaviour-group").first()
    if board and asb:
        stalled = DetailedAction.objects.filter(owner_group=asb).first()
        Escalation.objects.create(
            from_group=asb,
            to_group=board,
            about=Escalation.About.RESOURCE,
            action=stalled,
            title="Capacity to run the summer ASB awareness campaign (illustrative)",
            why="Two partners have withdrawn staff from the campaign for 2017.",
            ask="The Board is asked to agree a contribution from the Community Safety Fund.",
            raised_on=date(2017, 4, 20),
        )
        Escalation.objects.create(
            from_group=asb,
            to_group=board,
            about=Escalation.About.INDICATOR,
            title="Rise in council-reported fly-tipping (illustrative)",
            # source: fly-tipping's share of incidents, 000 section 8
            why="Fly-tipping accounts for almost half of reported incidents and rose this quarter.",
            ask="The Board is asked to note the rise and support a targeted enforcement week.",
            raised_on=date(2016, 11, 10),
            state=Escalation.State.CLOSED,
            decision="Noted; enforcement week supported; the group to report back in May.",
            decided_on=date(2016, 11, 24),
        )
    locality = Group.objects.filter(partnership=plan.partnership, kind=Group.Kind.LOCALITY).first()
    if locality:
        LocalityIssue.objects.create(
            group=locality,
            place="Town centre car park (illustrative)",
            problem="Youths gathering and damaging cars in the evenings.",
            actions="Extra patrols; CCTV review; youth outreach.",
            opened_on=date(2017, 2, 1),
            illustrative=True,
        )
        LocalityIssue.objects.create(
            group=locality,
            place="Riverside path (illustrative)",
            problem="Repeated fly-tipping along the path.",
            actions="Clearance; signage; enforcement notices.",
            outcome="No new reports for three months.",
            opened_on=date(2016, 9, 5),
            state=LocalityIssue.State.CLOSED,
            closed_on=date(2017, 1, 10),
            illustrative=True,
        )
    return created
