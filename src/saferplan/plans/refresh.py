"""Plan refresh and the difference between two versions of a plan.

A refresh starts next year's version of a plan: a new draft that copies the narrative sections and the live
objectives, outcomes and strategic actions, each pointing back at the record it carries on (`previous`).
Indicators and strategies belong to the partnership, so they are linked to the copies, not copied.

The difference between two versions matches records by that lineage first (following it back through
versions in between, in either direction) and, for records without lineage, by identical title. It reports
for objectives, outcomes and strategic actions what was added, removed, renamed and moved, and how many
are unchanged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history

from saferplan.core.services import save_with_stamp
from saferplan.plans.models import (
    Indicator,
    Objective,
    ObjectiveGroup,
    ObjectiveLink,
    Outcome,
    Plan,
    PlanSection,
    StrategicAction,
)
from saferplan.plans.schema import PERIOD_RE, SLUG_RE

LEVELS = ("objectives", "outcomes", "actions")
CHANGES = ("added", "removed", "renamed", "moved")
_NAMES = {"objectives": "Objectives", "outcomes": "Outcomes", "actions": "Strategic actions"}


class RefreshError(ValueError):
    """The refresh cannot be made as asked (the slug is taken, the period is not a period...)."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# --------------------------------------------------------------------------------------------- refresh


def period_text(start: int, end: int) -> str:
    return f"{start}-{end % 100:02d}"


def parse_period(text: str) -> tuple[int, int]:
    """A period of years as partnerships write it: 2017-20 → (2017, 2020)."""
    m = PERIOD_RE.match(text.strip()) if isinstance(text, str) else None
    if m:
        start = int(m.group(1))
        end = start - start % 100 + int(m.group(2))
        if end < start:
            end += 100
        if end - start <= 20:
            return start, end
    raise RefreshError("period", f"expected a period of years such as 2017-20, got {text!r}")


def _replace_last(text: str, old: str, new: str) -> str | None:
    at = text.rfind(old)
    return None if at < 0 else text[:at] + new + text[at + len(old) :]


def refresh_defaults(plan: Plan) -> dict[str, str]:
    """Slug, title and period of next year's refresh: each year one later (sdp-2016-19 → sdp-2017-20)."""
    period = period_text(plan.start_year + 1, plan.end_year + 1)
    slug = _replace_last(plan.slug, plan.period, period) or f"{plan.slug[: 99 - len(period)]}-{period}"
    title = _replace_last(plan.title, plan.period, period) or f"{plan.title[: 199 - len(period)]} {period}"
    return {"slug": slug, "title": title, "period": period}


def check_slug(slug: str) -> None:
    """The new plan's slug must be well formed and not taken."""
    if not isinstance(slug, str) or not SLUG_RE.match(slug) or len(slug) > 100:
        raise RefreshError("slug", "use lower-case letters, digits and single hyphens, up to 100 characters")
    if Plan.objects.filter(slug=slug).exists():
        raise RefreshError("slug", f"there is already a plan with the slug {slug!r}")


def check_refresh(*, slug: str, title: str, period: str) -> tuple[int, int]:
    """Raise RefreshError for the first thing wrong with the new plan's slug, title or period."""
    check_slug(slug)
    if not title or not title.strip():
        raise RefreshError("title", "enter the title of the new plan")
    if len(title) > 200:
        raise RefreshError("title", "the title must be 200 characters or fewer")
    return parse_period(period)


