"""MAIS and MARAC: the DASH rule, refused referrals, repeats, the sharing agreement a team needs, the demo."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from saferplan.accounts.models import User
from saferplan.casework import dash, demo_mais_marac
from saferplan.casework.models import (
    AccessLog,
    Case,
    CaseAction,
    CaseworkSettings,
    MaracReferral,
    Person,
    SharingBasis,
)
from saferplan.casework.selectors import mais_marac as selectors
from saferplan.casework.services import mais_marac as services
from saferplan.plans.models import Partnership
from tests.casework.factories import org


def answers(yes: int, unknown: int = 0) -> list:
    return [True] * yes + [None] * unknown + [False] * (24 - yes - unknown)


def refer(
    partnership, user, *, yes=15, on=date(2015, 6, 1), name="Synthetic Victim A", dob=date(1980, 1, 2), **kw
):
    return services.marac_referral_create(
        partnership=partnership,
        user=user,
        name=name,
        date_of_birth=dob,
        referred_on=on,
        referring_organisation=org("durham-constabulary"),
        dash_answers=answers(yes),
        **kw,
    )


def counts():
    return (
        Case.objects.count(),
        Person.objects.count(),
        MaracReferral.objects.count(),
        AccessLog.objects.count(),
        SharingBasis.objects.count(),
        CaseAction.objects.count(),
    )


def test_dash_has_24_questions_and_the_rule_at_13_and_14():
    assert len(dash.QUESTIONS) == 24 == dash.COUNT
    assert "SafeLives Dash risk checklist (2009)" == dash.SOURCE
    assert not dash.is_high_risk(answers(13), judgement=False, threshold=14)
    assert dash.is_high_risk(answers(14), judgement=False, threshold=14)
    assert dash.is_high_risk(answers(13, unknown=11), judgement=True, threshold=14)
    assert not dash.is_high_risk(
        answers(13, unknown=11), judgement=False, threshold=14
    )  # not known is not yes
    assert dash.refusal(answers(9), threshold=14) == (
        "9 of 24 'yes' answers; MARAC takes 14 or more, or professional judgement"
    )


def test_referral_under_the_threshold_is_refused_and_writes_nothing(demo, users):
    before = counts()
    with pytest.raises(ValidationError) as refused:
        refer(demo.partnership, users["caseworker"], yes=13)
    assert refused.value.message_dict == {
        "professional_judgement": [
            "13 of 24 'yes' answers; MARAC takes 14 or more, or professional judgement"
        ]
    }
    with pytest.raises(ValidationError) as no_reason:
        refer(
            demo.partnership, users["caseworker"], yes=13, professional_judgement=True, judgement_reason=" "
        )
    assert "judgement_reason" in no_reason.value.message_dict
    assert counts() == before


def test_referral_at_14_or_on_judgement_opens_a_restricted_high_risk_case(demo, users):
    user = users["caseworker"]
    case = refer(demo.partnership, user, yes=14)
    assert case.kind == Case.Kind.MARAC and case.restricted and case.risk == Case.Risk.HIGH
    assert case.reference.startswith("MARAC-2015-") and case.lead == user
    assert case.marac.dash_yes == 14
    assert AccessLog.objects.filter(reference=case.reference, action="create", user=user).count() == 1
    judged = refer(
        demo.partnership,
        user,
        yes=9,
        name="Synthetic Victim B",
        professional_judgement=True,
        judgement_reason="Stalking",
    )
    assert judged.marac.professional_judgement and judged.marac.judgement_reason == "Stalking"


def test_the_threshold_follows_the_settings(demo, users):
    CaseworkSettings.objects.update_or_create(
        partnership=demo.partnership, defaults={"dash_high_risk_yes": 12}
    )
    assert refer(demo.partnership, users["caseworker"], yes=12).marac.dash_yes == 12


def test_repeat_at_exactly_365_days_and_not_at_366(demo, users):
    user, p = users["caseworker"], demo.partnership
    first = refer(p, user, on=date(2015, 1, 1))
    at_365 = refer(p, user, on=date(2015, 1, 1) + timedelta(days=365))
    assert at_365.subject_id == first.subject_id  # same name and date of birth: the same victim
    other_first = refer(p, user, name="Synthetic Victim C", on=date(2014, 6, 1))
    at_366 = refer(p, user, name="Synthetic Victim C", on=date(2014, 6, 1) + timedelta(days=366))
    repeats = selectors.repeat_referral_ids(p)
    assert at_365.marac.pk in repeats and first.marac.pk not in repeats
    assert at_366.marac.pk not in repeats and other_first.marac.pk not in repeats
    assert selectors.is_repeat(at_365.marac) and not selectors.is_repeat(at_366.marac)
    CaseworkSettings.objects.update_or_create(partnership=p, defaults={"marac_repeat_days": 366})
    assert at_366.marac.pk in selectors.repeat_referral_ids(p)


def test_marac_repeats_counts_by_referral_date(demo, users):
    p = Partnership.objects.create(slug="test-repeats", name="Test", area="Test")
    user = users["caseworker"]
    refer(p, user, on=date(2015, 4, 10))
    refer(p, user, on=date(2015, 5, 10))  # repeat
    refer(p, user, name="Synthetic Victim D", on=date(2015, 5, 20))
    refer(p, user, on=date(2015, 7, 10))  # repeat, next quarter
    assert selectors.marac_repeats(p, start=date(2015, 4, 1), end=date(2015, 6, 30)) == (1, 3)
    assert selectors.marac_repeats(p, start=date(2015, 4, 1), end=date(2016, 3, 31)) == (2, 4)
    rows = {r["period"]: r for r in selectors.figures(p)}
    assert rows["2015/16 Q1"]["rate"] == pytest.approx(33.3)
    assert rows["2015/16"]["referrals"] == 4 and rows["2015/16"]["rate"] == 50.0


def mais(partnership, user, team, **kw):
    return services.mais_case_create(
        partnership=partnership,
        user=user,
        name="Synthetic Adult",
        referring_organisation=org("durham-constabulary"),
        role="both",
        referred_on=date(2015, 9, 1),
        lead=user,
        team=team,
        agreed_with_adult=True,
        first_action="Agree a support plan",
        first_action_organisation=org("durham-county-council"),
        first_action_due_on=date(2015, 9, 15),
        **kw,
    )


def caseworker(slug: str, name: str) -> User:
    return User.objects.create_user(
        username=name, password="x-long-password", role="caseworker", organisation=org(slug)
    )


def test_a_team_members_agency_needs_a_live_sharing_agreement(demo, users):
    user = users["caseworker"]
    helper = caseworker("lifeline", "dmm-lifeline-worker")
    before = counts()
    with pytest.raises(ValidationError) as refused:
        mais(demo.partnership, user, [helper])
    assert "no live information-sharing agreement" in refused.value.message_dict["team"][0]
    assert counts() == before
    officer = caseworker("durham-constabulary", "dmm-police-worker")
    case = mais(demo.partnership, user, [officer])
    assert case.kind == Case.Kind.MAIS and list(case.team.all()) == [officer]
    basis = SharingBasis.objects.get(case=case)
    assert basis.organisation.slug == "durham-constabulary"
    assert set(basis.agreement.parties.values_list("slug", flat=True)) >= {
        "durham-constabulary",
        "durham-county-council",
    }
    assert "both a victim and a perpetrator" in case.summary and "agreed with the adult" in case.summary
    assert case.actions.count() == 1
    assert AccessLog.objects.filter(reference=case.reference, action="create").exists()
    # every agreement archived: none is live, no agency can be brought in
    from django.utils import timezone

    from saferplan.assessment.models import SharingAgreement

    SharingAgreement.objects.filter(partnership=demo.partnership).update(archived_at=timezone.now())
    with pytest.raises(ValidationError):
        services.mais_team_add(
            case=case,
            user=user,
            member=caseworker("north-durham-ccg", "dmm-ccg-worker"),
            on=date(2015, 10, 1),
        )
    assert case.team.count() == 1


def test_demo_loader_is_synthetic_with_a_repeat_rate_of_20_to_30_percent(demo, users):
    p = Partnership.objects.create(slug="test-demo-marac", name="Test", area="Test")
    police = caseworker("durham-constabulary", "dmm-demo-police")
    summary = demo_mais_marac.load(p, caseworkers={"dcc": users["caseworker"], "police": police})
    assert summary["marac_referrals"] == 160 and summary["mais_cases"] == 12
    assert 40 <= summary["marac_meetings"] <= 56
    assert Case.objects.filter(partnership=p).exclude(synthetic=True).count() == 0
    for fy in (2014, 2015):
        for q in range(4):
            start = date(fy + (q == 3), (3 * q + 3) % 12 + 1, 1)
            end = (date(start.year + (start.month > 9), (start.month + 2) % 12 + 1, 1)) - timedelta(days=1)
            repeats, total = selectors.marac_repeats(p, start=start, end=end)
            assert total == 20 and 0.2 <= repeats / total <= 0.3, (start, repeats, total)
    threshold = selectors.settings_for(p).dash_high_risk_yes
    for r in MaracReferral.objects.filter(case__partnership=p):
        assert dash.is_high_risk(r.dash_answers, judgement=r.professional_judgement, threshold=threshold)
        assert r.meeting is not None and r.meeting.held_on >= r.referred_on
    mais_cases = Case.objects.filter(partnership=p, kind="mais")
    assert all(c.opened_on >= date(2015, 4, 1) and c.opened_on <= date(2016, 3, 31) for c in mais_cases)
    assert CaseAction.objects.filter(case__in=mais_cases).count() == 36
