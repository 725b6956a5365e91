"""The status answer for gateways: cached, no query beyond the token check, ETag, bulk."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient

from killswitch import authentication
from killswitch.models import StatusToken
from pilots import services, status_cache
from pilots.models import Pilot
from tests.pilots.factories import PilotFactory


def client_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def url(pilot) -> str:
    return f"/api/pilot-status/{pilot.pk}"


def pause(pilot, people, capture) -> None:
    with capture(execute=True):
        services.pilot_pause(pilot=pilot, by=people["stopper"], reason="Spend over the cap.")


def test_a_warm_status_answer_runs_no_query(pilot, people, kill_switch_token):
    api = client_with(kill_switch_token(people["owner"]))
    with CaptureQueriesContext(connection) as cold:
        assert api.get(url(pilot)).status_code == 200  # checks the token, warms the cache

    with CaptureQueriesContext(connection) as queries:
        response = api.get(url(pilot))

    assert response.status_code == 200
    assert "killswitch_statustoken" in cold[0]["sql"]
    assert len(queries) == 0, [q["sql"] for q in queries]
    assert response.json() == {
        "id": pilot.pk,
        "status": "piloting",
        "since": pilot.status_since.isoformat(),
        "reason": pilot.status_reason,
        "paused": False,
        "may_call_model": True,
    }


def test_a_persons_token_also_answers_warm_with_only_the_token_query(pilot, people, user_token):
    api = client_with(user_token(people["reviewer"]))
    assert api.get(url(pilot)).status_code == 200

    with CaptureQueriesContext(connection) as queries:
        assert api.get(url(pilot)).status_code == 200

    assert len(queries) == 1, [q["sql"] for q in queries]


def test_the_answer_carries_an_etag_and_the_operators_max_age(
    pilot, people, kill_switch_token, settings
):
    settings.PILOTDECK_STATUS_MAX_AGE = 7
    api = client_with(kill_switch_token(people["owner"]))

    first = api.get(url(pilot))
    again = api.get(url(pilot), HTTP_IF_NONE_MATCH=first["ETag"])

    assert first["ETag"].startswith('"')
    assert "max-age=7" in first["Cache-Control"]
    assert "private" in first["Cache-Control"]
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]


def test_a_pause_changes_the_etag_and_is_answered_at_once(
    pilot, people, kill_switch_token, django_capture_on_commit_callbacks
):
    api = client_with(kill_switch_token(people["owner"]))
    before = api.get(url(pilot))

    pause(pilot, people, django_capture_on_commit_callbacks)
    after = api.get(url(pilot), HTTP_IF_NONE_MATCH=before["ETag"])

    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert after.json()["status"] == "paused"
    assert after.json()["paused"] is True
    assert after.json()["may_call_model"] is False
    assert after.json()["reason"] == "Spend over the cap."


def test_a_rolled_back_pause_is_never_published(pilot, people, kill_switch_token):
    api = client_with(kill_switch_token(people["owner"]))
    api.get(url(pilot))

    services.pilot_pause(pilot=pilot, by=people["stopper"], reason="Spend over the cap.")
    # no commit has happened (the test's transaction is still open): the cache is unchanged

    assert api.get(url(pilot)).json()["status"] == "piloting"


@pytest.fixture
def shared_cache(redis_url, settings, pilot):
    """Redis as the status cache, as in production (a key prefix of this test's own)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_url,
            "KEY_PREFIX": f"killswitch-test-{pilot.pk}",
        }
    }
    settings.PILOTDECK_STATUS_CACHE_SECONDS = 300
    yield
    status_cache._cache().clear()


@pytest.mark.redis
def test_with_redis_a_pause_is_visible_through_the_shared_cache(
    pilot, people, kill_switch_token, shared_cache, django_capture_on_commit_callbacks
):
    from django.core.cache import caches

    api = client_with(kill_switch_token(people["owner"]))
    assert api.get(url(pilot)).json()["status"] == "piloting"
    assert caches["default"].get(f"killswitch:pilot:{pilot.pk}")["status"] == "piloting"

    pause(pilot, people, django_capture_on_commit_callbacks)

    with CaptureQueriesContext(connection) as queries:
        response = api.get(url(pilot))
    assert response.json()["status"] == "paused"
    assert len(queries) == 0


@pytest.mark.redis
def test_with_redis_each_process_keeps_a_record_it_read_for_the_local_seconds(
    pilot, people, kill_switch_token, shared_cache, settings, monkeypatch
):
    settings.PILOTDECK_STATUS_LOCAL_SECONDS = 0.5
    now = [1000.0]
    monkeypatch.setattr(status_cache, "clock", lambda: now[0])
    api = client_with(kill_switch_token(people["owner"]))
    assert api.get(url(pilot)).json()["status"] == "piloting"

    # Another web process pauses the pilot: it publishes the new record to Redis.
    Pilot.objects.filter(pk=pilot.pk).update(status=Pilot.Status.PAUSED, status_reason="Stop.")
    paused = status_cache.record_of(Pilot.objects.get(pk=pilot.pk))
    status_cache._cache().set(f"{status_cache.PREFIX}{pilot.pk}", paused, 300)
    now[0] += 0.4
    remembered = api.get(url(pilot)).json()["status"]
    now[0] += 0.2
    with CaptureQueriesContext(connection) as queries:
        seen = api.get(url(pilot)).json()["status"]

    assert (remembered, seen) == ("piloting", "paused")
    assert len(queries) == 0


