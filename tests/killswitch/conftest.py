import pytest
from django.core.cache import cache
from knox.models import AuthToken

from killswitch.authentication import forget_verified_tokens
from killswitch.services import status_token_create
from pilots.status_cache import forget_recent


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    forget_verified_tokens()
    forget_recent()
    yield
    cache.clear()
    forget_verified_tokens()
    forget_recent()


@pytest.fixture
def user_token():
    def issue(user) -> str:
        return AuthToken.objects.create(user)[1]

    return issue


@pytest.fixture
def kill_switch_token():
    def issue(user, pilot_ids=None) -> str:
        return status_token_create(user=user, name="gateway", pilot_ids=pilot_ids)[1]

    return issue
