"""The guided flow in Chromium: the ownership step with the searchable people picker, and Enter in
a single-line field saving and going on (never back)."""

import pytest
from playwright.sync_api import Page, expect

from governance.models import DecisionRight
from pilots.models import Pilot, PilotRole
from tests.pilots.factories import UserFactory
from tests.pilots.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
Kind = PilotRole.Kind


def pick(page: Page, field_id: str, typed: str) -> None:
    """Type part of a name into the picker next to `field_id` and press Enter."""
    search = page.locator(f"#{field_id}").locator("xpath=ancestor::*[@data-people-picker]")
    search.locator("[data-people-search]").fill(typed)
    search.locator("[data-people-search]").press("Enter")


def test_a_manager_names_owners_by_typing_and_enter_always_goes_forward(page: Page, live_server):
    UserFactory(username="maria", first_name="Maria", last_name="Lopez")
    people = {
        name: UserFactory(
            username=name.split()[0].lower(), first_name=name.split()[0], last_name=name.split()[1]
        )
        for name in ("Priya Shah", "Tom Berg", "Ana Silva", "Lee Chan", "Sam Ortiz", "Kim Park")
    }
    sign_in(page, live_server.url, "maria")
    page.get_by_role("link", name="New pilot").first.click()
    page.fill("#id_name", "Invoice summaries")
    page.locator("#id_name").press("Enter")  # Enter in step 1 saves and goes on

    expect(page.get_by_role("heading", name="Who owns it")).to_be_visible()
    # The creator is offered as business owner; everyone else is picked by typing a name.
    expect(page.locator("#id_business_owner-primary option:checked")).to_have_text("Maria Lopez")
    pick(page, "id_business_owner-backup", "tom")
    pick(page, "id_technical_owner-primary", "pri sh")
    pick(page, "id_technical_owner-backup", "maria")
    pick(page, "id_reviewer-primary", "ana")
    pick(page, "id_reviewer-backup", "lee")
    pick(page, "id_reviewer-members", "kim")  # the group is a list of names with checkboxes
    pick(page, "id_stop_authority-primary", "sam")
    pick(page, "id_stop_authority-backup", "priya")
    page.fill("#id_stop_authority-response_minutes", "2 h")
    page.locator("#id_stop_authority-response_minutes").press("Enter")

    expect(page.get_by_role("heading", name="The job")).to_be_visible()
    pilot = Pilot.objects.get(name="Invoice summaries")
    roles = {role.kind: role for role in pilot.roles.prefetch_related("members")}
    assert roles[Kind.TECHNICAL_OWNER].primary == people["Priya Shah"]
    assert roles[Kind.BUSINESS_OWNER].backup == people["Tom Berg"]
    assert [m.username for m in roles[Kind.REVIEWER].members.all()] == ["kim"]
    assert roles[Kind.STOP_AUTHORITY].primary == people["Sam Ortiz"]
    assert roles[Kind.STOP_AUTHORITY].response_minutes == 120
    assert DecisionRight.objects.filter(pilot=pilot).count() == len(DecisionRight.Kind.values)

    page.fill("#id_trigger", "an invoice arrives in the inbox.")
    page.get_by_role("button", name="Save and continue").click()

    # In a list field Enter adds the next row instead of leaving the step.
    expect(page.get_by_role("heading", name="Never, skip and override")).to_be_visible()
    never_do = page.locator("#field-never_do input")
    never_do.first.fill("Approve payments")
    never_do.first.press("Enter")
    expect(never_do.nth(1)).to_be_focused()
    page.keyboard.type("Change supplier bank details")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", name="Handoff rule")).to_be_visible()
    page.fill("#id_handoff_conditions", "the supplier is new.")
    page.fill("#id_handoff_receiver", "the accounts payable team")
    page.locator("#id_handoff_receiver").press("Enter")
    expect(page.get_by_role("heading", name="Fallback path")).to_be_visible()
    pilot.refresh_from_db()
    assert pilot.trigger == "an invoice arrives in the inbox."
    assert pilot.never_do == ["Approve payments", "Change supplier bank details"]
    assert pilot.handoff_receiver == "the accounts payable team"
