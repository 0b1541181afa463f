"""Retention: casework records go when their partnership's RetentionRule says (UK GDPR art. 5(1)(e), storage
limitation). Each rule names a record type, how many months to keep it, and whether it is then deleted or
anonymised (kept for the counts, with nothing left that identifies anyone).

The clock: a case's or case review's closing date (open ones are kept); for incidents and referrals, the later
of the closing date and the record's own date (an incident on an open case is kept while the case is open); an
access-log entry's time. A person is anonymised (or, when no record about them is left, deleted) only once no
record about them is still within retention. Every record anonymised or deleted is logged (user none, the reason
names the rule). Records already anonymised are skipped, so a second run changes nothing. One transaction per
record type; a dry run works out the same and writes nothing."""

from __future__ import annotations

from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from saferplan.assessment.selectors.sharing import add_months
from saferplan.casework.models import (
    ANONYMISED,
    AccessLog,
    Address,
    Case,
    CaseReview,
    Incident,
    IncidentPerson,
    Person,
    Referral,
    RetentionRule,
)
from saferplan.casework.services import access

Type = RetentionRule.RecordType
# Access-log entries last, so that the entries this run writes are never its own subject.
ORDER = [Type.INCIDENT, Type.ASB_CASE, Type.MAIS_CASE, Type.MARAC_CASE, Type.CASE_REVIEW, Type.REFERRAL]
ORDER.append(Type.ACCESS_LOG)


@dataclass
class Outcome:
    record_type: str
    label: str
    action: str
    cutoff: date
    done: int = 0
    people_anonymised: int = 0
    people_deleted: int = 0


@dataclass
class Report:
    today: date
    dry_run: bool
    outcomes: list[Outcome] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return sum(o.done + o.people_anonymised + o.people_deleted for o in self.outcomes)

    def lines(self) -> list[str]:
        verb = "Would" if self.dry_run else ""
        out = []
        for o in self.outcomes:
            done = "anonymise" if o.action == RetentionRule.Action.ANONYMISE else "delete"
            words = f"{verb} {done}" if verb else ("anonymised" if done == "anonymise" else "deleted")
            line = f"{o.label}: {o.done} {words} (closed or dated before {o.cutoff:%-d %B %Y})"
            if o.people_anonymised or o.people_deleted:
                line += f"; people {o.people_anonymised} anonymised, {o.people_deleted} deleted"
            out.append(line.strip())
        if not self.changed:
            out.append("Nothing to do: no record has passed its retention period (or all are already done).")
        return out


def _reason(rule: RetentionRule) -> str:
    return (
        f"Retention rule: {rule.get_record_type_display()} {rule.get_action_display().lower()}d "
        f"{rule.keep_months} months after closing"
    )


def _expired(rule: RetentionRule, cutoff: date):
    """The records the rule now applies to (not yet anonymised)."""
    p = rule.partnership_id
    t = rule.record_type
    if t in (Type.ASB_CASE, Type.MAIS_CASE, Type.MARAC_CASE):
        return Case.objects.filter(partnership_id=p, kind=t, closed_on__lt=cutoff, anonymised_at__isnull=True)
    if t == Type.CASE_REVIEW:
        return CaseReview.objects.filter(partnership_id=p, closed_on__lt=cutoff, anonymised_at__isnull=True)
    if t == Type.INCIDENT:
        return Incident.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__lt=cutoff),
            Q(case__isnull=True) | Q(case__closed_on__isnull=False),
            partnership_id=p,
            occurred_on__lt=cutoff,
            reported_on__lt=cutoff,
            anonymised_at__isnull=True,
        )
    if t == Type.REFERRAL:
        return Referral.objects.filter(
            Q(closed_on__isnull=True) | Q(closed_on__lt=cutoff),
            partnership_id=p,
            referred_on__lt=cutoff,
            anonymised_at__isnull=True,
        )
    raise ValueError(t)


def _people_of(record) -> set[int]:
    if isinstance(record, Case):
        return {record.subject_id, *record.people.values_list("pk", flat=True)} | set(
            record.interventions.exclude(person=None).values_list("person_id", flat=True)
        )
    if isinstance(record, Incident):
        ids = set(IncidentPerson.objects.filter(incident=record).values_list("person_id", flat=True))
        return ids | ({record.reporter_id} if record.reporter_id else set())
    if isinstance(record, CaseReview):
        return {record.applicant_id}
    if isinstance(record, Referral):
        return {record.person_id}
    return set()


def _addresses_of(record) -> set[int]:
    return {record.address_id} if getattr(record, "address_id", None) else set()


def _anonymise(record, now) -> None:
    if isinstance(record, Case):
        record.summary = record.risk_assessment = record.closure_reason = ""
        record.actions.update(description=ANONYMISED)
        record.interventions.update(notes="")
        if hasattr(record, "marac"):
            record.marac.judgement_reason = ""
            record.marac.save(update_fields=["judgement_reason"])
    elif isinstance(record, Incident):
        record.description = ""
    elif isinstance(record, CaseReview):
        record.behaviour = record.decision_reason = record.recommendations = record.appeal_outcome = ""
    elif isinstance(record, Referral):
        record.notes = record.referrer_name = ""
        record.routes.exclude(decline_reason="").update(decline_reason=ANONYMISED)
    record.anonymised_at = now
    record.save()


