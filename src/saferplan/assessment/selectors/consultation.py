"""Reads for consultation: the exercises by financial year with the reg 12 check (SI 2007/1830 reg 12), what
each group consulted said, and what they said beside what the data say (told_us_beside_data)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q

from saferplan.accounts.models import Organisation
from saferplan.assessment.models import CandidateIssue, Concern, ConsultationExercise, StrategicAssessment
from saferplan.assessment.selectors.document import IndicatorEvidence, indicator_evidence, partnership_area
from saferplan.plans.models import Indicator, Partnership


@dataclass
class GroupViews:
    """What one group consulted said, as 003 lists it: what they are concerned about and what they want to see."""

    group: str  # Concern.Group value
    label: str  # "Our communities"
    concerns: list[Concern] = field(default_factory=list)
    wants: list[Concern] = field(default_factory=list)


def community_views(assessment: StrategicAssessment) -> list[GroupViews]:
    """'What our communities told us' for an assessment: every result of the consultation exercises that
    informed it, by group consulted (in the order of Concern.Group), concerns before wants, each in its order."""
    concerns = (
        Concern.objects.filter(exercise__assessment=assessment)
        .select_related("exercise")
        .order_by("exercise__held_from", "exercise__pk", "order", "pk")
    )
    by_group = {value: GroupViews(value, label) for value, label in Concern.Group.choices}
    for concern in concerns:
        views = by_group[concern.group]
        (views.wants if concern.kind == Concern.Kind.WANT else views.concerns).append(concern)
    return [v for v in by_group.values() if v.concerns or v.wants]


def exercises_for(assessment: StrategicAssessment) -> list[ConsultationExercise]:
    return list(assessment.consultations.order_by("held_from", "pk"))


# ------------------------------------------------------------------------------------------- exercises


@dataclass
class ExerciseYear:
    """The exercises held in one financial year (April to March), newest first, with the reg 12 check."""

    label: str  # "2015/16"
    exercises: list[ConsultationExercise]
    check: Reg12Check


@dataclass
class Reg12Check:
    """Whether a financial year met regulation 12 of the Crime and Disorder (Formulation and Implementation of
    Strategy) Regulations 2007 (SI 2007/1830): at least one public consultation that year attended by a senior
    person from each responsible authority of the partnership.

    `met` is True when one exercise that year had every responsible authority; otherwise `missing` names those
    absent from the best-attended exercise (`best`). `best` is None when no exercise that year records any senior
    attendance (the check cannot say who was missing: `known` is False). The authorities are the partnership's
    present ones; `authorities` is empty when the partnership has none recorded (nothing to check)."""

    year: str
    met: bool
    authorities: list[Organisation]
    best: ConsultationExercise | None = None
    missing: list[Organisation] = field(default_factory=list)
    exercises: int = 0

    @property
    def known(self) -> bool:
        """Whether the records can say if the year met reg 12: met, no exercise at all, or some attendance."""
        return bool(self.authorities) and (self.met or not self.exercises or self.best is not None)

    @property
    def words(self) -> str:
        if not self.authorities:
            return "Cannot be checked: no responsible authority is recorded among the partnership's groups"
        if self.met:
            return f"Met: {self.best} was attended by a senior person from every responsible authority"
        if not self.exercises:
            return "Not met: no consultation exercise recorded this year"
        if self.best is None:
            return (
                "Not known: no exercise this year records which responsible authorities sent a senior person"
            )
        names = ", ".join(o.name for o in self.missing)
        return f"Not met: no single exercise had every responsible authority. {self.best} was missing {names}"


def responsible_authorities(partnership: Partnership) -> list[Organisation]:
    """The responsible authorities of a partnership (Crime and Disorder Act 1998 s.5): the organisations of kind
    responsible_authority that lead or are members of any of the partnership's live groups (organisations are
    shared between partnerships; the groups say which belong to which)."""
    live = {"archived_at__isnull": True}
    return list(
        Organisation.objects.filter(kind=Organisation.Kind.RESPONSIBLE_AUTHORITY)
        .filter(
            Q(led_groups__partnership=partnership, **{f"led_groups__{k}": v for k, v in live.items()})
            | Q(
                member_of_groups__partnership=partnership,
                **{f"member_of_groups__{k}": v for k, v in live.items()},
            )
        )
        .distinct()
        .order_by("name")
    )


def financial_year(day: date) -> str:
    """The UK financial year (April to March) a date falls in, as "2015/16"."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def reg12_check(
    year: str, exercises: list[ConsultationExercise], authorities: list[Organisation]
) -> Reg12Check:
    """The reg 12 check (SI 2007/1830 reg 12) of one financial year's exercises (senior_attendance prefetched)."""
    wanted = {o.pk for o in authorities}
    best, best_count = None, 0
    for exercise in exercises:
        present = {o.pk for o in exercise.senior_attendance.all()} & wanted
        if wanted and present == wanted:
            return Reg12Check(year, True, authorities, exercise, [], len(exercises))
        if len(present) > best_count:
            best, best_count = exercise, len(present)
    present = {o.pk for o in best.senior_attendance.all()} if best else set()
    missing = [o for o in authorities if o.pk not in present]
    return Reg12Check(year, False, authorities, best, missing, len(exercises))


