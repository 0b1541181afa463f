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
