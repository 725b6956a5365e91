"""Role and data fixtures shared by every app's tests.

`people` is one user per role; `pilot` is a staffed pilot on which each of them holds that role;
`client_for(user)` is a Django test client signed in as that user; `api_for(user)` a DRF client.
"""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from pilots.access import FINANCE_GROUP
from pilots.models import PilotRole
from tests.pilots.factories import PilotFactory, RoleFactory, UserFactory

Kind = PilotRole.Kind


@pytest.fixture
def people(db):
    """One user per way of relating to a pilot."""
    users = {
        name: UserFactory(username=name)
        for name in (
            "owner",
            "owner_backup",
            "tech",
            "reviewer",
            "reviewer_backup",
            "stopper",
            "stopper_backup",
            "finance",
            "stranger",
        )
    }
    users["finance"].groups.add(Group.objects.get_or_create(name=FINANCE_GROUP)[0])
    users["admin"] = UserFactory(username="admin", is_superuser=True, is_staff=True)
    return users


@pytest.fixture
def pilot(people):
    """A pilot in its piloting stage with a full ownership matrix."""
    pilot = PilotFactory(name="Support drafts")
    staff_pilot(pilot, people)
    return pilot


def staff_pilot(pilot, people) -> None:
    RoleFactory(
        pilot=pilot,
        kind=Kind.BUSINESS_OWNER,
        primary=people["owner"],
        backup=people["owner_backup"],
    )
    RoleFactory(
        pilot=pilot, kind=Kind.TECHNICAL_OWNER, primary=people["tech"], backup=people["owner"]
    )
    RoleFactory(
        pilot=pilot,
        kind=Kind.REVIEWER,
        primary=people["reviewer"],
        backup=people["reviewer_backup"],
    )
    RoleFactory(
        pilot=pilot,
        kind=Kind.STOP_AUTHORITY,
        primary=people["stopper"],
        backup=people["stopper_backup"],
    )


@pytest.fixture
def client_for(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def api_for():
    def authenticate(user):
        api = APIClient()
        api.force_authenticate(user)
        return api

    return authenticate
