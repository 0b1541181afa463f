import json
import os
import secrets
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from saferplan.accounts.models import Organisation, User
from saferplan.assessment import demo as assessment_demo
from saferplan.casework import demo as casework_demo
from saferplan.delivery import demo as delivery_demo
from saferplan.funding import demo as funding_demo
from saferplan.indicators import demo as performance_demo
from saferplan.plans.models import Group, Plan
from saferplan.plans.plan_yaml import import_plan_text
from saferplan.plans.services import group_leads_change
from saferplan.police import ingest
from saferplan.police import services as police_services
from saferplan.reports import demo as paper_defaults_demo

DEMO_FILE = Path(__file__).resolve().parents[2] / "demo" / "safe-durham-2016-19.yaml"
# The earlier version of the plan, loaded first because the 2016-19 file names it as its previous version
DEMO_PREVIOUS = Path(__file__).resolve().parents[2] / "demo" / "safe-durham-2014-17.yaml"
POLICE_DEMO = Path(__file__).resolve().parents[3] / "police" / "demo" / "2016-03-durham-street.csv"

# username, role, first name, last name, organisation slug, group slug led. Every demo user has an address at
# example.org (reserved for examples, RFC 2606), so that reminders have someone to go to and reach no one.
DEMO_USERS = [
    ("admin", User.Role.ADMINISTRATOR, "Ada", "Administrator", "durham-county-council", None),
    ("analyst", User.Role.ANALYST, "Anil", "Analyst", "durham-county-council", None),
    (
        "analyst2",
        User.Role.ANALYST,
        "Ana",
        "Second",
        "durham-constabulary",
        None,
    ),  # the assessments' 2nd scorer
    (
        "asb-lead",
        User.Role.GROUP_LEAD,
        "Gail",
        "Lead",
        "durham-county-council",
        "anti-social-behaviour-group",
    ),
    ("police-data", User.Role.DATA_PROVIDER, "Dara", "Provider", "durham-constabulary", None),
    ("board", User.Role.BOARD_MEMBER, "Bea", "Member", "durham-constabulary", None),
    ("viewer", User.Role.VIEWER, "Vic", "Viewer", None, None),
    # the casework demo's caseworkers (saferplan.casework.demo), who lead its synthetic cases
    *[
        (u, User.Role.CASEWORKER, first, last, org, None)
        for u, first, last, org in casework_demo.DEMO_CASEWORKERS
    ],
]
# A lead for each other thematic group that owns actions in the demo delivery plan, so that every overdue
# action has someone to remind: username, first name, group slug (organisation: the group's lead organisation).
DEMO_GROUP_LEADS = [
    ("alcohol-lead", "Alma", "alcohol-harm-reduction-group"),
    ("drugs-lead", "Dev", "drugs-strategy-group"),
    ("reoffending-lead", "Rafe", "reducing-reoffending-group"),
    ("think-family-lead", "Tess", "think-family-partnership"),
    ("dasv-lead", "Dina", "domestic-abuse-and-sexual-violence-executive-group"),
    ("hate-crime-lead", "Hari", "hate-crime-working-group"),
    ("road-safety-lead", "Rosa", "road-casualty-reduction-partnership"),
    ("contest-lead", "Cole", "partnership-silver-contest-board"),
]
EMAIL_DOMAIN = "example.org"


def demo_users(plan: Plan) -> list[tuple]:
    """Every demo user: (username, role, first name, last name, organisation slug, group slug led)."""
    leads = dict(
        Group.objects.filter(
            partnership=plan.partnership, slug__in=[g for _, _, g in DEMO_GROUP_LEADS]
        ).values_list("slug", "lead_organisation__slug")
    )
    return DEMO_USERS + [
        (username, User.Role.GROUP_LEAD, first, "Lead", leads.get(group), group)
        for username, first, group in DEMO_GROUP_LEADS
        if group in leads
    ]


