"""The plan overview and every list page run a fixed number of SQL queries, whatever the plan's size."""

import copy

import yaml
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saferplan.plans.models import Group, Objective, Plan
from saferplan.plans.plan_yaml import export_plan, import_plan_text

TIMES = 10


def scaled_plan_text(demo: Plan, times: int) -> str:
    """The demo `times` over: objectives, outcomes, actions, indicators, groups, strategies, baskets."""
    data = export_plan(demo)
    big = copy.deepcopy(data)
    big["partnership"]["slug"] = "big-partnership"
    big["plan"].update(
        slug="big-plan", title="A plan ten times the demo", period="2017-20", refresh_year=2017
    )
    n_obj = len(data["plan"]["objectives"])

    def g(slug, k):
        return f"{slug}-{k}" if slug else slug

    big["groups"], big["plan"]["objectives"], big["indicators"] = [], [], []
    big["strategies"], big["baskets"] = [], []
    for k in range(times):
        for group in data["groups"]:
            copy_ = {**group, "slug": g(group["slug"], k), "name": f"{group['name']} ({k})"}
            if group.get("escalates_to"):
                copy_["escalates_to"] = g(group["escalates_to"], k)
            big["groups"].append(copy_)
        for objective in data["plan"]["objectives"]:
            o = copy.deepcopy(objective)
            o["number"] += n_obj * k
            o["groups"] = [{**r, "group": g(r["group"], k)} for r in o.get("groups", [])]
            for outcome in o["outcomes"]:
                for action in outcome.get("actions", []):
                    if action.get("owner_group"):
                        action["owner_group"] = g(action["owner_group"], k)
            big["plan"]["objectives"].append(o)
        for indicator in data["indicators"]:
            big["indicators"].append(
                {
                    **indicator,
                    "slug": g(indicator["slug"], k),
                    "objectives": [n + n_obj * k for n in indicator.get("objectives", [])],
                    **({"part_of": g(indicator["part_of"], k)} if indicator.get("part_of") else {}),
                }
            )
        for strategy in data["strategies"]:
            s = {
                **strategy,
                "slug": g(strategy["slug"], k),
                "objectives": [n + n_obj * k for n in strategy.get("objectives", [])],
            }
            if s.get("owner_group"):
                s["owner_group"] = g(s["owner_group"], k)
            big["strategies"].append(s)
        for basket in data["baskets"]:
            big["baskets"].append(
                {
                    **basket,
                    "slug": g(basket["slug"], k),
                    "indicators": [g(i, k) for i in basket["indicators"]],
                }
            )

    class NoAliases(yaml.SafeDumper):  # plan files refuse anchors and aliases: write shared values out
        def ignore_aliases(self, data):
            return True

    return yaml.dump(big, Dumper=NoAliases, sort_keys=False)


def page_queries(client, urls) -> list[int]:
    counts = []
    for url in urls:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        counts.append(len(ctx.captured_queries))
    return counts


def test_query_counts_do_not_grow_with_the_plan(demo, users, client):
    lead = users["group_lead"]
    client.force_login(lead)
    lists = [
        reverse(n) for n in ("plan-list", "indicator-list", "group-list", "organisation-list", "my-group")
    ]
    lists.append(reverse("search") + "?q=crime")
    small = page_queries(client, [reverse("plan-overview", args=[demo.slug]), *lists])

    big_plan = import_plan_text(scaled_plan_text(demo, TIMES))
    for group in Group.objects.filter(
        partnership=big_plan.partnership, slug__startswith="anti-social-behaviour"
    ):
        group.leads.add(lead)
    assert Objective.objects.live().filter(plan=big_plan).count() == TIMES * 7
    big = page_queries(client, [reverse("plan-overview", args=[big_plan.slug]), *lists])
    assert big == small