@transaction.atomic
def plan_refresh(
    *, plan: Plan, user, slug: str | None = None, title: str | None = None, period: str | None = None
) -> Plan:
    """Start next year's refresh of `plan`: a new draft version with copies of its live objectives, outcomes
    and actions (and sections, group roles and links to other plans), each keeping its lineage.

    Indicators and strategies are partnership-wide: the copies are linked to the same ones. Approvals are not
    copied (the new version is not approved yet). All or nothing; every record's history names `user`.
    """
    defaults = refresh_defaults(plan)
    slug = slug or defaults["slug"]
    title = (title or defaults["title"]).strip()
    start, end = check_refresh(slug=slug, title=title, period=period or defaults["period"])
    new = save_with_stamp(
        Plan(
            partnership=plan.partnership,
            slug=slug,
            title=title,
            start_year=start,
            end_year=end,
            refresh_year=start,
            status=Plan.Status.DRAFT.value,
            previous_version=plan,
        ),
        user=user,
    )
    for s in plan.sections.order_by("order"):
        save_with_stamp(
            PlanSection(plan=new, order=s.order, kind=s.kind, title=s.title, body=s.body), user=user
        )

    live_indicators = Prefetch("indicators", queryset=Indicator.objects.live(), to_attr="live_indicators")
    objectives = (
        plan.objectives.live()
        .order_by("number")
        .prefetch_related(
            Prefetch("group_roles", queryset=ObjectiveGroup.objects.order_by("order")),
            Prefetch("links", queryset=ObjectiveLink.objects.order_by("order")),
            "strategies",
            live_indicators,
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.live()
                .order_by("number")
                .prefetch_related(
                    live_indicators,
                    Prefetch(
                        "actions",
                        queryset=StrategicAction.objects.live().order_by("order", "pk"),
                        to_attr="live_actions",
                    ),
                ),
                to_attr="live_outcomes",
            ),
        )
    )
    indicator_links: dict[int, tuple[Indicator, list, list]] = {}
    strategy_links: dict[int, tuple] = {}
    history_user = user if getattr(user, "is_authenticated", False) else None

    def link(indicator: Indicator, record, kind: int) -> None:
        indicator_links.setdefault(indicator.pk, (indicator, [], []))[kind].append(record)

    for o in objectives:
        objective = save_with_stamp(
            Objective(
                plan=new,
                number=o.number,
                title=o.title,
                why_priority=o.why_priority,
                key_challenges=o.key_challenges,
                joint_with=list(o.joint_with),
                previous=o,
            ),
            user=user,
        )
        bulk_create_with_history(  # which groups lead it: in its history, with the user who refreshed
            [
                ObjectiveGroup(objective=objective, group_id=r.group_id, role=r.role, order=r.order)
                for r in o.group_roles.all()
            ],
            ObjectiveGroup,
            default_user=history_user,
        )
        ObjectiveLink.objects.bulk_create(
            ObjectiveLink(
                objective=objective,
                order=lk.order,
                plan_name=lk.plan_name,
                objective_text=lk.objective_text,
                focus=lk.focus,
            )
            for lk in o.links.all()
        )
        for indicator in o.live_indicators:
            link(indicator, objective, 1)
        for strategy in o.strategies.all():
            strategy_links.setdefault(strategy.pk, (strategy, []))[1].append(objective)
        for oc in o.live_outcomes:
            outcome = save_with_stamp(
                Outcome(objective=objective, number=oc.number, title=oc.title, previous=oc), user=user
            )
            for indicator in oc.live_indicators:
                link(indicator, outcome, 2)
            for a in oc.live_actions:
                save_with_stamp(
                    StrategicAction(
                        outcome=outcome,
                        order=a.order,
                        text=a.text,
                        owner_group_id=a.owner_group_id,
                        target_date=a.target_date,
                        previous=a,
                    ),
                    user=user,
                )
    for indicator, new_objectives, new_outcomes in indicator_links.values():
        indicator._history_user = history_user  # the indicator's history records the new links
        if new_objectives:
            indicator.objectives.add(*new_objectives)
        if new_outcomes:
            indicator.outcomes.add(*new_outcomes)
    for strategy, new_objectives in strategy_links.values():
        strategy.objectives.add(*new_objectives)
    return new


# --------------------------------------------------------------------------------------------- difference


@dataclass
class _Item:
    pk: int
    previous_id: int | None
    parent_id: int | None  # objective of an outcome, outcome of an action
    number: int  # objective or outcome number; position (from 1) of an action within its outcome
    ref: str  # "3", "3.1", "3.1.2"
    title: str

    def as_dict(self) -> dict:
        return {"ref": self.ref, "title": self.title}


