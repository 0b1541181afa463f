"""Reads for the Multi-Agency Intervention Service and MARAC: repeat referrals, meetings and the depersonalised
figures (no names leave these counts)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from saferplan.casework import permissions
from saferplan.casework.models import Case, CaseworkSettings, MaracMeeting, MaracReferral, SharingBasis


def settings_for(partnership) -> CaseworkSettings:
    """The partnership's casework settings, or the defaults (unsaved) when it has set none."""
    return CaseworkSettings.objects.filter(partnership=partnership).first() or CaseworkSettings(
        partnership=partnership
    )


def live_agreement(*, partnership, organisations, on: date | None = None):
    """A live (not archived) information-sharing agreement of the partnership whose parties include every one
    of `organisations`, signed by `on` when a signing date is recorded; None when there is none."""
    from saferplan.assessment.models import SharingAgreement

    qs = SharingAgreement.objects.filter(partnership=partnership).live()
    for organisation in {getattr(o, "pk", o) for o in organisations}:
        qs = qs.filter(parties=organisation)
    for agreement in qs.distinct().order_by("-signed_on", "pk"):
        if on is None or agreement.signed_on is None or agreement.signed_on <= on:
            return agreement
    return None


def _history(partnership) -> dict[int, list[tuple[date, int]]]:
    """Every MARAC referral of the partnership as (referred_on, pk), by victim (the case's subject)."""
    by_victim: dict[int, list[tuple[date, int]]] = defaultdict(list)
    rows = MaracReferral.objects.filter(case__partnership=partnership).values_list(
        "case__subject_id", "referred_on", "pk"
    )
    for subject_id, referred_on, pk in rows:
        by_victim[subject_id].append((referred_on, pk))
    for entries in by_victim.values():
        entries.sort()
    return by_victim


def repeat_referral_ids(partnership, *, days: int | None = None) -> set[int]:
    """The MARAC referrals that are repeats: the same victim referred within `days` (the partnership's
    marac_repeat_days, by default 365) of their previous referral, counting both days (365 days after is a
    repeat, 366 is not)."""
    if days is None:
        days = settings_for(partnership).marac_repeat_days
    window = timedelta(days=days)
    repeats = set()
    for entries in _history(partnership).values():
        for (before, _), (referred_on, pk) in zip(entries, entries[1:], strict=False):
            if referred_on - before <= window:
                repeats.add(pk)
    return repeats


def is_repeat(referral: MaracReferral) -> bool:
    return referral.pk in repeat_referral_ids(referral.case.partnership)


def marac_repeats(partnership, *, start: date, end: date) -> tuple[int, int]:
    """(repeat referrals, all referrals) of the partnership referred between `start` and `end` inclusive."""
    repeats = repeat_referral_ids(partnership)
    ids = list(
        MaracReferral.objects.filter(
            case__partnership=partnership, referred_on__gte=start, referred_on__lte=end
        ).values_list("pk", flat=True)
    )
    return sum(1 for pk in ids if pk in repeats), len(ids)


def marac_case(ref: str) -> Case | None:
    return (
        Case.objects.filter(reference=ref, kind=Case.Kind.MARAC)
        .select_related("marac__referring_organisation", "marac__meeting", "subject", "organisation")
        .first()
    )


def case_context(case: Case) -> dict:
    """What the MAIS and MARAC parts of the case page show (merged into the case page's context):
    `mais_sharing` (the agencies brought in, with their agreements), `marac_repeat`, `marac_yes`, `dash_rows`."""
    if case.kind == Case.Kind.MAIS:
        return {
            "mais_sharing": list(
                SharingBasis.objects.filter(case=case)
                .select_related("organisation", "agreement")
                .order_by("organisation__name")
            )
        }
    if case.kind == Case.Kind.MARAC:
        from saferplan.casework import dash

        referral = getattr(case, "marac", None)
        if referral is None:
            return {}
        answers = list(referral.dash_answers) + [None] * (dash.COUNT - len(referral.dash_answers))
        return {
            "marac_repeat": is_repeat(referral),
            "marac_yes": referral.dash_yes,
            "dash_rows": [
                (q, dash.SHOWN.get(a, "Not known")) for q, a in zip(dash.QUESTIONS, answers, strict=False)
            ],
        }
    return {}