def test_the_process_that_pauses_answers_paused_at_once_despite_its_memory(
    pilot, people, kill_switch_token, settings, django_capture_on_commit_callbacks
):
    settings.PILOTDECK_STATUS_LOCAL_SECONDS = 60
    api = client_with(kill_switch_token(people["owner"]))
    assert api.get(url(pilot)).json()["status"] == "piloting"

    pause(pilot, people, django_capture_on_commit_callbacks)

    assert api.get(url(pilot)).json()["status"] == "paused"


def test_a_pilot_the_token_cannot_see_is_not_found(people, kill_switch_token, user_token):
    hidden = PilotFactory(name="Elsewhere")

    assert client_with(kill_switch_token(people["owner"])).get(url(hidden)).status_code == 404
    assert client_with(user_token(people["stranger"])).get(url(hidden)).status_code == 404
    assert client_with(kill_switch_token(people["admin"])).get(url(hidden)).status_code == 200


def test_no_token_or_a_wrong_one_is_refused_as_the_rest_of_the_api_refuses(pilot):
    missing = APIClient().get(url(pilot))
    wrong = client_with("pdks_not-a-token").get(url(pilot))

    assert (missing.status_code, missing["WWW-Authenticate"]) == (401, "Token")
    assert missing.json() == {"detail": "Authentication credentials were not provided."}
    assert (wrong.status_code, wrong.json()) == (401, {"detail": "Invalid kill-switch token."})


def test_the_status_answer_can_only_be_read(pilot, people, kill_switch_token):
    response = client_with(kill_switch_token(people["owner"])).post(url(pilot), {})

    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json() == {"detail": 'Method "POST" not allowed.'}


def test_a_revoked_kill_switch_token_is_refused_within_the_token_seconds(
    pilot, people, kill_switch_token, monkeypatch, settings
):
    settings.PILOTDECK_STATUS_TOKEN_SECONDS = 2
    now = [1000.0]
    monkeypatch.setattr(authentication, "clock", lambda: now[0])
    api = client_with(kill_switch_token(people["owner"]))
    assert api.get(url(pilot)).status_code == 200

    StatusToken.objects.all().delete()
    now[0] += 1.9
    still = api.get(url(pilot))
    now[0] += 0.2
    revoked = api.get(url(pilot))

    assert still.status_code == 200  # remembered in this process for up to 2 s
    assert (revoked.status_code, revoked.json()) == (401, {"detail": "Invalid kill-switch token."})


# --- Bulk -----------------------------------------------------------------------------------------


def test_bulk_answers_the_pilots_asked_for_in_one_request(
    pilot, people, kill_switch_token, django_capture_on_commit_callbacks
):
    other = PilotFactory(name="Refund triage", status=Pilot.Status.DRAFT)
    hidden = PilotFactory(name="Elsewhere")
    api = client_with(kill_switch_token(people["admin"]))
    pause(pilot, people, django_capture_on_commit_callbacks)

    response = api.get(f"/api/pilot-status?ids={pilot.pk},{other.pk},{hidden.pk + 1000}")

    assert response.status_code == 200
    assert [
        (row["id"], row["status"], row["may_call_model"]) for row in response.json()["results"]
    ] == [
        (pilot.pk, "paused", False),
        (other.pk, "draft", False),
    ]
    assert api.get("/api/pilot-status", HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 200
    same = api.get(
        f"/api/pilot-status?ids={pilot.pk},{other.pk}", HTTP_IF_NONE_MATCH=response["ETag"]
    )
    assert same.status_code == 304


def test_bulk_without_ids_answers_every_pilot_the_token_may_see(people, kill_switch_token, pilot):
    PilotFactory(name="Elsewhere")

    results = client_with(kill_switch_token(people["owner"])).get("/api/pilot-status").json()

    assert [row["id"] for row in results["results"]] == [pilot.pk]


def test_bulk_for_a_thousand_pilots_runs_a_fixed_number_of_queries(
    people, kill_switch_token, settings
):
    settings.PILOTDECK_STATUS_CACHE_SECONDS = 60  # the in-process default (1 s) is about TTL
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    }
    pilots = PilotFactory.create_batch(1000)
    ids = ",".join(str(p.pk) for p in pilots)
    api = client_with(kill_switch_token(people["admin"]))

    with CaptureQueriesContext(connection) as cold:
        first = api.get(f"/api/pilot-status?ids={ids}")
    with CaptureQueriesContext(connection) as warm:
        again = api.get(f"/api/pilot-status?ids={ids}")

    assert len(first.json()["results"]) == 1000
    assert again.json() == first.json()
    assert len(cold) == 2  # the token, then the pilots not yet cached
    assert len(warm) == 0


def test_bulk_refuses_ids_that_are_not_ids(people, kill_switch_token):
    response = client_with(kill_switch_token(people["admin"])).get("/api/pilot-status?ids=1,x")

    assert response.status_code == 400
    assert "ids" in response.json()
