"""Delivery plan, progress updates and evidence, XLSX round trip, escalations, task and finish, localities."""

import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from saferplan.core.importing import DocumentError
from saferplan.delivery import selectors, services, spreadsheet
from saferplan.delivery.models import (
    DetailedAction,
    Escalation,
    GroupClosure,
    LocalityIssue,
    ProgressUpdate,
    Status,
)
from saferplan.plans.models import Group, StrategicAction

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def asb_action(demo):
    return DetailedAction.objects.filter(
        owner_group__slug="anti-social-behaviour-group", strategic_action__outcome__objective__plan=demo
    ).first()


def other_action(demo):
    return (
        DetailedAction.objects.exclude(owner_group__slug="anti-social-behaviour-group")
        .filter(strategic_action__outcome__objective__plan=demo)
        .first()
    )


def test_demo_delivery_plan_covers_every_strategic_action(demo):
    strategic = StrategicAction.objects.live().filter(outcome__objective__plan=demo)
    covered = set(
        DetailedAction.objects.filter(strategic_action__in=strategic).values_list(
            "strategic_action", flat=True
        )
    )
    assert covered == set(strategic.values_list("pk", flat=True))
    plan = selectors.delivery_plan(demo, today=date(2018, 6, 1))
    assert all(r.action.illustrative for r in plan.rows)
    assert {s for s in plan.counts} >= {Status.NOT_STARTED, Status.ON_TRACK, Status.COMPLETE}
    assert plan.overdue > 0 and all(not r.overdue or r.status != Status.COMPLETE for r in plan.rows)


def test_status_comes_from_the_latest_update_and_overdue_from_dates(demo, users):
    action = asb_action(demo)
    services.progress_update_add(
        action=action, user=users["group_lead"], status=Status.AT_RISK, text="Slower", on=date(2030, 1, 1)
    )
    row = next(r for r in selectors.delivery_plan(demo).rows if r.action.pk == action.pk)
    assert row.status == Status.AT_RISK
    assert row.overdue == (action.target_date < date.today())
    services.progress_update_add(
        action=action, user=users["group_lead"], status=Status.COMPLETE, text="Done", on=date(2030, 2, 1)
    )
    row = next(r for r in selectors.delivery_plan(demo).rows if r.action.pk == action.pk)
    assert row.status == Status.COMPLETE and not row.overdue


def test_group_lead_updates_only_their_groups_actions(demo, users, client):
    client.force_login(users["group_lead"])
    own, other = asb_action(demo), other_action(demo)
    response = client.post(
        own.get_absolute_url(),
        {"status": "on_track", "text": "Campaign launched", "evidence_link": "https://example.org/report"},
    )
    assert response.status_code == 302
    update = own.updates.order_by("-pk").first()
    assert (update.text, update.created_by, update.evidence_link) == (
        "Campaign launched",
        users["group_lead"],
        "https://example.org/report",
    )
    assert client.post(other.get_absolute_url(), {"status": "complete", "text": "Hijack"}).status_code == 403
    assert client.get(reverse("delivery-action-edit", args=[other.pk])).status_code == 403
    assert not other.updates.filter(text="Hijack").exists()
    client.force_login(users["viewer"])
    assert client.get(own.get_absolute_url()).status_code == 200  # everyone sees the delivery plan
    assert client.post(own.get_absolute_url(), {"status": "complete", "text": "x"}).status_code == 403


def test_evidence_is_checked_by_content_and_served_only_to_partners(demo, users, client):
    client.force_login(users["group_lead"])
    action = asb_action(demo)
    fake = io.BytesIO(b"MZ\x90\x00 not a pdf at all")
    fake.name = "report.pdf"
    response = client.post(action.get_absolute_url(), {"status": "on_track", "text": "x", "evidence": fake})
    assert response.status_code == 400 and "its content is not a PDF file" in response.content.decode()
    exe = io.BytesIO(b"MZ\x90\x00")
    exe.name = "tool.exe"
    response = client.post(action.get_absolute_url(), {"status": "on_track", "text": "x", "evidence": exe})
    assert "must be a PDF, Word" in response.content.decode()
    good = io.BytesIO(PDF)
    good.name = "minutes.pdf"
    assert (
        client.post(
            action.get_absolute_url(), {"status": "on_track", "text": "See minutes", "evidence": good}
        ).status_code
        == 302
    )
    update = ProgressUpdate.objects.get(evidence_name="minutes.pdf")
    assert update.evidence_file.startswith("evidence/") and not update.evidence_file.endswith("minutes.pdf")
    url = reverse("evidence-download", args=[update.pk])
    client.force_login(users["board_member"])
    download = client.get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["X-Content-Type-Options"] == "nosniff" and "attachment" in download["Content-Disposition"]
    client.force_login(users["viewer"])
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302  # to sign in: never a public URL


