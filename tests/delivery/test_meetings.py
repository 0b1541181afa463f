"""Board meetings from the seeds, and the scrutiny committee's "Partnership update" drafted from them."""

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from saferplan.core.models import Assumption
from saferplan.delivery.models import AgendaItem, Meeting, PartnershipUpdate
from saferplan.reports.models import Report


def test_demo_meetings_come_from_the_seeds(demo):
    months = [m.date.strftime("%Y-%m") for m in Meeting.objects.order_by("date")]
    assert months == ["2014-05", "2015-11", "2016-01", "2016-05"]
    covered = AgendaItem.objects.filter(meeting__date__range=(date(2015, 11, 1), date(2016, 1, 31)))
    titles = [i.title for i in covered.order_by("meeting__date", "order")]
    assert titles == [  # 002's seven items, in its order
        "Desistance Model",
        "Funding",
        "Safer Homes Update",
        "Safeguarding Adults Board Annual Report 2014/15",
        "Durham Local Safeguarding Children Board (LSCB) Annual Report 2014/15",
        "Ending Gang Violence and Exploitation",
        "Prevent",
    ]
    # which of the two meetings took each item is not in 002: each says so
    assumed = Assumption.objects.filter(
        content_type=ContentType.objects.get_for_model(AgendaItem), field="meeting"
    ).values_list("object_id", flat=True)
    assert sorted(assumed) == sorted(covered.values_list("pk", flat=True))


def test_partnership_update_is_chosen_read_and_drafted_for_review(demo, users, client):
    client.force_login(users["analyst"])
    url = reverse("partnership-update-new")
    page = client.get(url).content.decode()
    assert "Safer and Stronger Communities Overview and Scrutiny Committee" in page  # the default committee
    page = client.get(
        url,
        {
            "committee": "Safer and Stronger Communities Overview and Scrutiny Committee",
            "meeting_date": "15/02/2016",
        },
    ).content.decode()
    assert (
        "summary update on key issues from the November 2015 and January 2016 Safe Durham Partnership Board"
        in page
    )
    assert "15 February 2016" in page and "Prevent" in page and "note the contents of the report." in page
    assert "Domestic Homicide Reviews" not in page  # May 2014 is before the six months
    bad = client.get(url, {"committee": "Scrutiny", "meeting_date": "15/02/2016", "date_to": "01/03/2016"})
    assert bad.status_code == 400
    assert (
        "the Board meetings covered must be before the committee meets (15 February 2016)"
        in bad.content.decode()
    )
    bad = client.get(url, {"committee": "Scrutiny", "meeting_date": "30/02/2016"})
    assert bad.status_code == 400 and "must be a real date" in bad.content.decode()
    response = client.post(
        url,
        {
            "committee": "Scrutiny Committee",
            "meeting_date": "2016-02-15",
            "date_from": "2015-11-01",
            "date_to": "2016-01-31",
        },
    )
    report = Report.objects.get(kind="partnership_update")
    assert response.status_code == 302 and response["Location"] == reverse("report-detail", args=[report.pk])
    assert (report.state, report.created_by, report.parameters["committee"]) == (
        "draft",
        users["analyst"],
        "Scrutiny Committee",
    )
    listed = client.get(reverse("meeting-list")).content.decode()
    assert reverse("report-detail", args=[report.pk]) in listed and "15 February 2016" in listed
    old = PartnershipUpdate.objects.create(
        title="Saved as text", date_from=date(2015, 11, 1), date_to=date(2016, 1, 31), text="The old paper"
    )
    page = client.get(reverse("partnership-update", args=[old.pk])).content.decode()
    assert "The old paper" in page and 'value="01/11/2015"' in page
    client.force_login(users["board_member"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("meeting-list")).status_code == 200
    client.force_login(users["viewer"])
    assert client.get(reverse("meeting-list")).status_code == 403


def test_meetings_list_has_a_fixed_number_of_queries(demo, users, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(users["board_member"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("meeting-list")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    board = Meeting.objects.first().group
    for i in range(10 * Meeting.objects.count()):
        meeting = Meeting.objects.create(group=board, date=date(2017, 1 + i % 12, 1), title=f"Extra {i}")
        AgendaItem.objects.create(meeting=meeting, title="Item", summary="s")
    assert count() == small


def test_meetings_are_recorded_on_the_web(demo, users, client):
    from saferplan.delivery.models import MeetingAction
    from saferplan.plans.models import Group

    asb = Group.objects.get(slug="anti-social-behaviour-group")
    board = Group.objects.get(partnership=demo.partnership, kind=Group.Kind.BOARD)
    client.force_login(users["viewer"])
    assert client.get(reverse("meeting-create")).status_code == 403
    client.force_login(users["group_lead"])
    refused = client.post(reverse("meeting-create"), {"group": board.pk, "date": "01/06/2017"})
    assert refused.status_code == 400  # only their own group's meetings
    response = client.post(reverse("meeting-create"), {"group": asb.pk, "date": "15/06/2017", "title": ""})
    assert response.status_code == 302
    meeting = Meeting.objects.get(group=asb, date=date(2017, 6, 15))
    bad = client.post(reverse("meeting-add", args=[meeting.pk, "item"]), {"kind": "performance", "title": ""})
    assert bad.status_code == 400 and "Enter the agenda item" in bad.content.decode()
    client.post(
        reverse("meeting-add", args=[meeting.pk, "item"]),
        {"kind": "performance", "title": "Quarter 4 performance", "summary": "ASB down", "decision": "Noted"},
    )
    client.post(
        reverse("meeting-add", args=[meeting.pk, "action"]),
        {"description": "Write to the council", "owner": "Chair", "due_date": "30/06/2017"},
    )
    assert AgendaItem.objects.get(meeting=meeting).order == 1
    assert MeetingAction.objects.get(meeting=meeting).due_date == date(2017, 6, 30)
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "Quarter 4 performance" in page and "Write to the council" in page
    board_meeting = Meeting.objects.filter(group=board).first()
    assert client.get(reverse("meeting-add", args=[board_meeting.pk, "item"])).status_code == 403
    assert client.get(reverse("meeting-add", args=[meeting.pk, "nonsense"])).status_code == 404
