"""Production security on the web (issue 15, defect 8; docs/security.md): HTTPS behind a proxy, sign-in
lockout by the client's own address, Content-Security-Policy, no-store, session timeouts, changing and resetting
passwords, request bodies refused before sign-in, report render limits, import errors without server paths.

Settings are read from the environment once, at import: where a behaviour depends on an environment variable,
the test reads the setting as that variable makes it (tests.test_settings.settings_json, in a subprocess) and
applies it to this process."""

from __future__ import annotations

import io
import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.urls import reverse

from saferplan.police.models import PoliceImport
from tests.test_settings import settings_json
from tests.web.test_permissions import MATRIX, url_for

PASSWORD = "a-long-test-password"
NEW_PASSWORD = "a-brand-new-passphrase-for-2017"


@pytest.fixture(autouse=True)
def empty_cache():
    """Rate-limit counters live in the cache: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


def from_environment(settings, **env) -> None:
    """Apply the settings that these environment variables make."""
    names = {
        "TRUSTED_PROXY_HEADER": ["SECURE_PROXY_SSL_HEADER"],
        "TRUSTED_PROXY_COUNT": ["TRUSTED_PROXY_COUNT"],
        "CSRF_TRUSTED_ORIGINS": ["CSRF_TRUSTED_ORIGINS"],
        "SECURE_COOKIES": ["SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"],
    }
    wanted = sorted({n for key in env for n in names[key]})
    for name, value in settings_json(wanted, **env).items():
        setattr(settings, name, tuple(value) if name == "SECURE_PROXY_SSL_HEADER" and value else value)


def signed_in_page_urls(demo) -> list[str]:
    return [url_for(name, demo) for name in sorted(MATRIX)]


# HTTPS behind a proxy ---------------------------------------------------------------------------------------


def test_behind_an_https_proxy_posts_pass_the_csrf_check(settings, users):
    from_environment(
        settings, TRUSTED_PROXY_HEADER="HTTP_X_FORWARDED_PROTO", SECURE_COOKIES="1", CSRF_TRUSTED_ORIGINS=""
    )
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False  # the test client speaks plain HTTP
    proxied = {"HTTP_X_FORWARDED_PROTO": "https", "HTTP_HOST": "testserver"}  # as the proxy sends them
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("login"), **proxied)
    assert page.status_code == 200, "the proxy's HTTPS request is not redirected again"
    assert client.get(reverse("login")).status_code == 301, "a plain HTTP request is sent to HTTPS"
    token = client.cookies["csrftoken"].value
    response = client.post(
        reverse("login"),
        {"username": "viewer-user", "password": PASSWORD, "csrfmiddlewaretoken": token},
        HTTP_ORIGIN="https://testserver",
        **proxied,
    )
    assert response.status_code == 302 and response.url == reverse("home"), response.status_code


# Sign-in lockout ----------------------------------------------------------------------------------------------


def test_client_ip_trusts_x_forwarded_for_only_behind_the_configured_proxies(settings):
    from saferplan.config import security

    factory = RequestFactory()

    def ip(forwarded: str | None, remote: str = "10.0.0.1") -> str:
        headers = {"REMOTE_ADDR": remote}
        if forwarded is not None:
            headers["HTTP_X_FORWARDED_FOR"] = forwarded
        return security.client_ip(factory.get("/", **headers))

    settings.TRUSTED_PROXY_COUNT = 0
    assert ip("203.0.113.9") == "10.0.0.1"  # anyone can send the header
    settings.TRUSTED_PROXY_COUNT = 1
    assert ip("203.0.113.9") == "203.0.113.9"
    assert ip("198.51.100.7, 203.0.113.9") == "203.0.113.9"  # the left entry was written by the client
    assert ip(None) == "10.0.0.1" and ip("not an address") == "10.0.0.1"
    settings.TRUSTED_PROXY_COUNT = 2
    assert ip("198.51.100.7, 203.0.113.9, 10.0.0.2") == "203.0.113.9"
    assert ip("203.0.113.9") == "10.0.0.1"  # did not pass through both proxies


def test_an_attacker_behind_the_proxy_cannot_lock_an_account_for_everyone(settings, users, client):
    from_environment(settings, TRUSTED_PROXY_COUNT="1")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    attacker = {**proxy, "HTTP_X_FORWARDED_FOR": "203.0.113.9"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "viewer-user", "password": "wrong"}, **attacker)
    locked = client.post(reverse("login"), {"username": "viewer-user", "password": PASSWORD}, **attacker)
    assert b"Sign-in is locked" in locked.content, "the attacker is locked out"
    # A forged X-Forwarded-For does not get the attacker out: the proxy appends the real address.
    spoofed = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7, 203.0.113.9"}
    again = client.post(reverse("login"), {"username": "viewer-user", "password": PASSWORD}, **spoofed)
    assert b"Sign-in is locked" in again.content
    owner = {**proxy, "HTTP_X_FORWARDED_FOR": "198.51.100.7"}
    response = Client().post(reverse("login"), {"username": "viewer-user", "password": PASSWORD}, **owner)
    assert response.status_code == 302, "the account's owner, at another address, still signs in"


# Headers ------------------------------------------------------------------------------------------------------

INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"<[^>]+\sstyle=", re.IGNORECASE)


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in header.split(";") if part.strip()}


def test_content_security_policy_on_every_response(users, demo, client):
    anonymous = [client.get(reverse("login")), client.get("/no-such-page/")]
    client.force_login(users["administrator"])
    for response in [*anonymous, client.get(reverse("plan-list")), client.get(reverse("delivery-export"))]:
        policy = csp(response)
        assert policy["default-src"] == "default-src 'self'"
        assert policy["script-src"] == "script-src 'self'", "no inline script"
        assert policy["img-src"] == "img-src 'self' data:", "charts are data: images"
        assert policy["frame-ancestors"] == "frame-ancestors 'none'"
        assert "unsafe" not in response["Content-Security-Policy"]


def test_no_page_has_inline_script_or_style_that_the_policy_would_block(users, demo):
    PoliceImport.objects.get_or_create(filename="2016-03-durham-street.csv")  # running: the page polls
    client = Client(raise_request_exception=False)  # a page broken for another reason is another test's
    pages = [client.get(reverse("login")), client.get(reverse("password-reset"))]
    client.force_login(users["administrator"])
    pages += [client.get(url) for url in signed_in_page_urls(demo)]
    pages.append(client.get(reverse("password-change")))
    checked = 0
    for response in pages:
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            html = response.content.decode()
            url = response.wsgi_request.get_full_path()
            assert not INLINE_SCRIPT.search(html), url
            assert not STYLE_ATTRIBUTE.search(html), url
            checked += 1
    assert checked > 60


def test_a_standalone_report_page_has_its_own_policy_without_script(users, demo, client):
    client.force_login(users["viewer"])
    response = client.get(reverse("report-plan"), {"format": "html"})
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == "default-src 'none'" and "script-src" not in policy
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"


def test_nothing_shown_to_a_signed_in_person_is_cached(users, demo, client):
    client.force_login(users["viewer"])
    for url in (reverse("plan-list"), reverse("delivery-export"), url_for("indicator-detail", demo)):
        response = client.get(url)
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"], url


# Sessions -----------------------------------------------------------------------------------------------------


def shift_session(client, **seconds_ago) -> None:
    session = client.session
    now = int(time.time())
    for key, ago in seconds_ago.items():
        session[key] = now - ago
    session.save()


def test_sessions_end_after_thirty_idle_minutes(users, demo, client):
    client.force_login(users["viewer"])
    assert client.get(reverse("plan-list")).status_code == 200
    shift_session(client, saferplan_last_seen=29 * 60)
    assert client.get(reverse("plan-list")).status_code == 200, "still active at 29 minutes"
    assert client.session["saferplan_last_seen"] >= time.time() - 5, "each request counts as activity"
    shift_session(client, saferplan_last_seen=31 * 60)
    response = client.get(reverse("plan-list"))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert "signed_out=idle" in response.url and "next=%2Fplans%2F" in response.url
    notice = client.get(response.url).content.decode()
    assert "You were signed out because you had not used SaferPlan for a while" in notice
    assert client.get(reverse("plan-list")).url == f"{reverse('login')}?next=/plans/", "signed out"


def test_sessions_end_eight_hours_after_signing_in_however_active(users, demo, client):
    client.force_login(users["viewer"])
    assert client.get(reverse("plan-list")).status_code == 200
    shift_session(client, saferplan_signed_in_at=8 * 60 * 60 + 5, saferplan_last_seen=0)
    response = client.get(reverse("plan-list"))
    assert response.status_code == 302 and "signed_out=expired" in response.url
    assert "_auth_user_id" not in client.session


# Passwords ----------------------------------------------------------------------------------------------------


def test_change_your_own_password(users, demo, client, django_user_model):
    assert client.get(reverse("password-change")).status_code == 302, "sign in first"
    client.force_login(users["analyst"])
    assert "Change your password" in client.get(reverse("plan-list")).content.decode(), (
        "linked from every page"
    )
    page = client.get(reverse("password-change"))
    assert page.status_code == 200 and b"Change your password" in page.content
    wrong = client.post(
        reverse("password-change"),
        {"old_password": "not-it", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    text = wrong.content.decode()
    assert wrong.status_code == 200 and "There is a problem" in text and "<title>Error: " in text
    assert "Your current password is not right" in text and 'href="#id_old_password"' in text
    short = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": "short", "new_password2": "shorter"},
    )
    assert "The two new passwords do not match" in short.content.decode()
    done = client.post(
        reverse("password-change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert done.status_code == 302 and done.url == reverse("password-change-done")
    assert client.get(done.url).status_code == 200, "still signed in after the change"
    assert django_user_model.objects.get(username="analyst-user").check_password(NEW_PASSWORD)


def test_reset_a_forgotten_password_by_email(users, demo, mailoutbox, django_user_model):
    users["viewer"].email = "viewer@example.org"
    users["viewer"].save()
    client = Client()
    assert b"Forgotten your password?" in client.get(reverse("login")).content
    assert client.get(reverse("password-reset")).status_code == 200
    known = client.post(reverse("password-reset"), {"email": "Viewer@example.org"})
    unknown = client.post(reverse("password-reset"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302 and known.url == unknown.url
    sent = client.get(known.url)
    assert b"If the address you entered belongs to a SaferPlan account" in sent.content
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["viewer@example.org"]
    assert mailoutbox[0].subject == "Reset your SaferPlan password"
    link = re.search(r"http://testserver(/password-reset/\S+/)", mailoutbox[0].body).group(1)
    choose = client.get(link, follow=True)
    assert choose.status_code == 200 and b"Choose a new password" in choose.content
    form_url = choose.redirect_chain[-1][0]
    saved = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert saved.status_code == 302 and saved.url == reverse("password-reset-complete")
    assert b"Your password has been reset" in client.get(saved.url).content
    assert django_user_model.objects.get(username="viewer-user").check_password(NEW_PASSWORD)
    used = client.get(link, follow=True)
    assert b"This link does not work" in used.content, "a link works once"


def test_password_reset_says_the_same_for_any_address_and_limits_emails(users, demo, mailoutbox, settings):
    users["viewer"].email = "viewer@example.org"
    users["viewer"].save()
    client = Client()
    bad = client.post(reverse("password-reset"), {"email": "not an address"})
    assert bad.status_code == 200 and b"Enter an email address in the correct format" in bad.content
    for _ in range(settings.PASSWORD_RESETS_PER_HOUR + 2):
        response = client.post(reverse("password-reset"), {"email": "viewer@example.org"})
        assert response.status_code == 302 and response.url == reverse("password-reset-sent")
    assert len(mailoutbox) == settings.PASSWORD_RESETS_PER_HOUR, "no more than this an hour to one address"


# Request bodies -----------------------------------------------------------------------------------------------


class BodyRead(AssertionError):
    pass


@pytest.fixture
def body_never_read():
    """Fails the request if anything parses or reads its body."""
    from django.http import HttpRequest
    from django.http.multipartparser import MultiPartParser

    calls = []
    load, parse = HttpRequest._load_post_and_files, MultiPartParser.parse

    def refuse(what):
        calls.append(what)
        raise BodyRead(f"the request body was read ({what})")

    def load_post_and_files(request):
        if request.method == "POST":
            refuse("POST")
        return load(request)

    def read(request, *args, **kwargs):
        if request.method == "POST":
            refuse("body")
        return original_read(request, *args, **kwargs)

    original_read = HttpRequest.read
    with (
        mock.patch.object(HttpRequest, "_load_post_and_files", load_post_and_files),
        mock.patch.object(HttpRequest, "read", read),
        mock.patch.object(MultiPartParser, "parse", lambda self: refuse("multipart") or parse(self)),
    ):
        yield calls


def test_an_anonymous_upload_is_not_read_before_the_redirect_to_sign_in(demo, body_never_read):
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("login"))  # a CSRF cookie, as an attacker would have: the CSRF check reads the body
    assert "csrftoken" in client.cookies
    upload = io.BytesIO(b"x" * (3 * 1024 * 1024))
    upload.name = "2016-03-durham-street.csv"
    for url in (reverse("police-overview"), reverse("objective-create", args=[demo.slug])):
        response = client.post(url, {"file": upload, "title": "x"})
        assert response.status_code == 302 and response.url.startswith(reverse("login")), url
        upload.seek(0)
    response = client.post(
        reverse("search"), "q=" + "x" * 100_000, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 302
    assert body_never_read == []
    assert PoliceImport.objects.count() == 0


def test_a_body_over_the_limit_is_refused_unread_even_when_signed_in(
    users, settings, client, body_never_read
):
    settings.MAX_REQUEST_BODY_BYTES = 1024 * 1024
    client.force_login(users["analyst"])
    upload = io.BytesIO(b"x" * (2 * 1024 * 1024))
    upload.name = "2016-03-durham-street.csv"
    response = client.post(reverse("police-overview"), {"file": upload})
    assert response.status_code == 413 and b"The file is too big" in response.content
    assert b"up to 1 MB" in response.content
    assert body_never_read == []


def test_sign_in_and_password_reset_still_take_a_body_from_anyone(users, demo):
    client = Client()
    assert client.post(reverse("login"), {"username": "viewer-user", "password": PASSWORD}).status_code == 302
    assert Client().post(reverse("password-reset"), {"email": "a@example.org"}).status_code == 302


# Report renders -----------------------------------------------------------------------------------------------


def test_report_renders_are_limited_per_person(users, demo, settings, client):
    settings.REPORT_RENDERS_PER_MINUTE = 2
    rendered = []

    def fake_render(document, fmt):
        rendered.append(fmt)
        return b"%PDF-1.7"

    client.force_login(users["viewer"])
    with mock.patch("saferplan.reports.render.render", fake_render):
        responses = [client.get(reverse("report-plan"), {"format": "pdf"}) for _ in range(3)]
        assert [r.status_code for r in responses] == [200, 200, 429]
        refused = responses[-1]
        assert refused["Retry-After"] == "60"
        assert "You can download up to 2 report files a minute" in refused.content.decode()
        assert client.get(reverse("report-plan")).status_code == 200, "the page on screen is not limited"
        client.force_login(users["board_member"])
        assert client.get(reverse("report-plan"), {"format": "pdf"}).status_code == 200, (
            "limits are per person"
        )
    assert rendered == ["pdf"] * 3


# Import errors ------------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_an_import_error_names_the_uploaded_file_never_a_server_path(demo, users, client, settings):
    from saferplan.police import jobs

    client.force_login(users["analyst"])
    bad = io.BytesIO(b"Crime ID,Month\nx,2016-04\n")
    bad.name = "2016-04-durham-street.csv"
    response = client.post(reverse("police-overview"), {"file": bad})
    assert response.status_code == 302
    jobs.wait_for_imports()
    failed = client.get(response.url, {"format": "json"}).json()
    assert failed["status"] == "failed"
    assert "line 1, 2016-04-durham-street.csv, header: " in failed["message"], failed["message"]
    assert str(settings.DATA_DIR) not in failed["message"] and "uploads" not in failed["message"]
    page = client.get(response.url).content.decode()
    assert str(settings.DATA_DIR) not in page

    def crash(files, **kwargs):
        raise OSError(f"[Errno 28] No space left on device: '{settings.DATA_DIR}/police/store/x.parquet'")

    with mock.patch("saferplan.police.services.police_import", crash):
        good = io.BytesIO(b"Crime ID,Month\n")
        good.name = "2016-05-durham-street.csv"
        response = client.post(reverse("police-overview"), {"file": good})
        jobs.wait_for_imports()
    failed = client.get(response.url, {"format": "json"}).json()
    assert failed["status"] == "failed" and "unexpected error (OSError)" in failed["message"]
    assert str(settings.DATA_DIR) not in failed["message"]