def test_xlsx_round_trip_and_validation(demo, users):
    content = spreadsheet.export_workbook(demo)
    sheet = load_workbook(io.BytesIO(content))[spreadsheet.SHEET]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == spreadsheet.COLUMNS and len(rows) - 1 == len(selectors.delivery_plan(demo).rows)
    assert spreadsheet.import_workbook("same.xlsx", content, plan=demo) == {
        "created": 0,
        "updated": 0,
        "status changes": 0,
    }
    workbook = load_workbook(io.BytesIO(content))
    sheet = workbook[spreadsheet.SHEET]
    sheet.append(
        [
            None,
            "1.1.1",
            None,
            "A new detailed action",
            "anti-social-behaviour-group",
            "durham-county-council",
            "A Lead",
            "01/04/2017",
            "31/03/2018",
            "on track",
            "Started",
        ]
    )
    sheet.cell(row=2, column=10, value="complete")
    out = io.BytesIO()
    workbook.save(out)
    counts = spreadsheet.import_workbook(
        "edited.xlsx", out.getvalue(), plan=demo, user=users["administrator"]
    )
    assert counts["created"] == 1 and counts["status changes"] >= 1
    new = DetailedAction.objects.get(description="A new detailed action")
    assert (new.start_date, new.target_date, new.lead_name) == (date(2017, 4, 1), date(2018, 3, 31), "A Lead")
    bad = load_workbook(io.BytesIO(content))
    sheet = bad[spreadsheet.SHEET]
    sheet.append(
        [None, "9.9.9", None, "x", "no-such-group", None, None, "31/02/2017", None, "sideways", None]
    )
    sheet.append(
        [
            None,
            "1.1.1",
            None,
            "y",
            "anti-social-behaviour-group",
            None,
            None,
            "01/04/2018",
            "01/04/2017",
            None,
            None,
        ]
    )
    out = io.BytesIO()
    bad.save(out)
    before = DetailedAction.objects.count()
    with pytest.raises(DocumentError) as caught:
        spreadsheet.import_workbook("bad.xlsx", out.getvalue(), plan=demo)
    report = caught.value.report()
    last = len(rows) + 1
    assert (
        f"bad.xlsx, row {last}, sheet Delivery plan, column Strategic action: unknown strategic action '9.9.9'"
        in report
    )
    assert f"row {last}, sheet Delivery plan, column Owning group: unknown group 'no-such-group'" in report
    assert f"row {last}, sheet Delivery plan, column Start date: cannot read '31/02/2017' as a date" in report
    assert f"row {last}, sheet Delivery plan, column Status: unknown status 'sideways'" in report
    assert (
        f"row {last + 1}, sheet Delivery plan, column Target date: the target date is before the start date"
        in report
    )
    assert DetailedAction.objects.count() == before


def test_delivery_commands(demo, tmp_path):
    from django.core.management import CommandError, call_command

    path = tmp_path / "plan.xlsx"
    out = io.StringIO()
    call_command("delivery", "export", "--output", str(path), stdout=out)
    assert "detailed actions" in out.getvalue() and path.exists()
    out = io.StringIO()
    call_command("delivery", "import", str(path), stdout=out)
    assert "0 created, 0 updated, 0 status changes" in out.getvalue()
    (tmp_path / "bad.xlsx").write_bytes(b"nope")
    with pytest.raises(CommandError, match="not a readable XLSX workbook"):
        call_command("delivery", "import", str(tmp_path / "bad.xlsx"))


