"""Writes for reports: draft, send for review, return to draft, publish. Publishing freezes the report: the
Document and every rendered file are stored in one transaction, so a report is published whole or not at all,
and later data revisions never change it. On the web, publishing is queued (publish_request) and rendered by a
worker (publish_run, from reports.tasks); a worker killed part-way publishes nothing."""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from saferplan.accounts import permissions
from saferplan.core.formatting import long_date
from saferplan.core.services import save_with_stamp, stamp
from saferplan.core.tasks import job_enqueue, jobs_recover_interrupted, this_worker
from saferplan.plans.models import Plan
from saferplan.reports import render
from saferplan.reports.committee import IMPLICATIONS
from saferplan.reports.models import Publication, Report, ReportFile
from saferplan.reports.selectors import (
    ParameterError,
    build_document,
    clean_parameters,
    paper_for,
    paper_settings,
)

State = Report.State
log = logging.getLogger(__name__)


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


PAPER_KINDS = (Report.Kind.BOARD, Report.Kind.BASKET, Report.Kind.DELIVERY, Report.Kind.ACHIEVEMENTS)


def paper_change(
    user,
    report: Report,
    *,
    meeting_date,
    meeting: str,
    report_of: list[str],
    contacts: list[dict],
    background_papers: list[str],
    implications: dict[str, str],
) -> Report:
    """Set who a draft paper goes to and comes from: its meeting and date, "Report of", contacts, background
    papers and implications. Only what differs from the partnership's defaults for its kind is kept with the
    report, so later changes to the defaults still reach it; the change is in the report's history."""
    if (
        not permissions.can_draft_reports(user)
        or report.state != State.DRAFT
        or report.kind not in PAPER_KINDS
    ):
        raise PermissionDenied
    defaults = paper_settings(report.plan, report.kind, report.parameters)
    given = {
        "meeting": meeting.strip(),
        "report_of": [line.strip() for line in report_of if line.strip()],
        "contacts": [
            {k: (c.get(k) or "").strip() for k in ("name", "post", "telephone")}
            for c in contacts
            if (c.get("name") or "").strip()
        ],
        "background_papers": [line.strip() for line in background_papers if line.strip()],
    }
    if not given["meeting"]:
        raise ValidationError("Name the meeting the paper goes to")
    paper = {key: value for key, value in given.items() if value != defaults[key]}
    changed = {
        heading: (implications.get(heading) or "").strip()
        for heading in IMPLICATIONS
        if (implications.get(heading) or "").strip() != (defaults["implications"].get(heading) or "").strip()
    }
    if changed:
        paper["implications"] = changed
    report.paper = paper
    report.meeting_date = meeting_date
    return save_with_stamp(report, user=user)


def _layout(report: Report, now):
    """The Document as it will be frozen: today's data, the publication date in its subtitle."""
    document = build_document(
        report.plan, report.kind, report.parameters, before=now, paper=paper_for(report)
    )
    document.subtitle = f"{document.subtitle} · Published {long_date(now)}".lstrip(" ·")
    return document


def _freeze(user, report: Report, document, files: dict[str, bytes], now) -> Report:
    """Store the Document and every format's bytes with their SHA-256, who and when (inside a transaction,
    the report row locked)."""
    for fmt, content in files.items():
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


@transaction.atomic
def publish(user, report: Report) -> Report:
    """Freeze the report as it is now, in this process: its Document and a file in every format. The web
    queues the same work instead (publish_request)."""
    report = Report.objects.select_for_update().get(pk=report.pk)
    if not permissions.can_publish_report(user, report):
        raise PermissionDenied
    now = timezone.now()
    document = _layout(report, now)
    return _freeze(user, report, document, render.render_all(document), now)


# Publishing through the task queue ----------------------------------------------------------------------------

PubStatus = Publication.Status
STOPPED = (
    "Publishing stopped part-way because the worker running it stopped (it was restarted or killed). "
    "Nothing was published: the report is as it was. Publish it again to retry."
)


