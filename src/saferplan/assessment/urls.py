"""URLs of the strategic assessment, consultation and information-sharing pages (views in
saferplan.web.views.assessment, .scoring, .consultation and .sharing). Each part keeps its own list."""

from django.urls import path  # noqa: F401

# The assessment, its sections, long-list and priorities (saferplan.web.views.assessment)
assessment_urls: list = []

# Scoring schemes, scores and moderation (saferplan.web.views.scoring)
scoring_urls: list = []

# Consultation exercises and their results (saferplan.web.views.consultation)
consultation_urls: list = []

# The information-sharing schedule, agreements and the data improvement plan (saferplan.web.views.sharing)
sharing_urls: list = []

urlpatterns: list = assessment_urls + scoring_urls + consultation_urls + sharing_urls
