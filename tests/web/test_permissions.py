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
from tests.casework.factories import casework_args
from tests.conftest import ROLES

ALL = set(ROLES)
ADMIN = {"administrator"}
LEAD = {"administrator", "group_lead"}
ANALYST = {"administrator", "analyst"}
CASEWORKER = {"caseworker"}

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
    # Consultation (issue 19, item 4): can_read_assessment reads, can_manage_assessment writes
    "consultation-list": ALL - {"viewer"},
    "consultation-detail": ALL - {"viewer"},
    "consultation-template": ALL - {"viewer"},
    "consultation-results-csv": ALL - {"viewer"},
    "assessment-told-us": ALL - {"viewer"},
    "consultation-create": ANALYST,
    "consultation-edit": ANALYST,
    "consultation-result-create": ANALYST,
    "consultation-result-edit": ANALYST,
    "consultation-result-remove": ANALYST,
    "consultation-import": ANALYST,
    # The assessment pages (issue 19, items 1, 2, 6): can_read_assessment reads, can_manage_assessment writes
    "assessment-list": ALL - {"viewer"},
    "assessment-detail": ALL - {"viewer"},
    "assessment-long-list": ALL - {"viewer"},
    "assessment-priorities": ALL - {"viewer"},
    "assessment-trail": ALL - {"viewer"},
    "assessment-create": ANALYST,
    "assessment-edit": ANALYST,
    "assessment-section-create": ANALYST,
    "assessment-section-edit": ANALYST,
    "assessment-figure-create": ANALYST,
    "assessment-figure-edit": ANALYST,
    "assessment-pestle-create": ANALYST,
    "assessment-pestle-edit": ANALYST,
    "assessment-candidate-create": ANALYST,
    "assessment-candidate-edit": ANALYST,
    "assessment-priority-create": ANALYST,
    "assessment-priority-edit": ANALYST,
    "plan-sent-to-pcc": ADMIN,
    # Information sharing (issue 19, item 5): can_read_assessment reads, can_manage_sharing writes; a data
    # provider records receipts for their own organisation's flows (the flow here is Durham Constabulary's;
    # another's: tests/assessment/test_sharing_views.py)
    "sharing-schedule": ALL - {"viewer"},
    "sharing-flow": ALL - {"viewer"},
    "sharing-agreements": ALL - {"viewer"},
    "sharing-agreement": ALL - {"viewer"},
    "sharing-improvement-plan": ALL - {"viewer"},
    "sharing-action": ALL - {"viewer"},
    "sharing-receipt": {"administrator", "analyst", "data_provider"},
    "sharing-flow-create": ANALYST,
    "sharing-flow-edit": ANALYST,
    "sharing-flow-archive": ANALYST,
    "sharing-agreement-create": ANALYST,
    "sharing-agreement-edit": ANALYST,
    "sharing-agreement-review": ANALYST,
    "sharing-agreement-archive": ANALYST,
    "sharing-action-create": ANALYST,
    "sharing-action-edit": ANALYST,
    "sharing-action-update": ANALYST,
    "sharing-action-archive": ANALYST,
    # Scoring the long-list (issue 19, item 3): can_read_assessment reads, can_manage_assessment keeps the
    # schemes, can_score scores (as oneself), can_moderate moderates
    "scoring-scheme-list": ALL - {"viewer"},
    "scoring-scheme-detail": ALL - {"viewer"},
    "scoring-home": ALL - {"viewer"},
    "scoring-agreement": ALL - {"viewer"},
    "scoring-results": ALL - {"viewer"},
    "scoring-scheme-create": ANALYST,
    "scoring-dimension-edit": ANALYST,
    "scoring-scheme-choose": ANALYST,
    "scoring-score": ANALYST,
    "scoring-moderate": ANALYST,
    # Casework (issue 20): records about people are opened by caseworkers with a standing (the role test's
    # caseworker leads or recorded every record used here; other agencies and roles: tests/casework/
    # test_permissions.py); administrators configure, read the access log and answer subject access requests;
    # analysts keep the feeds; every role but viewers reads counts; the published case review figures are public
    "casework-home": ALL - {"viewer"},
    "casework-settings": ADMIN,
    "casework-routing": ADMIN,
    "casework-retention": ADMIN,
    "casework-access-log": ADMIN,
    "casework-open": CASEWORKER,
    "casework-person": CASEWORKER,
    "casework-sar": ADMIN,
    "casework-sar-export": ADMIN,
    "casework-case-share": CASEWORKER,
    "casework-incident-list": CASEWORKER,
    "casework-incident-create": CASEWORKER,
    "casework-incident": CASEWORKER,
    "casework-incident-edit": CASEWORKER,
    "casework-incident-person-add": CASEWORKER,
    "casework-case-open": CASEWORKER,
    "casework-repeat-victims": CASEWORKER,
    "casework-case-list": CASEWORKER,
    "casework-case": CASEWORKER,
    "casework-case-edit": CASEWORKER,
    "casework-case-close": CASEWORKER,
    "casework-action-create": CASEWORKER,
    "casework-action-edit": CASEWORKER,
    "casework-intervention-create": CASEWORKER,
    "casework-intervention-edit": CASEWORKER,
    "casework-review-list": CASEWORKER,
    "casework-review-create": CASEWORKER,
    "casework-review-figures": ALL,
    "casework-review": CASEWORKER,
    "casework-review-decide": CASEWORKER,
    "casework-review-record": CASEWORKER,
    "casework-review-appeal": CASEWORKER,
    "casework-referral-list": CASEWORKER,
    "casework-referral-create": CASEWORKER,
    "casework-referral-figures": ALL - {"viewer"},
    "casework-referral": CASEWORKER,
    "casework-route-respond": CASEWORKER,
    "casework-mais-create": CASEWORKER,
    "casework-marac-create": CASEWORKER,
    "casework-marac-dash": CASEWORKER,
    "casework-marac-meeting-list": CASEWORKER,
    "casework-marac-meeting-create": CASEWORKER,
    "casework-marac-meeting": CASEWORKER,
    "casework-marac-figures": ALL - {"viewer"},
    "casework-feed-list": ANALYST,
    "casework-feed-create": ANALYST,
    "casework-feed-edit": ANALYST,
    "casework-feed-run": ANALYST,
}
NOT_IN_MATRIX = {
    # POST only: tested on their own (here and tests/reports/test_publishing.py)
    "login",
    "logout",
    "observation-headline",
    "observation-withdraw",  # per figure: test_who_may_withdraw_a_figure
    "report-draft",
    "report-action",
    "assessment-section-move",  # tests/assessment/test_assessment_pages.py
    "assessment-figure-delete",  # tests/assessment/test_assessment_pages.py
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
        **consultation_args(demo),
        **sharing_args(demo),
        **assessment_args(demo, name),
        **scoring_args(demo, name),
    }.get(name, casework_args(demo, name))
    return reverse(name, args=args)


