"""Who may read and change funding (on top of saferplan.accounts.permissions).

- every signed-in role but viewers reads the funding pages (viewers read published material only);
- administrators create and edit projects;
- administrators and Board members sign off a project's spend on the evidence of its outcomes.
"""

from __future__ import annotations

from saferplan.accounts.permissions import Role, _role, can_read_drafts, is_administrator


def can_read_funding(user) -> bool:
    return can_read_drafts(user)


def can_manage_funding(user) -> bool:
    return is_administrator(user)


def can_sign_off_spend(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.BOARD_MEMBER)
