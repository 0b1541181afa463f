"""Consultation: the reg 12 check, the exercise and result forms (GOV.UK errors), history, the import page and
"what our communities told us" beside the data."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.assessment.models import CandidateIssue, Concern, ConsultationExercise, StrategicAssessment
from saferplan.assessment.selectors.consultation import (
    exercise_years,
    financial_year,
    responsible_authorities,
    told_us_beside_data,
)
from saferplan.assessment.selectors.document import assessment_period
from saferplan.core.formatting import figure
from saferplan.indicators.selectors import assess_indicators
from saferplan.plans.models import Indicator

SEVEN = [
    "county-durham-and-darlington-fire-and-rescue",
    "ddes-ccg",
    "durham-constabulary",
    "durham-county-council",
    "durham-tees-valley-crc",
    "national-probation-service",
    "north-durham-ccg",
]


@pytest.fixture
def assessment(demo):
    return StrategicAssessment.objects.get_or_create(
        partnership=demo.partnership,
        slug="test-consultation",
        defaults={
            "title": "Test Strategic Assessment",
            "year": "2021/22",
            "period_start": date(2013, 4, 1),
            "period_end": date(2016, 3, 31),
        },
    )[0]


def exercise(partnership, title, held_from, senior=(), **fields):
    e = ConsultationExercise.objects.create(
        partnership=partnership,
        title=title,
        kind=fields.pop("kind", "public_meeting"),
        held_from=held_from,
        **fields,
    )
    e.senior_attendance.set(Organisation.objects.filter(slug__in=senior))
    return e


def test_the_responsible_authorities_are_those_of_the_partnerships_groups(demo):
    assert sorted(o.slug for o in responsible_authorities(demo.partnership)) == SEVEN


def test_financial_years_run_april_to_march():
    assert financial_year(date(2015, 4, 1)) == "2015/16"
    assert financial_year(date(2016, 3, 31)) == "2015/16"
    assert financial_year(date(1999, 12, 31)) == "1999/00"


def test_reg_12_met_when_one_exercise_had_every_authority(demo, assessment):
    exercise(demo.partnership, "Big Tent workshop", date(2020, 11, 4), senior=SEVEN)
    exercise(demo.partnership, "PACT meeting", date(2020, 12, 1), senior=SEVEN[:2])
    years = {y.label: y for y in exercise_years(demo.partnership)}
    check = years["2020/21"].check
    assert check.met and check.best.title == "Big Tent workshop" and check.missing == []
    assert check.words.startswith("Met: Big Tent workshop was attended")


def test_reg_12_not_met_names_the_missing_authorities(demo, assessment):
    # together the two exercises had all seven, but no single one did
    exercise(demo.partnership, "Public meeting", date(2019, 5, 10), senior=SEVEN[:5])
    exercise(demo.partnership, "Survey", date(2020, 1, 10), senior=SEVEN[5:], kind="survey")
    years = {y.label: y for y in exercise_years(demo.partnership)}
    check = years["2019/20"].check
    assert not check.met and check.best.title == "Public meeting"
    assert [o.slug for o in check.missing] == ["national-probation-service", "north-durham-ccg"]
    assert "National Probation Service, North Durham Clinical Commissioning Group" in check.words
    # the assessment's year without any exercise shows as not met
    assert not years["2021/22"].check.met and years["2021/22"].exercises == []
    assert years["2021/22"].check.words == "Not met: no consultation exercise recorded this year"


def test_reg_12_not_known_when_no_exercise_records_senior_attendance(demo):
    exercise(demo.partnership, "Survey", date(2022, 6, 1), kind="survey")
    check = {y.label: y for y in exercise_years(demo.partnership)}["2022/23"].check
    assert not check.met and not check.known and check.best is None
    assert check.words.startswith("Not known: no exercise this year records")


def test_the_list_shows_each_year_and_its_check(demo, assessment, users, client):
    exercise(demo.partnership, "Test workshop", date(2020, 11, 4), senior=SEVEN, assessment=assessment)
    client.force_login(users["board_member"])
    page = client.get(reverse("consultation-list")).content.decode()
    year = page[page.find('<h2 class="govuk-heading-m" id="year-') :]
    year = year[: year.find("</table>")]
    assert "2021/22" in year and "Regulation 12 not met" in year  # the test assessment's year, newest first
    later = page[page.find(">2020/21</h2>") :]
    assert (
        "Regulation 12 met" in later[:2000]
        and "Test workshop" in later
        and "Test Strategic Assessment" in later
    )
    assert "Record a consultation exercise" not in page  # board members read only


def form_data(**overrides):
    data = {
        "title": "Big Tent workshop",
        "kind": "workshop",
        "assessment": "",
        "held_from_0": "4",
        "held_from_1": "11",
        "held_from_2": "2015",
        "held_to_0": "",
        "held_to_1": "",
        "held_to_2": "",
        "reached": "Health and Wellbeing Board partners",
        "people_reached": "60",
        "notes": "",
        "source": "001 paragraph 6",
    }
    data.update(overrides)
    return data


def test_record_an_exercise_with_its_senior_attendance(demo, assessment, users, client):
    client.force_login(users["analyst"])
    police = Organisation.objects.get(slug="durham-constabulary")
    response = client.post(
        reverse("consultation-create"),
        form_data(assessment=str(assessment.pk), senior_attendance=[str(police.pk)]),
    )
    created = ConsultationExercise.objects.get(title="Big Tent workshop")
    assert response.status_code == 302 and response.url == created.get_absolute_url()
    assert created.held_from == date(2015, 11, 4) and created.assessment == assessment
    assert list(created.senior_attendance.all()) == [police]
    assert created.partnership == demo.partnership and created.created_by == users["analyst"]
    page = client.get(created.get_absolute_url()).content.decode()
    assert "4 November 2015" in page and "Durham Constabulary" in page and 'id="history"' in page


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        (
            {"held_from_0": "", "held_from_1": "", "held_from_2": ""},
            "held_from",
            "Enter the date the exercise was held",
        ),
        ({"held_from_1": ""}, "held_from", "The date the exercise was held must include a month"),
        (
            {"held_from_0": "31", "held_from_1": "2"},
            "held_from",
            "The date the exercise was held must be a real date",
        ),
        ({"held_from_2": "15"}, "held_from", "Year must include 4 numbers"),
        ({"held_from_0": "x"}, "held_from", "The date the exercise was held must be a real date"),
        ({"held_from_2": "1990"}, "held_from", "The date the exercise was held must be in 1998 or later"),
        (
            {"held_to_0": "3", "held_to_1": "11", "held_to_2": "2015"},
            "held_to",
            "The date the exercise ended must be the same as or after the date it was held",
        ),
        (
            {"held_to_0": "3", "held_to_2": "2016"},
            "held_to",
            "The date the exercise ended must include a month",
        ),
        ({"title": ""}, "title", "Enter the name of the exercise"),
        ({"kind": "rave"}, "kind", "Select a kind from the list"),
        ({"people_reached": "-1"}, "people_reached", "How many people took part must be 0 or more"),
        ({"people_reached": "lots"}, "people_reached", "How many people took part must be a whole number"),
        (
            {"people_reached": "99999999999"},
            "people_reached",
            "How many people took part must be 10,000,000 or fewer",
        ),
        ({"assessment": "999999"}, "assessment", "Select an assessment from the list"),
        (
            {"senior_attendance": ["999999"]},
            "senior_attendance",
            "Select responsible authorities from the list",
        ),
    ],
)
def test_exercise_form_errors_are_govuk_messages(demo, users, client, overrides, field, message):
    client.force_login(users["analyst"])
    response = client.post(reverse("consultation-create"), form_data(**overrides))
    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page and "<title>Error: " in page
    assert message in page, page[page.find("govuk-error-summary__list") :][:600]
    if (
        field != "senior_attendance"
    ):  # checkboxes: Django gives no id for the group (includes/error_summary.html)
        assert f'href="#id_{field}' in page  # the summary links to the field (a date's first box)
    assert not ConsultationExercise.objects.filter(title=form_data(**overrides)["title"] or "x").exists()


def test_a_co_operating_body_cannot_be_recorded_as_a_responsible_authority(demo, users, client):
    client.force_login(users["analyst"])
    pcc = Organisation.objects.get(slug="office-of-the-pcvc")
    response = client.post(reverse("consultation-create"), form_data(senior_attendance=[str(pcc.pk)]))
    assert response.status_code == 400
    assert "Select responsible authorities from the list" in response.content.decode()


def test_results_added_edited_and_removed_with_history(demo, users, client):
    e = exercise(demo.partnership, "PACT meeting", date(2015, 10, 1))
    client.force_login(users["analyst"])
    add = reverse("consultation-result-create", args=[e.pk])
    bad = client.post(add, {"group": "aliens", "kind": "concern", "text": "", "respondents": "-2"})
    page = bad.content.decode()
    assert bad.status_code == 400
    for message in (
        "Select a group from the list",
        "Enter what the group said",
        "How many raised it must be 0 or more",
    ):
        assert message in page
    assert (
        client.post(add, {"group": "communities", "kind": "concern", "text": "Speeding traffic"}).status_code
        == 302
    )
    concern = e.concerns.get()
    assert (concern.text, concern.respondents, concern.order) == ("Speeding traffic", None, 1)
    edit = client.post(
        reverse("consultation-result-edit", args=[concern.pk]),
        {
            "group": "communities",
            "kind": "concern",
            "text": "Speeding traffic in villages",
            "respondents": "12",
        },
    )
    assert edit.status_code == 302
    concern.refresh_from_db()
    assert (concern.text, concern.respondents) == ("Speeding traffic in villages", 12)
    assert client.get(reverse("consultation-result-remove", args=[concern.pk])).status_code == 200
    assert client.post(reverse("consultation-result-remove", args=[concern.pk])).status_code == 302
    assert not e.concerns.exists()
    history = client.get(e.get_absolute_url()).content.decode()
    history = history[history.find('id="history"') :]
    assert "Speeding traffic in villages" in history and "Deleted" in history
    assert str(users["analyst"]) in history or users["analyst"].username in history


def test_import_page_names_every_problem_then_accepts_a_good_file(demo, users, client):
    e = exercise(demo.partnership, "Survey", date(2015, 10, 1), kind="survey")
    client.force_login(users["analyst"])
    url = reverse("consultation-import", args=[e.pk])
    bad = SimpleUploadedFile("results.csv", b"group,kind,text\nnobody,concern,x\ncommunities,want,\n")
    response = client.post(url, {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "results.csv: 2 problems; nothing was changed." in page
    assert (
        "results.csv, row 2, group:" in page and "results.csv, row 3, text: enter what the group said" in page
    )
    assert not e.concerns.exists()
    wrong_type = client.post(url, {"file": SimpleUploadedFile("results.xlsx", b"PK")})
    assert wrong_type.status_code == 400 and "The file must be a CSV file" in wrong_type.content.decode()
    assert client.post(url, {}).status_code == 400
    good = SimpleUploadedFile(
        "results.csv", b"group,kind,text,respondents\nOur communities,Concerned about,Drugs,4\n"
    )
    response = client.post(url, {"file": good})
    assert response.status_code == 302
    assert list(e.concerns.values_list("text", "respondents")) == [("Drugs", 4)]


def test_the_template_and_results_downloads(demo, users, client):
    e = exercise(demo.partnership, "Survey", date(2015, 10, 1), kind="survey")
    Concern.objects.create(exercise=e, group="communities", text="@SUM(1+1)")
    client.force_login(users["board_member"])
    template = client.get(reverse("consultation-template"))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode("utf-8-sig").startswith("group,kind,text,respondents\r\n")
    results = client.get(reverse("consultation-results-csv", args=[e.pk])).content.decode("utf-8-sig")
    assert "'@SUM(1+1)" in results


def test_told_us_puts_each_concern_beside_its_issues_data(demo, assessment, users, client):
    e = exercise(demo.partnership, "Big Tent workshop", date(2015, 11, 4), assessment=assessment)
    asb = Concern.objects.create(
        exercise=e, group="communities", kind="concern", text="Anti-social behaviour", order=1
    )
    Concern.objects.create(exercise=e, group="young_people", kind="want", text="Somewhere to go", order=2)
    Concern.objects.create(exercise=e, group="communities", kind="want", text="More police on foot", order=3)
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    candidate = CandidateIssue.objects.create(assessment=assessment, title="Anti-social behaviour (issue)")
    candidate.indicators.add(indicator)
    candidate.concerns.add(asb)

    groups = told_us_beside_data(assessment)
    assert [
        (g.label, [i.concern.text for i in g.concerns], [i.concern.text for i in g.wants]) for g in groups
    ] == [
        ("Our communities", ["Anti-social behaviour"], ["More police on foot"]),
        ("Children and young people", [], ["Somewhere to go"]),
    ]
    [item] = groups[0].concerns
    [issue] = item.issues
    [evidence] = issue.indicators
    assert issue.candidate == candidate and groups[0].wants[0].issues == []
    # the indicator engine's figure for the latest year of the assessment's period (as the long-list shows it)
    area = Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)
    row = assess_indicators([indicator], area, assessment_period(assessment))[indicator.pk]
    assert row.assessment.value is not None
    assert evidence.value == figure(row.assessment.value, indicator.unit)
    assert evidence.period == row.period.label
    assert evidence.period and evidence.travel

    client.force_login(users["board_member"])
    page = client.get(reverse("assessment-told-us", args=[assessment.slug])).content.decode()
    assert "What our communities told us" in page
    said = page.find("Anti-social behaviour</h3>")
    assert said > 0
    row = page[said : page.find("<hr", said)]
    assert "Anti-social behaviour (issue)" in row and indicator.name in row and evidence.value in row
    assert "Not linked to an issue on the long-list" in page


def test_told_us_for_an_unknown_assessment_is_not_found(demo, users, client):
    client.force_login(users["analyst"])
    assert client.get(reverse("assessment-told-us", args=["no-such-assessment"])).status_code == 404
    assert client.get(reverse("consultation-detail", args=[999999])).status_code == 404


def test_what_the_demo_assumed_is_marked_and_an_edit_makes_it_the_users(demo, users, client):
    from saferplan.core.services import assumption_record

    e = exercise(demo.partnership, "Assumed workshop", date(2015, 11, 4), senior=SEVEN[:1])
    assumption_record(obj=e, field="people_reached", note="The sources do not say how many came.")
    assumption_record(obj=e, field="senior_attendance", note="The sources do not say who attended.")
    client.force_login(users["analyst"])
    page = client.get(e.get_absolute_url()).content.decode()
    assert page.count("Assumed for the demo") == 2 and "The sources do not say how many came." in page
    listing = client.get(reverse("consultation-list")).content.decode()
    assert "The sources do not say who attended." in listing
    response = client.post(
        reverse("consultation-edit", args=[e.pk]),
        form_data(
            title="Assumed workshop",
            people_reached="45",
            senior_attendance=[str(Organisation.objects.get(slug=SEVEN[0]).pk)],
        ),
    )
    assert response.status_code == 302
    page = client.get(e.get_absolute_url()).content.decode()
    assert (
        "The sources do not say how many came." not in page and "The sources do not say who attended." in page
    )
