"""`/healthz`: for a load balancer or monitor. Open to anyone, reads no body, shows nothing about the data."""

from __future__ import annotations

import logging

from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request):
    """200 {"status": "ok"} when the database answers `SELECT 1`; 503 with a reason when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure to reach the database means "not healthy"
        logger.warning("Health check failed: database unreachable (%s)", error.__class__.__name__)
        return JsonResponse(
            {"status": "unavailable", "reason": f"database unreachable ({error.__class__.__name__})"},
            status=503,
        )
    return JsonResponse({"status": "ok"})
