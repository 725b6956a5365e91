import pytest

from demo import company, reviews_data
from pilots.models import Pilot
from reviews import selectors
from reviews.models import ErrorEntry, ReviewWeek, Sample

pytestmark = pytest.mark.django_db


def test_review_demo_data_loads_once_and_keeps_the_pilot_running(monkeypatch):
    monkeypatch.setattr(company, "DEMO_EXTENSIONS", [reviews_data.load])
    company.load_demo_company()
    counts = (ReviewWeek.objects.count(), Sample.objects.count(), ErrorEntry.objects.count())

    company.load_demo_company()

    assert (
        ReviewWeek.objects.count(),
        Sample.objects.count(),
        ErrorEntry.objects.count(),
    ) == counts
    support = Pilot.objects.get(name=reviews_data.SUPPORT)
    assert support.status == Pilot.Status.PILOTING
    figures = selectors.weekly_figures(pilot=support)
    assert [figure.closed for figure in figures] == [True, True, True, True, False]
    assert figures[0].error_rate > figures[3].error_rate  # the prompt change helped
    assert selectors.serious_repeats(pilot_ids=[support.pk]) == {support.pk: 0}
    assert ErrorEntry.objects.filter(pilot=support, repeat_of__isnull=False).count() == 1
    sales = Pilot.objects.get(name=reviews_data.SALES)
    assert selectors.weekly_figures(pilot=sales)[0].coverage_warnings
