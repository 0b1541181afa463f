"""Import and export of a whole partnership and plan as YAML (format: docs/plan-format.md)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import yaml
from django.db import transaction

from saferplan.accounts.models import Organisation
from saferplan.core.selectors import assumptions_attach
from saferplan.core.services import archive, assumptions_sync, stamp
from saferplan.indicators import periods
from saferplan.plans.models import (
    Basket,
    BasketIndicator,
    DatePrecision,
    Group,
    Indicator,
    Objective,
    ObjectiveGroup,
    ObjectiveLink,
    Outcome,
    Partnership,
    Plan,
    PlanApproval,
    PlanSection,
    StrategicAction,
    Strategy,
)
from saferplan.plans.schema import Document, DocumentError, Field, Problem, Validator, read_yaml
from saferplan.plans.services import record_archive

FORMAT = "saferplan-plan/1"
OUTCOME_REF_RE = re.compile(r"^(\d+)\.(\d+)$")
# Optional top-level lists: when the key is left out of the file, the records are left alone.
OPTIONAL_LISTS = ("indicators", "strategies", "baskets")
MAX_CHARACTERS = 5_000_000  # the demo plan is about 185,000
PART_OF_UNITS = (
    "count",
    "rate_per_1000",
    "rate_per_100000",
)  # units where a part is never more than its whole


def _choices(model_choices) -> tuple[str, ...]:
    return tuple(model_choices.values)


def _obj(**fields: Field) -> Field:
    return Field("object", required=True, fields=fields)


def _list(item: Field, required: bool = False) -> Field:
    return Field("list", required=required, item=item)


TEXT = Field("text")
REQ_TEXT = Field("text", required=True)
SLUG = Field("slug", required=True)
SLUGS = _list(Field("slug", required=True))


def _name(max_length: int) -> Field:
    return Field("text", required=True, max_length=max_length)


SCHEMA = _obj(
    format=Field("enum", required=True, choices=(FORMAT,)),
    partnership=_obj(slug=SLUG, name=_name(200), area=_name(200), vision=TEXT),
    organisations=_list(
        _obj(
            slug=SLUG,
            name=_name(200),
            short_name=Field("text", max_length=40),
            kind=Field("enum", required=True, choices=_choices(Organisation.Kind)),
            sector=Field("enum", choices=_choices(Organisation.Sector)),
        ),
        required=True,
    ),
    groups=_list(
        _obj(
            slug=SLUG,
            name=_name(200),
            kind=Field("enum", required=True, choices=_choices(Group.Kind)),
            lead_organisation=Field("slug"),
            members=SLUGS,
            escalates_to=Field("slug"),
            areas=_list(Field("text", required=True, max_length=200)),
            remit=TEXT,
            start_date=Field("date"),
            end_date=Field("date"),
        ),
        required=True,
    ),
    plan=_obj(
        slug=SLUG,
        title=_name(200),
        period=Field("period", required=True),
        refresh_year=Field("int", minimum=1990),
        status=Field("enum", required=True, choices=_choices(Plan.Status)),
        previous_version=Field("slug"),
        approvals=_list(
            _obj(
                body=_name(200),
                date=Field("month_date", required=True),
                approved=Field("enum", required=True, choices=_choices(PlanApproval.Approved)),
                note=TEXT,
            )
        ),
        sections=_list(
            _obj(
                kind=Field("enum", required=True, choices=_choices(PlanSection.Kind)),
                title=_name(200),
                body=TEXT,  # a section with no text of its own is a heading, e.g. the one the objectives go under
            )
        ),
        objectives=_list(
            _obj(
                number=Field("int", required=True, minimum=1),
                title=_name(300),
                previous=Field("int", minimum=1),
                why_priority=TEXT,
                key_challenges=TEXT,
                groups=_list(
                    _obj(group=SLUG, role=Field("enum", required=True, choices=_choices(ObjectiveGroup.Role)))
                ),
                joint_with=_list(Field("text", required=True, max_length=200)),
                links=_list(_obj(plan=_name(200), objective=REQ_TEXT, focus=TEXT)),
                outcomes=_list(
                    _obj(
                        number=Field("int", required=True, minimum=1),
                        title=_name(500),
                        previous=Field("text"),
                        actions=_list(
                            _obj(text=REQ_TEXT, owner_group=Field("slug"), target_date=Field("date"))
                        ),
                    ),
                    required=True,
                ),
            ),
            required=True,
        ),
    ),
    indicators=_list(
        _obj(
            slug=SLUG,
            name=_name(300),
            definition=TEXT,
            unit=Field("enum", required=True, choices=_choices(Indicator.Unit)),
            polarity=Field("enum", required=True, choices=_choices(Indicator.Polarity)),
            frequency=Field("enum", required=True, choices=_choices(Indicator.Frequency)),
            period_basis=Field(
                "enum", choices=_choices(Indicator.PeriodBasis), default=Indicator.PeriodBasis.FINANCIAL.value
            ),
            source=Field("slug"),
            heading=Field("text", max_length=200),
            objectives=_list(Field("int", required=True, minimum=1)),
            outcomes=_list(Field("text", required=True)),
            key_crime=Field("bool", default=False),
            rag_tolerance=Field("number", minimum=0, default=5.0),
            baseline_period=Field("text", max_length=40),
            narrative=Field("text", max_length=300),
            derived_from=Field(
                "enum", choices=tuple(c for c, _ in Indicator._meta.get_field("derived_from").choices)
            ),
            minimum=Field("number"),
            maximum=Field("number"),
            part_of=Field("slug"),
        )
    ),
    strategies=_list(
        _obj(
            slug=SLUG,
            title=_name(300),
            period=Field("period"),
            owner_group=Field("slug"),
            approved_on=Field("month_date"),
            review_on=Field("month_date"),
            objectives=_list(Field("int", required=True, minimum=1)),
        )
    ),
    baskets=_list(
        _obj(
            slug=SLUG,
            name=_name(200),
            audience=_name(200),
            description=TEXT,
            illustrative=Field("bool", default=False),
            indicators=_list(Field("slug", required=True), required=True),
        )
    ),
)


# `assumed:` on a record: field name → a note of what the demo (or whoever wrote the file) assumed and why,
# because the sources do not say. Kept as Assumption records; pages and papers mark the value "assumed for the
# demo". Any field of the record may be named but its identity (slug, number) and the records under it.
NOTE = Field("text", required=True, max_length=1000)
ASSUMED_IN = {
    # label: (path of the record's spec in SCHEMA, fields that cannot be assumed)
    "groups": (("groups",), ("slug",)),
    "objectives": (("plan", "objectives"), ("number", "outcomes")),
    "outcomes": (("plan", "objectives", "outcomes"), ("number", "actions")),
    "actions": (("plan", "objectives", "outcomes", "actions"), ()),
    "indicators": (("indicators",), ("slug",)),
    "strategies": (("strategies",), ("slug",)),
}


def _record_spec(path: tuple[str, ...]) -> Field:
    spec = SCHEMA
    for key in path:
        spec = spec.fields[key]
        spec = spec.item if spec.kind == "list" else spec
    return spec


for _path, _fixed in ASSUMED_IN.values():
    _spec = _record_spec(_path)
    _spec.fields["assumed"] = Field(
        "mapping", choices=tuple(k for k in _spec.fields if k not in _fixed), item=NOTE
    )


# --------------------------------------------------------------------------------------------- reading


def _check_references(v: Validator, data: dict) -> None:
    """Cross-references: unique keys, and every slug or number refers to something in the file."""

    def unique(items: list[dict] | None, key: str, path: str) -> set:
        seen: set = set()
        for i, item in enumerate(items or []):
            value = item.get(key)
            if value is None:
                continue
            if value in seen:
                v.error(f"{path}[{i}].{key}", f"{value!r} appears more than once in {path}")
            seen.add(value)
        return seen

    orgs = unique(data["organisations"], "slug", "organisations")
    groups = unique(data["groups"], "slug", "groups")
    indicators = unique(data["indicators"], "slug", "indicators")
    unique(data["strategies"], "slug", "strategies")
    unique(data["baskets"], "slug", "baskets")
    plan = data["plan"] or {}
    objectives = unique(plan.get("objectives"), "number", "plan.objectives")
    outcome_refs: set[str] = set()

    def ref(value, known: set, path: str, what: str) -> None:
        if value is not None and value not in known:
            v.error(path, f"{value!r} is not one of the {what} in this file")

    for i, g in enumerate(data["groups"] or []):
        p = f"groups[{i}]"
        ref(g["lead_organisation"], orgs, f"{p}.lead_organisation", "organisations")
        for j, m in enumerate(g["members"] or []):
            ref(m, orgs, f"{p}.members[{j}]", "organisations")
        ref(g["escalates_to"], groups, f"{p}.escalates_to", "groups")
        if g["escalates_to"] is not None and g["escalates_to"] == g["slug"]:
            v.error(f"{p}.escalates_to", "a group cannot escalate to itself")
        if g["start_date"] and g["end_date"] and g["end_date"] < g["start_date"]:
            v.error(f"{p}.end_date", "the end date is before the start date")
    period = plan.get("period")
    refresh = plan.get("refresh_year")
    if period and refresh and not period[0] <= refresh <= period[1]:
        v.error("plan.refresh_year", f"{refresh} is outside the plan period {period[0]}-{period[1]}")
    for i, o in enumerate(plan.get("objectives") or []):
        p = f"plan.objectives[{i}]"
        unique(o["groups"], "group", f"{p}.groups")
        for j, g in enumerate(o["groups"] or []):
            ref(g["group"], groups, f"{p}.groups[{j}].group", "groups")
        unique(o["outcomes"], "number", f"{p}.outcomes")
        for j, oc in enumerate(o["outcomes"] or []):
            outcome_refs.add(f"{o['number']}.{oc['number']}")
            for k, a in enumerate(oc["actions"] or []):
                ref(a["owner_group"], groups, f"{p}.outcomes[{j}].actions[{k}].owner_group", "groups")
    indicator_units = {ind["slug"]: ind["unit"] for ind in data["indicators"] or []}
    part_of = {ind["slug"]: ind["part_of"] for ind in data["indicators"] or [] if ind["part_of"]}
    for start in part_of:  # a chain of parts must not come back to where it started
        seen, at = {start}, part_of[start]
        while at in part_of and at not in seen:
            seen.add(at)
            at = part_of[at]
        if at == start or at in seen:
            v.error("indicators", f"the part_of relations of {start!r} go round in a circle")
            break
    for i, ind in enumerate(data["indicators"] or []):
        p = f"indicators[{i}]"
        ref(ind["source"], orgs, f"{p}.source", "organisations")
        if ind["baseline_period"]:
            try:
                periods.parse(ind["baseline_period"], basis=ind["period_basis"])
            except ValueError as exc:
                v.error(f"{p}.baseline_period", str(exc))
        for j, n in enumerate(ind["objectives"] or []):
            ref(n, objectives, f"{p}.objectives[{j}]", "objective numbers")
        for j, r in enumerate(ind["outcomes"] or []):
            ref(r, outcome_refs, f"{p}.outcomes[{j}]", "outcome references (objective.outcome)")
        if ind["minimum"] is not None and ind["maximum"] is not None and ind["minimum"] > ind["maximum"]:
            v.error(
                f"{p}.minimum",
                f"the minimum ({ind['minimum']:g}) is more than the maximum ({ind['maximum']:g})",
            )
        if ind["part_of"]:
            whole = indicator_units.get(ind["part_of"])
            if whole is None:
                v.error(f"{p}.part_of", f"unknown indicator {ind['part_of']!r}")
            elif ind["part_of"] == ind["slug"]:
                v.error(f"{p}.part_of", "an indicator cannot be part of itself")
            elif whole != ind["unit"] or ind["unit"] not in PART_OF_UNITS:
                v.error(
                    f"{p}.part_of",
                    f"only a count or rate can be part of another indicator with the same unit "
                    f"({ind['unit']} is not {whole})",
                )
    for i, s in enumerate(data["strategies"] or []):
        p = f"strategies[{i}]"
        ref(s["owner_group"], groups, f"{p}.owner_group", "groups")
        for j, n in enumerate(s["objectives"] or []):
            ref(n, objectives, f"{p}.objectives[{j}]", "objective numbers")
    for i, b in enumerate(data["baskets"] or []):
        for j, s in enumerate(b["indicators"] or []):
            ref(s, indicators, f"baskets[{i}].indicators[{j}]", "indicators")


def _assumed_records(data: dict):
    """(label, path, record) of every record in the file that may carry `assumed:`."""
    for label in ("groups", "indicators", "strategies"):
        for i, record in enumerate(data.get(label) or []):
            yield label, f"{label}[{i}]", record
    for i, o in enumerate((data.get("plan") or {}).get("objectives") or []):
        p = f"plan.objectives[{i}]"
        yield "objectives", p, o
        for j, oc in enumerate(o.get("outcomes") or []):
            yield "outcomes", f"{p}.outcomes[{j}]", oc
            for k, a in enumerate(oc.get("actions") or []):
                yield "actions", f"{p}.outcomes[{j}].actions[{k}]", a


def _check_assumed(v: Validator, data: dict) -> None:
    """An assumption is about a value the file gives: `assumed: {source: ...}` with no source is refused."""
    for _, path, record in _assumed_records(data):
        for field in record.get("assumed") or {}:
            if record.get(field) in (None, "", []):
                v.error(f"{path}.assumed.{field}", f"the record gives no {field} to be assumed")


def _previous_plan(v: Validator, plan: dict) -> Plan | None:
    """The plan named by plan.previous_version, which must already be in the database."""
    slug = plan.get("previous_version")
    if slug is None:
        return None
    path = "plan.previous_version"
    if slug == plan.get("slug"):
        v.error(path, "a plan cannot be its own previous version")
        return None
    previous = Plan.objects.filter(slug=slug).first()
    if previous is None:
        v.error(path, f"{slug!r} is not a plan in the database; import the previous version first")
        return None
    seen: set[int] = set()
    step: Plan | None = previous
    while step is not None and step.pk not in seen:
        if step.slug == plan.get("slug"):
            v.error(path, f"{slug!r} is a later version of this plan, so this would make a loop")
            return None
        seen.add(step.pk)
        step = step.previous_version
    return previous


def _check_lineage(v: Validator, data: dict) -> None:
    """plan.previous_version names a plan in the database; every `previous` refers to a live objective or
    outcome of that plan. One record may be carried on by more than one (an objective split in two)."""
    plan = data["plan"]
    previous = _previous_plan(v, plan)
    has_previous = plan.get("previous_version") is not None
    numbers: set[int] = set()
    refs: set[str] = set()
    if previous is not None:
        numbers = set(previous.objectives.live().values_list("number", flat=True))
        refs = {
            f"{n}.{m}"
            for n, m in Outcome.objects.live()
            .filter(objective__plan=previous, objective__archived_at__isnull=True)
            .values_list("objective__number", "number")
        }
    where = f"{previous.title} ({previous.slug})" if previous else ""

    def check(value, path: str, known: set, what: str) -> None:
        if not has_previous:
            v.error(path, "the plan has no previous_version for this to refer to")
        elif previous is not None and value not in known:
            v.error(path, f"{value!r} is not one of the {what} of {where}")

    for i, o in enumerate(plan["objectives"] or []):
        p = f"plan.objectives[{i}]"
        if o["previous"] is not None:
            check(o["previous"], f"{p}.previous", numbers, "objective numbers")
        for j, oc in enumerate(o["outcomes"] or []):
            ref = oc["previous"]
            if ref is None:
                continue
            path = f"{p}.outcomes[{j}].previous"
            if not OUTCOME_REF_RE.match(ref):
                v.error(path, f'expected an outcome reference such as "2.1" (objective.outcome), got {ref!r}')
                continue
            check(ref, path, refs, "outcome references (objective.outcome)")


def parse_plan_file(text: str, filename: str = "") -> dict:
    """Read and check a plan file. Returns the cleaned data, or raises DocumentError naming every problem.

    Everything is checked within the file, except `plan.previous_version` and the `previous` references,
    which are looked up in the database (the earlier version must be imported first)."""
    if len(text) > MAX_CHARACTERS:
        raise DocumentError(
            [
                Problem(
                    None,
                    "",
                    f"the file has {len(text):,} characters, more than the limit of {MAX_CHARACTERS:,} "
                    "for a plan file",
                )
            ],
            filename,
        )
    try:
        document: Document = read_yaml(text)
    except DocumentError as exc:
        exc.filename = filename
        raise DocumentError(exc.problems, filename) from None
    v = Validator(document)
    if not isinstance(document.data, dict):
        raise DocumentError([Problem(1, "", "expected a mapping of fields at the top of the file")], filename)
    data = v.check(document.data, SCHEMA, "")
    if not v.problems:
        _check_references(v, data)
        _check_assumed(v, data)
    if not v.problems:
        _check_lineage(v, data)
    if v.problems:
        raise DocumentError(v.problems, filename)
    for key in OPTIONAL_LISTS:
        # Present but empty means "none"; left out (None) means "leave them as they are".
        if key in document.data and data[key] is None:
            data[key] = []
    return data


# --------------------------------------------------------------------------------------------- writing


def _sync(instance, user, **values) -> bool:
    """Set fields and save only when something differs, so importing the same file twice changes nothing."""
    changed = instance._state.adding or any(getattr(instance, k) != val for k, val in values.items())
    if changed:
        for k, val in values.items():
            setattr(instance, k, val)
        instance.full_clean(validate_unique=False, validate_constraints=False)
        stamp(instance, user=user)
        instance.save()
    return changed


def _get(model, **lookup):
    try:
        return model.objects.get(**lookup)
    except model.DoesNotExist:
        return model(**lookup)


def _text(value: str | None) -> str:
    return value or ""


def _sync_ordered(manager, model, rows: list[dict], user, parent: dict) -> None:
    """Make the ordered children under a parent equal `rows`; rewrite them only when they differ."""
    existing = list(manager.order_by("order"))
    if len(existing) == len(rows) and all(
        all(getattr(e, k) == val for k, val in row.items()) for e, row in zip(existing, rows, strict=True)
    ):
        return
    for e in existing:
        e.delete()
    for i, values in enumerate(rows):
        _sync(model(**parent), user, order=i, **values)


def _sync_group_roles(objective: Objective, rows: list[tuple[Group, str]], user) -> None:
    """Make the groups that lead and support the objective equal `rows` (group, role), in that order, changing
    only what differs: which group leads an objective decides who may change it, so each change is a history
    record of its own (a group added, removed, or its role changed) with the user who made it."""
    history_user = user if getattr(user, "is_authenticated", False) else None
    existing = {r.group_id: r for r in ObjectiveGroup.objects.filter(objective=objective)}
    wanted = {group.pk: (order, role) for order, (group, role) in enumerate(rows)}
    for group_id, stale in existing.items():
        if group_id not in wanted:
            stale._history_user = history_user
            stale.delete()
    for group_id, (order, role) in wanted.items():
        record = existing.get(group_id) or ObjectiveGroup(objective=objective, group_id=group_id)
        if record._state.adding or (record.order, record.role) != (order, role):
            record.order, record.role = order, role
            record._history_user = history_user
            record.save()


@transaction.atomic
def import_plan(data: dict, *, user=None) -> Plan:
    """Write checked plan data (from parse_plan_file) to the database, all or nothing."""
    p = data["partnership"]
    partnership = _get(Partnership, slug=p["slug"])
    _sync(partnership, user, name=p["name"], area=p["area"], vision=_text(p["vision"]))

    orgs = {}
    for o in data["organisations"]:
        org = _get(Organisation, slug=o["slug"])
        _sync(
            org,
            user,
            name=o["name"],
            short_name=_text(o["short_name"]),
            kind=o["kind"],
            sector=_text(o["sector"]),
        )
        orgs[o["slug"]] = org

    assumed: list[tuple[Any, dict]] = []  # (record, its assumptions), written together at the end
    groups = {}
    for g in data["groups"]:
        group = _get(Group, partnership=partnership, slug=g["slug"])
        _sync(
            group,
            user,
            name=g["name"],
            kind=g["kind"],
            lead_organisation=orgs.get(g["lead_organisation"]),
            areas=g["areas"] or [],
            remit=_text(g["remit"]),
            start_date=g["start_date"],
            end_date=g["end_date"],
            archived_at=None,
        )
        groups[g["slug"]] = group
        assumed.append((group, g["assumed"] or {}))
    for g in data["groups"]:
        group = groups[g["slug"]]
        _sync(group, user, escalates_to=groups.get(g["escalates_to"]))
        group.members.set([orgs[m] for m in g["members"] or []])
    for stale in partnership.groups.live().exclude(slug__in=groups):
        archive(stale, user=user)

    pl = data["plan"]
    previous_plan = Plan.objects.get(slug=pl["previous_version"]) if pl["previous_version"] else None
    plan = _get(Plan, slug=pl["slug"])
    _sync(
        plan,
        user,
        partnership=partnership,
        title=pl["title"],
        start_year=pl["period"][0],
        end_year=pl["period"][1],
        refresh_year=pl["refresh_year"],
        status=pl["status"],
        previous_version_id=previous_plan.pk if previous_plan else None,
    )
    previous_objectives: dict[int, int] = {}
    previous_outcomes: dict[str, int] = {}
    if previous_plan is not None:
        previous_objectives = dict(previous_plan.objectives.live().values_list("number", "pk"))
        previous_outcomes = {
            f"{n}.{m}": pk
            for n, m, pk in Outcome.objects.live()
            .filter(objective__plan=previous_plan, objective__archived_at__isnull=True)
            .values_list("objective__number", "number", "pk")
        }
    _sync_ordered(
        plan.approvals,
        PlanApproval,
        [
            dict(
                body=a["body"],
                date=a["date"][0],
                date_precision=a["date"][1],
                approved=a["approved"],
                note=_text(a["note"]),
            )
            for a in pl["approvals"] or []
        ],
        user,
        {"plan": plan},
    )
    _sync_ordered(
        plan.sections,
        PlanSection,
        [dict(kind=s["kind"], title=s["title"], body=_text(s["body"])) for s in pl["sections"] or []],
        user,
        {"plan": plan},
    )

    objectives: dict[int, Objective] = {}
    outcomes: dict[str, Outcome] = {}
    for o in pl["objectives"]:
        objective = plan.objectives.live().filter(number=o["number"]).first() or Objective(plan=plan)
        _sync(
            objective,
            user,
            number=o["number"],
            title=o["title"],
            why_priority=_text(o["why_priority"]),
            key_challenges=_text(o["key_challenges"]),
            joint_with=o["joint_with"] or [],
            previous_id=previous_objectives.get(o["previous"]),
        )
        objectives[o["number"]] = objective
        assumed.append((objective, o["assumed"] or {}))
        _sync_group_roles(objective, [(groups[g["group"]], g["role"]) for g in o["groups"] or []], user)
        _sync_ordered(
            objective.links,
            ObjectiveLink,
            [
                dict(plan_name=lk["plan"], objective_text=lk["objective"], focus=_text(lk["focus"]))
                for lk in o["links"] or []
            ],
            None,
            {"objective": objective},
        )
        kept = []
        for oc in o["outcomes"]:
            outcome = objective.outcomes.live().filter(number=oc["number"]).first() or Outcome(
                objective=objective
            )
            _sync(
                outcome,
                user,
                number=oc["number"],
                title=oc["title"],
                previous_id=previous_outcomes.get(oc["previous"]),
            )
            outcomes[f"{o['number']}.{oc['number']}"] = outcome
            assumed.append((outcome, oc["assumed"] or {}))
            kept.append(outcome.pk)
            actions = list(outcome.actions.live().order_by("order", "pk"))
            for i, a in enumerate(oc["actions"] or []):
                action = actions[i] if i < len(actions) else StrategicAction(outcome=outcome)
                _sync(
                    action,
                    user,
                    order=i,
                    text=a["text"],
                    owner_group=groups.get(a["owner_group"]),
                    target_date=a["target_date"],
                )
                assumed.append((action, a["assumed"] or {}))
            for stale in actions[len(oc["actions"] or []) :]:
                archive(stale, user=user)
        for stale in objective.outcomes.live().exclude(pk__in=kept):
            record_archive(record=stale, user=user)
    for stale in plan.objectives.live().exclude(pk__in=[o.pk for o in objectives.values()]):
        record_archive(record=stale, user=user)

    indicators = {}
    for i, ind in enumerate(data["indicators"] or []):
        indicator = _get(Indicator, partnership=partnership, slug=ind["slug"])
        _sync(
            indicator,
            user,
            order=i,
            name=ind["name"],
            definition=_text(ind["definition"]),
            unit=ind["unit"],
            polarity=ind["polarity"],
            frequency=ind["frequency"],
            period_basis=ind["period_basis"],
            source=orgs.get(ind["source"]),
            heading=_text(ind["heading"]),
            key_crime=ind["key_crime"],
            rag_tolerance=ind["rag_tolerance"],
            baseline_period=ind["baseline_period"] or "",
            narrative=ind["narrative"] or "",
            derived_from=ind["derived_from"] or "",
            minimum=ind["minimum"],
            maximum=ind["maximum"],
            archived_at=None,
        )
        other_plans = indicator.objectives.exclude(plan=plan)
        indicator.objectives.set([*other_plans, *(objectives[n] for n in ind["objectives"] or [])])
        other_outcomes = indicator.outcomes.exclude(objective__plan=plan)
        indicator.outcomes.set([*other_outcomes, *(outcomes[r] for r in ind["outcomes"] or [])])
        indicators[ind["slug"]] = indicator
        assumed.append((indicator, ind["assumed"] or {}))
    for ind in data["indicators"] or []:  # once every indicator exists
        _sync(indicators[ind["slug"]], user, part_of=indicators.get(ind["part_of"]))
    if data["indicators"] is not None:
        for stale in partnership.indicators.live().exclude(slug__in=indicators):
            archive(stale, user=user)

    strategies = set()
    for i, s in enumerate(data["strategies"] or []):
        strategy = _get(Strategy, partnership=partnership, slug=s["slug"])
        approved = s["approved_on"] or (None, DatePrecision.DAY)
        review = s["review_on"] or (None, DatePrecision.DAY)
        _sync(
            strategy,
            user,
            order=i,
            title=s["title"],
            start_year=s["period"][0] if s["period"] else None,
            end_year=s["period"][1] if s["period"] else None,
            owner_group=groups.get(s["owner_group"]),
            approved_on=approved[0],
            approved_precision=approved[1],
            review_on=review[0],
            review_precision=review[1],
        )
        strategy.objectives.set(
            [*strategy.objectives.exclude(plan=plan), *(objectives[n] for n in s["objectives"] or [])]
        )
        strategies.add(s["slug"])
        assumed.append((strategy, s["assumed"] or {}))
    if data["strategies"] is not None:
        partnership.strategies.exclude(slug__in=strategies).delete()

    baskets = set()
    for i, b in enumerate(data["baskets"] or []):
        basket = _get(Basket, partnership=partnership, slug=b["slug"])
        _sync(
            basket,
            user,
            order=i,
            name=b["name"],
            audience=b["audience"],
            description=_text(b["description"]),
            illustrative=b["illustrative"],
        )
        _sync_ordered(
            basket.members,
            BasketIndicator,
            [dict(indicator=indicators[s]) for s in b["indicators"]],
            None,
            {"basket": basket},
        )
        baskets.add(b["slug"])
    if data["baskets"] is not None:
        partnership.baskets.exclude(slug__in=baskets).delete()
    assumptions_sync(assumed, user=user)
    return plan


def import_plan_text(text: str, *, filename: str = "", user=None) -> Plan:
    return import_plan(parse_plan_file(text, filename), user=user)


# --------------------------------------------------------------------------------------------- export


def _month_date(value: dt.date | None, precision: str) -> Any:
    if value is None:
        return None
    return value.strftime("%Y-%m") if precision == DatePrecision.MONTH else value


def _compact(d: dict) -> dict:
    """Drop empty optional values, so the export reads like a hand-written file."""
    return {k: v for k, v in d.items() if v not in (None, "", [], False)}


def _objective_ref(objective: Objective, plan: Plan) -> int | None:
    """The number of the objective this one carries on, when it is live in the previous version."""
    previous = objective.previous
    if previous is None or previous.is_archived or previous.plan_id != plan.previous_version_id:
        return None
    return previous.number


def _outcome_ref(outcome: Outcome, plan: Plan) -> str | None:
    """The "N.M" reference of the outcome this one carries on, when it is live in the previous version."""
    previous = outcome.previous
    if (
        previous is None
        or previous.is_archived
        or previous.objective.is_archived
        or previous.objective.plan_id != plan.previous_version_id
    ):
        return None
    return f"{previous.objective.number}.{previous.number}"


def export_plan(plan: Plan) -> dict:
    """The plan and its partnership as plan-file data (the inverse of import_plan)."""
    partnership = plan.partnership
    groups = list(
        partnership.groups.live()
        .select_related("lead_organisation", "escalates_to")
        .prefetch_related("members")
        .order_by("pk")
    )
    indicators = list(
        partnership.indicators.live()
        .select_related("source")
        .prefetch_related("objectives", "outcomes__objective")
        .order_by("order", "pk")
    )
    objectives = list(
        plan.objectives.live()
        .select_related("previous")
        .prefetch_related("group_roles__group", "links")
        .order_by("number")
    )
    org_list = list(Organisation.objects.order_by("pk"))
    data: dict[str, Any] = {
        "format": FORMAT,
        "partnership": _compact(
            {
                "slug": partnership.slug,
                "name": partnership.name,
                "area": partnership.area,
                "vision": partnership.vision,
            }
        ),
        "organisations": [
            _compact(
                {
                    "slug": o.slug,
                    "name": o.name,
                    "short_name": o.short_name,
                    "kind": o.kind,
                    "sector": o.sector,
                }
            )
            for o in org_list
        ],
        "groups": [
            _compact(
                {
                    "slug": g.slug,
                    "name": g.name,
                    "kind": g.kind,
                    "lead_organisation": g.lead_organisation.slug if g.lead_organisation else None,
                    "members": sorted((m.slug for m in g.members.all()), key=lambda s: s),
                    "escalates_to": g.escalates_to.slug if g.escalates_to else None,
                    "areas": g.areas,
                    "remit": g.remit,
                    "start_date": g.start_date,
                    "end_date": g.end_date,
                }
            )
            for g in groups
        ],
    }
    plan_data = {
        "slug": plan.slug,
        "title": plan.title,
        "period": plan.period,
        "refresh_year": plan.refresh_year,
        "status": plan.status,
        "previous_version": plan.previous_version.slug if plan.previous_version_id else None,
        "approvals": [
            _compact(
                {
                    "body": a.body,
                    "date": _month_date(a.date, a.date_precision),
                    "approved": a.approved,
                    "note": a.note,
                }
            )
            for a in plan.approvals.order_by("order")
        ],
        "sections": [
            {"kind": s.kind, "title": s.title, "body": s.body} for s in plan.sections.order_by("order")
        ],
        "objectives": [],
    }
    outcomes = (
        Outcome.objects.live()
        .filter(objective__plan=plan)
        .select_related("previous__objective")
        .order_by("number")
    )
    actions = (
        StrategicAction.objects.live()
        .filter(outcome__objective__plan=plan)
        .select_related("owner_group")
        .order_by("order", "pk")
    )
    outcomes_by_objective: dict[int, list] = {}
    for oc in outcomes:
        outcomes_by_objective.setdefault(oc.objective_id, []).append(oc)
    actions_by_outcome: dict[int, list] = {}
    for a in actions:
        actions_by_outcome.setdefault(a.outcome_id, []).append(a)
    for o in objectives:
        plan_data["objectives"].append(
            _compact(
                {
                    "number": o.number,
                    "title": o.title,
                    "previous": _objective_ref(o, plan),
                    "why_priority": o.why_priority,
                    "key_challenges": o.key_challenges,
                    "groups": [{"group": r.group.slug, "role": r.role} for r in o.group_roles.all()],
                    "joint_with": o.joint_with,
                    "links": [
                        _compact({"plan": lk.plan_name, "objective": lk.objective_text, "focus": lk.focus})
                        for lk in o.links.all()
                    ],
                    "outcomes": [
                        _compact(
                            {
                                "number": oc.number,
                                "title": oc.title,
                                "previous": _outcome_ref(oc, plan),
                                "actions": [
                                    _compact(
                                        {
                                            "text": a.text,
                                            "owner_group": a.owner_group.slug if a.owner_group else None,
                                            "target_date": a.target_date,
                                        }
                                    )
                                    for a in actions_by_outcome.get(oc.pk, [])
                                ],
                            }
                        )
                        for oc in outcomes_by_objective.get(o.pk, [])
                    ],
                }
            )
        )
    data["plan"] = _compact(plan_data)
    data["indicators"] = [
        _compact(
            {
                "slug": i.slug,
                "name": i.name,
                "definition": i.definition,
                "unit": i.unit,
                "polarity": i.polarity,
                "frequency": i.frequency,
                "period_basis": i.period_basis,
                "source": i.source.slug if i.source else None,
                "heading": i.heading,
                "objectives": sorted(
                    o.number for o in i.objectives.all() if o.plan_id == plan.pk and not o.is_archived
                ),
                "outcomes": sorted(
                    (
                        f"{oc.objective.number}.{oc.number}"
                        for oc in i.outcomes.all()
                        if oc.objective.plan_id == plan.pk and not oc.is_archived
                    ),
                    key=lambda r: tuple(int(x) for x in r.split(".")),
                ),
                "key_crime": i.key_crime,
                "rag_tolerance": None if i.rag_tolerance == 5.0 else i.rag_tolerance,
                "baseline_period": i.baseline_period,
                "narrative": i.narrative,
                "derived_from": i.derived_from,
                "minimum": i.minimum,
                "maximum": i.maximum,
                "part_of": i.part_of.slug if i.part_of else None,
            }
        )
        for i in indicators
    ]
    strategies = list(
        partnership.strategies.select_related("owner_group")
        .prefetch_related("objectives")
        .order_by("order", "pk")
    )
    data["strategies"] = [
        _compact(
            {
                "slug": s.slug,
                "title": s.title,
                "period": s.period,
                "owner_group": s.owner_group.slug if s.owner_group else None,
                "approved_on": _month_date(s.approved_on, s.approved_precision),
                "review_on": _month_date(s.review_on, s.review_precision),
                "objectives": sorted(o.number for o in s.objectives.all() if o.plan_id == plan.pk),
            }
        )
        for s in strategies
    ]
    data["baskets"] = [
        _compact(
            {
                "slug": b.slug,
                "name": b.name,
                "audience": b.audience,
                "description": b.description,
                "illustrative": b.illustrative,
                "indicators": [
                    m.indicator.slug for m in b.members.select_related("indicator").order_by("order")
                ],
            }
        )
        for b in partnership.baskets.order_by("order", "pk")
    ]
    _export_assumed(
        data, plan_data, groups, objectives, outcomes_by_objective, actions_by_outcome, indicators, strategies
    )
    return _compact(data)


def _export_assumed(
    data, plan_data, groups, objectives, outcomes_by_objective, actions_by_outcome, indicators, strategies
) -> None:
    """Add each exported record's `assumed:` mapping (last, after its fields), read in one query."""
    outcomes = [oc for o in objectives for oc in outcomes_by_objective.get(o.pk, [])]
    actions = [a for oc in outcomes for a in actions_by_outcome.get(oc.pk, [])]
    assumptions_attach(*groups, *objectives, *outcomes, *actions, *indicators, *strategies)

    def add(records: list[dict], objects: list) -> None:
        for record, obj in zip(records, objects, strict=True):
            if obj.assumption_notes:
                record["assumed"] = dict(obj.assumption_notes)

    add(data["groups"], groups)
    add(data["indicators"], indicators)
    add(data["strategies"], strategies)
    add(plan_data["objectives"], objectives)
    for record, o in zip(plan_data["objectives"], objectives, strict=True):
        add(record.get("outcomes", []), outcomes_by_objective.get(o.pk, []))
        for oc_record, oc in zip(
            record.get("outcomes", []), outcomes_by_objective.get(o.pk, []), strict=True
        ):
            add(oc_record.get("actions", []), actions_by_outcome.get(oc.pk, []))


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data) -> bool:
        return True  # plan files have no anchors or aliases: a value used twice is written out twice


def _represent_str(dumper: yaml.SafeDumper, value: str):
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def export_plan_text(plan: Plan) -> str:
    header = "# SaferPlan plan file: format documented in docs/plan-format.md\n"
    return header + dump_yaml(export_plan(plan))
