"""Casework: the multi-agency work the plan's outcomes are delivered through (seeds 000 §4–5, 002 ¶7–12, 003
priorities 3 and 6). Anti-social behaviour incidents and cases with their escalation steps; the ASB Case Review
(the "Community Trigger", Anti-social Behaviour, Crime and Policing Act 2014 s.104); Safer Homes referrals routed
to the service that deals with each vulnerability; the Multi-Agency Intervention Service (a lead professional and
a team around the adult); MARAC referrals with the DASH risk checklist.

Personal and special-category data live here and nowhere else (docs/adr/0006-casework-privacy.md):
- who may open a record is decided by `casework.permissions` (the owning agency, the case team, restriction);
- every view and change is written to `AccessLog` with who and why; these models keep no field-by-field history
  (a history table would be a second copy of the personal data that retention could miss);
- records expire by `RetentionRule` and go by `saferplan casework_retention` (deleted or anonymised);
- only depersonalised counts leave the app (`casework.measures` → the plan's observations).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from saferplan.core.models import BaseModel

ANONYMISED = "Anonymised"


class CaseworkSettings(BaseModel):
    """The rules a partnership sets for its casework (one row per partnership)."""

    partnership = models.OneToOneField(
        "plans.Partnership", on_delete=models.CASCADE, related_name="casework_settings"
    )
    repeat_victim_incidents = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(2)],
        help_text="A victim of this many incidents within the window is a repeat victim",
    )
    repeat_victim_days = models.PositiveSmallIntegerField(
        default=365, validators=[MinValueValidator(1), MaxValueValidator(3660)]
    )
    trigger_complaints = models.PositiveSmallIntegerField(
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(3)],
        help_text="Qualifying complaints that meet the ASB Case Review threshold: by law no more than three "
        "(Anti-social Behaviour, Crime and Policing Act 2014 s.104)",
    )
    trigger_window_days = models.PositiveSmallIntegerField(
        default=183,
        validators=[MinValueValidator(1), MaxValueValidator(183)],
        help_text="The complaints must fall within this many days before the application (by law six months)",
    )
    trigger_report_within_days = models.PositiveSmallIntegerField(
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text="Each complaint made within this many days of the behaviour (by law one month)",
    )
    marac_repeat_days = models.PositiveSmallIntegerField(
        default=365, help_text="A referral of the same victim within this many days of the last is a repeat"
    )
    dash_high_risk_yes = models.PositiveSmallIntegerField(
        default=14,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="'Yes' answers on the DASH checklist that make a referral high risk (SafeLives: 14)",
    )

    def __str__(self) -> str:
        return f"Casework settings for {self.partnership}"


class Person(BaseModel):
    """Someone casework is about: a victim, a reporter, a perpetrator, an adult supported by the MAIS.
    Personal data; `special_category` holds special-category data (health, ethnicity, religion, sexuality)."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The agency that recorded this person",
    )
    name = models.CharField(max_length=200)
    date_of_birth = models.DateField(null=True, blank=True)
    contact = models.TextField(blank=True, help_text="Address, telephone, e-mail")
    vulnerable = models.BooleanField(
        default=False, help_text="Assessed as vulnerable (age, disability, health, isolation)"
    )
    special_category = models.TextField(
        blank=True, help_text="Special-category data (UK GDPR art. 9) needed for the work, and why"
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class Address(BaseModel):
    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    postcode = models.CharField(max_length=10, blank=True)
    area = models.ForeignKey(
        "areas.Area",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The locality the address is in, for depersonalised counts",
    )
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["text", "pk"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return self.text


class CaseRecord(BaseModel):
    """What every record about people shares: a reference, the partnership, the owning agency, whether it is
    restricted to its case team, when it was closed (retention runs from then) and when it was anonymised."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    reference = models.CharField(max_length=30, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+", help_text="The owning agency"
    )
    restricted = models.BooleanField(
        default=False, help_text="Only its team may open it (not everyone in the owning agency)"
    )
    closed_on = models.DateField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True, editable=False)
    synthetic = models.BooleanField(default=False, help_text="Made up for the demo: no real person")

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.reference


class Incident(CaseRecord):
    """An anti-social behaviour incident reported to the council or the police (Home Office categories)."""

    class Category(models.TextChoices):
        PERSONAL = "personal", "Personal"
        NUISANCE = "nuisance", "Nuisance"
        ENVIRONMENTAL = "environmental", "Environmental"

    category = models.CharField(max_length=15, choices=Category.choices)
    occurred_on = models.DateField(help_text="When the behaviour happened")
    reported_on = models.DateField(help_text="When it was reported")
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Locality"
    )
    description = models.TextField(blank=True)
    reporter = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    anonymous = models.BooleanField(default=False, help_text="The reporter did not give their name")
    case = models.ForeignKey(
        "Case", null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )

    class Meta:
        ordering = ["-occurred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reported_on__gte=models.F("occurred_on")), name="incident_reported_after"
            ),
        ]


class IncidentPerson(models.Model):
    class Role(models.TextChoices):
        VICTIM = "victim", "Victim"
        PERPETRATOR = "perpetrator", "Alleged perpetrator"
        WITNESS = "witness", "Witness"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="people")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="incident_links")
    role = models.CharField(max_length=12, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person", "role"], name="incident_person_role")
        ]

    def __str__(self) -> str:
        return f"{self.get_role_display()} in {self.incident}"


class Case(CaseRecord):
    """A multi-agency case: an ASB case opened from incidents, a MAIS case (a lead professional and a team around
    the adult) or a MARAC case. One model, so one set of access rules, logging, retention and subject access."""

    class Kind(models.TextChoices):
        ASB = "asb", "Anti-social behaviour case"
        MAIS = "mais", "Multi-Agency Intervention Service"
        MARAC = "marac", "MARAC (domestic abuse)"

    class Risk(models.TextChoices):
        STANDARD = "standard", "Standard"
        MEDIUM = "medium", "Medium"
        HIGH = "high", "High"

    kind = models.CharField(max_length=6, choices=Kind.choices)
    subject = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="cases",
        help_text="The person the case is about (the victim, or the adult supported)",
    )
    people = models.ManyToManyField(
        Person, blank=True, related_name="+", help_text="Others linked to the case"
    )
    opened_on = models.DateField()
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Lead officer (ASB) or lead professional (MAIS, MARAC)",
    )
    team = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="casework_teams",
        help_text="The team around the case",
    )
    partners = models.ManyToManyField("accounts.Organisation", blank=True, related_name="+")
    risk = models.CharField(max_length=10, choices=Risk.choices, default=Risk.STANDARD)
    risk_assessment = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    closure_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-opened_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("opened_on")),
                name="case_closed_after_opened",
            ),
        ]


class CaseAction(BaseModel):
    """A step of a case's agreed action plan (MAIS: agreed jointly with the adult; MARAC: an agency action)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_on = models.DateField()
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]


class Intervention(BaseModel):
    """An escalation step used on an ASB case (Anti-social Behaviour, Crime and Policing Act 2014), with its
    dates and outcome."""

    class Step(models.TextChoices):
        WARNING_LETTER = "warning_letter", "Warning letter"
        ABC = "abc", "Acceptable behaviour contract"
        CPW = "cpw", "Community protection warning"
        CPN = "cpn", "Community protection notice"
        INJUNCTION = "injunction", "Civil injunction"
        CLOSURE = "closure", "Closure order"
        CBO = "cbo", "Criminal behaviour order"

    class Outcome(models.TextChoices):
        PENDING = "pending", "Pending"
        COMPLIED = "complied", "Complied with"
        BREACHED = "breached", "Breached"
        REFUSED = "refused", "Refused by the court"
        WITHDRAWN = "withdrawn", "Withdrawn"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="interventions")
    step = models.CharField(max_length=15, choices=Step.choices)
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    issued_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    outcome_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["issued_on", "pk"]


