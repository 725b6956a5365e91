"""The one page joins typed text into its sentences as a person would; response times read as people say them."""

import pytest

from common.templatetags.pilotdeck import full_stop, midsentence
from pilots.form_fields import format_minutes, parse_minutes


@pytest.mark.parametrize(
    ("typed", "joined"),
    [
        ("A customer submits a refund", "a customer submits a refund"),
        ("The refunds queue", "the refunds queue"),
        ("SAP exports a file", "SAP exports a file"),
        ("CRM-export lands", "CRM-export lands"),
        ("I forward it", "I forward it"),
        ("already lower", "already lower"),
    ],
)
def test_typed_text_joins_a_sentence_without_its_capital(typed, joined):
    assert midsentence(typed) == joined


def test_a_clause_ends_with_a_full_stop_once():
    assert full_stop("a ticket lands") == "a ticket lands."
    assert full_stop("a ticket lands.") == "a ticket lands."


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [("90", 90), ("90 min", 90), ("2 h", 120), ("1 day", 1440), ("1 h 30 min", 90), ("1.5 h", 90)],
)
def test_response_times_accept_minutes_hours_and_days(typed, minutes):
    assert parse_minutes(typed) == minutes


@pytest.mark.parametrize("typed", ["soon", "2 weeks", "0.5 min"])
def test_a_response_time_that_is_not_a_time_is_refused(typed):
    with pytest.raises(ValueError):
        parse_minutes(typed)


@pytest.mark.parametrize(("minutes", "shown"), [(90, "90 min"), (120, "2 h"), (2880, "2 days")])
def test_response_times_show_in_the_largest_exact_unit(minutes, shown):
    assert format_minutes(minutes) == shown
