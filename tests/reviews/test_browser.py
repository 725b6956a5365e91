"""A reviewer's week in Chromium: three samples from the keyboard, then a stop-now report."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from pilots.models import Pilot
from reviews.models import ErrorEntry, Sample
from reviews.weeks import week_label

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base_url}/")


def focused(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.name")


def tab_to(page, name: str) -> None:
    """Move the focus with Tab only (a date input takes several presses) until `name` has it."""
    for _ in range(40):
        if focused(page) == name:
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name}; the focus is on {focused(page)}")


def test_reviewer_logs_three_samples_by_keyboard_then_reports_a_stop_now_error(
    page, browser_base_url, pilot, people
):
    base = browser_base_url
    sign_in(page, base, people["reviewer"].username)
    label = week_label(timezone.localdate())
    page.goto(f"{base}/pilots/{pilot.pk}/reviews/{label}/")
    page.evaluate("window.__noReload = true")  # gone if the page reloads
    samples = page.locator('[data-figure="samples"]')
    expect(samples).to_have_text(f"0 of {pilot.review_sample_size}")

    # First row: everything typed; Enter saves from the minutes field.
    expect(page.locator("#id_reference")).to_be_focused()
    page.keyboard.type("T-1001")
    tab_to(page, "produced_by")
    page.keyboard.type("ana")
    tab_to(page, "case")
    page.keyboard.press("m")  # Messy
    tab_to(page, "outcome")
    page.keyboard.press("s")  # Sent as-is
    tab_to(page, "minutes_with_ai")
    page.keyboard.type("2")
    tab_to(page, "manual_minutes")
    page.keyboard.type("6")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sample-saved")).to_contain_text("T-1001")
    expect(samples).to_have_text(f"1 of {pilot.review_sample_size}")

    # Second row: the day, the person and the manual minutes are carried; the judgements are not.
    expect(page.locator("#id_reference")).to_be_focused()
    page.keyboard.type("T-1002")
    tab_to(page, "produced_by")
    page.keyboard.press("Control+a")
    page.keyboard.type("ben")
    tab_to(page, "case")
    page.keyboard.press("e")  # Easy
    tab_to(page, "outcome")
    page.keyboard.press("s")
    tab_to(page, "minutes_with_ai")
    page.keyboard.type("3")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sample-saved")).to_contain_text("T-1002")
    expect(samples).to_have_text(f"2 of {pilot.review_sample_size}")

    # Third row: accuracy fails, with its reason; saved from the reason field.
    expect(page.locator("#id_reference")).to_be_focused()
    page.keyboard.type("T-1003")
    tab_to(page, "accuracy_ok")
    page.keyboard.press("Space")  # untick: fails
    tab_to(page, "accuracy_note")
    page.keyboard.type("quoted the wrong order number")
    tab_to(page, "outcome")
    page.keyboard.press("m")  # Minor edit
    tab_to(page, "minutes_with_ai")
    page.keyboard.type("4")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("sample-saved")).to_contain_text("T-1003")

    expect(samples).to_have_text(f"3 of {pilot.review_sample_size}")
    expect(page.locator('[data-figure="error-rate"]')).to_have_text("33.3%")
    expect(page.locator('[data-figure="coverage"]')).to_contain_text("2 people")
    expect(page.locator("#week-samples tbody tr")).to_have_count(3)
    assert page.evaluate("window.__noReload") is True
    assert sorted(Sample.objects.values_list("produced_by", flat=True)) == [
        "ana",
        "ben",
        "ben",
    ]  # carried

    # Report bad output from the pilot page: one required field, and stop-now.
    page.goto(f"{base}/pilots/{pilot.pk}/")
    expect(page.get_by_test_id("pilot-status")).to_have_text("Piloting")
    page.get_by_test_id("report-bad-output").click()
    what = page.locator("#id_what_went_wrong")
    expect(what).to_be_focused()
    what.fill("The draft showed another customer's order history.")
    page.locator('input[name="severity"][value="stop_now"]').check()
    page.get_by_role("button", name="Report").click()

    expect(page.get_by_test_id("pilot-status")).to_have_text("Paused")
    banner = page.get_by_test_id("stop-now-errors")
    expect(banner).to_contain_text("another customer's order history")
    # On top of the page, right under the status line.
    assert (
        page.evaluate("document.getElementById('status-panel').nextElementSibling.id")
        == "stop-now-errors"
    )
    entry = ErrorEntry.objects.get()
    assert (entry.severity, entry.paused_pilot, entry.reported_by) == (
        "stop_now",
        True,
        people["reviewer"],
    )
    assert Pilot.objects.get(pk=pilot.pk).status == Pilot.Status.PAUSED
