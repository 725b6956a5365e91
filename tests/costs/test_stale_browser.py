"""A correction of a cost entry over someone else's newer one is refused in the browser, shown
beside what was typed, and goes through only when saved again knowingly."""

import re
from decimal import Decimal as D

import pytest
from django.test import Client
from django.urls import reverse

from costs.models import CostEntry

from .factories import record_cost

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
VERSION = re.compile(r'name="version" value="(\d+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opened_version(client, url) -> str:
    page = client.get(url).content.decode()
    return VERSION.search(page).group(1)


def correction(entry, version, **fields) -> dict:
    return {
        "date": entry.date.isoformat(),
        "category": entry.category,
        "amount": "10",
        "version": version,
        **fields,
    }


def test_the_edit_form_carries_the_version_and_a_single_correction_saves(pilot, people):
    entry = record_cost(pilot, people["owner"], amount="10")
    owner = signed_in(people["owner"])
    url = reverse("costs:entry-edit", args=[entry.pk])
    version = opened_version(owner, url)
    response = owner.post(url, correction(entry, version, amount="11", note="invoice 7"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.amount == D("11") and entry.note == "invoice 7"


def test_a_stale_correction_shows_who_changed_it_keeps_the_text_and_saves_when_repeated(
    pilot, people
):
    people["finance"].first_name, people["finance"].last_name = "Fatima", "Ruiz"
    people["finance"].save()
    entry = record_cost(pilot, people["owner"], amount="10", note="first")
    url = reverse("costs:entry-edit", args=[entry.pk])
    fatima, otto = signed_in(people["finance"]), signed_in(people["owner"])
    fatima_version, otto_version = opened_version(fatima, url), opened_version(otto, url)

    saved = fatima.post(url, correction(entry, fatima_version, amount="25", note="their invoice"))
    assert saved.status_code == 302

    typed = correction(entry, otto_version, amount="99", note="my receipt")
    response = otto.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="conflict"' in page
    assert "Changed by Fatima Ruiz at" in page and "since you opened it" in page
    assert "their invoice" in page and "25" in page  # their saved version
    assert 'value="my receipt"' in page and 'value="99"' in page  # what he typed, kept
    entry.refresh_from_db()
    assert entry.amount == D("25") and entry.note == "their invoice"  # nothing saved over theirs

    current = VERSION.search(page).group(1)
    assert current != otto_version
    typed["version"] = current
    assert otto.post(url, typed).status_code == 302  # saving again knowingly replaces theirs
    entry.refresh_from_db()
    assert entry.amount == D("99") and entry.note == "my receipt"
    assert CostEntry.objects.count() == 1


def test_a_stale_correction_sent_by_htmx_gets_the_form_fragment_with_the_conflict(pilot, people):
    entry = record_cost(pilot, people["owner"], amount="10")
    url = reverse("costs:entry-edit", args=[entry.pk])
    finance, owner = signed_in(people["finance"]), signed_in(people["owner"])
    stale_version = opened_version(owner, url)
    finance.post(url, correction(entry, opened_version(finance, url), amount="20"))

    response = owner.post(url, correction(entry, stale_version, amount="30"), **HTMX)
    page = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in page and 'id="entry-edit"' in page
    assert f"Changed by {people['finance'].get_full_name()} at" in page
    entry.refresh_from_db()
    assert entry.amount == D("20")