def publish_request(user, report: Report) -> Publication:
    """Ask for the report to be published: checked now, rendered by a worker (reports.tasks). A publication
    already waiting or running is returned rather than queued twice."""
    recover_interrupted()
    with transaction.atomic():
        report = Report.objects.select_for_update().get(pk=report.pk)
        if not permissions.can_publish_report(user, report):
            raise PermissionDenied
        active = report.publications.filter(status__in=[PubStatus.QUEUED, PubStatus.RUNNING]).first()
        if active is not None:
            return active
        publication = Publication(report=report)
        stamp(publication, user=user)
        publication.save()
    # Enqueued after the commit, so that a worker (on Redis, say) never looks for a row not yet written.
    from saferplan.reports.tasks import publish_task

    return job_enqueue(
        publish_task,
        publication,
        queued=PubStatus.QUEUED,
        failed=PubStatus.FAILED,
        what="Publishing",
        unchanged="Nothing was published.",
    )


def recover_interrupted() -> int:
    """Mark failed every running publication whose worker has died; return how many."""
    return jobs_recover_interrupted(
        Publication, running=PubStatus.RUNNING, failed=PubStatus.FAILED, message=STOPPED
    )


def publish_run(publication_id: int) -> str:
    """Lay out and render the report in the worker, writing progress to the Publication; then store the report
    and its files, and mark the publication done, in one transaction. Anything that stops it before that
    commit leaves the report as it was."""

    recover_interrupted()
    now = timezone.now()
    claimed = Publication.objects.filter(pk=publication_id, status=PubStatus.QUEUED).update(
        status=PubStatus.RUNNING, worker=this_worker(), started_at=now, heartbeat_at=now
    )
    if not claimed:
        return "not queued"
    publication = Publication.objects.select_related("report__plan", "created_by").get(pk=publication_id)
    user = publication.created_by

    def step(done: int, text: str) -> None:
        publication.steps_done, publication.step = done, text
        publication.heartbeat_at = timezone.now()
        publication.save(update_fields=["steps_done", "step", "heartbeat_at"])

    try:
        report = publication.report
        if user is None or not permissions.can_publish_report(user, report):
            raise PermissionDenied
        step(0, "Laying out the report")
        document = _layout(report, now)
        step(1, "Writing the web page")
        html = render.to_html(document)
        files = {"html": html.encode()}
        step(2, "Writing the Word document")
        files["docx"] = render.to_docx(document)
        step(3, "Writing the PDF")
        files["pdf"] = render.html_to_pdf(html)
        step(4, "Writing the spreadsheet")
        files["xlsx"] = render.to_xlsx(document)
        with transaction.atomic():
            report = Report.objects.select_for_update().get(pk=report.pk)
            if not permissions.can_publish_report(user, report):
                raise PermissionDenied
            _freeze(user, report, document, files, now)
            publication.status = PubStatus.DONE
            publication.steps_done, publication.step = Publication.STEPS, ""
            publication.message = "Published: the report and its files are now fixed as they are."
            publication.finished_at = timezone.now()
            publication.save()
    except PermissionDenied:
        _failed(
            publication,
            "Not published: the report is no longer in review for this person to publish (it was returned "
            "to draft or published, or their role changed).",
        )
    except Exception as exc:  # noqa: BLE001 - the page must say what happened, whatever it was
        log.exception("Publication %s of report %s failed", publication_id, publication.report_id)
        _failed(
            publication,
            f"Publishing stopped with an unexpected error ({type(exc).__name__}). Nothing was published. "
            "The details are in the server's log for your administrator; publish it again to retry.",
        )
    return publication.status


def _failed(publication: Publication, message: str) -> None:
    publication.status = PubStatus.FAILED
    publication.message = message
    publication.finished_at = timezone.now()
    publication.save()
