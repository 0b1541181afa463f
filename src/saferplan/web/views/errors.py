"""Styled error pages: never Django's default or a traceback."""

from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader


def bad_request(request, exception=None):
    return render(request, "errors/400.html", {"page_title": "Bad request"}, status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", {"page_title": "You do not have permission"}, status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", {"page_title": "Page not found"}, status=404)


def server_error(request):
    # Rendered without the request context: the failure may be in a context processor.
    return HttpResponseServerError(
        loader.get_template("errors/500.html").render({"page_title": "Sorry, there is a problem"})
    )


def csrf_failure(request, reason=""):
    return render(request, "errors/403_csrf.html", {"page_title": "Your session has expired"}, status=403)
