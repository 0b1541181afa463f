"""Retention: expired records anonymised or deleted by their rule (each logged), unexpired ones untouched, a
person anonymised only when nothing about them is still kept, a second run a no-op, a dry run writes nothing."""

from __future__ import annotations

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saferplan.casework import models as m
from saferplan.casework.services import retention
from tests.casework.factories import caseload

TODAY = date(2024, 1, 1)


@pytest.fixture
def load(demo, users):
    load = caseload(demo.partnership, users["caseworker"], prefix="RET")
    # the MAIS and MARAC cases stay open; the ASB case, review and referral closed long ago
    m.Case.objects.filter(pk=load.asb_case.pk).update(
        closed_on=date(2016, 1, 1), summary="Noisy neighbour", risk_assessment="Low"
    )
    m.CaseReview.objects.filter(pk=load.review.pk).update(
        closed_on=date(2016, 1, 1), recommendations="Mediate"
    )
    address = m.Address.objects.create(
        partnership=demo.partnership, text="1 Test Street", postcode="DH1 1AA", area=None
    )
    m.Referral.objects.filter(pk=load.referral.pk).update(
        closed_on=date(2015, 6, 1), notes="Many boxes", address=address, referrer_name="A Neighbour"
    )
    m.Person.objects.filter(pk=load.person.pk).update(
        date_of_birth=date(1950, 1, 1), special_category="Health"
    )
    for record_type, months, action in [
        ("asb", 72, "anonymise"),
        ("mais", 72, "anonymise"),
        ("marac", 72, "delete"),
        ("incident", 72, "anonymise"),
        ("case_review", 72, "delete"),
        ("referral", 72, "anonymise"),
    ]:
        m.RetentionRule.objects.update_or_create(
            partnership=demo.partnership,
            record_type=record_type,
            defaults={"keep_months": months, "action": action},
        )
    return load


def refreshed(record):
    return type(record).objects.filter(pk=record.pk).first()


def test_expired_records_go_and_unexpired_stay(load):
    report = retention.run(today=TODAY)
    by_type = {o.record_type: o.done for o in report.outcomes}
    assert by_type["asb"] >= 1 and by_type["incident"] >= 1 and by_type["referral"] >= 1
    case = refreshed(load.asb_case)
    assert case.anonymised_at is not None and case.summary == "" and case.risk_assessment == ""
    assert refreshed(load.action).description == m.ANONYMISED
    incident = refreshed(load.incident)
    assert incident.anonymised_at is not None and incident.description == ""
    assert refreshed(load.review) is None  # deleted
    referral = refreshed(load.referral)
    assert referral.notes == "" and referral.referrer_name == "" and referral.anonymised_at is not None
    assert referral.address.text == "" and referral.address.postcode == ""
    # the MAIS and MARAC cases are open: untouched, and so the person is still within retention
    assert refreshed(load.mais_case).anonymised_at is None
    assert refreshed(load.marac_case) is not None
    person = refreshed(load.person)
    assert person.name == load.person.name and person.anonymised_at is None
    mine = [load.asb_case, load.incident, load.review, load.referral, load.mais_case, load.marac_case]
    logged = m.AccessLog.objects.filter(user=None, reference__in=[r.reference for r in mine])
    assert logged.count() == 4
    assert set(logged.values_list("reference", "action")) >= {
        (load.asb_case.reference, "anonymise"),
        (load.incident.reference, "anonymise"),
        (load.review.reference, "delete"),
        (load.referral.reference, "anonymise"),
    }
    assert all(e.reason.startswith("Retention rule:") for e in logged)


def test_person_anonymised_once_nothing_about_them_is_kept_and_a_second_run_is_a_no_op(load):
    m.Case.objects.filter(pk__in=[load.mais_case.pk, load.marac_case.pk]).update(closed_on=date(2016, 6, 1))
    first = retention.run(today=TODAY)
    assert refreshed(load.marac_case) is None  # deleted (its MARAC referral with it)
    assert not m.MaracReferral.objects.filter(pk=load.marac_referral.pk).exists()
    person = refreshed(load.person)
    assert person.name == m.ANONYMISED and person.date_of_birth is None
    assert person.contact == "" and person.special_category == "" and person.anonymised_at is not None
    assert sum(o.people_anonymised for o in first.outcomes) >= 1  # theirs and the demo caseload's
    assert m.Incident.objects.filter(pk=load.incident.pk).exists()  # anonymised, kept for the counts
    logs = m.AccessLog.objects.count()
    second = retention.run(today=TODAY)
    assert second.changed == 0
    assert m.AccessLog.objects.count() == logs
    assert "Nothing to do" in second.lines()[-1]


def test_dry_run_writes_nothing(load):
    logs = m.AccessLog.objects.count()
    out = StringIO()
    call_command("casework_retention", "--dry-run", "--today", "2024-01-01", stdout=out)
    text = out.getvalue()
    assert "Dry run" in text and "Would anonymise" in text and "Would delete" in text
    assert m.AccessLog.objects.count() == logs
    assert refreshed(load.asb_case).anonymised_at is None and refreshed(load.review) is not None


def test_command_runs_and_says_so_the_second_time(load):
    out = StringIO()
    call_command("casework_retention", "--today", "2024-01-01", stdout=out)
    assert re.search(r"Anti-social behaviour case: [1-9]\d* anonymised", out.getvalue())
    out = StringIO()
    call_command("casework_retention", "--today", "2024-01-01", stdout=out)
    assert "Nothing to do" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("casework_retention", "--today", "1 Jan 2024")


def test_nothing_expires_before_its_time(load):
    retention.run(today=date(2016, 6, 1))
    assert refreshed(load.asb_case).summary == "Noisy neighbour"
    assert refreshed(load.review) is not None and refreshed(load.incident).anonymised_at is None


def test_access_log_entries_expire_too(demo, load, users):
    from saferplan.casework.services import access

    old = access.log(user=users["caseworker"], action="view", record=load.incident, reason="Looked")
    m.AccessLog.objects.filter(pk=old.pk).update(at="2015-01-01T00:00:00Z")
    m.RetentionRule.objects.update_or_create(
        partnership=demo.partnership,
        record_type="access_log",
        defaults={"keep_months": 12, "action": "anonymise"},
    )
    retention.run(today=date(2016, 6, 1))
    old.refresh_from_db()
    assert old.username == m.ANONYMISED and old.user is None
    assert retention.run(today=date(2016, 6, 1)).changed == 0
