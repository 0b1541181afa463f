from django.contrib.auth import views as auth_views
from django.urls import path

from saferplan.web.forms import SignInForm
from saferplan.web.views import edit, pages, performance, police

urlpatterns = [
    path("", pages.home, name="home"),
    path(
        "sign-in/",
        auth_views.LoginView.as_view(
            template_name="registration/login.html",
            authentication_form=SignInForm,
            extra_context={"page_title": "Sign in"},
        ),
        name="login",
    ),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("plans/", pages.plan_list, name="plan-list"),
    path("plans/<slug:slug>/", pages.plan_overview, name="plan-overview"),
    path("plans/<slug:slug>/sections/<int:order>/", pages.plan_section, name="plan-section"),
    path("plans/<slug:slug>/objectives/new/", edit.objective_create, name="objective-create"),
    path("objectives/<int:pk>/", pages.objective_detail, name="objective-detail"),
    path("objectives/<int:pk>/edit/", edit.objective_edit, name="objective-edit"),
    path("objectives/<int:pk>/archive/", edit.objective_archive, name="objective-archive"),
    path("objectives/<int:pk>/outcomes/new/", edit.outcome_create, name="outcome-create"),
    path("outcomes/<int:pk>/", pages.outcome_detail, name="outcome-detail"),
    path("outcomes/<int:pk>/edit/", edit.outcome_edit, name="outcome-edit"),
    path("outcomes/<int:pk>/archive/", edit.outcome_archive, name="outcome-archive"),
    path("outcomes/<int:pk>/actions/new/", edit.action_create, name="action-create"),
    path("actions/<int:pk>/", pages.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", edit.action_edit, name="action-edit"),
    path("actions/<int:pk>/archive/", edit.action_archive, name="action-archive"),
    path("indicators/", pages.indicator_list, name="indicator-list"),
    path("indicators/new/", edit.indicator_create, name="indicator-create"),
    path("indicators/<int:pk>/", pages.indicator_detail, name="indicator-detail"),
    path("indicators/<int:pk>/edit/", edit.indicator_edit, name="indicator-edit"),
    path("indicators/<int:pk>/archive/", edit.indicator_archive, name="indicator-archive"),
    path("indicators/<int:pk>/figures/", performance.indicator_performance, name="indicator-performance"),
    path("observations/<int:pk>/headline/", performance.observation_headline, name="observation-headline"),
    path("indicators/<int:pk>/targets/new/", performance.target_create, name="target-create"),
    path("performance/", performance.performance_overview, name="performance-overview"),
    path("performance/revisions/", performance.performance_revisions, name="performance-revisions"),
    path("data-returns/", performance.data_return_list, name="data-return-list"),
    path("data-returns/<slug:slug>/", performance.data_return_detail, name="data-return-detail"),
    path(
        "data-returns/<slug:slug>/template.<str:fmt>",
        performance.data_return_template,
        name="data-return-template",
    ),
    path("police/", police.police_overview, name="police-overview"),
    path("police/imports/<int:pk>/", police.police_import, name="police-import"),
    path("groups/", pages.group_list, name="group-list"),
    path("groups/<int:pk>/", pages.group_detail, name="group-detail"),
    path("organisations/", pages.organisation_list, name="organisation-list"),
    path("organisations/<int:pk>/", pages.organisation_detail, name="organisation-detail"),
    path("my-group/", pages.my_group, name="my-group"),
    path("search/", pages.search, name="search"),
]
