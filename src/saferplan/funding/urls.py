"""URLs of the funding pages (views in saferplan.web.views.funding)."""

urlpatterns: list = []
