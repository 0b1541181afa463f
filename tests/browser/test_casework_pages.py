"""Every casework page in chromium, at desktop and phone width: axe (WCAG 2.2 AA) passes and nothing scrolls
sideways at 375 px. The records are a caseload the signed-in caseworker leads or recorded (so every record page
opens as of right); the administrator's and analyst's pages are checked as them."""

import pytest
from django.urls import reverse

from saferplan.casework.urls import urlpatterns
from tests.browser.test_phone_and_print import DESKTOP, PHONE, fits
from tests.casework.factories import casework_args
from tests.web.test_permissions import MATRIX

pytestmark = [pytest.mark.browser, pytest.mark.postgres_pass, pytest.mark.django_db(transaction=True)]


def pages_for(role: str, demo) -> list[str]:
    names = [p.name for p in urlpatterns if role in MATRIX[p.name]]
    return [reverse(name, args=casework_args(demo, name)) for name in names]


@pytest.mark.parametrize(
    "username, role",
    [("caseworker-user", "caseworker"), ("administrator-user", "administrator"), ("analyst-user", "analyst")],
)
def test_casework_pages_pass_axe_at_both_widths(browse, users, demo, username, role):
    pages = pages_for(role, demo)
    assert pages, role
    page = browse.page
    browse.sign_in(username)
    problems = []  # every page's problem, not only the first
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        for url in pages:
            try:
                browse.visit(url)
            except AssertionError as error:
                problems.append(f"{size['width']} px: {error}")
                continue
            if size is PHONE:
                ok, why = fits(page)
                if not ok:
                    problems.append(why)
    assert not problems, "\n".join(problems)
