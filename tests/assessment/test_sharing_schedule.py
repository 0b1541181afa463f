"""The schedule of data flows: period and due-date arithmetic for each frequency, and what arrived, late or not
at all, from real data returns with their figures and from receipts recorded by hand."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from saferplan.accounts.models import Organisation
from saferplan.areas.models import Area
from saferplan.assessment.models import DataFlow, DataFlowReceipt
from saferplan.assessment.selectors import sharing as selectors
from saferplan.assessment.selectors.sharing import add_months, flow_periods, next_period
from saferplan.assessment.services import sharing as services
from saferplan.indicators import periods
from saferplan.indicators.models import DataReturn, Observation
from saferplan.plans.models import Indicator

# ------------------------------------------------------------------------------------------ arithmetic


def test_monthly_periods_end_on_the_last_day_of_each_month_in_a_leap_year():
    got = flow_periods(date(2016, 1, 1), "monthly", 30, date(2016, 4, 1))
    assert [(p.start, p.end) for p in got] == [
        (date(2016, 1, 1), date(2016, 1, 31)),
        (date(2016, 2, 1), date(2016, 2, 29)),
        (date(2016, 3, 1), date(2016, 3, 31)),
    ]
    assert [p.due for p in got] == [date(2016, 3, 1), date(2016, 3, 30), date(2016, 4, 30)]
    assert [p.label for p in got] == ["Jan 2016", "Feb 2016", "Mar 2016"]


def test_february_in_a_common_year_ends_on_the_28th():
    got = flow_periods(date(2015, 2, 1), "monthly", 0, date(2015, 3, 2))
    assert [(p.start, p.end, p.due) for p in got] == [
        (date(2015, 2, 1), date(2015, 2, 28), date(2015, 2, 28)),
    ]


def test_quarterly_periods_follow_the_financial_year_from_april():
    got = flow_periods(date(2015, 4, 1), "quarterly", 30, date(2016, 4, 1))
    assert [(p.start, p.end) for p in got] == [
        (date(2015, 4, 1), date(2015, 6, 30)),
        (date(2015, 7, 1), date(2015, 9, 30)),
        (date(2015, 10, 1), date(2015, 12, 31)),
        (date(2016, 1, 1), date(2016, 3, 31)),
    ]
    # 30 days after 31 December is 30 January; after 31 March, 30 April
    assert [p.due for p in got] == [
        date(2015, 7, 30),
        date(2015, 10, 30),
        date(2016, 1, 30),
        date(2016, 4, 30),
    ]
    assert got[0].label == "Apr – Jun 2015"


def test_six_monthly_and_annual_periods():
    six = flow_periods(date(2015, 10, 1), "six_monthly", 45, date(2016, 10, 1))
    assert [(p.start, p.end, p.due) for p in six] == [
        (date(2015, 10, 1), date(2016, 3, 31), date(2016, 5, 15)),
        (date(2016, 4, 1), date(2016, 9, 30), date(2016, 11, 14)),
    ]
    assert six[0].label == "Oct 2015 – Mar 2016"
    annual = flow_periods(date(2014, 4, 1), "annual", 60, date(2017, 4, 1))
    assert [(p.start, p.end) for p in annual] == [
        (date(2014, 4, 1), date(2015, 3, 31)),
        (date(2015, 4, 1), date(2016, 3, 31)),
        (date(2016, 4, 1), date(2017, 3, 31)),
    ]
    # 60 days after 31 March 2016 (a leap year's March: April 30 + May 30) is 30 May 2016
    assert annual[1].due == date(2016, 5, 30)


def test_a_schedule_from_29_february_keeps_to_the_29th_or_the_month_end():
    annual = flow_periods(date(2016, 2, 29), "annual", 0, date(2021, 3, 1))
    assert [p.start for p in annual] == [
        date(2016, 2, 29),
        date(2017, 2, 28),
        date(2018, 2, 28),
        date(2019, 2, 28),
        date(2020, 2, 29),
    ]
    assert annual[0].end == date(2017, 2, 27)
    assert annual[0].label == "29 February 2016 to 27 February 2017"


def test_a_schedule_from_the_31st_never_skips_a_month():
    got = flow_periods(date(2016, 1, 31), "monthly", 0, date(2016, 5, 1))
    assert [p.start for p in got] == [date(2016, 1, 31), date(2016, 2, 29), date(2016, 3, 31)]
    assert [p.end for p in got] == [date(2016, 2, 28), date(2016, 3, 30), date(2016, 4, 29)]


def test_only_periods_ended_before_the_date_are_listed_and_the_next_is_the_one_running():
    assert flow_periods(date(2016, 4, 1), "quarterly", 30, date(2016, 6, 30)) == []
    assert len(flow_periods(date(2016, 4, 1), "quarterly", 30, date(2016, 7, 1))) == 1
    running = next_period(date(2016, 4, 1), "quarterly", 30, date(2016, 8, 15))
    assert (running.start, running.end, running.due) == (
        date(2016, 7, 1),
        date(2016, 9, 30),
        date(2016, 10, 30),
    )
    first = next_period(date(2016, 4, 1), "quarterly", 30, date(2015, 1, 1))
    assert first.start == date(2016, 4, 1)


@given(
    starts=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)),
    frequency=st.sampled_from([f.value for f in DataFlow.Frequency]),
    due_days=st.integers(0, 366),
    years=st.integers(0, 12),
)
def test_periods_tile_the_calendar_without_gaps_or_overlaps(starts, frequency, due_days, years):
    until = starts + timedelta(days=365 * years + 1)
    got = flow_periods(starts, frequency, due_days, until)
    months = selectors.MONTHS[frequency]
    assert len(got) <= years * 12 // months + 1
    for i, p in enumerate(got):
        assert p.start <= p.end < until
        assert p.due == p.end + timedelta(days=due_days)
        assert p.start == add_months(starts, i * months)
        if i:
            assert p.start == got[i - 1].end + timedelta(days=1)
        assert p.label


# ------------------------------------------------------------------------------------------ arrivals


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))


@pytest.fixture
def setting(demo):
    police = Organisation.objects.get(slug="durham-constabulary")
    indicator = Indicator.objects.get(slug="asb-incidents-police")
    area = Area.objects.get(partnership=demo.partnership, kind=Area.Kind.PARTNERSHIP)
    flow = DataFlow.objects.create(
        partnership=demo.partnership,
        provider=police,
        title="Anti-social behaviour incidents",
        frequency="quarterly",
        due_days=30,
        prescribed=True,
        starts_on=date(2016, 4, 1),
    )
    flow.indicators.add(indicator)
    return flow, police, indicator, area


def _return(organisation, arrived: date, name="return.csv") -> DataReturn:
    return DataReturn.objects.create(organisation=organisation, filename=name, created_at=_aware(arrived))


def _figure(
    indicator, area, period_label: str, data_return, source="Durham Constabulary", **extra
) -> Observation:
    period = periods.parse(period_label)
    return Observation.objects.create(
        indicator=indicator,
        area=area,
        period=period.code,
        period_start=period.start,
        period_end=period.end,
        period_kind=period.kind.value,
        value=100,
        source=source,
        data_return=data_return,
        headline=False,  # beside the demo's own figures for the period
        **extra,
    )


def _statuses(flow, as_of):
    return [(p.period.label, p.status, p.arrived_on) for p in selectors.flow_schedule(flow, as_of).periods]


@pytest.mark.django_db
def test_a_return_that_brought_figures_is_an_arrival_on_time_or_late(setting):
    flow, police, indicator, area = setting
    _figure(indicator, area, "Q1 2016/17", _return(police, date(2016, 7, 20)))  # due 30 July: on time
    _figure(indicator, area, "Q2 2016/17", _return(police, date(2016, 11, 14)))  # due 30 October: late
    # Q3 (due 30 January 2017) never arrives; Q4 ends 31 March 2017, due 30 April
    as_of = date(2017, 4, 15)
    assert _statuses(flow, as_of) == [
        ("Apr – Jun 2016", "arrived", date(2016, 7, 20)),
        ("Jul – Sep 2016", "late", date(2016, 11, 14)),
        ("Oct – Dec 2016", "missing", None),
        ("Jan – Mar 2017", "not_yet_due", None),
    ]
    late = selectors.flow_schedule(flow, as_of).late[0]
    assert late.days_late == 15
    assert late.how == "Data return return.csv"


@pytest.mark.django_db
def test_monthly_figures_in_a_quarterly_flow_count_for_their_quarter(setting):
    flow, police, indicator, area = setting
    _figure(indicator, area, "May 2016", _return(police, date(2016, 7, 1)))
    assert _statuses(flow, date(2016, 8, 1))[0] == ("Apr – Jun 2016", "arrived", date(2016, 7, 1))


@pytest.mark.django_db
def test_as_of_a_date_before_the_return_the_period_is_missing(setting):
    flow, police, indicator, area = setting
    _figure(indicator, area, "Q1 2016/17", _return(police, date(2016, 9, 1)))
    assert _statuses(flow, date(2016, 8, 15)) == [("Apr – Jun 2016", "missing", None)]
    assert _statuses(flow, date(2016, 9, 2)) == [("Apr – Jun 2016", "late", date(2016, 9, 1))]


@pytest.mark.django_db
def test_returns_from_another_organisation_or_for_other_indicators_are_not_arrivals(setting, demo):
    flow, police, indicator, area = setting
    council = Organisation.objects.exclude(pk=police.pk).first()
    other_indicator = Indicator.objects.filter(partnership=demo.partnership).exclude(pk=indicator.pk).first()
    _figure(indicator, area, "Q1 2016/17", _return(council, date(2016, 7, 2)), source=council.name)
    _figure(other_indicator, area, "Q1 2016/17", _return(police, date(2016, 7, 3)))
    _figure(indicator, area, "Q1 2016/17", None, source="Published elsewhere")  # no return at all
    assert _statuses(flow, date(2016, 8, 1)) == [("Apr – Jun 2016", "missing", None)]


@pytest.mark.django_db
def test_a_revised_figure_keeps_the_date_its_first_return_arrived(setting):
    flow, police, indicator, area = setting
    figure = _figure(indicator, area, "Q1 2016/17", _return(police, date(2016, 7, 20), "first.csv"))
    figure.value = 105
    figure.data_return = _return(police, date(2016, 12, 1), "revision.csv")
    figure.save()
    rows = selectors.flow_schedule(flow, date(2017, 1, 1)).periods
    assert (rows[0].status, rows[0].arrived_on, rows[0].how) == (
        "arrived",
        date(2016, 7, 20),
        "Data return first.csv",
    )


@pytest.mark.django_db
def test_a_receipt_recorded_by_hand_is_an_arrival(setting, users):
    flow, police, indicator, area = setting
    services.receipt_record(
        flow=flow,
        period_end=date(2016, 9, 30),
        received_on=date(2016, 10, 5),
        note="Emailed spreadsheet",
        user=users["data_provider"],
        today=date(2017, 1, 1),
    )
    rows = selectors.flow_schedule(flow, date(2017, 1, 1)).periods
    assert [(r.status, r.arrived_on) for r in rows] == [
        ("missing", None),
        ("arrived", date(2016, 10, 5)),
        ("not_yet_due", None),  # October to December 2016, due 30 January 2017
    ]
    assert rows[1].how == "Recorded by hand: Emailed spreadsheet"
    # recorded again for the same period, it corrects the first: still one receipt
    services.receipt_record(
        flow=flow,
        period_end=date(2016, 9, 30),
        received_on=date(2016, 11, 5),
        user=None,
        today=date(2017, 1, 1),
    )
    assert DataFlowReceipt.objects.filter(flow=flow).count() == 1
    assert selectors.flow_schedule(flow, date(2017, 1, 1)).periods[1].status == "late"


@pytest.mark.django_db
def test_the_earlier_of_a_receipt_and_a_return_counts(setting):
    flow, police, indicator, area = setting
    DataFlowReceipt.objects.create(flow=flow, period_end=date(2016, 6, 30), received_on=date(2016, 7, 10))
    _figure(indicator, area, "Q1 2016/17", _return(police, date(2016, 8, 10)))
    row = selectors.flow_schedule(flow, date(2016, 9, 1)).periods[0]
    assert (row.status, row.arrived_on, row.how) == ("arrived", date(2016, 7, 10), "Recorded by hand")


@pytest.mark.django_db
def test_receipts_are_refused_for_a_period_not_ended_a_future_date_or_before_the_period(setting):
    flow = setting[0]
    today = date(2016, 8, 1)
    with pytest.raises(ValidationError) as refused:
        services.receipt_record(
            flow=flow, period_end=date(2016, 9, 30), received_on=today, user=None, today=today
        )
    assert "period_end" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.receipt_record(
            flow=flow, period_end=date(2016, 6, 30), received_on=date(2016, 8, 2), user=None, today=today
        )
    assert "received_on" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        services.receipt_record(
            flow=flow, period_end=date(2016, 6, 30), received_on=date(2016, 3, 1), user=None, today=today
        )
    assert "received_on" in refused.value.message_dict
    assert not DataFlowReceipt.objects.filter(flow=flow).exists()


@pytest.mark.django_db
def test_the_schedule_counts_every_flow_and_knows_when_its_data_end(setting, demo):
    flow, police, indicator, area = setting
    _figure(indicator, area, "Q1 2016/17", _return(police, date(2016, 7, 20)))
    schedule = selectors.schedule(demo.partnership, date(2016, 12, 1))
    ours = next(f for f in schedule.flows if f.flow == flow)
    assert dict(ours.counts) == {"arrived": 1, "missing": 1}
    # the last figure's period (to 30 June 2016) was due 30 July 2016: the schedule as at the day after
    assert ours.data_end == date(2016, 7, 31)
    assert schedule.data_end >= ours.data_end
    assert ours.next_due.start == date(2016, 10, 1)


@pytest.mark.django_db
def test_archived_flows_leave_the_schedule(setting, demo):
    flow = setting[0]
    services.flow_archive(flow=flow, user=None)
    assert flow not in [f.flow for f in selectors.schedule(demo.partnership, date(2017, 1, 1)).flows]


@pytest.mark.django_db
def test_prescribed_information_is_quarterly_and_depersonalised(setting):
    flow = setting[0]
    with pytest.raises(ValidationError) as refused:
        services.flow_save(flow=flow, user=None, frequency="monthly")
    assert "SI 2007/1831" in refused.value.message_dict["prescribed"][0]
