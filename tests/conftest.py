"""Shared fixtures: the demo plan, and one user for each role."""

import pytest
from django.core.management import call_command

from saferplan.accounts.models import Organisation, User
from saferplan.plans.models import Group, Plan

ROLES = [r.value for r in User.Role]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign many users in; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once into the test database; each test runs in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        call_command("demo", verbosity=0)


@pytest.fixture
def demo(db) -> Plan:
    """The Safe Durham Partnership Plan 2016-19, loaded from the shipped YAML.

    Transactional tests (browser journeys) empty the database after each test, so load it again if needed."""
    if not Plan.objects.filter(slug="sdp-2016-19").exists():
        call_command("demo", verbosity=0)
    return Plan.objects.get(slug="sdp-2016-19")


def make_user(role: str, **extra) -> User:
    user = User.objects.create_user(
        username=f"{role}-user", password="a-long-test-password", role=role, **extra
    )
    return user


@pytest.fixture
def users(demo) -> dict[str, User]:
    """One user per role; the group lead leads the Anti-Social Behaviour Group; the data provider is from
    Durham Constabulary."""
    result = {role: make_user(role) for role in ROLES}
    result["data_provider"].organisation = Organisation.objects.get(slug="durham-constabulary")
    result["data_provider"].save()
    Group.objects.get(slug="anti-social-behaviour-group").leads.add(result["group_lead"])
    return result


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
