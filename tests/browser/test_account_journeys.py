"""Your own account in chromium: changing your password, and resetting a forgotten one by email. Every page
reached passes axe, at desktop width and at a phone's; the Content-Security-Policy blocks nothing the pages
need (the browser reports any violation on the console)."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "a-brand-new-passphrase-for-2017"
PHONE = {"width": 375, "height": 812}


def csp_violations(page) -> list[str]:
    found: list[str] = []
    page.on(
        "console",
        lambda message: found.append(message.text) if "Content Security Policy" in message.text else None,
    )
    return found


def error_summary(page):
    return page.locator(".govuk-error-summary")


def test_change_your_password(browse, users, axe_check):
    page = browse.page
    violations = csp_violations(page)
    browse.sign_in("analyst-user")
    nav = page.get_by_role("navigation", name="Menu")
    browse.click(nav.get_by_role("link", name="Change your password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Change your password")

    browse.submit(page.get_by_role("button", name="Change password"))
    expect(error_summary(page).get_by_role("link", name="Enter your current password")).to_be_visible()
    expect(error_summary(page).get_by_role("link", name="Enter a new password")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: Change your password"))

    page.get_by_label("Current password", exact=True).fill("not-the-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill(NEW_PASSWORD)
    browse.submit(page.get_by_role("button", name="Change password"))
    expect(error_summary(page)).to_contain_text("Your current password is not right")
    page.set_viewport_size(PHONE)
    axe_check(page)  # the error state at a phone's width
    page.set_viewport_size({"width": 1280, "height": 720})

    page.get_by_label("Current password", exact=True).fill("a-long-test-password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill(NEW_PASSWORD)
    browse.submit(page.get_by_role("button", name="Change password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")

    browse.submit(page.get_by_role("button", name="Sign out"))
    browse.sign_in("analyst-user", NEW_PASSWORD)
    expect(page.get_by_text("Signed in as analyst-user")).to_be_visible()
    assert violations == []


def test_reset_a_forgotten_password(browse, users, axe_check, mailoutbox):
    users["viewer"].email = "viewer@example.org"
    users["viewer"].save()
    page = browse.page
    violations = csp_violations(page)
    page.set_viewport_size(PHONE)
    browse.visit("/sign-in/")
    browse.click(page.get_by_role("link", name="Forgotten your password?"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Reset your password")

    browse.submit(page.get_by_role("button", name="Send the link"))
    expect(error_summary(page).get_by_role("link", name="Enter your email address")).to_be_visible()
    page.get_by_label("Email address").fill("viewer@example.org")
    browse.submit(page.get_by_role("button", name="Send the link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    link = re.search(r"https?://[^/\s]+(/password-reset/\S+/)", mailoutbox[0].body).group(1)
    page.set_viewport_size({"width": 1280, "height": 720})
    browse.visit(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill("something-else-entirely")
    browse.submit(page.get_by_role("button", name="Save the new password"))
    expect(error_summary(page)).to_contain_text("The two new passwords do not match")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password", exact=True).fill(NEW_PASSWORD)
    browse.submit(page.get_by_role("button", name="Save the new password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been reset")

    browse.click(page.get_by_role("link", name="Sign in"))
    page.get_by_label("Username").fill("viewer-user")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    browse.submit(page.get_by_role("button", name="Sign in"))
    expect(page.get_by_text("Signed in as viewer-user")).to_be_visible()
    browse.visit(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert violations == []