class CaseReview(CaseRecord):
    """An application for an ASB Case Review (the Community Trigger, ASB, Crime and Policing Act 2014 s.104):
    the qualifying complaints are counted from the incidents; the decision, review, recommendations and any
    appeal are recorded."""

    class Decision(models.TextChoices):
        PENDING = "pending", "Not decided"
        MET = "met", "Threshold met"
        NOT_MET = "not_met", "Threshold not met"

    applicant = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    on_behalf = models.BooleanField(default=False, help_text="Made on the victim's behalf (e.g. by a carer)")
    applied_on = models.DateField()
    behaviour = models.TextField(help_text="The behaviour complained of, in the applicant's words")
    complaints = models.ManyToManyField(
        Incident, blank=True, related_name="+", help_text="The incidents counted as qualifying complaints"
    )
    decision = models.CharField(max_length=8, choices=Decision.choices, default=Decision.PENDING)
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    review_held_on = models.DateField(null=True, blank=True)
    recommendations = models.TextField(blank=True)
    appeal_requested_on = models.DateField(null=True, blank=True)
    appeal_outcome = models.TextField(blank=True)

    class Meta:
        ordering = ["-applied_on", "pk"]


class Vulnerability(models.TextChoices):
    """What a Safer Homes referral can find."""

    FIRE = "fire", "Fire risk"
    CRIME = "crime", "Crime risk (burglary, doorstep crime)"
    HOARDING = "hoarding", "Hoarding"
    FALLS = "falls", "Falls"
    ISOLATION = "isolation", "Isolation"