def _lineage(model, plans: list[Plan]) -> dict[int, int | None]:
    """pk → previous pk for every record of this kind in the partnerships of the plans."""
    partnerships = {p.partnership_id for p in plans}
    field = {
        Objective: "plan__partnership__in",
        Outcome: "objective__plan__partnership__in",
        StrategicAction: "outcome__objective__plan__partnership__in",
    }[model]
    return dict(model.objects.filter(**{field: partnerships}).values_list("pk", "previous_id"))


def _items(plan: Plan) -> dict[str, list[_Item]]:
    objectives = list(plan.objectives.live().order_by("number"))
    numbers = {o.pk: o.number for o in objectives}
    outcomes = list(
        Outcome.objects.live().filter(objective__in=objectives).order_by("objective__number", "number")
    )
    refs = {oc.pk: f"{numbers[oc.objective_id]}.{oc.number}" for oc in outcomes}
    actions = (
        StrategicAction.objects.live()
        .filter(outcome__in=outcomes)
        .order_by("outcome__objective__number", "outcome__number", "order", "pk")
    )
    action_items: list[_Item] = []
    position: dict[int, int] = defaultdict(int)
    for a in actions:
        position[a.outcome_id] += 1
        n = position[a.outcome_id]
        action_items.append(_Item(a.pk, a.previous_id, a.outcome_id, n, f"{refs[a.outcome_id]}.{n}", a.text))
    return {
        "objectives": [
            _Item(o.pk, o.previous_id, None, o.number, str(o.number), o.title) for o in objectives
        ],
        "outcomes": [
            _Item(oc.pk, oc.previous_id, oc.objective_id, oc.number, refs[oc.pk], oc.title) for oc in outcomes
        ],
        "actions": action_items,
    }


def _ancestors(pk: int, lineage: dict[int, int | None]):
    seen = {pk}
    step = lineage.get(pk)
    while step is not None and step not in seen:
        yield step
        seen.add(step)
        step = lineage.get(step)


def _match(old: list[_Item], new: list[_Item], lineage: dict[int, int | None]) -> list[tuple]:
    """Pairs (old, new, how): by lineage (new back to old, or old back to new), then by identical title."""
    old_by_pk = {o.pk: o for o in old}
    new_by_pk = {n.pk: n for n in new}
    pairs: dict[int, tuple] = {}  # new pk → (old, new, how)
    used: set[int] = set()
    for n in new:
        for pk in _ancestors(n.pk, lineage):
            if pk in old_by_pk and pk not in used:
                pairs[n.pk] = (old_by_pk[pk], n, "lineage")
                used.add(pk)
                break
    for o in old:  # comparing a later version with an earlier one: the lineage runs the other way
        if o.pk in used:
            continue
        for pk in _ancestors(o.pk, lineage):
            if pk in new_by_pk and pk not in pairs:
                pairs[pk] = (o, new_by_pk[pk], "lineage")
                used.add(o.pk)
                break
    by_title: dict[str, list[_Item]] = defaultdict(list)
    for o in old:
        if o.pk not in used:
            by_title[o.title].append(o)
    for n in new:
        if n.pk not in pairs and by_title.get(n.title):
            o = by_title[n.title].pop(0)
            pairs[n.pk] = (o, n, "title")
            used.add(o.pk)
    return [pairs[n.pk] for n in new if n.pk in pairs]


def _out_of_order(pairs: list[tuple]) -> set[int]:
    """New pks of the pairs that are not in the longest run kept in the same order (within one parent)."""
    seq = [o.number for o, _, _ in pairs]  # old positions, in new order
    if not seq:
        return set()
    # longest increasing subsequence, O(n^2): sibling lists are short
    best = [1] * len(seq)
    back = [-1] * len(seq)
    for i in range(len(seq)):
        for j in range(i):
            if seq[j] < seq[i] and best[j] + 1 > best[i]:
                best[i], back[i] = best[j] + 1, j
    keep, i = set(), max(range(len(seq)), key=best.__getitem__)
    while i >= 0:
        keep.add(i)
        i = back[i]
    return {pairs[i][1].pk for i in range(len(seq)) if i not in keep}