def scoring_args(demo, name: str) -> dict:
    """The demo's 2015/16 assessment (or one made here) with a scoring scheme and an issue on its long-list."""
    if not name.startswith("scoring-"):
        return {}
    from saferplan.assessment.models import CandidateIssue, StrategicAssessment
    from saferplan.assessment.services.scoring import scheme_from_template

    assessment = StrategicAssessment.objects.get_or_create(
        partnership=demo.partnership,
        slug="sa-2015-16",
        defaults={
            "title": "Strategic Assessment 2015/16",
            "year": "2015/16",
            "period_start": date(2012, 10, 1),
            "period_end": date(2015, 9, 30),
        },
    )[0]
    if assessment.scheme is None:
        assessment.scheme = scheme_from_template(partnership=demo.partnership, key="impact_likelihood")
        assessment.save()
    candidate = assessment.candidates.first() or CandidateIssue.objects.create(
        assessment=assessment, title="Permissions test issue"
    )
    return {
        "scoring-scheme-detail": [assessment.scheme_id],
        "scoring-dimension-edit": [assessment.scheme.dimensions.first().pk],
        "scoring-home": [assessment.slug],
        "scoring-scheme-choose": [assessment.slug],
        "scoring-agreement": [assessment.slug],
        "scoring-results": [assessment.slug],
        "scoring-score": [assessment.slug, candidate.pk],
        "scoring-moderate": [assessment.slug, candidate.pk],
    }


def consultation_args(demo) -> dict:
    """A consultation exercise with a result, and an assessment (the demo's, or one made here)."""
    from saferplan.assessment.models import Concern, ConsultationExercise, StrategicAssessment

    assessment = StrategicAssessment.objects.get_or_create(
        partnership=demo.partnership,
        slug="sa-2015-16",
        defaults={
            "title": "Strategic Assessment 2015/16",
            "year": "2015/16",
            "period_start": date(2012, 10, 1),
            "period_end": date(2015, 9, 30),
        },
    )[0]
    exercise = ConsultationExercise.objects.get_or_create(
        partnership=demo.partnership,
        title="Permissions test exercise",
        defaults={"kind": "survey", "held_from": date(2015, 11, 4), "assessment": assessment},
    )[0]
    concern = Concern.objects.get_or_create(exercise=exercise, group="communities", text="Speeding traffic")[
        0
    ]
    return {
        "consultation-detail": [exercise.pk],
        "consultation-edit": [exercise.pk],
        "consultation-result-create": [exercise.pk],
        "consultation-import": [exercise.pk],
        "consultation-results-csv": [exercise.pk],
        "consultation-result-edit": [concern.pk],
        "consultation-result-remove": [concern.pk],
        "assessment-told-us": [assessment.slug],
    }


