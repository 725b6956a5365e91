"""Accounts: lockout after failed sign-ins, API throttles, sessions and tokens that end."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.utils import timezone
from knox.models import AuthToken
from rest_framework.test import APIClient

from common.throttles import PerTokenThrottle, PerUserThrottle
from tests.pilots.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def sign_in(client, username, password):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_repeated_failed_sign_ins_lock_the_account_even_with_the_right_password(
    db, client, settings
):
    UserFactory(username="maria")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "maria", "wrong").status_code == 200  # the form, with its error
    assert sign_in(client, "maria", "wrong").status_code == 429  # the limit locks the account
    locked = sign_in(client, "maria", "pw-for-tests")
    assert locked.status_code == 429
    assert b"Too many failed sign-ins" in locked.content
    assert "_auth_user_id" not in client.session


def test_a_successful_sign_in_resets_the_failure_count(db, client, settings):
    UserFactory(username="maria")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "maria", "wrong")
    assert sign_in(client, "maria", "pw-for-tests").status_code == 302
    client.post("/accounts/logout/")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "maria", "wrong")
    assert sign_in(client, "maria", "pw-for-tests").status_code == 302


def test_the_api_token_login_is_locked_out_too(db, settings):
    UserFactory(username="gateway")
    api = APIClient()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        api.credentials(HTTP_AUTHORIZATION="Basic Z2F0ZXdheTp3cm9uZw==")  # gateway:wrong
        assert api.post("/api/auth/login").status_code in (401, 403)
    api.credentials(HTTP_AUTHORIZATION="Basic Z2F0ZXdheTpwdy1mb3ItdGVzdHM=")  # gateway:pw-for-tests
    assert api.post("/api/auth/login").status_code in (401, 403, 429)
    assert not AuthToken.objects.exists()


def test_a_user_over_the_rate_gets_429_until_the_window_ends(db, monkeypatch):
    monkeypatch.setattr(PerUserThrottle, "THROTTLE_RATES", {"user": "3/minute"})
    clock = [1_800_000_015.0]  # 15 s into a clock minute
    monkeypatch.setattr(PerUserThrottle, "timer", lambda self: clock[0])
    api = APIClient()
    api.force_authenticate(UserFactory())
    codes = [api.get("/api/pilots").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    clock[0] += 30
    response = api.get("/api/pilots")
    assert response.status_code == 429 and response["Retry-After"] == "15"
    clock[0] += 15  # the next minute: a fresh count
    assert [api.get("/api/pilots").status_code for _ in range(4)] == [200, 200, 200, 429]


def test_each_token_has_its_own_rate(db, monkeypatch):
    monkeypatch.setattr(PerTokenThrottle, "THROTTLE_RATES", {"token": "2/minute"})
    monkeypatch.setattr(PerTokenThrottle, "timer", lambda self: 1_800_000_015.0)
    user = UserFactory()
    _, first = AuthToken.objects.create(user)
    _, second = AuthToken.objects.create(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {first}")
    assert [api.get("/api/pilots").status_code for _ in range(3)] == [200, 200, 429]
    api.credentials(HTTP_AUTHORIZATION=f"Token {second}")
    assert api.get("/api/pilots").status_code == 200


def test_signing_out_deletes_the_session_on_the_server(db, client):
    client.force_login(UserFactory())
    key = client.session.session_key
    assert Session.objects.filter(session_key=key).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=key).exists()


def test_sessions_end_after_idle_time(db, client):
    client.force_login(UserFactory())
    session = Session.objects.get(session_key=client.session.session_key)
    Session.objects.filter(pk=session.pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_revoked_token_stops_working(db):
    user = UserFactory()
    _, token = AuthToken.objects.create(user)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/pilots").status_code == 200
    assert api.post("/api/auth/logout").status_code == 204
    assert api.get("/api/pilots").status_code == 401


def test_an_expired_token_stops_working(db):
    _, token = AuthToken.objects.create(UserFactory(), expiry=timedelta(seconds=-1))
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/pilots").status_code == 401


def test_tokens_are_stored_hashed(db):
    _, token = AuthToken.objects.create(UserFactory())
    stored = AuthToken.objects.values_list("digest", "token_key").get()
    assert token not in stored


def test_activity_renews_the_session_at_most_every_few_minutes(db, client, monkeypatch):
    import common.sessions

    client.force_login(UserFactory())
    session = Session.objects.get(session_key=client.session.session_key)
    first_expiry = session.expire_date
    client.get("/")
    assert (
        Session.objects.get(pk=session.pk).expire_date == first_expiry
    )  # just signed in: no write
    monkeypatch.setattr(common.sessions, "RENEW_AFTER_SECONDS", -1)
    client.get("/")
    assert Session.objects.get(pk=session.pk).expire_date > first_expiry
