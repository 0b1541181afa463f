"""Board meetings from the seeds, and the scrutiny committee's "Partnership update" paper drafted from them."""

from datetime import date

from django.urls import reverse

from saferplan.delivery.models import Meeting, PartnershipUpdate


def test_demo_meetings_come_from_the_seeds(demo):
    months = [m.date.strftime("%Y-%m") for m in Meeting.objects.order_by("date")]
    assert months == ["2014-05", "2015-11", "2016-01", "2016-05"]
    january = Meeting.objects.get(date=date(2016, 1, 1))
    assert [i.title for i in january.items.order_by("order")][:2] == ["Desistance Model", "Funding"]


def test_partnership_update_paper_is_drafted_edited_and_saved(demo, users, client):
    client.force_login(users["administrator"])
    url = reverse("partnership-update-new")
    page = client.get(url, {"date_from": "01/11/2015", "date_to": "31/01/2016"}).content.decode()
    assert (
        "summary update on key issues from the November 2015 and January 2016 Safe Durham Partnership Board"
        in page
    )
    assert "Desistance Model" in page and "Note the contents of the report." in page
    assert "Domestic Homicide Reviews" not in page  # May 2014 is outside the period
    response = client.post(
        url,
        {
            "date_from": "01/11/2015",
            "date_to": "31/01/2016",
            "title": "SDP update",
            "text": "Edited by the officer",
        },
    )
    assert response.status_code == 302
    saved = PartnershipUpdate.objects.get(title="SDP update")
    assert (saved.text, saved.created_by) == ("Edited by the officer", users["administrator"])
    bad = client.get(url, {"date_from": "31/01/2016", "date_to": "01/11/2015"})
    assert bad.status_code == 400 and "The end of the period must be after its start" in bad.content.decode()
    client.force_login(users["board_member"])
    assert client.get(url).status_code == 403
    assert client.get(reverse("meeting-list")).status_code == 200
    client.force_login(users["viewer"])
    assert client.get(reverse("meeting-list")).status_code == 403


def test_meetings_list_has_a_fixed_number_of_queries(demo, users, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from saferplan.delivery.models import AgendaItem

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
    from saferplan.delivery.models import AgendaItem, MeetingAction
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
