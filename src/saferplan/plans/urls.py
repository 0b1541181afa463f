"""URLs of the plan refresh and version difference pages (views in saferplan.web.views.refresh)."""

urlpatterns: list = []
