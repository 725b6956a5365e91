"""Completing an error entry, or recording its fix, over someone else's newer save is refused in
the browser, shown beside what was typed, and goes through only when saved again knowingly."""

import re

import pytest
from django.test import Client

from reviews.models import ErrorEntry

from .factories import ErrorEntryFactory

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
VERSION = re.compile(r'name="version" value="(\d+)"')


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def opened_versions(client, entry) -> list[str]:
    """The versions in the details form and in the fix form, in page order."""
    page = client.get(f"/errors/{entry.pk}/").content.decode()
    return VERSION.findall(page)


def details(version, **fields) -> dict:
    return {"what_went_wrong": "Wrong delivery date.", "version": version, **fields}


@pytest.fixture
def entry(pilot, people):
    return ErrorEntryFactory(pilot=pilot, reported_by=people["reviewer"])


def test_both_forms_carry_the_version_and_a_single_edit_saves(entry, people):
    owner = signed_in(people["owner"])
    details_version, fix_version = opened_versions(owner, entry)
    assert details_version == fix_version
    response = owner.post(
        f"/errors/{entry.pk}/details/", details(details_version, why_wrong="Old data.")
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.why_wrong == "Old data."


def test_a_stale_details_edit_shows_who_changed_it_keeps_the_text_and_saves_when_repeated(
    entry, people
):
    people["reviewer"].first_name, people["reviewer"].last_name = "Rita", "Moss"
    people["reviewer"].save()
    rita, otto = signed_in(people["reviewer"]), signed_in(people["owner"])
    rita_version, otto_version = opened_versions(rita, entry)[0], opened_versions(otto, entry)[0]
    url = f"/errors/{entry.pk}/details/"

    saved = rita.post(url, details(rita_version, why_wrong="It used last year's calendar."))
    assert saved.status_code == 302

    typed = details(otto_version, why_wrong="The carrier API was down.", reference="T-9")
    response = otto.post(url, typed)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Changed by Rita Moss at" in page and "since you opened it" in page
    assert "It used last year&#x27;s calendar." in page  # their saved version
    assert "The carrier API was down." in page and 'value="T-9"' in page  # his text, kept
    assert "Why it was wrong" in page and "Ticket or link" in page  # the rows that differ
    entry.refresh_from_db()
    assert entry.why_wrong == "It used last year's calendar." and entry.reference == ""

    typed["version"] = VERSION.search(page).group(1)
    assert typed["version"] != otto_version
    assert otto.post(url, typed).status_code == 302  # saving again knowingly replaces theirs
    entry.refresh_from_db()
    assert entry.why_wrong == "The carrier API was down." and entry.reference == "T-9"


def test_a_stale_fix_sent_by_htmx_gets_the_fix_fragment_with_the_conflict(entry, people):
    people["stopper"].first_name, people["stopper"].last_name = "Sam", "Stone"
    people["stopper"].save()
    sam, otto = signed_in(people["stopper"]), signed_in(people["owner"])
    sam_version, otto_version = opened_versions(sam, entry)[1], opened_versions(otto, entry)[1]
    url = f"/errors/{entry.pk}/fix/"

    saved = sam.post(
        url,
        {"fix_kind": "new_rule", "fix_description": "Block old calendars.", "version": sam_version},
        **HTMX,
    )
    assert saved.status_code == 200 and saved["HX-Redirect"] == f"/errors/{entry.pk}/"

    typed = {
        "fix_kind": "prompt_change",
        "fix_description": "Tell it today's date.",
        "version": otto_version,
    }
    response = otto.post(url, typed, **HTMX)
    page = response.content.decode()
    assert response.status_code == 200 and "HX-Redirect" not in response
    assert "<html" not in page and 'id="entry-fix"' in page
    assert "Changed by Sam Stone at" in page and "since you opened it" in page
    assert "Block old calendars." in page and "Tell it today&#x27;s date." in page
    entry.refresh_from_db()
    assert entry.fix_kind == "new_rule" and entry.fix_description == "Block old calendars."

    typed["version"] = VERSION.search(page).group(1)
    assert "HX-Redirect" in otto.post(url, typed, **HTMX)
    entry.refresh_from_db()
    assert entry.fix_kind == "prompt_change" and entry.fix_description == "Tell it today's date."


def test_a_post_without_a_version_is_not_checked(entry, people):
    owner = signed_in(people["owner"])
    entry.why_wrong = "Earlier."
    entry.save()
    response = owner.post(f"/errors/{entry.pk}/details/", details("", why_wrong="Later."))
    assert response.status_code == 302
    assert ErrorEntry.objects.get(pk=entry.pk).why_wrong == "Later."
