"""Security middleware and helpers, configured in settings.py from the environment (docs/security.md).

- `client_ip`: the client's real address behind a known number of trusted proxies (django-axes keys sign-in
  lockouts on it, with the username);
- `ContentSecurityPolicyMiddleware`: the Content-Security-Policy header on every response;
- `SessionTimeoutMiddleware`: signs people out after SESSION_IDLE_TIMEOUT seconds without a request, and
  SESSION_COOKIE_AGE seconds after they signed in, whatever they did since;
- `RequestBodyMiddleware`: refuses a request body from anyone not signed in (except on the sign-in and
  password reset pages) and any body over MAX_REQUEST_BODY_BYTES, before a byte of it is read;
- `NoStoreMiddleware`: `Cache-Control: no-store` on every response to a signed-in person;
- `within_rate`: a fixed-window counter in Django's cache, for per-person limits such as report renders.
"""

from __future__ import annotations

import ipaddress
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.template import loader
from django.urls import Resolver404, resolve
from django.utils.cache import add_never_cache_headers

SESSION_STARTED = "saferplan_signed_in_at"
SESSION_SEEN = "saferplan_last_seen"
SEEN_GRANULARITY = 60  # seconds: the last-seen time is written at most once a minute


def _valid_ip(value: str) -> str | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [::1]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # 192.0.2.1:port
        value = value.split(":")[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address of the person making the request.

    With TRUSTED_PROXY_COUNT = 0 (the default) this is REMOTE_ADDR: X-Forwarded-For is ignored, since anyone
    can send it. Behind N trusted proxies, each appending the address it received the request from, the
    client's address is the N-th entry from the right of X-Forwarded-For; entries to its left were written by
    the client and are not trusted. A header with fewer than N entries did not pass through every proxy, so
    REMOTE_ADDR is used."""
    remote = request.META.get("REMOTE_ADDR", "")
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count > 0:
        forwarded = [part for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= count:
            found = _valid_ip(forwarded[-count])
            if found:
                return found
    return _valid_ip(remote) or remote or None


def within_rate(key: str, limit: int, seconds: int = 60) -> bool:
    """Count one more event for `key`; False once there have been more than `limit` in the current window of
    `seconds`. A limit of 0 or less means no limit."""
    if limit <= 0:
        return True
    window = int(time.time() // seconds)
    name = f"saferplan:rate:{key}:{window}"
    cache.add(name, 0, timeout=seconds + 1)
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, timeout=seconds + 1)
        count = 1
    return count <= limit


class ContentSecurityPolicyMiddleware:
    """Content-Security-Policy from settings.CONTENT_SECURITY_POLICY (a dict of directive → sources), on every
    response that does not set its own (a standalone report page sets a stricter one)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.header = "; ".join(
            f"{name} {' '.join(sources)}".strip()
            for name, sources in settings.CONTENT_SECURITY_POLICY.items()
        )

    def __call__(self, request):
        response = self.get_response(request)
        if "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = self.header
        return response


def stamp_sign_in(sender, request, user, **kwargs) -> None:
    """On signing in (user_logged_in), start the session's clocks in the session being written anyway, so the
    first page after sign-in does not write the session again."""
    now = int(time.time())
    request.session[SESSION_STARTED] = request.session[SESSION_SEEN] = now


class SessionTimeoutMiddleware:
    """Sign out after SESSION_IDLE_TIMEOUT seconds without a request, or SESSION_COOKIE_AGE seconds after
    signing in; the sign-in page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            reason = self._expired(request.session)
            if reason:
                logout(request)
                query = urlencode({"next": request.get_full_path(), "signed_out": reason})
                return HttpResponseRedirect(f"{resolve_url(settings.LOGIN_URL)}?{query}")
        return self.get_response(request)

    @staticmethod
    def _expired(session) -> str:
        now = int(time.time())
        started, seen = session.get(SESSION_STARTED), session.get(SESSION_SEEN)
        if started is None or seen is None:
            session[SESSION_STARTED] = session[SESSION_SEEN] = now
            return ""
        if now - started > settings.SESSION_COOKIE_AGE:
            return "expired"
        if now - seen > settings.SESSION_IDLE_TIMEOUT:
            return "idle"
        if now - seen >= SEEN_GRANULARITY:
            session[SESSION_SEEN] = now
        return ""


# Pages that take a body from someone not signed in: url names (as Django resolves them).
ANONYMOUS_POST_VIEWS = {"login", "logout", "password-reset", "password-reset-confirm", "admin:login"}


class RequestBodyMiddleware:
    """Refuse, before anything reads it: a body over MAX_REQUEST_BODY_BYTES (413), and a body from someone not
    signed in to any page but those in ANONYMOUS_POST_VIEWS (a redirect to sign in, as for any page).

    Django reads and parses a body only when request.POST, request.FILES or request.body is first used; this
    middleware runs before any of them (CSRF checks run later, in process_view) and uses only the headers."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
        has_body = length > 0 or chunked or request.method not in {"GET", "HEAD", "OPTIONS", "TRACE"}
        if length > settings.MAX_REQUEST_BODY_BYTES:
            return _too_large(request)
        if has_body and not request.user.is_authenticated and not self._open_to_anyone(request.path_info):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

    @staticmethod
    def _open_to_anyone(path: str) -> bool:
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.view_name in ANONYMOUS_POST_VIEWS


def _too_large(request) -> HttpResponse:
    limit = settings.MAX_REQUEST_BODY_BYTES / 1024 / 1024
    body = loader.get_template("errors/413.html").render(
        {"page_title": "The file is too big", "limit_mb": f"{limit:,.0f}"}, request
    )
    response = HttpResponse(body, status=413)
    response["Connection"] = "close"  # the unread body is not drained
    return response


class NoStoreMiddleware:
    """Nothing shown to a signed-in person is kept by the browser or a shared cache."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            add_never_cache_headers(response)
        return response
