"""Every URL against every role, enforced on the server."""

from datetime import date

import pytest
from django.urls import get_resolver, reverse

from saferplan.delivery.models import (
    DetailedAction,
    Escalation,
    LocalityIssue,
    Meeting,
    PartnershipUpdate,
    ProgressUpdate,
)
from saferplan.funding import demo as funding_demo
from saferplan.plans.models import Group, Indicator, Objective, Plan, SearchSynonym, StrategicAction
from saferplan.police.models import PoliceImport
from saferplan.reports.models import Report
from tests.conftest import ROLES

ALL = set(ROLES)
ADMIN = {"administrator"}
LEAD = {"administrator", "group_lead"}
ANALYST = {"administrator", "analyst"}

# url name → roles that may GET it (everyone else gets 403). Objects come from objective 1, which the
# group lead's Anti-Social Behaviour Group leads.
MATRIX = {
    "home": ALL,  # the start page
    "plan-current": ALL,  # redirects to the current plan's page
    "plan-list": ALL,
    "plan-overview": ALL,
    "plan-section": ALL,
    "plan-compare": ALL,
    "plan-refresh": ADMIN,
    "objective-detail": ALL,
    "outcome-detail": ALL,
    "action-detail": ALL,
    "indicator-list": ALL,
    "indicator-detail": ALL,
    "group-list": ALL,
    "group-detail": ALL,
    "organisation-list": ALL,
    "organisation-detail": ALL,
    "search": ALL,
    "synonym-list": ANALYST,
    "synonym-edit": ANALYST,
    "my-group": LEAD,
    "objective-create": ADMIN,
    "objective-edit": LEAD,
    "objective-archive": ADMIN,
    "outcome-create": LEAD,
    "outcome-edit": LEAD,
    "outcome-archive": LEAD,
    "action-create": LEAD,
    "action-edit": LEAD,
    "action-archive": LEAD,
    "indicator-create": ANALYST,
    "indicator-edit": ANALYST,
    "indicator-archive": ANALYST,
    "indicator-performance": ALL,
    "performance-overview": ALL,
    "help-significance": ALL,
    "performance-revisions": ALL - {"viewer"},
    "figure-precedence": ANALYST,
    "data-return-list": {"administrator", "analyst", "data_provider"},
    "data-return-detail": {"administrator", "analyst", "data_provider"},
    "data-return-template": {"administrator", "analyst", "data_provider"},
    "data-return-import": {"administrator", "analyst", "data_provider"},
    "target-create": ANALYST,
    "police-overview": ALL,
    "police-import": ANALYST,
    "delivery-plan": ALL,
    "delivery-export": ALL,
    "delivery-action": ALL,
    "delivery-action-edit": LEAD,
    "delivery-action-create": LEAD,
    "evidence-download": ALL - {"viewer"},
    "escalation-list": ALL - {"viewer"},
    "escalation-create": LEAD,
    "escalation-detail": ALL - {"viewer"},
    "group-close": ADMIN,
    "task-and-finish-create": ADMIN,
    "locality-issue-create": ADMIN,
    "locality-issue-edit": ADMIN,
    "funding-overview": ALL - {"viewer"},
    "funding-project": ALL - {"viewer"},
    "funding-project-create": ADMIN,
    "funding-project-edit": ADMIN,
    "funding-project-signoff": {"administrator", "board_member"},
    "meeting-list": ALL - {"viewer"},
    "my-reminders": ALL,
    "report-list": ALL,
    "report-board": ALL - {"viewer"},
    "report-basket": ALL,
    "report-achievements": ALL,
    "report-delivery": ALL,
    "report-plan": ALL,
    "report-detail": ALL - {"viewer"},  # a draft; published reports are for everyone (tests/reports)
    "report-file": ALL - {"viewer"},
    "report-paper": ANALYST,  # a draft's meeting, officers and implications: who may draft reports
    "meeting-detail": ALL - {"viewer"},
    "meeting-create": LEAD,
    "meeting-add": ADMIN,
    "partnership-update-new": ANALYST,  # who may draft reports
    "partnership-update": ANALYST,
    "password-change": ALL,
    "password-change-done": ALL,
}
NOT_IN_MATRIX = {
    # POST only: tested on their own (here and tests/reports/test_publishing.py)
    "login",
    "logout",
    "observation-headline",
    "observation-withdraw",  # per figure: test_who_may_withdraw_a_figure
    "report-draft",
    "report-action",
    # Open to everyone, signed in or not: tested in tests/web/test_security.py
    "password-reset",
    "password-reset-sent",
    "password-reset-confirm",
    "password-reset-complete",
    "healthz",  # tests/test_server.py
}


def delivery_action(demo: Plan):
    return DetailedAction.objects.filter(
        owner_group__slug="anti-social-behaviour-group", strategic_action__outcome__objective__plan=demo
    ).first()