def sharing_args(demo) -> dict:
    """A data flow of Durham Constabulary's, an agreement and a data improvement action (made here)."""
    from saferplan.accounts.models import Organisation
    from saferplan.assessment.models import DataFlow, ImprovementAction, SharingAgreement

    flow = DataFlow.objects.get_or_create(
        partnership=demo.partnership,
        provider=Organisation.objects.get(slug="durham-constabulary"),
        title="Permissions test flow",
        defaults={"starts_on": date(2015, 4, 1)},
    )[0]
    agreement = SharingAgreement.objects.get_or_create(
        partnership=demo.partnership,
        title="Permissions test agreement",
        defaults={"purpose": "x", "legal_basis": "Crime and Disorder Act 1998 s.115", "data_items": "x"},
    )[0]
    action = ImprovementAction.objects.get_or_create(
        partnership=demo.partnership, description="Permissions test action"
    )[0]
    return {
        **{
            n: [flow.pk]
            for n in ("sharing-flow", "sharing-flow-edit", "sharing-flow-archive", "sharing-receipt")
        },
        **{
            n: [agreement.pk]
            for n in (
                "sharing-agreement",
                "sharing-agreement-edit",
                "sharing-agreement-review",
                "sharing-agreement-archive",
            )
        },
        **{
            n: [action.pk]
            for n in (
                "sharing-action",
                "sharing-action-edit",
                "sharing-action-update",
                "sharing-action-archive",
            )
        },
    }


def assessment_args(demo, name: str) -> dict:
    """The demo's 2015/16 assessment (or one made here) with a section, a figure, a PESTELO entry, an issue on
    its long-list and a priority."""
    if not name.startswith("assessment-") and name != "plan-sent-to-pcc":
        return {}
    from saferplan.assessment.models import (
        AssessmentSection,
        CandidateIssue,
        PestleFactor,
        Priority,
        SectionFigure,
        StrategicAssessment,
    )

    assessment = StrategicAssessment.objects.get_or_create(
        partnership=demo.partnership,
        slug="sa-2015-16",
        defaults={
            "title": "Strategic Assessment 2015/16",
            "year": "2015/16",
            "period_start": date(2012, 10, 1),
            "period_end": date(2015, 9, 30),
        },
    )[0]
    section = AssessmentSection.objects.get_or_create(
        assessment=assessment, title="Permissions test section"
    )[0]
    figure = SectionFigure.objects.get_or_create(section=section, kind="police_crime_types")[0]
    factor = PestleFactor.objects.get_or_create(assessment=assessment, category="legal", text="A new law")[0]
    candidate = CandidateIssue.objects.get_or_create(assessment=assessment, title="Permissions test issue")[0]
    priority = Priority.objects.filter(assessment=assessment).first() or Priority.objects.create(
        assessment=assessment, number=99, title="Permissions test priority"
    )
    slug = [assessment.slug]
    return {
        **{
            n: slug
            for n in (
                "assessment-detail",
                "assessment-edit",
                "assessment-long-list",
                "assessment-priorities",
                "assessment-trail",
                "assessment-section-create",
                "assessment-pestle-create",
                "assessment-candidate-create",
                "assessment-priority-create",
            )
        },
        "assessment-section-edit": [assessment.slug, section.pk],
        "assessment-figure-create": [assessment.slug, section.pk],
        "assessment-figure-edit": [assessment.slug, figure.pk],
        "assessment-pestle-edit": [assessment.slug, factor.pk],
        "assessment-candidate-edit": [assessment.slug, candidate.pk],
        "assessment-priority-edit": [assessment.slug, priority.pk],
        "plan-sent-to-pcc": [demo.slug],
    }


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


# A table as a file: the page's own address with ?format= (and &table=), for the same roles as the page
TABLE_DOWNLOADS = [
    ("organisation-list", {}),
    ("group-list", {"table": "groups"}),
    ("group-list", {"table": "task-and-finish"}),
    ("group-list", {"table": "strategies"}),
    ("meeting-list", {}),
    ("funding-overview", {"table": "allocations"}),
    ("funding-overview", {"table": "projects"}),
    ("funding-overview", {"table": "by-year"}),
    ("funding-overview", {"table": "by-objective"}),
    ("funding-overview", {"table": "by-funder"}),
    ("plan-compare", {"table": "summary"}),
    ("plan-compare", {"table": "changes"}),
    ("escalation-list", {}),
    ("data-return-list", {}),
    ("indicator-performance", {"table": "series"}),
    ("sharing-schedule", {"as_of": "2017-03-31"}),
]


@pytest.mark.parametrize(("name", "query"), TABLE_DOWNLOADS)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_every_table_download_for_every_role(name, query, fmt, users, demo, client):
    funding_demo.load(demo)
    url = url_for(name, demo)
    for role in ROLES:
        client.force_login(users[role])
        response = client.get(url, {**query, "format": fmt})
        if role in MATRIX[name]:
            assert response.status_code == 200, (role, url, query)
            assert response["Content-Disposition"].startswith("attachment;"), (role, url, query)
        else:
            assert response.status_code == 403, (role, url, query)


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
