"""Writes for the ASB Case Review (the "Community Trigger", Anti-social Behaviour, Crime and Policing Act 2014
s.104 and schedule 4; Home Office statutory guidance "Anti-social behaviour powers", section "ASB Case Review").

An application is recorded by a caseworker of the agency that received it; the decision on the threshold is
proposed from the qualifying complaints (saferplan.casework.selectors.case_review) and recorded with its date and
reason; a decision that the threshold is met although the count is below it needs a reason for the discretion
(the guidance lets a partnership review a case below its threshold); a review and an appeal are recorded with
their dates, in order. Every write is logged (casework.services.access.log); a refusal writes nothing.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from saferplan.accounts.models import Organisation, User
from saferplan.casework.models import AccessLog, CaseReview, Person
from saferplan.casework.selectors import case_review as selectors
from saferplan.casework.services import access
from saferplan.casework.services.references import next_reference
from saferplan.core.formatting import long_date

MAX_TEXT = 10_000


def _today() -> date:
    return timezone.localdate()


def _check_date(field: str, day: date | None, what: str, *, required: bool = True) -> None:
    if day is None:
        if required:
            raise ValidationError({field: f"Enter {what}"})
        return
    if day > _today():
        raise ValidationError({field: f"{what[0].upper()}{what[1:]} must be today or in the past"})


def _check_text(field: str, text: str, what: str, *, required: bool = True) -> str:
    text = (text or "").strip()
    if required and not text:
        raise ValidationError({field: f"Enter {what}"})
    if len(text) > MAX_TEXT:
        raise ValidationError(
            {field: f"{what[0].upper()}{what[1:]} must be {MAX_TEXT:,} characters or fewer"}
        )
    if "\x00" in text:
        raise ValidationError({field: f"{what[0].upper()}{what[1:]} must not contain null characters"})
    return text


@transaction.atomic
def review_apply(
    *,
    partnership,
    organisation: Organisation,
    user: User | None,
    applied_on: date,
    behaviour: str,
    applicant: Person | None = None,
    applicant_name: str = "",
    applicant_contact: str = "",
    on_behalf: bool = False,
    restricted: bool = False,
    synthetic: bool = False,
) -> CaseReview:
    """Record an application for an ASB Case Review received by `organisation`. The applicant is an existing
    person of the partnership, or a new one named `applicant_name`. With `on_behalf`, the applicant is the victim
    and someone (a carer, a relative, a councillor) applied for them."""
    _check_date("applied_on", applied_on, "the date of the application")
    behaviour = _check_text("behaviour", behaviour, "the behaviour complained of")
    if applicant is not None:
        if applicant.partnership_id != partnership.pk or applicant.anonymised_at is not None:
            raise ValidationError({"applicant": "Select a person recorded by this partnership"})
    else:
        name = _check_text("applicant_name", applicant_name, "the applicant's name")
        if len(name) > 200:
            raise ValidationError({"applicant_name": "The applicant's name must be 200 characters or fewer"})
        contact = _check_text("applicant_contact", applicant_contact, "contact details", required=False)
    stamp = {"created_by": user, "modified_by": user}
    review = CaseReview(
        partnership=partnership,
        reference=next_reference(CaseReview, "case_review", applied_on),
        organisation=organisation,
        restricted=restricted,
        synthetic=synthetic,
        on_behalf=on_behalf,
        applied_on=applied_on,
        behaviour=behaviour,
        **stamp,
    )
    if applicant is None:
        applicant = Person.objects.create(
            partnership=partnership, organisation=organisation, name=name, contact=contact, **stamp
        )
        new_person = True
    else:
        new_person = False
    review.applicant = applicant
    review.save()
    if new_person:
        access.log(
            user=user,
            action=AccessLog.Action.CREATE,
            record=applicant,
            reason=f"Recorded as the applicant for ASB Case Review {review.reference}",
        )
    access.log(
        user=user,
        action=AccessLog.Action.CREATE,
        record=review,
        reason="Application for an ASB Case Review recorded"
        + (" (made on the victim's behalf)" if on_behalf else ""),
    )
    return review


@transaction.atomic
def review_decide(
    *,
    review: CaseReview,
    user: User | None,
    decision: str,
    decided_on: date,
    reason: str = "",
    discretion: str = "",
) -> CaseReview:
    """Record whether the application meets the threshold. The qualifying complaints found now are kept in
    `complaints`. "Not met" states the count in words (the applicant is told it); "met" below the threshold
    needs `discretion`, the reason to go ahead anyway; "not met" at or above it needs `reason`."""
    if decision not in (CaseReview.Decision.MET, CaseReview.Decision.NOT_MET):
        raise ValidationError({"decision": "Select whether the threshold is met"})
    _check_date("decided_on", decided_on, "the date of the decision")
    if decided_on < review.applied_on:
        raise ValidationError(
            {
                "decided_on": f"The date of the decision must be on or after the application, {long_date(review.applied_on)}"
            }
        )
    reason = _check_text("reason", reason, "the reason", required=False)
    discretion = _check_text("discretion", discretion, "the reason for discretion", required=False)
    if review.review_held_on and decision == CaseReview.Decision.NOT_MET:
        raise ValidationError(
            {"decision": "A review has been held: the threshold cannot now be recorded as not met"}
        )
    if review.review_held_on and decided_on > review.review_held_on:
        raise ValidationError(
            {
                "decided_on": f"The date of the decision must be on or before the review, {long_date(review.review_held_on)}"
            }
        )
    if review.appeal_requested_on and decided_on > review.appeal_requested_on:
        raise ValidationError(
            {
                "decided_on": f"The date of the decision must be on or before the appeal, {long_date(review.appeal_requested_on)}"
            }
        )
    found = selectors.findings(review)
    proposed = selectors.proposal(review, found=found)
    if decision == CaseReview.Decision.MET:
        if proposed.count < proposed.threshold:
            if not discretion:
                raise ValidationError(
                    {
                        "discretion": f"Give the reason for going ahead below the threshold ({proposed.words}), "
                        "or record that the threshold is not met"
                    }
                )
            text = f"Threshold not reached ({proposed.words}); review agreed at the partnership's discretion: {discretion}"
        else:
            noun = "qualifying complaint" if proposed.count == 1 else "qualifying complaints"
            text = f"{proposed.count} {noun}; the threshold is {proposed.threshold}"
        if reason:
            text += f". {reason}"
    else:
        if proposed.count >= proposed.threshold and not reason:
            raise ValidationError(
                {
                    "reason": f"Give the reason the threshold is not met although there are {proposed.count} qualifying complaints"
                }
            )
        text = proposed.words[0].upper() + proposed.words[1:]
        if reason:
            text += f". {reason}"
    review.decision = decision
    review.decided_on = decided_on
    review.decision_reason = text
    review.modified_by = user
    review.save()
    review.complaints.set([f.incident for f in found if f.qualifies])
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=review,
        reason=f"Decision recorded: {review.get_decision_display().lower()}",
    )
    return review


@transaction.atomic
def review_record(
    *, review: CaseReview, user: User | None, held_on: date, recommendations: str = ""
) -> CaseReview:
    """Record the review: when it was held (on or after the application and the decision) and its
    recommendations (blank when it made none)."""
    if review.decision != CaseReview.Decision.MET:
        raise ValidationError({"held_on": "Record that the threshold is met before recording the review"})
    _check_date("held_on", held_on, "the date the review was held")
    if held_on < review.applied_on:
        raise ValidationError(
            {
                "held_on": f"The date the review was held must be on or after the application, {long_date(review.applied_on)}"
            }
        )
    if review.decided_on and held_on < review.decided_on:
        raise ValidationError(
            {
                "held_on": f"The date the review was held must be on or after the decision, {long_date(review.decided_on)}"
            }
        )
    if review.appeal_requested_on and held_on > review.appeal_requested_on:
        raise ValidationError(
            {
                "held_on": f"The date the review was held must be on or before the appeal, {long_date(review.appeal_requested_on)}"
            }
        )
    recommendations = _check_text("recommendations", recommendations, "the recommendations", required=False)
    review.review_held_on = held_on
    review.recommendations = recommendations
    review.modified_by = user
    review.save()
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=review,
        reason="Review recorded" + (" with recommendations" if recommendations else " (no recommendations)"),
    )
    return review


@transaction.atomic
def review_appeal(
    *, review: CaseReview, user: User | None, requested_on: date, outcome: str = ""
) -> CaseReview:
    """Record an appeal against the decision or the review (s.104(3)(d): the review procedures must provide for
    it): when it was asked for (on or after the decision, and the review when one was held) and its outcome
    (blank while it is open)."""
    if review.decision == CaseReview.Decision.PENDING or review.decided_on is None:
        raise ValidationError({"requested_on": "Record the decision before an appeal against it"})
    _check_date("requested_on", requested_on, "the date the appeal was asked for")
    after = review.review_held_on or review.decided_on
    if requested_on < after:
        what = "the review" if review.review_held_on else "the decision"
        raise ValidationError(
            {
                "requested_on": f"The date the appeal was asked for must be on or after {what}, {long_date(after)}"
            }
        )
    outcome = _check_text("outcome", outcome, "the outcome", required=False)
    review.appeal_requested_on = requested_on
    review.appeal_outcome = outcome
    review.modified_by = user
    review.save()
    access.log(
        user=user,
        action=AccessLog.Action.CHANGE,
        record=review,
        reason="Appeal recorded" + (" with its outcome" if outcome else ""),
    )
    return review
