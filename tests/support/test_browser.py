"""In Chromium: an employee asks "Can I use this tool with this data?", files a new use-case
request, and the Business lane's owner approves it into a draft pilot."""

import pytest
from playwright.sync_api import Page, expect

from pilots.models import Pilot, PilotRole
from support.models import UseCaseRequest
from tests.pilots.factories import UserFactory

from .factories import CompanyLaneFactory, company_guardrails

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Pilots")).to_be_visible()


def test_an_employee_asks_files_a_request_and_a_lane_owner_approves_it(page: Page, live_server):
    internal = company_guardrails()["internal"]
    UserFactory(username="ana", first_name="Ana", last_name="Ruiz")
    maria = UserFactory(username="maria", first_name="Maria", last_name="Lopez")
    CompanyLaneFactory(kind=PilotRole.Kind.LANE_BUSINESS, primary=maria)

    sign_in(page, live_server.url, "ana")
    page.goto(f"{live_server.url}/can-i-use/")
    page.fill("#id_tool", "Order lookup")
    page.select_option("#id_data_class", label="Personal")
    page.get_by_role("button", name="Ask").click()
    answer = page.get_by_test_id("answer")
    expect(answer).to_contain_text("No. Order lookup is not approved for Personal data.")
    expect(answer).to_contain_text("Approved for Personal data instead: Help-center search.")
    assert "data_class=" in page.url  # the answer has its own address

    page.select_option("#id_data_class", label="Internal")
    page.get_by_role("button", name="Ask").click()
    expect(page.get_by_test_id("answer")).to_contain_text(
        "Yes. Order lookup is approved for Internal data."
    )

    page.goto(f"{live_server.url}/use-cases/new/?tool=Order+lookup")
    expect(page.locator("#id_tool")).to_have_value("Order lookup")
    page.fill("#id_name", "Order status replies")
    page.fill("#id_task", "Draft replies to order-status questions from the order data.")
    page.fill("#id_team_name", "Customer Support")
    page.check(f"input[name=data_classes][value='{internal.pk}']")
    page.check("input[name=use_areas][value=client_facing]")
    page.get_by_role("button", name="Send the request").click()

    expect(page.get_by_test_id("request-status")).to_have_text("Waiting for approval")
    expect(page.get_by_test_id("approval-path")).to_contain_text("Business team lane — Maria Lopez")
    expect(page.get_by_role("button", name="Approve")).to_have_count(0)  # not for the requester

    sign_in(page, live_server.url, "maria")
    page.goto(f"{live_server.url}/use-cases/")
    row = page.get_by_test_id("use-case-table").locator("tr", has_text="Order status replies")
    expect(row).to_contain_text("waiting for you")
    row.get_by_role("link", name="Order status replies").click()
    page.fill("#id_note", "Internal order data only.")
    page.get_by_role("button", name="Approve").click()

    expect(page.get_by_test_id("request-status")).to_have_text("Approved")
    expect(page.get_by_test_id("request-pilot")).to_contain_text("Ana Ruiz as its business owner")
    request = UseCaseRequest.objects.get(name="Order status replies")
    pilot = Pilot.objects.get(pk=request.pilot_id)
    assert pilot.status == Pilot.Status.DRAFT
    assert (pilot.tools, pilot.data_sources, pilot.use_areas) == (
        ["Order lookup"],
        ["Internal"],
        ["client_facing"],
    )

    sign_in(page, live_server.url, "ana")
    page.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    expect(page.get_by_role("heading", name="Order status replies")).to_be_visible()
    expect(page.get_by_test_id("pilot-status")).to_have_text("Draft")
    expect(page.locator("#section-setup")).to_contain_text("It may use Order lookup.")
    expect(page.get_by_test_id("tool-status")).to_contain_text(
        "Order lookup: approved for Internal data"
    )
