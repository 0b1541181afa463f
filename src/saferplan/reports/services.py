"""Writes for reports: draft, send for review, return to draft, publish. Publishing freezes the report: the
Document and every rendered file are stored in one transaction, so a report is published whole or not at all,
and later data revisions never change it."""

from __future__ import annotations

import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saferplan.accounts import permissions
from saferplan.core.formatting import long_date
from saferplan.core.services import save_with_stamp
from saferplan.plans.models import Plan
from saferplan.reports import render
from saferplan.reports.models import Report, ReportFile
from saferplan.reports.selectors import ParameterError, build_document, clean_parameters

State = Report.State


def draft_report(user, plan: Plan, kind: str, raw: dict) -> Report:
    if not permissions.can_draft_reports(user):
        raise PermissionDenied
    try:
        parameters = clean_parameters(plan, kind, raw)
    except ParameterError as exc:
        raise ValidationError(str(exc)) from None
    title = build_document(plan, kind, parameters).title
    return save_with_stamp(Report(plan=plan, kind=kind, parameters=parameters, title=title), user=user)


def send_for_review(user, report: Report) -> Report:
    if not permissions.can_draft_reports(user) or report.state != State.DRAFT:
        raise PermissionDenied
    report.state = State.IN_REVIEW
    report.submitted_by = user
    report.submitted_at = timezone.now()
    return save_with_stamp(report, user=user)


def return_to_draft(user, report: Report, note: str) -> Report:
    if not permissions.can_publish_report(user, report):
        raise PermissionDenied
    if not note.strip():
        raise ValidationError("Say what needs to change before the report is published")
    report.state = State.DRAFT
    report.review_note = note.strip()
    return save_with_stamp(report, user=user)


@transaction.atomic
def publish(user, report: Report) -> Report:
    """Freeze the report as it is now: its Document and a file in every format."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not permissions.can_publish_report(user, report):
        raise PermissionDenied
    now = timezone.now()
    document = build_document(report.plan, report.kind, report.parameters, before=now)
    document.subtitle = f"{document.subtitle} · Published {long_date(now)}".lstrip(" ·")
    for fmt, content in render.render_all(document).items():
        ReportFile.objects.create(
            report=report,
            format=fmt,
            content=content,
            size=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
        )
    report.title = document.title
    report.content = document.to_json()
    report.state = State.PUBLISHED
    report.published_by = user
    report.published_at = now
    return save_with_stamp(report, user=user)