class RoutingRule(BaseModel):
    """Which service deals with a vulnerability found on a Safer Homes referral, and how fast."""

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    vulnerability = models.CharField(max_length=12, choices=Vulnerability.choices)
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    urgent_days = models.PositiveSmallIntegerField(default=1, validators=[MinValueValidator(1)])
    routine_days = models.PositiveSmallIntegerField(default=28, validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["vulnerability"]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "vulnerability"], name="one_route_per_vulnerability"
            )
        ]


class Referral(CaseRecord):
    """A Safer Homes referral from frontline staff: the vulnerabilities seen on a home visit, routed by the
    partnership's rules to the service that deals with each (the fire service's centralised process, 000 §4)."""

    Vulnerability = Vulnerability

    class Urgency(models.TextChoices):
        URGENT = "urgent", "Urgent"
        ROUTINE = "routine", "Routine"

    class Source(models.TextChoices):
        NEIGHBOURHOOD_WATCH = "neighbourhood_watch", "Neighbourhood Watch volunteer"
        CARER = "carer", "Carer"
        NURSE = "nurse", "Nurse"
        SOCIAL_WORKER = "social_worker", "Social worker"
        GP = "gp", "GP surgery, clinic or walk-in centre"
        POLICE = "police", "Police officer"
        FIRE = "fire", "Fire and rescue service"
        HOUSING = "housing", "Housing provider"
        FAMILY = "family", "Family or friend"
        OTHER = "other", "Other"

    referred_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices)
    referrer_name = models.CharField(max_length=200, blank=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    address = models.ForeignKey(Address, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    area = models.ForeignKey(
        "areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Locality"
    )
    vulnerabilities = models.JSONField(default=list, help_text="Codes from Referral.Vulnerability")
    clutter_rating = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(9)],
        help_text="Clutter image rating 1–9, when hoarding is seen",
    )
    urgency = models.CharField(max_length=8, choices=Urgency.choices, default=Urgency.ROUTINE)
    consent = models.BooleanField(default=False, help_text="The person agreed to the referral")
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["-referred_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(clutter_rating__isnull=True) | Q(clutter_rating__gte=1, clutter_rating__lte=9),
                name="referral_clutter_1_to_9",
            ),
        ]


class ReferralRoute(BaseModel):
    """A referral sent to one service: it accepts, completes or declines (with a reason) within the time its
    rule allows for the referral's urgency. The sharing agreement that allows the flow is recorded."""

    class Status(models.TextChoices):
        SENT = "sent", "Sent"
        ACCEPTED = "accepted", "Accepted"
        COMPLETED = "completed", "Completed"
        DECLINED = "declined", "Declined"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="routes")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    vulnerabilities = models.JSONField(default=list)
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    accepted_on = models.DateField(null=True, blank=True)
    completed_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    decline_reason = models.TextField(blank=True)
    agreement = models.ForeignKey(
        "assessment.SharingAgreement",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The information-sharing agreement that allows this flow",
    )

    class Meta:
        ordering = ["referral", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "organisation"], name="one_route_per_service"),
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(decline_reason=""), name="route_decline_has_reason"
            ),
        ]