def _level(
    old: list[_Item], new: list[_Item], lineage: dict, parents: dict[int, int] | None, positional: bool
) -> tuple[dict, dict[int, int]]:
    """The changes at one level, and the old pk → new pk matching (for the level below)."""
    pairs = _match(old, new, lineage)
    matched = {o.pk: n.pk for o, n, _ in pairs}
    matched_new = set(matched.values())
    reordered: set[int] = set()
    if positional:  # actions: moved when out of order among the ones kept in the same outcome
        same_parent: dict[int, list] = defaultdict(list)
        for o, n, how in pairs:
            if parents is not None and parents.get(o.parent_id) == n.parent_id:
                same_parent[n.parent_id].append((o, n, how))
        for group in same_parent.values():
            reordered |= _out_of_order(group)
    result: dict = {"added": [], "removed": [], "renamed": [], "moved": [], "unchanged": 0}
    for n in new:
        if n.pk not in matched_new:
            result["added"].append(n.as_dict())
    for o in old:
        if o.pk not in matched:
            result["removed"].append(o.as_dict())
    for o, n, how in pairs:
        parent_changed = parents is not None and parents.get(o.parent_id) != n.parent_id
        moved = parent_changed or (n.pk in reordered if positional else o.number != n.number)
        renamed = o.title != n.title
        entry = {"old": o.as_dict(), "new": n.as_dict(), "matched_by": how}
        if renamed:
            result["renamed"].append(entry)
        if moved:
            result["moved"].append(entry)
        if not renamed and not moved:
            result["unchanged"] += 1
    return result, matched


def _plan_dict(plan: Plan) -> dict:
    return {"slug": plan.slug, "title": plan.title, "period": plan.period, "status": plan.status}


def plan_diff(old: Plan, new: Plan) -> dict:
    """What changed from plan `old` to plan `new`, for objectives, outcomes and strategic actions.

    Each level has lists `added` and `removed` ({ref, title}), `renamed` and `moved` ({old, new, matched_by})
    and a count `unchanged`. A record renamed and moved is in both lists. Outcomes and actions are moved when
    their number or position, or their parent, changed (a parent counts as the same when it was matched).
    """
    old_items, new_items = _items(old), _items(new)
    result: dict = {"old": _plan_dict(old), "new": _plan_dict(new)}
    parents = None
    for level, model in zip(LEVELS, (Objective, Outcome, StrategicAction), strict=True):
        changes, parents = _level(
            old_items[level],
            new_items[level],
            _lineage(model, [old, new]),
            parents,
            positional=level == "actions",
        )
        result[level] = changes
    return result


def is_unchanged(diff: dict) -> bool:
    return all(not diff[level][change] for level in LEVELS for change in CHANGES)


def _label(level: str, item: dict) -> str:
    prefix = {"objectives": "Objective", "outcomes": "Outcome", "actions": "Action"}[level]
    return f"{prefix} {item['ref']}"


def diff_text(diff: dict) -> str:
    """The difference as plain text: a summary, then each list under its heading."""
    old, new = diff["old"], diff["new"]
    lines = [f"From {old['title']} ({old['slug']}) to {new['title']} ({new['slug']})", ""]
    for level in LEVELS:
        d = diff[level]
        counts = ", ".join(f"{len(d[c])} {c}" for c in CHANGES)
        lines.append(f"{_NAMES[level]}: {counts}, {d['unchanged']} unchanged")
    for level in LEVELS:
        d = diff[level]
        for change in CHANGES:
            lines += ["", f"{_NAMES[level]} {change}"]
            entries = d[change]
            if not entries:
                lines.append("  none")
            for e in entries:
                if change in ("added", "removed"):
                    lines.append(f"  {_label(level, e)}: {e['title']}")
                elif change == "renamed":
                    refs = _refs(level, e)
                    lines.append(f"  {refs}: {e['old']['title']} → {e['new']['title']}")
                else:
                    lines.append(f"  {_refs(level, e)}: {e['new']['title']}")
    return "\n".join(lines) + "\n"


def _refs(level: str, entry: dict) -> str:
    old, new = entry["old"]["ref"], entry["new"]["ref"]
    return _label(level, entry["old"]) + ("" if old == new else f" → {new}")


def diff_json(diff: dict) -> str:
    return json.dumps(diff, indent=2, ensure_ascii=False) + "\n"