def evidence_update(demo: Plan):
    from saferplan.delivery.evidence import save

    action = delivery_action(demo)
    update = action.updates.exclude(evidence_file="").first()
    if update is None:
        update = ProgressUpdate.objects.create(
            action=action,
            date=date(2017, 1, 1),
            status="on_track",
            text="x",
            evidence_file=save(b"%PDF-1.4 test", ".pdf"),
            evidence_name="a.pdf",
            evidence_type="application/pdf",
        )
    return update


def draft_report(demo: Plan) -> Report:
    return Report.objects.get_or_create(
        plan=demo,
        kind="achievements",
        parameters={"year": "2015/16"},
        title="Progress and achievements, 2015/16",
    )[0]


def url_for(name: str, demo: Plan) -> str:
    objective = Objective.objects.get(plan=demo, number=1)
    outcome = objective.outcomes.get(number=1)
    action = outcome.actions.first()
    args = {
        "plan-overview": [demo.slug],
        "plan-section": [demo.slug, 0],
        "plan-compare": [demo.slug, "sdp-2014-17"],
        "plan-refresh": [demo.slug],
        "objective-create": [demo.slug],
        "objective-detail": [objective.pk],
        "objective-edit": [objective.pk],
        "objective-archive": [objective.pk],
        "outcome-create": [objective.pk],
        "outcome-detail": [outcome.pk],
        "outcome-edit": [outcome.pk],
        "outcome-archive": [outcome.pk],
        "action-create": [outcome.pk],
        "action-detail": [action.pk],
        "action-edit": [action.pk],
        "action-archive": [action.pk],
        "indicator-detail": [Indicator.objects.first().pk],
        "indicator-edit": [Indicator.objects.first().pk],
        "indicator-archive": [Indicator.objects.first().pk],
        "group-detail": [action.owner_group_id],
        "organisation-detail": [demo.partnership.groups.first().lead_organisation_id],
        "indicator-performance": [Indicator.objects.get(slug="asb-incidents-police").pk],
        "data-return-detail": ["durham-constabulary"],
        "target-create": [Indicator.objects.get(slug="asb-incidents-police").pk],
        "police-import": [PoliceImport.objects.get_or_create(filename="2016-03-durham-street.csv")[0].pk],
        "delivery-action": [delivery_action(demo).pk],
        "delivery-action-edit": [delivery_action(demo).pk],
        "delivery-action-create": [action.pk],
        "evidence-download": [evidence_update(demo).pk],
        "escalation-detail": [Escalation.objects.first().pk],
        "group-close": [Group.objects.get(kind="task_and_finish").pk],
        "locality-issue-create": [Group.objects.filter(kind="locality").first().pk],
        "locality-issue-edit": [LocalityIssue.objects.first().pk],
        "funding-project": [funding_demo.safer_homes(demo).pk],
        "funding-project-edit": [funding_demo.safer_homes(demo).pk],
        "funding-project-signoff": [funding_demo.safer_homes(demo).pk],
        "meeting-detail": [Meeting.objects.first().pk],
        "meeting-add": [Meeting.objects.first().pk, "item"],
        "report-basket": [demo.partnership.baskets.first().pk],
        "report-detail": [draft_report(demo).pk],
        "report-file": [draft_report(demo).pk, "html"],
        "report-paper": [draft_report(demo).pk],
        "partnership-update": [
            PartnershipUpdate.objects.get_or_create(
                title="Draft", date_from=date(2015, 11, 1), date_to=date(2016, 1, 31), text="x"
            )[0].pk
        ],
        "synonym-edit": [SearchSynonym.objects.get(term="ASB").pk],
        "data-return-template": ["durham-constabulary", "csv"],
        "data-return-import": ["durham-constabulary", data_return_import(demo).pk],
    }.get(name, [])
    return reverse(name, args=args)


def data_return_import(demo):
    """A large return the worker has refused, with its page."""
    from saferplan.accounts.models import Organisation
    from saferplan.indicators.models import DataReturnImport

    return DataReturnImport.objects.get_or_create(
        organisation=Organisation.objects.get(slug="durham-constabulary"),
        partnership=demo.partnership,
        filename="big-return.csv",
        defaults={"status": DataReturnImport.Status.FAILED, "message": "Not imported: a test."},
    )[0]


def test_matrix_covers_every_url():
    def names_in(patterns):
        for p in patterns:
            if hasattr(p, "url_patterns"):
                yield from names_in(p.url_patterns)
            else:
                yield p.name

    names = set(names_in(get_resolver("saferplan.web.urls").url_patterns))
    assert names == set(MATRIX) | NOT_IN_MATRIX


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_every_url_for_every_role(name, users, demo, client):
    url = url_for(name, demo)
    response = client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login")), "anonymous must sign in"
    for role in ROLES:
        client.force_login(users[role])
        response = client.get(url)
        expected = {200, 302} if name == "plan-current" else {200}
        if role in MATRIX[name]:
            assert response.status_code in expected, (role, url, response.status_code)
        else:
            assert response.status_code == 403, (role, url, response.status_code)
            assert b"You do not have permission" in response.content


