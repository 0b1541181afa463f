"""Reminders: one digest per person, each item once per period, nothing new on a second run."""

import io
from datetime import date

from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from saferplan.delivery import reminders
from saferplan.delivery.models import ReminderSent


def test_digests_once_per_period(demo, users):
    lead, provider = users["group_lead"], users["data_provider"]
    lead.email, provider.email = "lead@example.org", "data@example.org"
    lead.save()
    provider.save()
    users["viewer"].email = "viewer@example.org"
    users["viewer"].save()
    today = date(2019, 5, 10)
    emails, items = reminders.send(demo, today=today, dry_run=True)
    assert emails == 2 and items > 0 and not mail.outbox and not ReminderSent.objects.exists()
    assert reminders.send(demo, today=today) == (emails, items)
    assert sorted(m.to[0] for m in mail.outbox) == ["data@example.org", "lead@example.org"]
    lead_mail = next(m for m in mail.outbox if m.to == ["lead@example.org"])
    assert "Overdue since" in lead_mail.body and "SaferPlan reminders for you" in lead_mail.body
    data_mail = next(m for m in mail.outbox if m.to == ["data@example.org"])
    assert "Q4 2018/19" in data_mail.body or "Mar 2019" in data_mail.body
    assert reminders.send(demo, today=today) == (0, 0)  # the second run sends nothing new
    assert len(mail.outbox) == 2
    emails_next_month, _ = reminders.send(demo, today=date(2019, 6, 10))
    assert emails_next_month == 2  # overdue items come round once a month


def test_due_soon_is_sent_once(demo, users):
    from saferplan.delivery.models import DetailedAction

    lead = users["group_lead"]
    lead.email = "lead@example.org"
    lead.save()
    action = DetailedAction.objects.filter(owner_group__slug="anti-social-behaviour-group").first()
    action.target_date = date(2030, 1, 10)
    action.save()
    texts = [i.text for i in reminders.items_for(lead, demo, date(2030, 1, 1))]
    assert any(t.startswith("Due on 10 January 2030") for t in texts)
    reminders.send(demo, today=date(2030, 1, 1))
    assert not any(
        i.text.startswith("Due on 10 January 2030")
        for i in sum(reminders.pending(demo, date(2030, 1, 2)).values(), [])
    )


def test_command_and_page(demo, users, client):
    users["group_lead"].email = "lead@example.org"
    users["group_lead"].save()
    out = io.StringIO()
    call_command("reminders", "send", "--dry-run", stdout=out)
    assert out.getvalue().startswith("Would send 1 email (")
    out = io.StringIO()
    call_command("reminders", "send", stdout=out)
    assert "Sent 1 email" in out.getvalue() and "to 1 person" in out.getvalue()
    out = io.StringIO()
    call_command("reminders", "send", stdout=out)
    assert out.getvalue().startswith("Sent 0 emails (0 reminders) to 0 people")
    client.force_login(users["group_lead"])
    page = client.get(reverse("my-reminders")).content.decode()
    assert "Already sent" in page and "Overdue since" in page


def test_the_schedule_is_daily_by_default_and_computes_the_next_run():
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from saferplan.delivery.models import ReminderSchedule

    uk = ZoneInfo("Europe/London")
    schedule = ReminderSchedule()
    assert schedule.enabled and schedule.days == "daily" and schedule.time_of_day == time(7, 0)
    schedule.time_of_day = time(7, 0)
    friday_noon = datetime(2026, 12, 4, 12, 0, tzinfo=uk)
    assert reminders.next_run(schedule, friday_noon) == datetime(2026, 12, 5, 7, 0, tzinfo=uk)
    assert reminders.next_run(schedule, datetime(2026, 12, 4, 6, 0, tzinfo=uk)).day == 4
    schedule.days = "weekdays"
    assert reminders.next_run(schedule, friday_noon) == datetime(2026, 12, 7, 7, 0, tzinfo=uk)
    schedule.days = "weekly"
    assert reminders.next_run(schedule, datetime(2026, 12, 7, 8, 0, tzinfo=uk)).day == 14
    summer = reminders.next_run(schedule, datetime(2026, 6, 30, 12, 0, tzinfo=uk))  # British Summer Time
    assert summer.astimezone(uk).hour == 7 and summer.utcoffset().total_seconds() == 3600


def test_scheduled_runs_record_themselves_queue_the_next_and_send_nothing_new_the_same_day(
    demo, users, settings
):
    from datetime import datetime, time
    from zoneinfo import ZoneInfo

    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
    uk = ZoneInfo("Europe/London")
    users["group_lead"].email = "lead@example.org"
    users["group_lead"].save()
    now = datetime(2026, 12, 4, 12, 0, tzinfo=uk)
    schedule = reminders.schedule_set(
        user=users["administrator"], enabled=True, days="daily", time_of_day=time(6, 30), now=now
    )
    first = datetime(2026, 12, 5, 6, 30, tzinfo=uk)
    assert schedule.next_run_at == first and schedule.task_id
    queued = DBTaskResult.objects.get(id=schedule.task_id)
    assert queued.status == "READY" and queued.run_after == first
    assert queued.task_path == "saferplan.delivery.tasks.reminders_task"

    at = datetime(2026, 12, 5, 6, 30, 5, tzinfo=uk)
    result = reminders.scheduled_run(queued.args_kwargs["args"][0], now=at)
    assert result.startswith("Sent 1 email (") and len(mail.outbox) == 1
    schedule.refresh_from_db()
    assert schedule.last_run_at == at and schedule.last_run_result == result
    assert schedule.next_run_at == datetime(2026, 12, 6, 6, 30, tzinfo=uk)
    assert DBTaskResult.objects.get(id=schedule.task_id).run_after == schedule.next_run_at  # the next one

    # The same run delivered twice, or a second run the same day: nothing new is sent.
    assert reminders.scheduled_run(queued.args_kwargs["args"][0], now=at).startswith("superseded")
    assert reminders.run_now(now=datetime(2026, 12, 5, 18, 0, tzinfo=uk)) == "Sent 0 emails (0 reminders)."
    assert len(mail.outbox) == 1

    # Switched off: nothing is queued; the page says so.
    reminders.schedule_set(user=users["administrator"], enabled=False, days="daily", time_of_day=time(7))
    assert reminders.schedule_get().next_run_at is None


def test_an_administrator_sets_the_schedule_on_the_reminders_page(demo, users, client):
    client.force_login(users["group_lead"])
    page = client.get(reverse("my-reminders")).content.decode()
    assert "Every day at 07:00 (UK time)" in page and "Not run yet" in page
    assert "Save the schedule" not in page
    assert client.post(reverse("my-reminders"), {"days": "weekly", "time_of_day": "08:00"}).status_code == 403
    client.force_login(users["administrator"])
    page = client.get(reverse("my-reminders")).content.decode()
    assert "Save the schedule" in page and "Next run" in page
    bad = client.post(reverse("my-reminders"), {"enabled": "on", "days": "daily", "time_of_day": "25:00"})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    response = client.post(
        reverse("my-reminders"), {"enabled": "on", "days": "weekdays", "time_of_day": "08:15"}, follow=True
    )
    assert "Monday to Friday at 08:15 (UK time)" in response.content.decode()
    assert reminders.schedule_get().time_of_day.strftime("%H:%M") == "08:15"
