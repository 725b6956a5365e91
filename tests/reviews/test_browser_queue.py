"""The review queue in Chromium: a reviewer scores a drawn sample with the keyboard only, and the
week's figures match the scores."""

from datetime import timedelta
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from reviews.models import QueueItem, Sample
from reviews.services.draw import review_week_draw
from tests.reviews.factories import ReviewWeekFactory, SampleFactory
from tests.reviews.queue_helpers import candidate

from .test_browser import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reviewer_scores_the_drawn_sample_by_keyboard_and_the_figures_match(
    page, browser_base_url, pilot, people, settings
):
    settings.PILOTDECK_AGREEMENT_PERCENT = 0
    week = ReviewWeekFactory(pilot=pilot, target_size=2)
    # The pilot's manual baseline, from an earlier week's sample: the queue prefills it.
    previous = ReviewWeekFactory(pilot=pilot, week_start=week.week_start - timedelta(days=7))
    SampleFactory(week=previous, minutes_with_ai=Decimal("2"), manual_minutes=Decimal("8"))
    for n, user in enumerate(["ana", "ben"]):
        candidate(pilot, n, day=week.week_start - timedelta(days=2 + n), user=user)
    review_week_draw(week=week, by=people["reviewer"], seed=3)

    sign_in(page, browser_base_url, people["reviewer"].username)
    page.goto(f"{browser_base_url}/pilots/{pilot.pk}/reviews/{week.iso_week}/queue/")
    expect(page.get_by_test_id("queue-progress")).to_contain_text("0 of 2")
    expect(page.get_by_test_id("queue-keys")).to_contain_text("A clean item")

    # A clean item: two keys.
    page.keyboard.press("s")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("queue-progress")).to_contain_text("1 of 2")

    # The second fails on tone: the key, the reason, Esc, the outcome, Enter.
    page.keyboard.press("t")
    page.keyboard.type("Too curt for a customer")
    page.keyboard.press("Escape")
    page.keyboard.press("e")
    page.keyboard.press("Enter")
    expect(page.get_by_test_id("queue-progress")).to_contain_text("2 of 2")
    expect(page.get_by_test_id("queue-done")).to_be_visible()

    samples = Sample.objects.filter(week=week).order_by("created_at")
    assert [s.outcome for s in samples] == ["sent_as_is", "minor_edit"]
    assert [s.tone_ok for s in samples] == [True, False]
    assert samples[1].tone_note == "Too curt for a customer"
    assert {s.reference for s in samples} == set(
        QueueItem.objects.filter(week=week).values_list("reference", flat=True)
    )

    page.goto(f"{browser_base_url}/pilots/{pilot.pk}/reviews/{week.iso_week}/")
    figures = page.get_by_test_id("week-figures")
    expect(figures.locator('[data-figure="samples"]')).to_have_text("2 of 2")
    expect(figures.locator('[data-figure="error-rate"]')).to_have_text("50.0%")
    expect(figures.locator('[data-figure="correction-rate"]')).to_have_text("50.0%")
    expect(figures.locator('[data-figure="minutes-saved"]')).to_have_text("6.0")
