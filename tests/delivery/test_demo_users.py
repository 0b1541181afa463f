"""Demo users (`saferplan demo --users`) have example e-mail addresses, so that reminders have someone to go to:
every group that owns an overdue action in the demo delivery plan has a lead who is reminded."""

import io
import json
from datetime import date

from django.conf import settings
from django.core import mail

from saferplan.accounts.models import User
from saferplan.delivery import reminders
from saferplan.delivery.selectors import delivery_plan
from saferplan.plans.management.commands.demo import DEMO_USERS, Command

TODAY = date(2018, 6, 1)  # the demo's targets run from March 2017 to March 2019: some are overdue


def create_demo_users(plan) -> list[User]:
    """Run what `saferplan demo --users` runs; return the users it made (named in its password store)."""
    out = io.StringIO()
    Command(stdout=out).create_users(plan)
    assert "Demo users (username, password, role):" in out.getvalue()
    usernames = json.loads((settings.DATA_DIR / "demo-users.json").read_text())
    return list(User.objects.filter(username__in=usernames))


def test_demo_users_all_have_example_addresses(demo, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    created = create_demo_users(demo)
    assert {u.username for u in created} >= {username for username, *_ in DEMO_USERS}
    assert all(u.email == f"{u.username}@example.org" for u in created), [u.email for u in created]
    assert len({u.email for u in created}) == len(created)
    # running it again keeps the addresses (and an address someone has changed)
    someone = next(u for u in created if u.username == "viewer")
    someone.email = "vic@example.com"
    someone.save()
    again = {u.username: u.email for u in create_demo_users(demo)}
    assert again["viewer"] == "vic@example.com" and again["admin"] == "admin@example.org"


def test_reminders_reach_every_owner_of_an_overdue_action(demo, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    rows = delivery_plan(demo, today=TODAY).rows
    overdue = [r.action for r in rows if r.overdue]
    owners = {a.owner_group for a in overdue}
    assert len(owners) > 1  # more than the one group the fixtures' lead leads
    assert not reminders.pending(demo, TODAY)  # before: no demo user, nobody to remind
    create_demo_users(demo)
    pending = reminders.pending(demo, TODAY)
    reminded = {}
    for user, items in pending.items():
        for group in user.led_groups.all():
            reminded.setdefault(group, set()).update(i.key for i in items)
    for action in overdue:
        assert any(
            key.startswith(f"action:{action.pk}:overdue:") for key in reminded.get(action.owner_group, ())
        ), action.owner_group
    emails, _ = reminders.send(demo, today=TODAY)
    assert emails == len(mail.outbox) >= len(owners)
    assert all(m.to[0].endswith("@example.org") for m in mail.outbox)