def test_escalation_travels_to_the_board_and_back(demo, users, client):
    lead = users["group_lead"]
    asb = Group.objects.get(slug="anti-social-behaviour-group")
    board = asb.escalates_to
    client.force_login(lead)
    response = client.post(
        reverse("escalation-create"),
        {
            "from_group": asb.pk,
            "about": "risk",
            "title": "Loss of youth outreach funding",
            "why": "The grant ends in March",
            "ask": "Bridge funding for six months",
        },
    )
    assert response.status_code == 302
    escalation = Escalation.objects.get(title="Loss of youth outreach funding")
    assert (escalation.to_group, escalation.state, escalation.created_by) == (board, "open", lead)
    assert (
        client.post(escalation.get_absolute_url(), {"decision": "x"}).status_code == 403
    )  # not the Board's lead
    board_lead = users["board_member"]  # Board members record the Board's decisions
    assert board.kind == Group.Kind.BOARD
    client.force_login(board_lead)
    response = client.post(escalation.get_absolute_url(), {"decision": "Agreed: six months from the fund"})
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert (escalation.state, escalation.decision, escalation.decided_by) == (
        "closed",
        "Agreed: six months from the fund",
        board_lead,
    )
    register = client.get(reverse("escalation-list"), {"state": "closed"}).content.decode()
    assert "Loss of youth outreach funding" in register
    client.force_login(users["viewer"])
    assert client.get(reverse("escalation-list")).status_code == 403


def test_task_and_finish_closure_and_locality_issues(demo, users, client):
    tf = Group.objects.filter(kind=Group.Kind.TASK_AND_FINISH).first()
    tf.end_date = date(2015, 3, 31)
    tf.save()
    assert [overdue for g, _, overdue in selectors.task_and_finish_groups(demo.partnership) if g == tf] == [
        True
    ]
    tf.leads.add(users["group_lead"])
    client.force_login(users["group_lead"])
    assert "has not recorded its closure" in client.get(tf.get_absolute_url()).content.decode()
    response = client.post(
        reverse("group-close", args=[tf.pk]), {"achievements": "New offender pathway agreed"}
    )
    assert response.status_code == 302
    assert GroupClosure.objects.get(group=tf).achievements == "New offender pathway agreed"
    assert [overdue for g, _, overdue in selectors.task_and_finish_groups(demo.partnership) if g == tf] == [
        False
    ]
    assert client.get(reverse("group-close", args=[tf.pk])).status_code == 403  # already closed
    locality = Group.objects.filter(kind=Group.Kind.LOCALITY).first()
    assert client.get(reverse("locality-issue-create", args=[locality.pk])).status_code == 403
    locality.leads.add(users["group_lead"])
    response = client.post(
        reverse("locality-issue-create", args=[locality.pk]),
        {
            "place": "Market Place",
            "problem": "Street drinking",
            "opened_on": "01/06/2017",
            "state": "open",
            "actions": "Designated public place order considered",
        },
    )
    assert response.status_code == 302
    issue = LocalityIssue.objects.get(place="Market Place")
    response = client.post(
        reverse("locality-issue-edit", args=[issue.pk]),
        {
            "place": "Market Place",
            "problem": "Street drinking",
            "opened_on": "01/06/2017",
            "state": "closed",
            "outcome": "Order in force; reports down",
        },
    )
    issue.refresh_from_db()
    assert issue.state == "closed" and issue.closed_on == date.today()


def test_delivery_plan_page_has_a_fixed_number_of_queries(demo, users, client):
    client.force_login(users["board_member"])

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("delivery-plan")).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    strategic = StrategicAction.objects.live().filter(outcome__objective__plan=demo).first()
    group = strategic.owner_group
    for i in range(9 * DetailedAction.objects.count()):
        DetailedAction.objects.create(strategic_action=strategic, owner_group=group, description=f"Extra {i}")
    assert count() == small
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("escalation-list"))
    escalations = len(ctx.captured_queries)
    for i in range(20):
        Escalation.objects.create(
            from_group=group,
            to_group=group.escalates_to or group,
            about="risk",
            title=f"E{i}",
            why="w",
            ask="a",
            raised_on=date(2017, 1, 1),
        )
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("escalation-list"))
    assert len(ctx.captured_queries) == escalations


