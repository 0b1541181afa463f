from django.contrib.auth.models import AbstractUser
from django.db import models
from simple_history.models import HistoricalRecords

from saferplan.core.models import BaseModel


class Organisation(BaseModel):
    """A partner body: a responsible authority (Crime and Disorder Act 1998) or a co-operating body."""

    class Kind(models.TextChoices):
        RESPONSIBLE_AUTHORITY = "responsible_authority", "Responsible authority"
        CO_OPERATING_BODY = "co_operating_body", "Co-operating body"

    class Sector(models.TextChoices):
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        POLICE = "police", "Police"
        FIRE = "fire", "Fire and rescue"
        PROBATION = "probation", "Probation"
        HEALTH = "health", "Health"
        PCC = "police_and_crime_commissioner", "Police and Crime Commissioner"
        VOLUNTARY = "voluntary", "Voluntary and community sector"
        OTHER = "other", "Other"

    slug = models.SlugField(max_length=100, unique=True)
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    sector = models.CharField(max_length=40, choices=Sector.choices, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class AccessHistory(HistoricalRecords):
    """The history of what a person may do. A save that changes none of the fields it keeps (a sign-in's time, a
    new password, a new e-mail address) leaves no record: every record is a change someone may need to trace."""

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False):
            update_fields = kwargs.get("update_fields")
            if update_fields and set(update_fields) <= set(self.excluded_fields):
                return  # no query: a sign-in saves last_login alone
            latest = getattr(instance, self.manager_name).order_by("-history_date", "-history_id").first()
            fields = self.fields_included(instance)
            if latest is not None and all(
                getattr(latest, f.attname) == getattr(instance, f.attname) for f in fields
            ):
                return
        super().post_save(instance, created, using=using, **kwargs)


class User(AbstractUser):
    """A person who signs in. Their role decides what they may read and change (see accounts.permissions)."""

    class Role(models.TextChoices):
        ADMINISTRATOR = "administrator", "Administrator"
        ANALYST = "analyst", "Analyst"
        GROUP_LEAD = "group_lead", "Group lead"
        DATA_PROVIDER = "data_provider", "Data provider"
        BOARD_MEMBER = "board_member", "Board member"
        VIEWER = "viewer", "Viewer"
        CASEWORKER = "caseworker", "Caseworker"

    role = models.CharField(max_length=20, choices=Role.choices, default=Role.VIEWER)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )

    # Who changed a person's role, organisation or access, and when: the fields that grant or remove rights
    # (and the username, to name the record). Never the password hash, sign-in times or contact details.
    history = AccessHistory(
        excluded_fields=["password", "last_login", "first_name", "last_name", "email", "date_joined"]
    )

    def __str__(self) -> str:
        return self.get_full_name() or self.username
