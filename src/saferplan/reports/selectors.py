"""Reads for reports: which report a kind and its parameters mean, the report laid out as a Document from the
live data (with the figures revised since the last published report of its kind), and the reports a user may
see."""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Max, QuerySet

from saferplan.accounts import permissions
from saferplan.core.formatting import long_date
from saferplan.indicators import periods
from saferplan.indicators.models import Observation
from saferplan.indicators.selectors import revisions_since
from saferplan.plans.models import Basket, Plan
from saferplan.reports.board import Rules, basket_report, board_report, performance_document, revisions_blocks
from saferplan.reports.committee import Contact, Paper
from saferplan.reports.delivery_report import delivery_document, delivery_report
from saferplan.reports.document import Document
from saferplan.reports.models import PaperDefaults, Report
from saferplan.reports.narrative import achievements_document
from saferplan.reports.plan_document import plan_document

Kind = Report.Kind


class ParameterError(ValueError):
    """A report's parameters do not name a report: the message says which and why."""


def _period(name: str, value: str, kind: periods.Kind, example: str) -> periods.Period:
    try:
        period = periods.parse(value)
    except ValueError:
        period = None
    if period is None or period.kind != kind:
        what = "a quarter" if kind == periods.Kind.QUARTER else "a financial year"
        raise ParameterError(f"{name}: {value!r} is not {what}, write it as {example}")
    return period


EARLIEST, LATEST = date(1990, 1, 1), date(2100, 12, 31)  # the dates a report can be run for


def _day(name: str, value: str) -> date:
    try:
        day = date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{name}: {value!r} is not a date, write it as 2017-09-30") from None
    if not EARLIEST <= day <= LATEST:
        raise ParameterError(
            f"{name}: {day.isoformat()} is outside the dates a report can cover "
            f"({EARLIEST.year} to {LATEST.year})"
        )
    return day


def _rules(raw: dict) -> dict:
    """The judgement rules of a Board or basket report (reports.board.Rules): the change on last year that
    counts, in per cent (points for percentages), and whether benchmarks count."""
    default = Rules()
    value = raw.get("threshold")
    if value in (None, ""):
        threshold = default.change_threshold
    else:
        try:
            threshold = float(value)
        except (TypeError, ValueError):
            threshold = -1.0
        if not 0 <= threshold <= 100:
            raise ParameterError(f"threshold: {value!r} is not a percentage from 0 to 100")
    benchmarks = raw.get("benchmarks")
    if benchmarks in (None, ""):
        use = default.use_benchmarks
    elif str(benchmarks).lower() in ("1", "yes", "true", "on"):
        use = True
    elif str(benchmarks).lower() in ("0", "no", "false", "off"):
        use = False
    else:
        raise ParameterError(f"benchmarks: {benchmarks!r} is not yes or no")
    return {"threshold": threshold, "benchmarks": use}


def clean_parameters(plan: Plan, kind: str, raw: dict) -> dict:
    """The parameters of a report of `kind`, checked and written one way (period codes, ISO dates)."""
    if kind not in Kind.values:
        raise ParameterError(f"kind: {kind!r} is not one of {', '.join(Kind.values)}")
    if kind in (Kind.BOARD, Kind.BASKET):
        cleaned = {
            "quarter": _period("quarter", raw.get("quarter") or "", periods.Kind.QUARTER, "Q4 2015/16").code,
            **_rules(raw),
        }
        if kind == Kind.BASKET:
            slug = raw.get("basket") or ""
            if not Basket.objects.filter(partnership=plan.partnership, slug=slug).exists():
                raise ParameterError(f"basket: there is no basket {slug!r}")
            cleaned["basket"] = slug
        return cleaned
    if kind == Kind.DELIVERY:
        as_of = _day("as_of", raw.get("as_of"))
        if raw.get("since"):
            since = _day("since", raw.get("since"))
        else:  # since the last published delivery report before this one, else six months
            earlier = [
                date.fromisoformat(r.parameters["as_of"])
                for r in Report.objects.filter(
                    plan__partnership=plan.partnership, kind=Kind.DELIVERY, state=Report.State.PUBLISHED
                )
            ]
            earlier = [d for d in earlier if d < as_of]
            since = max(earlier) if earlier else as_of - timedelta(days=182)
        if since >= as_of:
            raise ParameterError("since: the start of the report must be before its 'as at' date")
        return {"as_of": as_of.isoformat(), "since": since.isoformat()}
    if kind == Kind.ACHIEVEMENTS:
        year = _period("year", raw.get("year") or "", periods.Kind.FINANCIAL_YEAR, "2015/16")
        return {"year": year.label}
    if kind == Kind.PARTNERSHIP_UPDATE:
        from saferplan.reports import partnership_update

        return partnership_update.clean_parameters(plan, raw)
    if kind in (Kind.ASSESSMENT, Kind.ASSESSMENT_SUMMARY):
        return {"assessment": _assessment(plan, raw.get("assessment")).slug}
    return {}