@pytest.mark.parametrize("name", sorted(n for n, roles in MATRIX.items() if roles != ALL))
def test_forbidden_posts_change_nothing(name, users, demo, client):
    url = url_for(name, demo)
    before = (
        Objective.objects.live().count(),
        StrategicAction.objects.live().count(),
        Indicator.objects.live().count(),
    )
    for role in sorted(ALL - MATRIX[name]):
        client.force_login(users[role])
        response = client.post(url, {"title": "Hacked", "text": "Hacked", "name": "Hacked"})
        assert response.status_code == 403, (role, url)
    after = (
        Objective.objects.live().count(),
        StrategicAction.objects.live().count(),
        Indicator.objects.live().count(),
    )
    assert after == before
    assert not StrategicAction.objects.filter(text="Hacked").exists()


def test_group_lead_cannot_edit_another_groups_objective(users, demo, client):
    other = Objective.objects.get(plan=demo, number=2)
    client.force_login(users["group_lead"])
    assert client.get(reverse("objective-edit", args=[other.pk])).status_code == 403
    action = StrategicAction.objects.filter(outcome__objective=other).first()
    assert client.get(reverse("action-edit", args=[action.pk])).status_code == 403


def test_viewer_reads_published_plans_only(users, demo, client):
    demo.status = Plan.Status.DRAFT
    demo.save()
    objective = Objective.objects.get(plan=demo, number=1)
    for role in ROLES:
        client.force_login(users[role])
        overview = client.get(reverse("plan-overview", args=[demo.slug]))
        detail = client.get(reverse("objective-detail", args=[objective.pk]))
        expected = 403 if role == "viewer" else 200
        assert (overview.status_code, detail.status_code) == (expected, expected), role
    client.force_login(users["viewer"])
    assert b"Reduce anti-social behaviour" not in client.get(reverse("search"), {"q": "anti-social"}).content


def test_history_is_hidden_from_viewers(users, demo, client):
    objective = Objective.objects.get(plan=demo, number=1)
    client.force_login(users["viewer"])
    assert b'id="history"' not in client.get(objective.get_absolute_url()).content
    client.force_login(users["board_member"])
    assert b'id="history"' in client.get(objective.get_absolute_url()).content


def test_django_admin_is_for_superusers_only(users, client, django_user_model):
    for role in ROLES:
        client.force_login(users[role])
        assert client.get("/admin/").status_code == 302, role
    client.force_login(django_user_model.objects.create_superuser("root", password="a-long-test-password"))
    assert client.get("/admin/").status_code == 200


def test_sign_in_and_out(users, client):
    page = client.get(reverse("login"))
    assert page.status_code == 200 and b"Sign in" in page.content
    bad = client.post(reverse("login"), {"username": "viewer-user", "password": "wrong"})
    assert bad.status_code == 200 and b"There is a problem" in bad.content
    good = client.post(reverse("login"), {"username": "viewer-user", "password": "a-long-test-password"})
    assert good.status_code == 302
    assert client.get(reverse("plan-list")).status_code == 200
    assert client.get(reverse("logout")).status_code == 405
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("plan-list")).status_code == 302


def test_who_may_withdraw_a_figure(users, demo, client):
    """Administrators and analysts any real figure; a data provider only what their organisation returned;
    nobody a synthetic one."""
    from saferplan.indicators import data_returns
    from saferplan.indicators.models import Observation

    police = Observation.objects.get(
        indicator__slug="asb-incidents-police", area__code="E06000047", period="2016-03", origin="police"
    )
    synthetic = Observation.objects.filter(synthetic=True).first()
    data_returns.import_data_return(
        "r.csv",
        b"indicator,area,period,value\nasb-incidents-police,E06000047,Jan 2018,1650\n",
        organisation=users["data_provider"].organisation,
        partnership=demo.partnership,
    )
    returned = Observation.objects.get(
        period="2018-01", origin="return", indicator__slug="asb-incidents-police"
    )
    for role in ROLES:
        client.force_login(users[role])
        for observation, allowed in (
            (police, ANALYST),
            (returned, ANALYST | {"data_provider"}),
            (synthetic, set()),
        ):
            expected = 200 if role in allowed else 403
            assert (
                client.get(reverse("observation-withdraw", args=[observation.pk])).status_code == expected
            ), (
                role,
                observation.origin,
            )


def test_only_analysts_and_administrators_choose_the_headline(users, demo, client):
    from saferplan.indicators.models import Observation

    obs = Observation.objects.filter(indicator__slug="asb-incidents-police", area__code="E06000047").first()
    url = reverse("observation-headline", args=[obs.pk])
    for role in ROLES:
        client.force_login(users[role])
        assert client.get(url).status_code == 405
        expected = 302 if role in ANALYST else 403
        assert client.post(url).status_code == expected, role


def test_data_provider_sees_only_their_own_organisations_return(users, demo, client):
    client.force_login(users["data_provider"])
    assert client.get(reverse("data-return-detail", args=["durham-county-council"])).status_code == 403
    listing = client.get(reverse("data-return-list")).content.decode()
    assert "Durham Constabulary" in listing and "Durham County Council</a>" not in listing
