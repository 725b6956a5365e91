"""API tokens: checked in one query, expired ones refused and removed, finance seen at once."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from knox.models import AuthToken
from rest_framework.test import APIClient

from pilots.access import FINANCE_GROUP
from pilots.api import authentication
from pilots.tasks import purge_expired_tokens_task
from tests.pilots.factories import PilotFactory, RoleFactory, UserFactory

pytestmark = pytest.mark.django_db


def client_with(token: str) -> APIClient:
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return api


def test_an_expired_token_is_refused_and_its_row_removed():
    user = UserFactory()
    expired, token = AuthToken.objects.create(user, expiry=timedelta(seconds=-1))
    assert client_with(token).get("/api/teams").status_code == 401
    assert not AuthToken.objects.filter(pk=expired.pk).exists()


def test_a_wrong_token_with_a_known_prefix_is_refused():
    _, token = AuthToken.objects.create(UserFactory())
    forged = token[:15] + ("0" if token[15] != "0" else "1") + token[16:]
    assert client_with(forged).get("/api/teams").status_code == 401


def test_the_daily_purge_removes_expired_tokens_only():
    user = UserFactory()
    AuthToken.objects.create(user, expiry=timedelta(seconds=-1))
    AuthToken.objects.create(user, expiry=timedelta(seconds=-60))
    live, token = AuthToken.objects.create(user)
    assert purge_expired_tokens_task() == 2
    assert list(AuthToken.objects.values_list("pk", flat=True)) == [live.pk]
    assert client_with(token).get("/api/teams").status_code == 200


@pytest.mark.parametrize("in_finance", [True, False])
def test_the_token_query_also_answers_whether_the_caller_is_in_finance(
    in_finance, django_assert_num_queries
):
    user = UserFactory()
    if in_finance:
        user.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    pilots = [PilotFactory() for _ in range(3)]
    RoleFactory(pilot=pilots[0], primary=user)
    _, token = AuthToken.objects.create(user)
    api = client_with(token)
    # The token (with its user and finance flag), the count, the page: no group look-up.
    with django_assert_num_queries(3):
        response = api.get("/api/pilots?page_size=1")
    assert response.status_code == 200
    assert response.json()["count"] == (len(pilots) if in_finance else 1)


def test_the_statement_and_the_orm_query_read_the_same_token(monkeypatch):
    """On PostgreSQL the token is read by one statement written once; elsewhere (SQLite for
    `make run`) through the ORM. Both give the token, its user and the finance flag."""
    user = UserFactory(first_name="Rita")
    user.groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    stored, token = AuthToken.objects.create(user)
    key = token[:15]
    statement = authentication._candidates(key)
    monkeypatch.setattr(connection, "vendor", "sqlite")
    orm = authentication._candidates(key)
    assert len(statement) == len(orm) == 1
    for found in (statement[0], orm[0]):
        assert found.pk == stored.pk and found.expiry == stored.expiry
        assert found.user.pk == user.pk and found.user.first_name == "Rita"
        assert found.user_in_finance is True