class MaracMeeting(BaseModel):
    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    held_on = models.DateField()
    area = models.ForeignKey("areas.Area", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    chair = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-held_on", "pk"]

    def __str__(self) -> str:
        return f"MARAC {self.held_on:%-d %B %Y}"


class MaracReferral(BaseModel):
    """A referral to MARAC with the DASH risk checklist (SafeLives DASH RIC, 24 questions; 14 or more 'yes', or
    professional judgement, means high risk). Repeats are counted against the victim's earlier referrals."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="marac")
    referred_on = models.DateField()
    referring_organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="+"
    )
    dash_answers = models.JSONField(
        default=list, help_text="24 answers in checklist order: true (yes), false (no) or null (not known)"
    )
    professional_judgement = models.BooleanField(
        default=False, help_text="High risk on professional judgement, whatever the count"
    )
    judgement_reason = models.TextField(blank=True)
    meeting = models.ForeignKey(
        MaracMeeting, null=True, blank=True, on_delete=models.SET_NULL, related_name="referrals"
    )

    class Meta:
        ordering = ["-referred_on", "pk"]

    @property
    def dash_yes(self) -> int:
        return sum(1 for a in self.dash_answers if a is True)


class SharingBasis(BaseModel):
    """An agency brought into a case (as partner or team member's organisation) under an information-sharing
    agreement: the flow of personal data and the agreement that allows it."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sharing")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    agreement = models.ForeignKey("assessment.SharingAgreement", on_delete=models.PROTECT, related_name="+")
    shared_on = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "organisation"], name="one_basis_per_agency")]


class AccessLog(models.Model):
    """Every view and change of a casework record: who, when, what and why. No personal data is copied here:
    the record is named by its type and reference."""

    class Action(models.TextChoices):
        VIEW = "view", "Viewed"
        CREATE = "create", "Created"
        CHANGE = "change", "Changed"
        EXPORT = "export", "Exported"
        ANONYMISE = "anonymise", "Anonymised"
        DELETE = "delete", "Deleted"
        REFUSED = "refused", "Refused access"

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    username = models.CharField(max_length=150, help_text="Kept if the account is later removed")
    action = models.CharField(max_length=10, choices=Action.choices)
    record_type = models.CharField(max_length=30)
    record_id = models.PositiveIntegerField(null=True, blank=True)
    reference = models.CharField(max_length=30, blank=True)
    reason = models.TextField(help_text="Why: the user's stated purpose, or what the change was")

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display().lower()} {self.record_type} {self.reference}"


class RetentionRule(BaseModel):
    """How long a kind of record is kept after it closes (or after it happened, for incidents and referrals),
    and whether it is then deleted or anonymised (kept for counts with nothing that identifies anyone)."""

    class RecordType(models.TextChoices):
        INCIDENT = "incident", "ASB incident"
        ASB_CASE = "asb", "Anti-social behaviour case"
        MAIS_CASE = "mais", "MAIS case"
        MARAC_CASE = "marac", "MARAC case"
        CASE_REVIEW = "case_review", "ASB Case Review"
        REFERRAL = "referral", "Safer Homes referral"
        ACCESS_LOG = "access_log", "Access log entry"

    class Action(models.TextChoices):
        ANONYMISE = "anonymise", "Anonymise"
        DELETE = "delete", "Delete"

    partnership = models.ForeignKey("plans.Partnership", on_delete=models.CASCADE, related_name="+")
    record_type = models.CharField(max_length=12, choices=RecordType.choices)
    keep_months = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    action = models.CharField(max_length=10, choices=Action.choices, default=Action.ANONYMISE)

    class Meta:
        ordering = ["record_type"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "record_type"], name="one_retention_rule_per_type")
        ]


class CaseworkFeed(BaseModel):
    """An indicator whose figures come from casework counts (`casework.measures`), recorded as the plan's
    observations with origin 'casework' beside every other source."""

    indicator = models.OneToOneField(
        "plans.Indicator", on_delete=models.CASCADE, related_name="casework_feed"
    )
    measure = models.CharField(max_length=40, help_text="A measure from saferplan.casework.measures.MEASURES")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    records_from = models.DateField(
        null=True,
        blank=True,
        help_text="Casework records are complete from this date (blank: from the month of the first record)",
    )
    records_to = models.DateField(
        null=True, blank=True, help_text="…and until this date (blank: records are still being kept)"
    )

    class Meta:
        ordering = ["indicator"]
