"""Chromium signs in through the live identity provider's own login page (tests/oidc_provider)."""

import pytest
from playwright.sync_api import Page, expect

from tests.accounts.conftest import FINANCE_GROUP, PROVIDER_NAME
from tests.costs.factories import record_cost
from tests.fixtures import staff_pilot
from tests.oidc_provider.live import PASSWORD
from tests.pilots.factories import PilotFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in_at_provider(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    expect(page.get_by_role("heading", name="Acme ID")).to_be_visible()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Continue to Pilotdeck").click()
    page.wait_for_url(f"{base_url}/")


def test_a_finance_member_lands_with_finance_rights_and_loses_them_once_removed(
    page: Page, live_server, sso, people
):
    pilot = PilotFactory(name="Support drafts")
    staff_pilot(pilot, people)
    record_cost(pilot, people["owner"], amount="5.40")
    sso.person(
        "nina", email="nina@acme.test", first_name="Nina", last_name="Berg", groups=[FINANCE_GROUP]
    )

    sign_in_at_provider(page, live_server.url, "nina")
    expect(page.locator(".who")).to_have_text("Nina Berg")
    page.get_by_role("link", name="Finance").click()
    expect(page.get_by_text("Every pilot's costs.")).to_be_visible()
    expect(page.locator("#table-caps tbody tr")).to_have_count(1)
    expect(page.locator("#table-caps tbody tr").first).to_contain_text("Support drafts")

    # Sign-out ends the provider's session too: signing in again asks for the password again.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url(f"{live_server.url}/accounts/login/")
    sso.person("nina", email="nina@acme.test", first_name="Nina", last_name="Berg", groups=[])
    sign_in_at_provider(page, live_server.url, "nina")
    page.get_by_role("link", name="Finance").click()
    expect(page.get_by_text("Costs of the pilots you have a role on.")).to_be_visible()
    expect(page.locator("#table-caps tbody tr")).to_have_count(0)


def test_with_local_login_off_a_password_is_refused_and_break_glass_gets_in(
    page: Page, live_server, sso, settings
):
    settings.PILOTDECK_LOCAL_LOGIN = False
    settings.PILOTDECK_BREAK_GLASS_USERNAME = "breakglass"
    UserFactory(username="maria")
    UserFactory(username="breakglass", is_superuser=True, is_staff=True)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_test_id("local-login-off")).to_contain_text(
        f"Password sign-in is switched off: sign in with {PROVIDER_NAME}."
    )
    page.fill("#id_username", "maria")
    page.fill("#id_password", "pw-for-tests")
    page.get_by_role("button", name="Break-glass sign-in").click()
    expect(page.locator(".errors")).to_contain_text("Password sign-in is switched off")

    page.fill("#id_username", "breakglass")
    page.fill("#id_password", "pw-for-tests")
    page.get_by_role("button", name="Break-glass sign-in").click()
    page.wait_for_url(f"{live_server.url}/")
    expect(page.get_by_role("link", name="Admin")).to_be_visible()
