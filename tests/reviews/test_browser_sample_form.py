"""The sample row in Chromium: a major rewrite does not carry to the next sample, the day is one
key, a score is one key, and a mis-logged sample is corrected in place."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reviews.models import Sample
from reviews.weeks import week_label

from .test_browser import focused, sign_in, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_second_sample_starts_with_outcome_scores_and_ai_minutes_reset(
    page, browser_base_url, pilot, people
):
    sign_in(page, browser_base_url, people["reviewer"].username)
    label = week_label(timezone.localdate())
    page.goto(f"{browser_base_url}/pilots/{pilot.pk}/reviews/{label}/")

    page.keyboard.type("T-2001")
    page.keyboard.press("Tab")
    assert focused(page) == "produced_on"  # one Tab stop for the day
    page.keyboard.press("1")  # Monday
    expect(page.locator('input[name="produced_on"]').first).to_be_checked()
    tab_to(page, "produced_by")
    page.keyboard.type("ana")
    tab_to(page, "accuracy_ok")
    page.keyboard.press("Space")
    tab_to(page, "accuracy_note")
    page.keyboard.type("wrong refund rule")
    page.select_option("#id_outcome", "major_rewrite")
    page.fill("#id_minutes_with_ai", "9")
    page.fill("#id_manual_minutes", "6")
    page.locator("#id_manual_minutes").press("Enter")
    expect(page.get_by_test_id("sample-saved")).to_contain_text("T-2001")

    expect(page.locator("#id_outcome")).to_have_value("")
    expect(page.locator("#id_minutes_with_ai")).to_have_value("")
    expect(page.locator("#id_manual_minutes")).to_have_value("6")
    for name in ("accuracy_ok", "tone_ok", "completeness_ok"):
        expect(page.locator(f'input[type="checkbox"][name="{name}"]')).to_be_checked()

    # Saving without choosing the outcome is refused at the field, not saved as a rewrite.
    page.keyboard.type("T-2002")
    page.fill("#id_minutes_with_ai", "2")
    page.locator("#id_minutes_with_ai").press("Enter")
    expect(page.locator("#id_outcome:invalid")).to_have_count(1)
    expect(page.locator("#week-samples tbody tr")).to_have_count(1)
    assert Sample.objects.count() == 1

    # Correct the first one in place: it was really sent as-is.
    page.get_by_test_id("sample-edit").first.click()
    expect(page.get_by_test_id("sample-editing")).to_contain_text("T-2001")
    page.select_option("#id_outcome", "sent_as_is")
    page.locator("#sample-form button[type=submit]").click()
    expect(page.get_by_test_id("sample-corrected")).to_contain_text("T-2001")
    assert Sample.objects.get().outcome == Sample.Outcome.SENT_AS_IS
