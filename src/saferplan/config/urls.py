from django.contrib import admin
from django.urls import include, path

from saferplan.web.views import errors

admin.site.site_header = "SaferPlan administration"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("saferplan.web.urls")),
]

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