def _assessment(plan: Plan, slug):
    """The partnership's strategic assessment with this slug, or a ParameterError naming the field."""
    from saferplan.assessment.models import StrategicAssessment

    slug = str(slug or "").strip()
    if not slug:
        raise ParameterError("assessment: choose the strategic assessment the report is of")
    if not slug.isascii() or not slug.replace("-", "").replace("_", "").isalnum():  # not a slug (e.g. NUL)
        raise ParameterError(f"assessment: there is no strategic assessment {slug[:100]!r}")
    found = (
        StrategicAssessment.objects.filter(partnership=plan.partnership, slug=slug[:100])
        .select_related("partnership", "informs", "scheme")
        .first()
    )
    if found is None or found.slug != slug:
        raise ParameterError(f"assessment: there is no strategic assessment {slug[:100]!r}")
    return found


def latest_real_year(plan: Plan) -> str | None:
    """The latest financial year ending with a real (not synthetic) figure: the year the progress and
    achievements narrative has something to say about."""
    end = Observation.objects.filter(indicator__partnership=plan.partnership, synthetic=False).aggregate(
        end=Max("period_end")
    )["end"]
    if end is None:
        return None
    return periods.Period.financial_year(end.year if end.month >= 4 else end.year - 1).label


def last_published(plan: Plan, kind: str, parameters: dict, *, before=None) -> Report | None:
    """The latest published report of the same kind (and basket), published before `before` if given."""
    found = Report.objects.filter(plan__partnership=plan.partnership, kind=kind, state=Report.State.PUBLISHED)
    if kind == Kind.BASKET:
        found = found.filter(parameters__basket=parameters.get("basket"))
    if before is not None:
        found = found.filter(published_at__lt=before)
    return found.order_by("-published_at").first()


def period_end(plan: Plan, kind: str, parameters: dict) -> date | None:
    """The last day a report of `kind` covers: its quarter's, its "as at" date, its financial year's."""
    if kind in (Kind.BOARD, Kind.BASKET):
        return periods.Period.from_code(parameters["quarter"]).end
    if kind == Kind.DELIVERY:
        return date.fromisoformat(parameters["as_of"])
    if kind == Kind.ACHIEVEMENTS:
        return periods.parse(parameters["year"]).end
    if kind in (Kind.ASSESSMENT, Kind.ASSESSMENT_SUMMARY):
        try:
            return _assessment(plan, parameters.get("assessment")).period_end
        except ParameterError:  # the assessment has gone since the report was drafted
            return None
    return None


def audience(plan: Plan, kind: str, parameters: dict) -> str:
    """Who a report of `kind` is for, when the partnership names no meeting: a basket's audience, else its
    Board."""
    if kind == Kind.BASKET:
        basket = Basket.objects.filter(partnership=plan.partnership, slug=parameters.get("basket")).first()
        if basket is not None and basket.audience:
            return basket.audience
    board = plan.partnership.groups.filter(kind="board").first()
    return board.name if board is not None else f"{plan.partnership.name} Board"


def next_meeting(plan: Plan, meeting: str, after: date, lag_days: int) -> date:
    """The date of the first meeting of the group called `meeting` after `after` (the delivery app's
    meetings), else `after` plus the partnership's usual lag: a paper is never dated today for want of one."""
    from saferplan.delivery.models import Meeting

    found = (
        Meeting.objects.filter(group__partnership=plan.partnership, group__name=meeting, date__gt=after)
        .order_by("date")
        .values_list("date", flat=True)
        .first()
    )
    return found or after + timedelta(days=lag_days)


def paper_settings(plan: Plan, kind: str, parameters: dict, overrides: dict | None = None) -> dict:
    """The paper's meeting, report of, contacts, background papers and implications: the report's own
    (`overrides`, Report.paper) over the partnership's defaults for its kind (PaperDefaults)."""
    defaults = PaperDefaults.objects.filter(partnership=plan.partnership, kind=kind).first()
    settings = {
        "meeting": (defaults.meeting if defaults else "") or audience(plan, kind, parameters),
        "report_of": list(defaults.report_of) if defaults else [],
        "contacts": [dict(c) for c in defaults.contacts] if defaults else [],
        "background_papers": list(defaults.background_papers) if defaults else [],
        "implications": dict(defaults.implications) if defaults else {},
        "lag_days": defaults.lag_days if defaults else PaperDefaults._meta.get_field("lag_days").default,
    }
    for key, value in (overrides or {}).items():
        if key == "implications":
            settings["implications"] = {**settings["implications"], **value}
        elif key in settings and value not in (None, ""):  # an empty list is "none"
            settings[key] = value
    return settings