def _live_records_about(person_id: int) -> bool:
    """Whether any record about the person is not anonymised (still within retention, or under no rule)."""
    return (
        Case.objects.filter(
            Q(subject_id=person_id) | Q(people=person_id), anonymised_at__isnull=True
        ).exists()
        or Incident.objects.filter(
            Q(reporter_id=person_id) | Q(people__person_id=person_id), anonymised_at__isnull=True
        ).exists()
        or CaseReview.objects.filter(applicant_id=person_id, anonymised_at__isnull=True).exists()
        or Referral.objects.filter(person_id=person_id, anonymised_at__isnull=True).exists()
    )


def _any_records_about(person_id: int) -> bool:
    return (
        Case.objects.filter(Q(subject_id=person_id) | Q(people=person_id)).exists()
        or Incident.objects.filter(Q(reporter_id=person_id) | Q(people__person_id=person_id)).exists()
        or CaseReview.objects.filter(applicant_id=person_id).exists()
        or Referral.objects.filter(person_id=person_id).exists()
    )


def _settle_people(person_ids: set[int], reason: str, now, outcome: Outcome) -> None:
    for person in Person.objects.filter(pk__in=person_ids, anonymised_at__isnull=True):
        if _live_records_about(person.pk):
            continue
        if not _any_records_about(person.pk):
            access.log(user=None, action=AccessLog.Action.DELETE, record=person, reason=reason)
            person.delete()
            outcome.people_deleted += 1
            continue
        person.name = ANONYMISED
        person.date_of_birth = None
        person.contact = person.special_category = ""
        person.anonymised_at = now
        person.save()
        access.log(user=None, action=AccessLog.Action.ANONYMISE, record=person, reason=reason)
        outcome.people_anonymised += 1


def _settle_addresses(address_ids: set[int], now) -> None:
    for address in Address.objects.filter(pk__in=address_ids, anonymised_at__isnull=True):
        in_use = (
            Incident.objects.filter(address=address, anonymised_at__isnull=True).exists()
            or Referral.objects.filter(address=address, anonymised_at__isnull=True).exists()
        )
        if in_use:
            continue
        address.text = ""
        address.postcode = ""
        address.anonymised_at = now
        address.save()


def _apply(rule: RetentionRule, cutoff: date, now) -> Outcome:
    outcome = Outcome(rule.record_type, rule.get_record_type_display(), rule.action, cutoff)
    reason = _reason(rule)
    if rule.record_type == Type.ACCESS_LOG:
        start = timezone.make_aware(datetime.combine(cutoff, time.min))
        entries = AccessLog.objects.filter(at__lt=start)
        if rule.action == RetentionRule.Action.DELETE:
            outcome.done = entries.delete()[0]
        else:
            outcome.done = entries.exclude(username=ANONYMISED).update(
                user=None, username=ANONYMISED, reason=ANONYMISED
            )
        if outcome.done:
            AccessLog.objects.create(
                username="system",
                action=rule.action,
                record_type="access_log",
                reason=f"{reason}: {outcome.done} entries",
            )
        return outcome
    people: set[int] = set()
    addresses: set[int] = set()
    for record in _expired(rule, cutoff):
        people |= _people_of(record)
        addresses |= _addresses_of(record)
        if rule.action == RetentionRule.Action.DELETE:
            access.log(user=None, action=AccessLog.Action.DELETE, record=record, reason=reason)
            if isinstance(record, Case):
                record.people.clear()
            record.delete()
        else:
            _anonymise(record, now)
            access.log(user=None, action=AccessLog.Action.ANONYMISE, record=record, reason=reason)
        outcome.done += 1
    _settle_people(people, reason, now, outcome)
    _settle_addresses(addresses, now)
    return outcome


def run(*, today: date | None = None, dry_run: bool = False, partnership=None) -> Report:
    """Apply every retention rule (of one partnership, or all). One transaction per record type; a dry run
    rolls everything back and reports what it would have done."""
    today = today or date.today()
    now = timezone.now()
    report = Report(today=today, dry_run=dry_run)
    rules = RetentionRule.objects.select_related("partnership")
    if partnership is not None:
        rules = rules.filter(partnership=partnership)
    by_type = {t: [r for r in rules if r.record_type == t] for t in ORDER}
    with transaction.atomic() if dry_run else nullcontext():
        for record_type in ORDER:
            with transaction.atomic():
                for rule in by_type[record_type]:
                    cutoff = add_months(today, -rule.keep_months)
                    report.outcomes.append(_apply(rule, cutoff, now))
        if dry_run:
            transaction.set_rollback(True)
    return report
