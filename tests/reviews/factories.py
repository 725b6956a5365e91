from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from reviews.models import ErrorEntry, FailureMode, ReviewWeek, Sample
from reviews.weeks import monday_of
from tests.pilots.factories import PilotFactory


def last_monday():
    """The Monday of last week: every day of that week is in the past."""
    return monday_of(timezone.localdate()) - timedelta(days=7)


class ReviewWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewWeek

    pilot = factory.SubFactory(PilotFactory)
    week_start = factory.LazyFunction(last_monday)
    target_size = 20


class SampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sample

    week = factory.SubFactory(ReviewWeekFactory)
    pilot = factory.LazyAttribute(lambda sample: sample.week.pilot)
    reference = factory.Sequence(lambda n: f"T-{1000 + n}")
    produced_on = factory.LazyAttribute(lambda sample: sample.week.week_start)
    produced_by = "ana"
    case = Sample.Case.EASY
    outcome = Sample.Outcome.SENT_AS_IS
    minutes_with_ai = Decimal("2.0")
    manual_minutes = Decimal("6.0")


class FailureModeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FailureMode
        django_get_or_create = ("pilot", "slug")

    pilot = factory.SubFactory(PilotFactory)
    label = "Wrong delivery date"
    slug = factory.LazyAttribute(lambda mode: mode.label.lower().replace(" ", "-"))


class ErrorEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ErrorEntry

    pilot = factory.SubFactory(PilotFactory)
    what_went_wrong = factory.Sequence(
        lambda n: f"The draft promised a refund we do not give ({n})."
    )
    severity = ErrorEntry.Severity.LOW
