"""URLs of the casework pages. Each part keeps its own list, with its views in its own module of
saferplan.web.views (casework, casework_asb, casework_review, casework_referrals, casework_mais_marac,
casework_feeds). Records are addressed by their reference (e.g. ASB-2015-00012), never by a person's name."""

from django.urls import path

from saferplan.web.views import (
    casework,
    casework_asb,
    casework_feeds,
    casework_mais_marac,
    casework_referrals,
    casework_review,
)

_C = "casework/cases/<str:ref>/"
_I = "casework/incidents/<str:ref>/"
_R = "casework/case-reviews/<str:ref>/"
_S = "casework/referrals/<str:ref>/"

# The casework start page, settings, privacy (saferplan.web.views.casework)
common_urls = [
    path("casework/", casework.home, name="casework-home"),
    path("casework/settings/", casework.settings_edit, name="casework-settings"),
    path("casework/settings/routing/", casework.routing, name="casework-routing"),
    path("casework/settings/retention/", casework.retention, name="casework-retention"),
    path("casework/access-log/", casework.access_log, name="casework-access-log"),
    path("casework/open/<str:kind>/<str:ref>/", casework.open_reason, name="casework-open"),
    path("casework/people/<int:pk>/", casework.person, name="casework-person"),
    path("casework/subject-access/", casework.subject_access, name="casework-sar"),
    path(
        "casework/subject-access/<int:pk>/export/", casework.subject_access_export, name="casework-sar-export"
    ),
    path(_C + "share/", casework.case_share, name="casework-case-share"),
]

# ASB incidents, cases (every kind's case page, team and action plan) and escalation steps
asb_urls = [
    path("casework/incidents/", casework_asb.incident_list, name="casework-incident-list"),
    path("casework/incidents/new/", casework_asb.incident_create, name="casework-incident-create"),
    path(_I, casework_asb.incident_detail, name="casework-incident"),
    path(_I + "edit/", casework_asb.incident_edit, name="casework-incident-edit"),
    path(_I + "people/add/", casework_asb.incident_person_add, name="casework-incident-person-add"),
    path(_I + "open-case/", casework_asb.case_open, name="casework-case-open"),
    path("casework/repeat-victims/", casework_asb.repeat_victims, name="casework-repeat-victims"),
    path("casework/cases/", casework_asb.case_list, name="casework-case-list"),
    path(_C, casework_asb.case_detail, name="casework-case"),
    path(_C + "edit/", casework_asb.case_edit, name="casework-case-edit"),
    path(_C + "close/", casework_asb.case_close, name="casework-case-close"),
    path(_C + "actions/add/", casework_asb.action_create, name="casework-action-create"),
    path(_C + "actions/<int:pk>/edit/", casework_asb.action_edit, name="casework-action-edit"),
    path(_C + "interventions/add/", casework_asb.intervention_create, name="casework-intervention-create"),
    path(
        _C + "interventions/<int:pk>/edit/", casework_asb.intervention_edit, name="casework-intervention-edit"
    ),
]

# The ASB Case Review (Community Trigger)
review_urls = [
    path("casework/case-reviews/", casework_review.review_list, name="casework-review-list"),
    path("casework/case-reviews/new/", casework_review.review_create, name="casework-review-create"),
    path("casework/case-reviews/figures/", casework_review.review_figures, name="casework-review-figures"),
    path(_R, casework_review.review_detail, name="casework-review"),
    path(_R + "decision/", casework_review.review_decide, name="casework-review-decide"),
    path(_R + "review/", casework_review.review_record, name="casework-review-record"),
    path(_R + "appeal/", casework_review.review_appeal, name="casework-review-appeal"),
]

# Safer Homes referrals
referral_urls = [
    path("casework/referrals/", casework_referrals.referral_list, name="casework-referral-list"),
    path("casework/referrals/new/", casework_referrals.referral_create, name="casework-referral-create"),
    path(
        "casework/referrals/figures/", casework_referrals.referral_figures, name="casework-referral-figures"
    ),
    path(_S, casework_referrals.referral_detail, name="casework-referral"),
    path(_S + "routes/<int:pk>/", casework_referrals.route_respond, name="casework-route-respond"),
]

# The Multi-Agency Intervention Service and MARAC
mais_marac_urls = [
    path("casework/mais/new/", casework_mais_marac.mais_create, name="casework-mais-create"),
    path("casework/marac/new/", casework_mais_marac.marac_create, name="casework-marac-create"),
    path(_C + "dash/", casework_mais_marac.marac_dash, name="casework-marac-dash"),
    path("casework/marac/meetings/", casework_mais_marac.meeting_list, name="casework-marac-meeting-list"),
    path(
        "casework/marac/meetings/new/",
        casework_mais_marac.meeting_create,
        name="casework-marac-meeting-create",
    ),
    path(
        "casework/marac/meetings/<int:pk>/", casework_mais_marac.meeting_detail, name="casework-marac-meeting"
    ),
    path("casework/marac/figures/", casework_mais_marac.marac_figures, name="casework-marac-figures"),
]

# Casework counts feeding the plan's indicators
feed_urls = [
    path("casework/feeds/", casework_feeds.feed_list, name="casework-feed-list"),
    path("casework/feeds/new/", casework_feeds.feed_create, name="casework-feed-create"),
    path("casework/feeds/<int:pk>/edit/", casework_feeds.feed_edit, name="casework-feed-edit"),
    path("casework/feeds/run/", casework_feeds.feed_run, name="casework-feed-run"),
]

urlpatterns = [*common_urls, *asb_urls, *review_urls, *referral_urls, *mais_marac_urls, *feed_urls]
