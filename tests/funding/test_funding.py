"""Funding: the demo against the seeds, totals, sign-off on evidence, permissions, fixed query counts, and
GOV.UK errors for bad input."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from saferplan.accounts.models import Organisation
from saferplan.funding import demo as funding_demo_module
from saferplan.funding import selectors, services
from saferplan.funding.forms import FinancialYearField
from saferplan.funding.models import Allocation, Fund, Project
from saferplan.funding.templatetags.money import format_money
from saferplan.plans.models import Objective, Partnership, Plan

# 004 paragraph 11, a to g, as the seed names them
PROJECTS_2014_15 = [
    "Anti-Social Behaviour Officers",
    "4Real Service (Children and Young People's Substance Misuse Service)",
    "Reducing Re-Offending Manager",
    "Mentoring for Prolific and Priority Offenders",
    "County Durham Youth Offending Service fully integrated pre-court system (out of court disposals)",
    "County Durham Positive Futures Programme",
    "County Durham Drug Intervention Programme",
]
# 002 paragraph 5
PRIORITY_AREAS_2016_17 = [
    "Anti-Social Behaviour",
    "Reducing Reoffending",
    "Youth Offending Service",
    "Checkpoint Programme",
]


def good_post(fund_, **extra):
    data = {
        "name": "Street triage",
        "fund": fund_.pk,
        "financial_year": "2017/18",
        "amount": "£25,000",
        "match_funding": "",
        "match_funder": "",
        "commissioned_service": "Mental health nurses with police patrols",
        "evidence_of_outcomes": "",
        "source_reference": "",
    }
    data.update(extra)
    return data


# ---------------------------------------------------------------------------------------------- the demo


def test_demo_holds_the_2014_15_community_safety_fund_projects(funding_demo):
    projects = Project.objects.filter(fund__name="Community Safety Fund", financial_year=2014).order_by(
        "order"
    )
    assert [p.name for p in projects] == PROJECTS_2014_15
    for p in projects:
        assert p.year_label == "2014/15"
        assert p.illustrative, "004 gives no amounts: they are illustrative"
        assert p.amount > 0
        assert "004 paragraph 11" in p.source_reference and "illustrative" in p.source_reference
        assert not p.is_signed_off
    csf = Fund.objects.get(name="Community Safety Fund")
    assert csf.provider.slug == "office-of-the-pcvc"
    by_name = {p.name: p for p in projects}
    assert {o.number for o in by_name["County Durham Drug Intervention Programme"].objectives.all()} == {3, 4}
    assert all(o.plan.slug == "sdp-2014-17" for p in projects for o in p.objectives.all()), (
        "the 2014/15 projects served the 2014-17 plan"
    )
    assert not by_name["County Durham Positive Futures Programme"].objectives.exists()


def test_demo_holds_the_2016_17_priority_areas_agreed_by_the_board_and_the_pcc(funding_demo):
    allocations = Allocation.objects.filter(financial_year=2016).order_by("order")
    assert [a.priority_area for a in allocations] == PRIORITY_AREAS_2016_17
    for a in allocations:
        assert a.fund.name == "Community Safety Fund" and a.year_label == "2016/17"
        assert a.agreed_by_board and a.agreed_by_pcc
        assert a.board_agreed_on is None and a.pcc_agreed_on is None, "002 gives no dates"
        assert a.illustrative and a.amount is not None
        assert "002 paragraph 5" in a.source_reference


def test_demo_holds_the_safer_homes_transformation_challenge_award(funding_demo):
    project = Project.objects.get(name="Safer Homes")
    assert project.fund.name == "Transformation Challenge Award"
    assert project.amount == Decimal("500000") and not project.illustrative
    assert project.match_funding == Decimal("360000")
    assert project.lead_bidder.slug == "county-durham-and-darlington-fire-and-rescue"
    assert project.financial_year == 2014
    assert {(o.plan.slug, o.number) for o in project.objectives.all()} == {
        ("sdp-2016-19", 2),
        ("sdp-2016-19", 7),
    }
    assert "2,018 referrals" in project.evidence_of_outcomes and "20%" in project.evidence_of_outcomes
    assert "002 paragraphs 7" in project.source_reference and "000 section 5" in project.source_reference
    assert project.has_evidence and not project.is_signed_off


def test_demo_load_is_idempotent(funding_demo):
    counts = (Fund.objects.count(), Allocation.objects.count(), Project.objects.count())
    assert counts == (2, 4, 8)
    assert funding_demo_module.load(funding_demo) == 0
    assert (Fund.objects.count(), Allocation.objects.count(), Project.objects.count()) == counts


def test_overview_shows_the_demo(funding_demo, users, client):
    client.force_login(users["analyst"])
    page = client.get(reverse("funding-overview")).content.decode()
    for text in [
        "Community Safety Fund 2016/17",
        "Checkpoint Programme",
        "Safer Homes",
        "£500,000",
        "£360,000",
        "govuk-tag--pink",
        "Totals by objective",
        "Totals by funder",
        "Totals by financial year",
        "counted in full under each",
        "Department for Communities and Local Government",
        "Not linked to an objective",
    ]:
        assert text in page, text
    project = Project.objects.get(name="Safer Homes")
    detail = client.get(project.get_absolute_url()).content.decode()
    assert "Safer Homes" in detail and "Evidence recorded" in detail and "Sign off the spend" not in detail


# ------------------------------------------------------------------------------------------------ totals


@pytest.fixture
def small(db):
    """A partnership of its own with hand-made funding: three projects, two funds, two years."""
    partnership = Partnership.objects.create(slug="small", name="Small CSP", area="Smalltown")
    plan = Plan.objects.create(
        partnership=partnership, slug="small-plan", title="Plan", start_year=2015, end_year=2018
    )
    one = Objective.objects.create(plan=plan, number=1, title="One")
    two = Objective.objects.create(plan=plan, number=2, title="Two")
    org = Organisation.objects.create(slug="small-pcc", name="Small PCC", kind="co_operating_body")
    f1 = Fund.objects.create(name="Fund one", provider=org)
    f2 = Fund.objects.create(name="Fund two", provider_name="A Department")
    a = services.project_save(
        project=Project(partnership=partnership),
        user=None,
        objectives=[one, two],
        name="A",
        fund=f1,
        financial_year=2015,
        amount=Decimal("1000"),
        match_funding=Decimal("200"),
        match_funder="Housing",
    )
    services.project_save(
        project=Project(partnership=partnership),
        user=None,
        objectives=[two],
        name="B",
        fund=f2,
        financial_year=2015,
        amount=Decimal("500.50"),
    )
    services.project_save(
        project=Project(partnership=partnership),
        user=None,
        objectives=[],
        name="C",
        fund=f1,
        financial_year=2016,
        amount=Decimal("300"),
        illustrative=True,
    )
    for area, amount in [("X", "700"), ("Y", "300")]:
        services.allocation_save(
            allocation=Allocation(partnership=partnership),
            user=None,
            fund=f1,
            financial_year=2015,
            priority_area=area,
            amount=Decimal(amount),
        )
    services.allocation_save(
        allocation=Allocation(partnership=partnership),
        user=None,
        fund=f1,
        financial_year=2016,
        priority_area="Z",
    )
    return partnership, one, two, a


def test_totals_by_objective_count_a_project_under_each_of_its_objectives(small):
    partnership, one, two, _ = small
    rows = [
        (t.label, t.amount, t.match_funding, t.projects, t.illustrative)
        for t in selectors.totals_by_objective(partnership)
    ]
    assert rows == [
        ("2015-18 plan, objective 1: One", Decimal("1000"), Decimal("200"), 1, 0),
        ("2015-18 plan, objective 2: Two", Decimal("1500.50"), Decimal("200"), 2, 0),
        ("Not linked to an objective", Decimal("300"), Decimal("0"), 1, 1),
    ]
    assert selectors.totals_by_objective(partnership)[0].url == reverse("objective-detail", args=[one.pk])


def test_totals_by_funder_and_by_year(small):
    partnership, *_ = small
    funders = [
        (t.label, t.amount, t.projects, t.illustrative) for t in selectors.totals_by_funder(partnership)
    ]
    assert funders == [
        ("Small PCC", Decimal("1300"), 2, 1),
        ("A Department", Decimal("500.50"), 1, 0),
        ("Housing", Decimal("200"), 1, 0),
    ]
    years = [
        (t.label, t.allocated, t.amount, t.match_funding, t.projects)
        for t in selectors.totals_by_year(partnership)
    ]
    assert years == [
        ("2016/17", None, Decimal("300"), Decimal("0"), 1),
        ("2015/16", Decimal("1000"), Decimal("1500.50"), Decimal("200"), 2),
    ]
    overview = selectors.funding_overview(partnership)
    assert overview.total_amount == Decimal("1800.50") and overview.total_match_funding == Decimal("200")
    assert [(g.year_label, g.total) for g in overview.allocations] == [
        ("2016/17", None),
        ("2015/16", Decimal("1000")),
    ]


@pytest.mark.parametrize(
    "value, shown",
    [
        (Decimal("1234"), "£1,234"),
        (Decimal("1234.00"), "£1,234"),
        (Decimal("1234.5"), "£1,234.50"),
        (Decimal("0.05"), "£0.05"),
        (Decimal("500000"), "£500,000"),
        (Decimal("1000000.10"), "£1,000,000.10"),
        (None, "–"),
        ("", "–"),
    ],
)
def test_money_is_shown_in_pounds_without_pence_when_whole(value, shown):
    assert format_money(value) == shown


@pytest.mark.parametrize(
    "text, year",
    [("2016/17", 2016), ("2016-17", 2016), (" 2016 / 2017 ", 2016), ("2016", 2016), ("1999/00", 1999)],
)
def test_financial_years_are_read_as_partnerships_write_them(text, year):
    assert FinancialYearField().clean(text) == year


@pytest.mark.parametrize("text", ["2016/18", "16/17", "twenty", "2016/2018", "3000/01", "2016/17/18"])
def test_bad_financial_years_are_refused(text):
    with pytest.raises(ValidationError):
        FinancialYearField().clean(text)


# ------------------------------------------------------------------------------------------------ sign-off


def test_sign_off_requires_evidence_of_outcomes(funding_demo, users):
    board = users["board_member"]
    project = Project.objects.get(name="Anti-Social Behaviour Officers")
    assert not project.has_evidence
    with pytest.raises(ValidationError, match="evidence of outcomes"):
        services.spend_sign_off(project=project, user=board)
    project.refresh_from_db()
    assert not project.is_signed_off
    project.spend_signed_off_on = date(2015, 5, 1)
    with pytest.raises(ValidationError) as error:
        project.full_clean()
    assert "evidence_of_outcomes" in error.value.message_dict
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.filter(pk=project.pk).update(spend_signed_off_on=date(2015, 5, 1))

    services.project_save(
        project=Project.objects.get(pk=project.pk),
        user=users["administrator"],
        evidence_of_outcomes="ASB down 11.2%",
    )
    signed = services.spend_sign_off(project=project, user=board, on=date(2015, 5, 1))
    assert (signed.spend_signed_off_on, signed.spend_signed_off_by, signed.modified_by) == (
        date(2015, 5, 1),
        board,
        board,
    )
    assert signed.history.first().history_user == board
    with pytest.raises(ValidationError, match="already signed off"):
        services.spend_sign_off(project=project, user=board)


def test_project_save_cannot_sign_off(funding_demo, users):
    project = Project.objects.get(name="Safer Homes")
    services.project_save(
        project=project, user=users["administrator"], spend_signed_off_on=date(2016, 1, 1), name="Safer Homes"
    )
    project.refresh_from_db()
    assert not project.is_signed_off


def test_board_member_signs_off_on_the_page(funding_demo, users, client):
    project = Project.objects.get(name="Safer Homes")
    url = reverse("funding-project-signoff", args=[project.pk])
    client.force_login(users["board_member"])
    page = client.get(project.get_absolute_url()).content.decode()
    assert url in page
    response = client.post(url, {"signed_off_on": "31/03/2016"})
    assert response.status_code == 302 and response.url == project.get_absolute_url()
    project.refresh_from_db()
    assert (
        project.spend_signed_off_on == date(2016, 3, 31)
        and project.spend_signed_off_by == users["board_member"]
    )
    again = client.post(url, {"signed_off_on": "01/04/2016"})
    assert again.status_code == 400 and "already signed off" in again.content.decode()
    assert "Signed off" in client.get(project.get_absolute_url()).content.decode()


def test_sign_off_without_evidence_is_an_error_on_the_page(funding_demo, users, client):
    project = Project.objects.get(name="County Durham Positive Futures Programme")
    client.force_login(users["administrator"])
    url = reverse("funding-project-signoff", args=[project.pk])
    page = client.get(url).content.decode()
    assert "cannot be signed off until the evidence of outcomes is recorded" in page
    response = client.post(url, {"signed_off_on": "31/03/2015"})
    body = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in body and "govuk-error-summary" in body and "Error: " in body
    project.refresh_from_db()
    assert not project.is_signed_off


@pytest.mark.parametrize(
    "value",
    ["", "31/02/2016", "yesterday", "01/01/1066", (date.today() + timedelta(days=2)).strftime("%d/%m/%Y")],
)
def test_bad_sign_off_dates_are_govuk_errors(funding_demo, users, client, value):
    project = Project.objects.get(name="Safer Homes")
    client.force_login(users["board_member"])
    response = client.post(reverse("funding-project-signoff", args=[project.pk]), {"signed_off_on": value})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    project.refresh_from_db()
    assert not project.is_signed_off


def test_evidence_cannot_be_removed_once_signed_off(funding_demo, users, client):
    project = Project.objects.get(name="Safer Homes")
    services.spend_sign_off(project=project, user=users["board_member"], on=date(2016, 3, 31))
    client.force_login(users["administrator"])
    response = client.post(
        reverse("funding-project-edit", args=[project.pk]),
        good_post(project.fund, name="Safer Homes", evidence_of_outcomes="  "),
    )
    assert response.status_code == 400
    assert "the spend is signed off on that evidence" in response.content.decode()
    project.refresh_from_db()
    assert project.has_evidence


# ----------------------------------------------------------------------------------------------- permissions


def test_administrator_creates_and_edits_a_project(funding_demo, users, client):
    admin = users["administrator"]
    client.force_login(admin)
    fund = Fund.objects.get(name="Community Safety Fund")
    objectives = list(Objective.objects.filter(plan=funding_demo, number__in=[1, 3]))
    assert client.get(reverse("funding-project-create")).status_code == 200
    response = client.post(
        reverse("funding-project-create"),
        good_post(
            fund,
            lead_bidder=Organisation.objects.get(slug="durham-constabulary").pk,
            match_funding="1,250.50",
            match_funder="Durham County Council",
            objectives=[o.pk for o in objectives],
        ),
    )
    assert response.status_code == 302
    project = Project.objects.get(name="Street triage")
    assert response.url == project.get_absolute_url()
    assert (project.financial_year, project.amount, project.match_funding) == (
        2017,
        Decimal("25000"),
        Decimal("1250.50"),
    )
    assert project.created_by == admin and project.partnership == funding_demo.partnership
    assert set(project.objectives.all()) == set(objectives)
    assert not project.illustrative
    page = client.get(project.get_absolute_url()).content.decode()
    assert "£25,000" in page and "£1,250.50" in page and "2017/18" in page

    edit = client.get(reverse("funding-project-edit", args=[project.pk])).content.decode()
    assert 'value="2017/18"' in edit and 'value="25000"' in edit
    response = client.post(
        reverse("funding-project-edit", args=[project.pk]),
        good_post(
            fund,
            name="Street triage",
            amount="30000",
            evidence_of_outcomes="Fewer detentions",
            objectives=[objectives[0].pk],
        ),
    )
    assert response.status_code == 302
    project.refresh_from_db()
    assert project.amount == Decimal("30000") and project.evidence_of_outcomes == "Fewer detentions"
    assert list(project.objectives.all()) == [objectives[0]]
    assert project.history.count() >= 2 and project.history.first().history_user == admin


@pytest.mark.parametrize("role", ["analyst", "group_lead", "data_provider", "board_member", "viewer"])
def test_only_administrators_create_and_edit(funding_demo, users, client, role):
    project = Project.objects.get(name="Safer Homes")
    fund = Fund.objects.get(name="Community Safety Fund")
    client.force_login(users[role])
    assert client.get(reverse("funding-project-create")).status_code == 403
    assert client.post(reverse("funding-project-create"), good_post(fund)).status_code == 403
    assert (
        client.post(
            reverse("funding-project-edit", args=[project.pk]), good_post(fund, name="Hacked")
        ).status_code
        == 403
    )
    assert not Project.objects.filter(name__in=["Street triage", "Hacked"]).exists()


@pytest.mark.parametrize("role", ["analyst", "group_lead", "data_provider", "viewer"])
def test_only_administrators_and_board_members_sign_off(funding_demo, users, client, role):
    project = Project.objects.get(name="Safer Homes")
    client.force_login(users[role])
    url = reverse("funding-project-signoff", args=[project.pk])
    assert client.get(url).status_code == 403
    assert client.post(url, {"signed_off_on": "31/03/2016"}).status_code == 403
    project.refresh_from_db()
    assert not project.is_signed_off


def test_viewers_cannot_read_funding(funding_demo, users, client):
    project = Project.objects.get(name="Safer Homes")
    client.force_login(users["viewer"])
    assert client.get(reverse("funding-overview")).status_code == 403
    assert client.get(project.get_absolute_url()).status_code == 403
    client.logout()
    response = client.get(reverse("funding-overview"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_missing_projects_are_not_found(funding_demo, users, client):
    client.force_login(users["administrator"])
    for name in ["funding-project", "funding-project-edit", "funding-project-signoff"]:
        assert client.get(reverse(name, args=[99999999])).status_code == 404
    assert client.get("/funding/projects/9223372036854775808/").status_code == 404
    assert client.post(reverse("funding-overview")).status_code == 405


# ----------------------------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"name": ""}, "Enter the name of the project"),
        ({"fund": ""}, "Select the fund"),
        ({"fund": "999999"}, "Select a fund from the list"),
        ({"financial_year": ""}, "Enter the financial year"),
        ({"financial_year": "2016/18"}, "from one year to the next"),
        ({"amount": ""}, "Enter the amount from the fund"),
        ({"amount": "lots"}, "must be an amount in pounds"),
        ({"amount": "NaN"}, "must be an amount in pounds"),
        ({"amount": "Infinity"}, "must be an amount in pounds"),
        ({"amount": "-5"}, "must be £0 or more"),
        ({"amount": "12.345"}, "can only have pence"),
        ({"amount": "1e20"}, "must be less than"),
        ({"match_funding": "5000"}, "Enter who gives the match funding"),
        ({"match_funder": "Housing"}, "Enter the amount of match funding"),
        ({"objectives": ["x"]}, "Select objectives from the list"),
        ({"objectives": ["99999999"]}, "Select objectives from the list"),
        ({"lead_bidder": "abc"}, "Select a lead bidder from the list"),
        ({"lead_bidder_name": "Someone"}, "not both"),
    ],
)
def test_bad_project_input_gets_govuk_errors(funding_demo, users, client, changes, message):
    fund = Fund.objects.get(name="Community Safety Fund")
    data = good_post(fund, **changes)
    if "lead_bidder_name" in changes:
        data["lead_bidder"] = Organisation.objects.first().pk
    client.force_login(users["administrator"])
    before = Project.objects.count()
    response = client.post(reverse("funding-project-create"), data)
    body = response.content.decode()
    assert response.status_code == 400, body
    assert (
        "There is a problem" in body and "govuk-error-summary" in body and "govuk-form-group--error" in body
    )
    assert message in body
    assert Project.objects.count() == before


ANY_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=ANY_TEXT, year=ANY_TEXT, amount=ANY_TEXT, match=ANY_TEXT, objectives=st.lists(ANY_TEXT, max_size=2)
)
def test_project_form_never_fails(funding_demo, users, client, name, year, amount, match, objectives):
    client.force_login(users["administrator"])
    fund = Fund.objects.get(name="Community Safety Fund")
    response = client.post(
        reverse("funding-project-create"),
        {
            "name": name,
            "fund": fund.pk,
            "financial_year": year,
            "amount": amount,
            "match_funding": match,
            "objectives": objectives,
        },
    )
    assert response.status_code in (302, 400)


# ---------------------------------------------------------------------------------------------- query counts

TIMES = 10


def test_overview_runs_a_fixed_number_of_queries(funding_demo, users, client):
    client.force_login(users["board_member"])

    def count(url):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    safer_homes = Project.objects.get(name="Safer Homes")
    small, _ = count(reverse("funding-overview"))
    small_detail, _ = count(safer_homes.get_absolute_url())

    projects, allocations = list(Project.objects.all()), list(Allocation.objects.all())
    objectives = list(Objective.objects.filter(plan=funding_demo))
    orgs = list(Organisation.objects.all())
    funds = [
        Fund.objects.create(name=f"Extra fund {k}", provider=orgs[k % len(orgs)]) for k in range(TIMES - 1)
    ]
    for k in range(TIMES - 1):
        for i, p in enumerate(projects):
            copy = services.project_save(
                project=Project(partnership=p.partnership),
                user=None,
                objectives=objectives[i % 7 : i % 7 + 2],
                name=f"{p.name} ({k})",
                fund=funds[k] if i % 2 else p.fund,
                financial_year=2010 + k,
                lead_bidder=orgs[(i + k) % len(orgs)],
                amount=p.amount,
                match_funding=Decimal("100") if i % 3 == 0 else None,
                match_funder=f"Match funder {i}" if i % 3 == 0 else "",
                evidence_of_outcomes="Evidence" if i % 2 else "",
                illustrative=p.illustrative,
            )
            if i % 2:
                services.spend_sign_off(project=copy, user=users["board_member"], on=date(2016, 1, 1))
        for a in allocations:
            services.allocation_save(
                allocation=Allocation(partnership=a.partnership),
                user=None,
                fund=funds[k],
                financial_year=2010 + k,
                priority_area=f"{a.priority_area} ({k})",
                amount=a.amount,
                illustrative=a.illustrative,
                agreed_by_board=True,
                board_agreed_on=date(2016, 1, 20),
            )
    assert Project.objects.count() == TIMES * len(projects)
    assert Allocation.objects.count() == TIMES * len(allocations)
    big, page = count(reverse("funding-overview"))
    assert big == small
    assert f"{TIMES * len(projects)} funded projects" in page
    assert count(safer_homes.get_absolute_url())[0] == small_detail
