from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from pilots.models import Pilot, PilotRole, Team


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.com")
    password = factory.django.Password("pw-for-tests")


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class PilotFactory(factory.django.DjangoModelFactory):
    """A pilot with its one page filled in; roles come from `StaffedPilotFactory` or the fixtures."""

    class Meta:
        model = Pilot

    name = factory.Sequence(lambda n: f"Pilot {n}")
    team = factory.SubFactory(TeamFactory)
    summary = "Draft first replies to routine support tickets using the help center and order data."
    status = Pilot.Status.PILOTING
    status_since = factory.LazyFunction(timezone.now)
    trigger = "a routine ticket arrives."
    task_input = "the ticket and the order data."
    task_output = "a draft reply for an agent."
    never_do = ["Approve refunds"]
    skip_ai_cases = ["Billing disputes"]
    override_cases = ["The draft quotes a refund rule"]
    handoff_conditions = "the order lookup fails."
    handoff_receiver = "tier-2 support"
    handoff_response_minutes = 60
    fallback_action = Pilot.Fallback.HAND_TO_PERSON
    model_name = "GPT-4.1 mini"
    prompt_version = "v1"
    data_sources = ["Help center"]
    average_daily_volume = 100
    monthly_cap = Decimal("1000.00")
    cost_per_task_limit = Decimal("0.5000")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PilotRole

    pilot = factory.SubFactory(PilotFactory)
    kind = PilotRole.Kind.BUSINESS_OWNER
    primary = factory.SubFactory(UserFactory)
    response_minutes = 60
