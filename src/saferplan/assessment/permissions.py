"""Who may read and change the strategic assessment, consultation and information sharing (on top of
saferplan.accounts.permissions).

- every signed-in role but viewers reads the assessment pages, consultation and the information-sharing
  schedule and register (viewers read published material only: the published assessment documents);
- administrators and analysts write the assessment (sections, long-list, priorities), record consultation,
  keep the scoring schemes, the information-sharing schedule, register and data improvement plan;
- administrators and analysts score the long-list, each as themselves (no one enters another's scores), and
  moderate the scores once at least two people have scored;
- a data provider records the receipt of their own organisation's flows.
"""

from __future__ import annotations

from saferplan.accounts.permissions import Role, _role, can_read_drafts


def can_read_assessment(user) -> bool:
    return can_read_drafts(user)


def can_manage_assessment(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_score(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_moderate(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_manage_sharing(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def can_record_receipt(user, flow) -> bool:
    role = _role(user)
    if role in (Role.ADMINISTRATOR, Role.ANALYST):
        return True
    return (
        role == Role.DATA_PROVIDER
        and user.organisation_id is not None
        and user.organisation_id == flow.provider_id
    )
