"""URLs of the strategic assessment, consultation and information-sharing pages (views in
saferplan.web.views.assessment, .scoring, .consultation and .sharing). Each part keeps its own list."""

from django.urls import path  # noqa: F401

# The assessment, its sections, long-list and priorities (saferplan.web.views.assessment)
from saferplan.web.views import assessment as assessment_views  # noqa: E402

_A = "assessments/<slug:slug>/"
assessment_urls: list = [
    path("assessments/", assessment_views.assessment_list, name="assessment-list"),
    path("assessments/new/", assessment_views.assessment_create, name="assessment-create"),
    path(_A, assessment_views.assessment_detail, name="assessment-detail"),
    path(_A + "edit/", assessment_views.assessment_edit, name="assessment-edit"),
    path(_A + "sections/add/", assessment_views.section_create, name="assessment-section-create"),
    path(_A + "sections/<int:pk>/edit/", assessment_views.section_edit, name="assessment-section-edit"),
    path(_A + "sections/<int:pk>/move/", assessment_views.section_move, name="assessment-section-move"),
    path(
        _A + "sections/<int:pk>/figures/add/", assessment_views.figure_create, name="assessment-figure-create"
    ),
    path(_A + "figures/<int:pk>/edit/", assessment_views.figure_edit, name="assessment-figure-edit"),
    path(_A + "figures/<int:pk>/remove/", assessment_views.figure_delete, name="assessment-figure-delete"),
    path(_A + "pestelo/add/", assessment_views.pestle_create, name="assessment-pestle-create"),
    path(_A + "pestelo/<int:pk>/edit/", assessment_views.pestle_edit, name="assessment-pestle-edit"),
    path(_A + "long-list/", assessment_views.long_list, name="assessment-long-list"),
    path(_A + "long-list/add/", assessment_views.candidate_create, name="assessment-candidate-create"),
    path(_A + "long-list/<int:pk>/edit/", assessment_views.candidate_edit, name="assessment-candidate-edit"),
    path(_A + "priorities/", assessment_views.priorities, name="assessment-priorities"),
    path(_A + "priorities/add/", assessment_views.priority_create, name="assessment-priority-create"),
    path(_A + "priorities/<int:pk>/edit/", assessment_views.priority_edit, name="assessment-priority-edit"),
    path(_A + "trail/", assessment_views.trail, name="assessment-trail"),
    path("plans/<slug:slug>/sent-to-pcc/", assessment_views.plan_sent_to_pcc, name="plan-sent-to-pcc"),
]


# Scoring schemes, scores and moderation (saferplan.web.views.scoring)
def _scoring_urls() -> list:
    from saferplan.web.views import scoring as v

    s = "assessments/<slug:slug>/scoring/"
    return [
        path("scoring/schemes/", v.scheme_list, name="scoring-scheme-list"),
        path("scoring/schemes/new/", v.scheme_create, name="scoring-scheme-create"),
        path("scoring/schemes/<int:pk>/", v.scheme_detail, name="scoring-scheme-detail"),
        path("scoring/dimensions/<int:pk>/edit/", v.dimension_edit, name="scoring-dimension-edit"),
        path(s, v.scoring_home, name="scoring-home"),
        path(s + "scheme/", v.scheme_choose, name="scoring-scheme-choose"),
        path(s + "issues/<int:pk>/", v.score, name="scoring-score"),
        path(s + "issues/<int:pk>/moderate/", v.moderate, name="scoring-moderate"),
        path(s + "agreement/", v.agreement, name="scoring-agreement"),
        path(s + "results/", v.results, name="scoring-results"),
    ]


scoring_urls: list = _scoring_urls()


# Consultation exercises and their results (saferplan.web.views.consultation)
def _consultation_urls() -> list:
    from saferplan.web.views import consultation as v

    return [
        path("consultation/", v.consultation_list, name="consultation-list"),
        path("consultation/new/", v.consultation_create, name="consultation-create"),
        path("consultation/template.csv", v.consultation_template, name="consultation-template"),
        path("consultation/<int:pk>/", v.consultation_detail, name="consultation-detail"),
        path("consultation/<int:pk>/edit/", v.consultation_edit, name="consultation-edit"),
        path(
            "consultation/<int:pk>/results/new/",
            v.consultation_result_create,
            name="consultation-result-create",
        ),
        path("consultation/<int:pk>/results/import/", v.consultation_import, name="consultation-import"),
        path(
            "consultation/<int:pk>/results.csv", v.consultation_results_csv, name="consultation-results-csv"
        ),
        path(
            "consultation/results/<int:pk>/edit/", v.consultation_result_edit, name="consultation-result-edit"
        ),
        path(
            "consultation/results/<int:pk>/remove/",
            v.consultation_result_remove,
            name="consultation-result-remove",
        ),
        path("assessments/<slug:slug>/told-us/", v.assessment_told_us, name="assessment-told-us"),
    ]


consultation_urls: list = _consultation_urls()


# The information-sharing schedule, agreements and the data improvement plan (saferplan.web.views.sharing)
def _sharing_urls() -> list:
    from saferplan.web.views import sharing as v

    return [
        path("sharing/", v.sharing_schedule, name="sharing-schedule"),
        path("sharing/flows/new/", v.sharing_flow_create, name="sharing-flow-create"),
        path("sharing/flows/<int:pk>/", v.sharing_flow, name="sharing-flow"),
        path("sharing/flows/<int:pk>/edit/", v.sharing_flow_edit, name="sharing-flow-edit"),
        path("sharing/flows/<int:pk>/archive/", v.sharing_flow_archive, name="sharing-flow-archive"),
        path("sharing/flows/<int:pk>/receipt/", v.sharing_receipt, name="sharing-receipt"),
        path("sharing/agreements/", v.sharing_agreements, name="sharing-agreements"),
        path("sharing/agreements/new/", v.sharing_agreement_create, name="sharing-agreement-create"),
        path("sharing/agreements/<int:pk>/", v.sharing_agreement, name="sharing-agreement"),
        path("sharing/agreements/<int:pk>/edit/", v.sharing_agreement_edit, name="sharing-agreement-edit"),
        path(
            "sharing/agreements/<int:pk>/review/", v.sharing_agreement_review, name="sharing-agreement-review"
        ),
        path(
            "sharing/agreements/<int:pk>/archive/",
            v.sharing_agreement_archive,
            name="sharing-agreement-archive",
        ),
        path("sharing/improvement/", v.sharing_improvement_plan, name="sharing-improvement-plan"),
        path("sharing/improvement/new/", v.sharing_action_create, name="sharing-action-create"),
        path("sharing/improvement/<int:pk>/", v.sharing_action, name="sharing-action"),
        path("sharing/improvement/<int:pk>/edit/", v.sharing_action_edit, name="sharing-action-edit"),
        path("sharing/improvement/<int:pk>/update/", v.sharing_action_update, name="sharing-action-update"),
        path(
            "sharing/improvement/<int:pk>/archive/", v.sharing_action_archive, name="sharing-action-archive"
        ),
    ]


sharing_urls: list = _sharing_urls()

urlpatterns: list = assessment_urls + scoring_urls + consultation_urls + sharing_urls