class Command(BaseCommand):
    help = (
        "Load the Safe Durham Partnership Plan 2016-19 demo, with its earlier version 2014-17. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--users",
            action="store_true",
            help="also create one demo user per role and print their sign-in details "
            "(passwords are generated once and kept in $SAFERPLAN_DATA_DIR/demo-users.json), each with an "
            "example.org e-mail address, and a lead for every thematic group that owns demo actions",
        )

    def handle(self, *args, **options):
        previous = import_plan_text(DEMO_PREVIOUS.read_text(encoding="utf-8"), filename=DEMO_PREVIOUS.name)
        self.stdout.write(
            f"Earlier version loaded: {previous.title} ({previous.get_status_display().lower()})."
        )
        plan = import_plan_text(DEMO_FILE.read_text(encoding="utf-8"), filename=DEMO_FILE.name)
        self.stdout.write(f"Demo plan loaded: {plan.title}.")

        def police_month():
            # real figures, recorded before the synthetic series so that those are built to fit them
            _, derived = police_services.police_import(
                ingest.discover([POLICE_DEMO]), partnership=plan.partnership
            )
            return derived or {"created": 0, "revised": 0, "unchanged": 0}

        done = performance_demo.load(plan.partnership, before_synthetic=police_month)
        self.stdout.write(
            f"Performance data: {done['published']} published figures from the seed documents, and "
            f"{done['derived']} derived from them (each says how)."
        )
        police = done["before_synthetic"]
        self.stdout.write(
            f"Police open data: March 2016 for Durham Constabulary ({police['created']} new, "
            f"{police['revised']} revised, {police['unchanged']} unchanged observations)."
        )
        self.stdout.write(
            f"Synthetic series: {done['synthetic']} new figures, marked as such and built to fit the real "
            "ones (months add up to the published years, localities to the county)."
        )
        created = delivery_demo.load(plan)
        if created:
            self.stdout.write(f"Delivery plan: {created} illustrative detailed actions.")
        funded = funding_demo.load(plan)
        if funded:
            self.stdout.write(
                f"Funding: {funded} allocations and projects (amounts the seeds do not give are illustrative)."
            )
        if assessment_demo.load(plan):
            self.stdout.write(
                "Strategic assessments: 2008/09 (from 003) and 2015/16 (from 000 and 001), scores assumed."
            )
        if casework_demo.load(plan):
            self.stdout.write(
                "Casework: a synthetic caseload (no real people) whose counts feed the Safer Homes and MARAC "
                "indicators; settings, routing and retention assumed."
            )
        if paper_defaults_demo.load(plan.partnership):
            self.stdout.write("Committee papers: officers, contacts and implications from the seed papers.")
        if options["users"]:
            self.create_users(plan)

    @transaction.atomic
    def create_users(self, plan: Plan) -> None:
        store = Path(settings.DATA_DIR) / "demo-users.json"
        passwords = json.loads(store.read_text()) if store.exists() else {}
        lines = []
        for username, role, first, last, org_slug, group_slug in demo_users(plan):
            password = passwords.get(username) or secrets.token_urlsafe(12)
            passwords[username] = password
            user = User.objects.filter(username=username).first() or User(username=username)
            user.role, user.first_name, user.last_name = role, first, last
            user.email = user.email or f"{username}@{EMAIL_DOMAIN}"
            user.organisation = Organisation.objects.filter(slug=org_slug).first() if org_slug else None
            user.is_staff = user.is_superuser = role == User.Role.ADMINISTRATOR
            if not user.check_password(password):
                user.set_password(password)
            user.save()  # a new role, organisation or access is in the user's history; nothing else is
            if group_slug:  # in the group's history (no one signed in: "System")
                group = Group.objects.get(partnership=plan.partnership, slug=group_slug)
                group_leads_change(group=group, user=None, add=[user])
            lines.append(f"  {username:<18} {password:<18} {user.get_role_display()}")
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text(json.dumps(passwords, indent=2))
        os.chmod(store, 0o600)
        self.stdout.write("Demo users (username, password, role):\n" + "\n".join(lines))
