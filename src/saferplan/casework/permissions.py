"""Who may open and change casework records: need to know (docs/adr/0006-casework-privacy.md).

- A caseworker (User.Role.CASEWORKER, with an organisation) records incidents, cases, case reviews and referrals
  for their own agency, and opens:
  - a case whose lead or team they are on, always (even when it is restricted);
  - any unrestricted record of their own agency;
  - an unrestricted case shared with their agency under an information-sharing agreement (SharingBasis);
  - a Safer Homes referral sent to their service (a ReferralRoute to their organisation);
  - an incident they recorded, or linked to a case they may open (an incident on a restricted case opens to
    that case's team and its recorder only).
  Opening a record of their agency that they are not on the team of needs a stated reason (logged).
- No other role opens a record about a person: administrators configure casework (thresholds, routing,
  retention), read the access log and answer subject access requests (each with a reason, logged); analysts
  keep the casework feeds into the plan; every role but viewers reads depersonalised counts; the published
  ASB Case Review figures are read by everyone signed in.
"""

from __future__ import annotations

from saferplan.accounts.permissions import Role, _role, can_read_drafts


def is_caseworker(user) -> bool:
    return _role(user) == Role.CASEWORKER and getattr(user, "organisation_id", None) is not None


def can_record(user) -> bool:
    """Record new incidents, cases, case reviews, referrals and MARAC referrals (for the user's own agency)."""
    return is_caseworker(user)


def can_read_counts(user) -> bool:
    """Depersonalised counts (the casework summary and figures pages)."""
    return can_read_drafts(user)


def can_read_published_figures(user) -> bool:
    """The ASB Case Review figures a partnership must publish (public once published)."""
    return _role(user) is not None


def can_configure(user) -> bool:
    """Casework settings, Safer Homes routing rules and retention rules."""
    return _role(user) == Role.ADMINISTRATOR


def can_read_access_log(user) -> bool:
    return _role(user) == Role.ADMINISTRATOR


def can_handle_subject_access(user) -> bool:
    return _role(user) == Role.ADMINISTRATOR


def can_manage_feeds(user) -> bool:
    return _role(user) in (Role.ADMINISTRATOR, Role.ANALYST)


def on_team(user, case) -> bool:
    """The case's lead or a member of its team."""
    if getattr(user, "pk", None) is None:
        return False
    return case.lead_id == user.pk or case.team.filter(pk=user.pk).exists()


def _shared_with(user, case) -> bool:
    return case.sharing.filter(organisation_id=user.organisation_id).exists()


def standing(user, record) -> str | None:
    """Why this user may open the record without stating a reason ("team", "routed", "shared"), "agency" when
    they may open it but must say why, or None when they may not open it at all."""
    from saferplan.casework.models import Case, CaseReview, Incident, Person, Referral

    if not is_caseworker(user):
        return None
    if isinstance(record, Person):
        return _person_standing(user, record)
    if isinstance(record, Case):
        if on_team(user, record):
            return "team"
        if record.restricted:
            return None
        if record.organisation_id == user.organisation_id:
            return "agency"
        return "shared" if _shared_with(user, record) else None
    if isinstance(record, Incident):
        if record.created_by_id is not None and record.created_by_id == user.pk:
            return "team"  # the officer who recorded it
        if record.case_id is not None:
            found = standing(user, record.case)
            if found is not None or record.case.restricted:
                return found  # an incident on a restricted case opens to that case's team only
        if record.restricted:
            return None
        return "agency" if record.organisation_id == user.organisation_id else None
    if isinstance(record, Referral):
        if record.routes.filter(organisation_id=user.organisation_id).exists():
            return "routed"
        if record.created_by_id == user.pk:
            return "team"
        if record.restricted:
            return None
        return "agency" if record.organisation_id == user.organisation_id else None
    if isinstance(record, CaseReview):
        if record.created_by_id == user.pk:
            return "team"
        if record.restricted:
            return None
        return "agency" if record.organisation_id == user.organisation_id else None
    return None


_RANK = {"team": 0, "routed": 1, "shared": 2, "agency": 3}


def _person_standing(user, person) -> str | None:
    """A person is opened through the records about them: the best standing the user has on any of them."""
    from saferplan.casework.selectors.privacy import records_about

    best = None
    for record in records_about(person).all_records():
        found = standing(user, record)
        if found is not None and (best is None or _RANK[found] < _RANK[best]):
            best = found
            if best == "team":
                break
    return best


def can_open(user, record) -> bool:
    return standing(user, record) is not None


def can_change(user, record) -> bool:
    """Change a record: its team (a case's lead and team; an incident's, review's or referral's recorder) or its
    owning agency's caseworkers; a service a referral was sent to changes only its own route (see can_respond)."""
    found = standing(user, record)
    return found in ("team", "agency")


def can_respond(user, route) -> bool:
    """Accept, complete or decline a Safer Homes referral sent to the user's service."""
    return is_caseworker(user) and route.organisation_id == user.organisation_id
