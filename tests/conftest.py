"""Shared fixtures: the demo plan, and one user for each role."""

import pytest
from django.core.management import call_command
from django.db import connection

from saferplan.accounts.models import Organisation, User
from saferplan.plans.models import Group, Plan

ROLES = [r.value for r in User.Role]


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Tests sign many users in; the production hasher is deliberately slow."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a rolled-back test's cached assessments must not be read by the
    next (indicators.selectors.assess_indicators keys them by the figures' history)."""
    from django.core.cache import cache

    cache.clear()


class Snapshot:
    """The test database as the demo left it, to put back after a transactional test has emptied it: in
    milliseconds rather than loading the demo again (about 12 s). SQLite: the backup API; PostgreSQL: COPY of
    every table, in one transaction (foreign keys are deferred), then the sequences reset."""

    def __init__(self):
        self.sqlite = None
        self.tables: dict[str, bytes] = {}

    def take(self) -> None:
        connection.ensure_connection()
        if connection.vendor == "sqlite":
            import sqlite3

            self.sqlite = sqlite3.connect(":memory:", check_same_thread=False)
            connection.connection.backup(self.sqlite)
            return
        with connection.cursor() as cursor:
            for table in connection.introspection.table_names(cursor):
                with cursor.cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    self.tables[table] = b"".join(bytes(chunk) for chunk in copy)

    def restore(self) -> None:
        from django.apps import apps
        from django.contrib.contenttypes.models import ContentType
        from django.core.management.color import no_style
        from django.db import transaction

        connection.ensure_connection()
        if self.sqlite is not None:
            self.sqlite.backup(connection.connection)
        else:
            with transaction.atomic(), connection.cursor() as cursor:
                names = ", ".join(f'"{t}"' for t in self.tables)
                cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
                for table, data in self.tables.items():
                    if data:
                        with cursor.cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                            copy.write(data)
                for sql in connection.ops.sequence_reset_sql(
                    no_style(), apps.get_models(include_auto_created=True)
                ):
                    cursor.execute(sql)
        ContentType.objects.clear_cache()


SNAPSHOT = Snapshot()


def seed_migration_data() -> None:
    """The rows a migration seeds (the test database is made from the models, without the migrations: see
    pyproject.toml): the search synonyms of plans 0009, by that migration's own function."""
    from importlib import import_module

    from django.apps import apps

    import_module("saferplan.plans.migrations.0009_search_synonyms").seed(apps, None)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the demo once into the test database; each test runs in a transaction rolled back after it."""
    with django_db_blocker.unblock():
        seed_migration_data()
        call_command("demo", verbosity=0)
        SNAPSHOT.take()


@pytest.fixture
def demo(db) -> Plan:
    """The Safe Durham Partnership Plan 2016-19, loaded from the shipped YAML.

    Transactional tests (browser journeys) empty the database after each test; the demo is then put back from
    the snapshot taken when it was first loaded."""
    if not Plan.objects.filter(slug="sdp-2016-19").exists():
        SNAPSHOT.restore()
    return Plan.objects.get(slug="sdp-2016-19")


def make_user(role: str, **extra) -> User:
    user = User.objects.create_user(
        username=f"{role}-user", password="a-long-test-password", role=role, **extra
    )
    return user


@pytest.fixture
def users(demo) -> dict[str, User]:
    """One user per role; the group lead leads the Anti-Social Behaviour Group; the data provider is from
    Durham Constabulary; the caseworker is from Durham County Council."""
    result = {role: make_user(role) for role in ROLES}
    result["data_provider"].organisation = Organisation.objects.get(slug="durham-constabulary")
    result["data_provider"].save()
    result["caseworker"].organisation = Organisation.objects.get(slug="durham-county-council")
    result["caseworker"].save()
    Group.objects.get(slug="anti-social-behaviour-group").leads.add(result["group_lead"])
    return result


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in
