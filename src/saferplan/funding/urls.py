"""URLs of the funding pages (views in saferplan.web.views.funding)."""

from django.urls import path

from saferplan.web.views import funding

urlpatterns: list = [
    path("funding/", funding.funding_overview, name="funding-overview"),
    path("funding/projects/new/", funding.funding_project_create, name="funding-project-create"),
    path("funding/projects/<int:pk>/", funding.funding_project, name="funding-project"),
    path("funding/projects/<int:pk>/edit/", funding.funding_project_edit, name="funding-project-edit"),
    path(
        "funding/projects/<int:pk>/sign-off/", funding.funding_project_signoff, name="funding-project-signoff"
    ),
]