def paper_of(plan: Plan, kind: str, parameters: dict, *, overrides=None, meeting_date=None) -> Paper:
    """The committee paper's front matter for a report of `kind` (reports.committee.Paper), dated
    `meeting_date` or, without one, for the next meeting after the report's period."""
    found = paper_settings(plan, kind, parameters, overrides)
    end = period_end(plan, kind, parameters)
    if meeting_date is None:
        meeting_date = next_meeting(plan, found["meeting"], end, found["lag_days"]) if end else None
    return Paper(
        meeting=found["meeting"],
        meeting_date=meeting_date,
        report_of=found["report_of"],
        contacts=[
            Contact(c.get("name", ""), c.get("post", ""), c.get("telephone", ""))
            for c in found["contacts"]
            if c.get("name")
        ],
        background_papers=found["background_papers"],
        implications=found["implications"],
    )


def paper_for(report: Report) -> Paper:
    """The committee paper of a report: its own settings over the partnership's, dated for its meeting."""
    return paper_of(
        report.plan, report.kind, report.parameters, overrides=report.paper, meeting_date=report.meeting_date
    )


def build_document(
    plan: Plan, kind: str, parameters: dict, *, before=None, paper: Paper | None = None
) -> Document:
    """The report laid out from the live data, as a committee paper (`paper`: the partnership's defaults when
    not given). Board and basket reports list the figures revised since the last published report of their
    kind (published before `before`, when given)."""
    if paper is None and kind in (Kind.BOARD, Kind.BASKET, Kind.DELIVERY, Kind.ACHIEVEMENTS):
        paper = paper_of(plan, kind, parameters)
    if kind in (Kind.BOARD, Kind.BASKET):
        quarter = periods.Period.from_code(parameters["quarter"])
        rules = Rules(
            change_threshold=parameters.get("threshold", Rules.change_threshold),
            use_benchmarks=parameters.get("benchmarks", Rules.use_benchmarks),
        )
        if kind == Kind.BOARD:
            report = board_report(plan, quarter, rules=rules)
        else:
            basket = Basket.objects.get(partnership=plan.partnership, slug=parameters["basket"])
            report = basket_report(basket, plan, quarter, rules=rules)
        previous = last_published(plan, kind, parameters, before=before)
        revised = None
        if previous is not None:
            revised = revisions_blocks(
                revisions_since(plan.partnership, previous.published_at),
                f"{previous.title}, published {long_date(previous.published_at)}",
            )
        return performance_document(report, revised=revised, paper=paper)
    if kind == Kind.DELIVERY:
        return delivery_document(
            delivery_report(
                plan,
                as_of=date.fromisoformat(parameters["as_of"]),
                since=date.fromisoformat(parameters["since"]),
            ),
            paper=paper,
        )
    if kind == Kind.ACHIEVEMENTS:
        return achievements_document(plan, parameters["year"], paper=paper)
    if kind == Kind.PARTNERSHIP_UPDATE:
        from saferplan.reports import partnership_update

        return partnership_update.build(plan, parameters, paper or paper_of(plan, kind, parameters))
    if kind in (Kind.ASSESSMENT, Kind.ASSESSMENT_SUMMARY):  # a document of its own, not a committee paper
        from saferplan.assessment.document import assessment_document

        try:
            assessment = _assessment(plan, parameters.get("assessment"))
        except ParameterError as exc:  # deleted since the report was drafted: say so, never a server error
            return Document("Strategic assessment", warning=f"This report cannot be built: {exc}.")
        return assessment_document(assessment, summary=kind == Kind.ASSESSMENT_SUMMARY)
    return plan_document(plan)


def document_of(report: Report) -> Document:
    """A published report as it was published; a draft or one in review from the live data."""
    if report.state == Report.State.PUBLISHED and report.content:
        return Document.from_json(report.content)
    return build_document(report.plan, report.kind, report.parameters, paper=paper_for(report))


def visible_reports(user, plan: Plan) -> QuerySet[Report]:
    """Published reports for everyone; drafts and reports in review for partners (not viewers)."""
    found = Report.objects.filter(plan__partnership=plan.partnership).select_related("plan", "published_by")
    if not permissions.can_read_drafts(user):
        found = found.filter(state=Report.State.PUBLISHED)
    return found