def meetings(partnership) -> list[MaracMeeting]:
    from django.db.models import Count

    return list(
        MaracMeeting.objects.filter(partnership=partnership)
        .select_related("area", "chair")
        .annotate(case_count=Count("referrals"))
        .order_by("-held_on", "pk")
    )


def meeting_get(pk: int) -> MaracMeeting | None:
    return MaracMeeting.objects.filter(pk=pk).select_related("area", "chair", "partnership").first()


def meeting_cases(meeting: MaracMeeting, user) -> list[dict]:
    """The cases heard at a meeting; for each, whether the user may open it (`open`, their `standing`) and, only
    then, its reference, agencies and actions. Others are shown as "restricted case"."""
    referrals = list(
        MaracReferral.objects.filter(meeting=meeting)
        .select_related("case__organisation", "case__subject", "referring_organisation")
        .prefetch_related("case__partners", "case__sharing__organisation", "case__actions__organisation")
        .prefetch_related("case__actions__owner")
        .order_by("referred_on", "pk")
    )
    repeats = repeat_referral_ids(meeting.partnership)
    rows = []
    for referral in referrals:
        case = referral.case
        found = permissions.standing(user, case)
        agencies = {case.organisation, referral.referring_organisation}
        agencies |= set(case.partners.all()) | {s.organisation for s in case.sharing.all()}
        rows.append(
            {
                "referral": referral,
                "case": case,
                "standing": found,
                "open": found is not None,
                "risk": case.get_risk_display(),
                "repeat": referral.pk in repeats,
                "agencies": sorted(a.short_name or a.name for a in agencies),
                "actions": list(case.actions.all()),
            }
        )
    return rows


def unassigned_referrals(partnership, user) -> list[MaracReferral]:
    """MARAC referrals with no meeting yet that the user may change (their own team's cases)."""
    found = (
        MaracReferral.objects.filter(
            case__partnership=partnership, meeting__isnull=True, case__closed_on__isnull=True
        )
        .select_related("case")
        .order_by("referred_on", "pk")
    )
    return [r for r in found if permissions.can_change(user, r.case)]


def _quarter(day: date) -> tuple[int, int]:
    """(financial year starting, quarter 1–4), Q1 = April–June."""
    fy = day.year if day.month >= 4 else day.year - 1
    return fy, (day.month - 4) % 12 // 3 + 1


def _fy_label(fy: int) -> str:
    return f"{fy}/{(fy + 1) % 100:02d}"


def figures(partnership) -> list[dict]:
    """Per quarter and financial year: MARAC referrals, repeat referrals, repeat rate (%), high risk on the DASH
    count and on professional judgement alone; MAIS cases opened and closed. Counts only, no names."""
    threshold = settings_for(partnership).dash_high_risk_yes
    repeats = repeat_referral_ids(partnership)
    empty = {
        "referrals": 0,
        "repeats": 0,
        "on_count": 0,
        "on_judgement": 0,
        "mais_opened": 0,
        "mais_closed": 0,
    }
    buckets: dict[tuple[int, int], dict] = defaultdict(lambda: dict(empty))
    for pk, referred_on, answers, judgement in MaracReferral.objects.filter(
        case__partnership=partnership
    ).values_list("pk", "referred_on", "dash_answers", "professional_judgement"):
        row = buckets[_quarter(referred_on)]
        row["referrals"] += 1
        row["repeats"] += pk in repeats
        if sum(1 for a in answers or [] if a is True) >= threshold:
            row["on_count"] += 1
        elif judgement:
            row["on_judgement"] += 1
    for opened_on, closed_on in Case.objects.filter(partnership=partnership, kind=Case.Kind.MAIS).values_list(
        "opened_on", "closed_on"
    ):
        buckets[_quarter(opened_on)]["mais_opened"] += 1
        if closed_on:
            buckets[_quarter(closed_on)]["mais_closed"] += 1
    rows = []
    for fy in sorted({fy for fy, _ in buckets}):
        year = dict(empty)
        for q in range(1, 5):
            if (fy, q) not in buckets:
                continue
            counts = buckets[(fy, q)]
            rows.append({"period": f"{_fy_label(fy)} Q{q}", "year": False, **counts, "rate": _rate(counts)})
            for key in empty:
                year[key] += counts[key]
        rows.append({"period": _fy_label(fy), "year": True, **year, "rate": _rate(year)})
    return rows


def _rate(counts: dict) -> float | None:
    if not counts["referrals"]:
        return None
    return round(100 * counts["repeats"] / counts["referrals"], 1)
