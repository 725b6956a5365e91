"""The stop authority sees the alert on the pilot page and resumes the pilot, in Chromium."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from costs.services import cost_entry_create
from governance.services import pilots_evaluate
from pilots.models import Pilot
from tests.fixtures import staff_pilot
from tests.governance.test_evaluation import govern
from tests.pilots.factories import PilotFactory
from tests.pilots.test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_stop_authority_sees_the_alert_and_resumes_with_a_reason(
    page: Page, live_server, people
):
    pilot = PilotFactory(name="Support drafts", monthly_cap=Decimal("100.00"), alert_thresholds=[])
    staff_pilot(pilot, people)
    govern(pilot, people)
    cost_entry_create(
        by=people["owner"],
        pilot=pilot,
        date=timezone.localdate(),
        category="model_api",
        amount=Decimal("140.00"),
    )
    pilots_evaluate(pilot_ids=[pilot.pk])

    sign_in(page, live_server.url, people["stopper"].username)
    page.goto(f"{live_server.url}/pilots/{pilot.pk}/")
    expect(page.get_by_test_id("pilot-status")).to_have_text("Paused")
    alert = page.get_by_test_id("alert").first
    expect(alert).to_contain_text("over the monthly cap")
    expect(alert).to_contain_text("paused the pilot")

    page.get_by_text("Change status").click()
    page.select_option("select[name=status]", "piloting")
    page.fill("textarea[name=reason]", "Finance approved a higher cap for this month.")
    page.get_by_role("button", name="Record the change").click()

    expect(page.get_by_test_id("pilot-status")).to_have_text("Piloting")
    history = page.locator("#section-status-history")
    expect(history).to_contain_text("Piloting → Paused by rule “spend_over_cap”")
    expect(history).to_contain_text("Paused → Piloting by")
    expect(history).to_contain_text("Finance approved a higher cap for this month.")
    assert Pilot.objects.get(pk=pilot.pk).status == Pilot.Status.PILOTING