def exercise_years(partnership: Partnership) -> list[ExerciseYear]:
    """The partnership's exercises by financial year, newest first, each year with its reg 12 check; the years
    of the partnership's assessments are listed too, so a year without any exercise shows as not met."""
    exercises = list(
        ConsultationExercise.objects.filter(partnership=partnership)
        .select_related("assessment")
        .prefetch_related("senior_attendance")
        .order_by("-held_from", "title", "pk")
    )
    authorities = responsible_authorities(partnership)
    by_year: dict[str, list[ConsultationExercise]] = {}
    for exercise in exercises:
        by_year.setdefault(financial_year(exercise.held_from), []).append(exercise)
    for year in StrategicAssessment.objects.filter(partnership=partnership).values_list("year", flat=True):
        if re.fullmatch(r"\d{4}/\d{2}", year or ""):
            by_year.setdefault(year, [])
    return [
        ExerciseYear(year, by_year[year], reg12_check(year, by_year[year], authorities))
        for year in sorted(by_year, reverse=True)
    ]


def exercise_detail(pk: int) -> ConsultationExercise | None:
    return (
        ConsultationExercise.objects.select_related("partnership", "assessment")
        .prefetch_related(
            Prefetch("senior_attendance", queryset=Organisation.objects.order_by("name")),
            Prefetch("concerns", queryset=Concern.objects.order_by("group", "kind", "order", "pk")),
        )
        .filter(pk=pk)
        .first()
    )


def concern_detail(pk: int) -> Concern | None:
    return Concern.objects.select_related("exercise__partnership").filter(pk=pk).first()


def results_by_group(exercise: ConsultationExercise) -> list[GroupViews]:
    """An exercise's results by group consulted (in the order of Concern.Group), concerns before wants."""
    by_group = {value: GroupViews(value, label) for value, label in Concern.Group.choices}
    for concern in sorted(exercise.concerns.all(), key=lambda c: (c.order, c.pk)):
        views = by_group[concern.group]
        (views.wants if concern.kind == Concern.Kind.WANT else views.concerns).append(concern)
    return [v for v in by_group.values() if v.concerns or v.wants]


# ------------------------------------------------------------------- what our communities told us, beside the data


@dataclass
class IssueEvidence:
    """A candidate issue a concern is linked to, with its indicators' evidence."""

    candidate: CandidateIssue
    indicators: list[IndicatorEvidence] = field(default_factory=list)


@dataclass
class ToldUsItem:
    """One thing a group said, with the issues of the long-list it is linked to and what their data say."""

    concern: Concern
    issues: list[IssueEvidence] = field(default_factory=list)


@dataclass
class ToldUsGroup:
    """'What our communities told us' for one group consulted, beside what the data say (as 003 sets it out):
    `concerns` (what they are concerned about) and `wants` (what they want to see), each item with the
    candidate issues it is linked to (CandidateIssue.concerns) and, for each, its indicators' latest figure up to
    the end of the assessment's period and direction of travel. `period_end` is that date."""

    group: str  # Concern.Group value
    label: str  # "Our communities"
    concerns: list[ToldUsItem] = field(default_factory=list)
    wants: list[ToldUsItem] = field(default_factory=list)
    area: str = ""  # the area the figures are for
    period_end: date | None = None


def told_us_beside_data(assessment: StrategicAssessment) -> list[ToldUsGroup]:
    """'What our communities told us' for an assessment beside what the data say: community_views, each
    concern or want with the candidate issues of the assessment it is linked to and their indicators' latest
    figure (up to the end of the assessment's period, for the partnership's area) and direction of travel. One
    ToldUsGroup per group consulted that said anything, in the order of Concern.Group. A fixed number of queries
    whatever the number of concerns (one assessment of the indicators per distinct latest period)."""
    views = community_views(assessment)
    concern_ids = [c.pk for v in views for c in (*v.concerns, *v.wants)]
    candidates = list(
        CandidateIssue.objects.filter(assessment=assessment, concerns__pk__in=concern_ids)
        .distinct()
        .prefetch_related(
            Prefetch("indicators", queryset=Indicator.objects.order_by("order", "name")),
            Prefetch("concerns", queryset=Concern.objects.only("pk")),
        )
        .order_by("order", "pk")
    )
    indicators = {i.pk: i for c in candidates for i in c.indicators.all()}
    area = partnership_area(assessment.partnership)
    evidence = indicator_evidence(list(indicators.values()), assessment)
    issues_of: dict[int, list[IssueEvidence]] = {}
    for candidate in candidates:
        issue = IssueEvidence(candidate, [evidence[i.pk] for i in candidate.indicators.all()])
        for concern in candidate.concerns.all():
            issues_of.setdefault(concern.pk, []).append(issue)
    return [
        ToldUsGroup(
            v.group,
            v.label,
            [ToldUsItem(c, issues_of.get(c.pk, [])) for c in v.concerns],
            [ToldUsItem(c, issues_of.get(c.pk, [])) for c in v.wants],
            area.name if area else "",
            assessment.period_end,
        )
        for v in views
    ]
