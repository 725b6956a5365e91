"""A manager writes a one-page model in Chromium: guided flow, an error kept, in-place edit, print."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from pilots.models import Pilot
from tests.pilots.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base_url: str, username: str, password: str = "pw-for-tests") -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.get_by_role("heading", name="Pilots")).to_be_visible()


def test_manager_writes_a_pilot_edits_the_handoff_in_place_and_prints_it(page: Page, live_server):
    UserFactory(username="maria", first_name="Maria", last_name="Lopez")
    sign_in(page, live_server.url, "maria")

    page.get_by_role("link", name="New pilot").first.click()
    page.fill("#id_name", "Support ticket first replies")
    page.fill("#id_summary", "Draft first replies to routine support tickets.")
    page.fill("#id_new_team", "Customer Support")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Who owns it")).to_be_visible()
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="The job")).to_be_visible()
    page.fill("#id_trigger", "a routine ticket lands in the queue.")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Never, skip and override")).to_be_visible()
    never_do = page.locator("#field-never_do")
    never_do.locator("input").first.fill("Approve refunds")
    never_do.get_by_role("button", name="+ Add a row").click()
    never_do.locator("input").nth(1).fill("Change account data")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Handoff rule")).to_be_visible()
    page.fill("#id_handoff_conditions", "the order lookup fails.")
    page.fill("#id_handoff_receiver", "the tier-2 queue")
    page.fill("#id_handoff_response_minutes", "0")  # invalid: at least one minute
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator("#field-handoff_response_minutes .error")).to_be_visible()
    expect(page.locator("#id_handoff_conditions")).to_have_value("the order lookup fails.")
    expect(page.locator("#id_handoff_receiver")).to_have_value("the tier-2 queue")
    page.fill("#id_handoff_response_minutes", "120")
    page.get_by_role("button", name="Save as draft and finish later").click()

    expect(page.get_by_role("heading", name="Support ticket first replies")).to_be_visible()
    pilot = Pilot.objects.get(name="Support ticket first replies")
    assert pilot.never_do == ["Approve refunds", "Change account data"]
    assert pilot.status == Pilot.Status.DRAFT
    handoff = page.locator("#section-handoff")
    expect(handoff).to_contain_text(
        "hands the task to the tier-2 queue when the order lookup fails."
    )

    url_before = page.url
    handoff.get_by_role("link", name="Edit").click()
    page.fill("#id_handoff_conditions", "a refund or a legal threat is mentioned.")
    page.locator("#section-handoff").get_by_role("button", name="Save").click()
    expect(page.locator("#section-handoff")).to_contain_text(
        "when a refund or a legal threat is mentioned."
    )
    assert page.url == url_before  # saved in place, no reload

    page.emulate_media(media="print")
    expect(page.locator(".topbar")).to_be_hidden()
    expect(page.locator("#section-handoff .edit")).to_be_hidden()
    expect(page.locator("#section-handoff")).to_contain_text(
        "a refund or a legal threat is mentioned."
    )


def test_the_demo_one_page_prints_on_at_most_two_sheets(page: Page, live_server):
    call_command("demo_load", verbosity=0)
    sign_in(page, live_server.url, "maria", "pilotdeck-demo")
    pilot = Pilot.objects.get(name="Support ticket first replies")
    page.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    pdf = page.pdf(format="A4")
    sheets = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
    assert 1 <= sheets <= 2, f"the one page printed on {sheets} sheets"