def test_narrowed_choices_are_enforced(demo, users, client):
    """A group lead cannot create an action for, or escalate from, a group they do not lead."""
    client.force_login(users["group_lead"])
    strategic = StrategicAction.objects.live().filter(outcome__objective__plan=demo).first()
    other = (
        Group.objects.exclude(slug="anti-social-behaviour-group").filter(partnership=demo.partnership).first()
    )
    response = client.post(
        reverse("delivery-action-create", args=[strategic.pk]),
        {"description": "Not mine", "owner_group": other.pk},
    )
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()
    assert not DetailedAction.objects.filter(description="Not mine").exists()
    other_escalating = (
        Group.objects.filter(partnership=demo.partnership, escalates_to__isnull=False)
        .exclude(slug="anti-social-behaviour-group")
        .first()
    )
    response = client.post(
        reverse("escalation-create"),
        {"from_group": other_escalating.pk, "about": "risk", "title": "Not mine", "why": "w", "ask": "a"},
    )
    assert response.status_code == 400 and not Escalation.objects.filter(title="Not mine").exists()


def test_administrator_sets_up_a_task_and_finish_group(demo, users, client):
    client.force_login(users["group_lead"])
    assert client.get(reverse("task-and-finish-create")).status_code == 403
    client.force_login(users["administrator"])
    board = Group.objects.get(partnership=demo.partnership, kind=Group.Kind.BOARD)
    bad = client.post(
        reverse("task-and-finish-create"),
        {
            "name": "Knife crime review",
            "remit": "",
            "escalates_to": board.pk,
            "start_date": "01/06/2016",
            "end_date": "01/01/2016",
        },
    )
    assert bad.status_code == 400
    assert (
        "Enter the remit" in bad.content.decode()
        and "The end date must be on or after" in bad.content.decode()
    )
    response = client.post(
        reverse("task-and-finish-create"),
        {
            "name": "Knife crime review",
            "remit": "Review knife crime and report to the Board",
            "escalates_to": board.pk,
            "start_date": "01/06/2016",
            "end_date": "31/12/2016",
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Knife crime review")
    assert (group.kind, group.escalates_to, group.end_date) == ("task_and_finish", board, date(2016, 12, 31))
    page = client.get(reverse("group-list")).content.decode()
    assert "Knife crime review" in page and "Closure overdue" in page


def test_milestones_and_new_actions_arising_from_a_decision(demo, users, client):
    client.force_login(users["group_lead"])
    action = asb_action(demo)
    bad = client.post(action.get_absolute_url(), {"milestone": "", "due_date": "x"})
    assert bad.status_code == 400 and "Enter the milestone" in bad.content.decode()
    assert (
        client.post(
            action.get_absolute_url(), {"milestone": "Campaign materials printed", "due_date": "30/06/2017"}
        ).status_code
        == 302
    )
    assert action.milestones.get().due_date == date(2017, 6, 30)
    asb = Group.objects.get(slug="anti-social-behaviour-group")
    escalation = services.escalation_raise(
        from_group=asb,
        user=users["group_lead"],
        about="resource",
        title="Need a new approach",
        why="w",
        ask="a",
    )
    client.force_login(users["board_member"])
    strategic = StrategicAction.objects.live().filter(outcome__objective__plan=demo).first()
    incomplete = client.post(escalation.get_absolute_url(), {"decision": "Agreed", "new_action": "Do X"})
    assert incomplete.status_code == 400 and "Choose the strategic action" in incomplete.content.decode()
    response = client.post(
        escalation.get_absolute_url(),
        {
            "decision": "Agreed",
            "new_action": "Run a pilot",
            "strategic_action": strategic.pk,
            "owner_group": asb.pk,
        },
    )
    assert response.status_code == 302
    escalation.refresh_from_db()
    assert [a.description for a in escalation.new_actions.all()] == ["Run a pilot"]


def test_large_evidence_is_refused_before_reading(demo, users, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from saferplan.delivery.evidence import MAX_BYTES

    client.force_login(users["group_lead"])
    big = SimpleUploadedFile("big.pdf", b"%PDF-" + b"0" * (MAX_BYTES + 1), content_type="application/pdf")
    response = client.post(
        asb_action(demo).get_absolute_url(), {"status": "on_track", "text": "x", "evidence": big}
    )
    assert response.status_code == 400 and "smaller than 10 MB" in response.content.decode()
