"""Reads for casework feeds: each feed with its measure and its latest casework figure."""

from __future__ import annotations

from dataclasses import dataclass

from saferplan.casework import measures
from saferplan.casework.models import CaseworkFeed
from saferplan.casework.services.feeds import SOURCE
from saferplan.indicators.models import Observation


@dataclass
class FeedRow:
    feed: CaseworkFeed
    measure: measures.Measure | None
    latest: Observation | None


def feed_rows(partnership) -> list[FeedRow]:
    feeds = list(
        CaseworkFeed.objects.filter(indicator__partnership=partnership)
        .select_related("indicator", "area")
        .order_by("indicator__name")
    )
    latest: dict[tuple[int, int], Observation] = {}
    for o in Observation.objects.filter(
        indicator_id__in=[f.indicator_id for f in feeds], source=SOURCE
    ).order_by("period_end", "period_start"):
        key = (o.indicator_id, o.area_id)
        if o.period_kind != "span" or key not in latest:
            latest[key] = o
    return [
        FeedRow(f, measures.MEASURES.get(f.measure), latest.get((f.indicator_id, f.area_id))) for f in feeds
    ]


def feed_for(partnership, pk: int) -> CaseworkFeed | None:
    return (
        CaseworkFeed.objects.filter(indicator__partnership=partnership, pk=pk)
        .select_related("indicator", "area")
        .first()
    )
