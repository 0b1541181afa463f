"""URLs of the plan refresh and version difference pages (views in saferplan.web.views.refresh)."""

from django.urls import path

from saferplan.web.views import refresh

urlpatterns: list = [
    path("plans/<slug:slug>/compare/<slug:other>/", refresh.plan_compare, name="plan-compare"),
    path("plans/<slug:slug>/refresh/", refresh.plan_refresh, name="plan-refresh"),
]
