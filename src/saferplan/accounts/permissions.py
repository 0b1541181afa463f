"""Who may read and change what. Every view calls these; templates use them only to hide links.

Roles (User.Role):
- administrator: reads and changes everything;
- analyst: reads everything; creates, edits and archives indicators; chooses headline sources; sends data
  returns for any organisation;
- group lead: reads everything; edits the objectives, outcomes and actions their group owns
  (objectives their group leads, and actions owned by their group) and adds outcomes and actions under them;
- data provider: reads everything; sends data returns for their own organisation;
- Board member: reads everything, including drafts and history;
- viewer: reads published material only (approved or archived plans), without change history;
- caseworker: frontline staff of a partner agency; reads like a data provider, and records and opens casework
  (ASB incidents and cases, case reviews, referrals, MAIS and MARAC) by need to know: their own agency's records
  and the cases whose team they are on (saferplan.casework.permissions). No other role opens casework records:
  they see depersonalised counts only.
"""

from __future__ import annotations

from saferplan.accounts.models import User
from saferplan.plans.models import Indicator, Objective, Outcome, Plan, StrategicAction

Role = User.Role


def _role(user) -> str | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    if user.is_superuser:
        return Role.ADMINISTRATOR
    return user.role


def is_administrator(user) -> bool:
    return _role(user) == Role.ADMINISTRATOR


def can_read_drafts(user) -> bool:
    return _role(user) not in (None, Role.VIEWER)


def can_read_plan(user, plan: Plan) -> bool:
    if _role(user) is None:
        return False
    return plan.status != Plan.Status.DRAFT or can_read_drafts(user)


def can_view_history(user) -> bool:
    return can_read_drafts(user)


def led_group_ids(user) -> set[int]:
    """Ids of the groups this user leads (cached on the user object for the request)."""
    if _role(user) != Role.GROUP_LEAD:
        return set()
    if not hasattr(user, "_led_group_ids"):
        user._led_group_ids = set(user.led_groups.values_list("pk", flat=True))
    return user._led_group_ids


def can_use_my_group(user) -> bool:
    return _role(user) in (Role.GROUP_LEAD, Role.ADMINISTRATOR)


def can_create_objective(user, plan: Plan) -> bool:
    return is_administrator(user)


def _leads_objective(user, objective: Objective) -> bool:
    ids = led_group_ids(user)
    if not ids:
        return False
    return any(r.group_id in ids and r.role == "lead" for r in objective.group_roles.all())


def can_edit_objective(user, objective: Objective) -> bool:
    if objective.is_archived:
        return False
    return is_administrator(user) or _leads_objective(user, objective)


def can_archive_objective(user, objective: Objective) -> bool:
    return not objective.is_archived and is_administrator(user)


def can_edit_outcome(user, outcome: Outcome) -> bool:
    return not outcome.is_archived and can_edit_objective(user, outcome.objective)


def can_edit_action(user, action: StrategicAction) -> bool:
    if action.is_archived:
        return False
    if action.owner_group_id and action.owner_group_id in led_group_ids(user):
        return True
    return can_edit_outcome(user, action.outcome)


def can_create_indicator(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_edit_indicator(user, indicator: Indicator) -> bool:
    return not indicator.is_archived and can_create_indicator(user)


def can_manage_performance_data(user) -> bool:
    """Choose headline sources and import populations: analysts and administrators."""
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_maintain_synonyms(user) -> bool:
    """The short forms search understands (ASB → anti-social behaviour): analysts and administrators."""
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_use_data_returns(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST, Role.DATA_PROVIDER)


def can_submit_return(user, organisation) -> bool:
    """Data providers send returns for their own organisation; analysts and administrators for any."""
    role = _role(user)
    if role in (Role.ADMINISTRATOR, Role.ANALYST):
        return True
    return (
        role == Role.DATA_PROVIDER
        and user.organisation_id is not None
        and user.organisation_id == organisation.pk
    )


def can_import_police_data(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


# ------------------------------------------------------------------------------------------- delivery


def can_manage_delivery_for(user, group_id: int | None) -> bool:
    """Administrators, and the leads of the group that owns the detailed action."""
    return is_administrator(user) or (group_id is not None and group_id in led_group_ids(user))


def groups_for_new_actions(user, groups, *, escalation=None):
    """Of `groups` (a queryset), those the person may create detailed actions for: all for administrators; the
    groups they lead; and, when they decide an escalation, the group that raised it and the group deciding it
    (a decision sets an action for the escalating group, or takes it on itself). Never any other group."""
    if is_administrator(user):
        return groups
    allowed = set(led_group_ids(user))
    if escalation is not None and can_decide_escalation(user, escalation):
        allowed |= {escalation.from_group_id, escalation.to_group_id}
    return groups.filter(pk__in=allowed)


def can_see_evidence(user) -> bool:
    """Evidence files are for partners: every signed-in role but viewers (published material only)."""
    return can_read_drafts(user)


def can_raise_escalation(user, group_id: int) -> bool:
    return can_manage_delivery_for(user, group_id)


def can_decide_escalation(user, escalation) -> bool:
    """The receiving body decides: its group leads, Board members for the Board, or an administrator."""
    if escalation.state != "open":
        return False
    if _role(user) == Role.BOARD_MEMBER and escalation.to_group.kind == "board":
        return True
    return can_manage_delivery_for(user, escalation.to_group_id)


def can_view_escalations(user) -> bool:
    return can_read_drafts(user)


def can_draft_reports(user) -> bool:
    """Administrators and analysts draft reports and send them for review."""
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_publish_report(user, report) -> bool:
    """Administrators and Board members review and publish a report in review, never one they sent."""
    return (
        _role(user) in (Role.ADMINISTRATOR, Role.BOARD_MEMBER)
        and report.state == "in_review"
        and report.submitted_by_id != user.pk
    )


def can_see_report(user, report) -> bool:
    """Published reports are for everyone signed in; drafts and reports in review for partners."""
    return report.state == "published" or can_read_drafts(user)


def can_withdraw_figure(user, observation) -> bool:
    """Administrators and analysts withdraw any real figure; a data provider the figures their own organisation
    returned. Synthetic demo figures are not withdrawn (they are replaced by real ones)."""
    if observation.synthetic:
        return False
    if can_manage_performance_data(user):
        return True
    return observation.data_return_id is not None and can_submit_return(
        user, observation.data_return.organisation
    )
