from datetime import timedelta

import factory
from django.utils import timezone

from pilots.models import Pilot, PilotRole
from support.models import (
    ApprovedTool,
    CompanyLane,
    DataClass,
    DataSourceClass,
    EscalationPath,
    ReviewRequirement,
)
from tests.pilots.factories import PilotFactory, UserFactory


class DataClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataClass
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Data class {n}")
    level = 2
    aliases = factory.LazyFunction(list)
    rule = factory.LazyAttribute(lambda row: f"Only approved tools may touch {row.name.lower()}.")
    needs_security_approval = False


class ApprovedToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApprovedTool
        django_get_or_create = ("name",)
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Tool {n}")
    approved_for = "Internal summaries and first drafts."
    review_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=90))

    @factory.post_generation
    def data_classes(self, create, extracted, **kwargs):
        if create and extracted:
            self.data_classes.set(extracted)


class ReviewRequirementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReviewRequirement
        django_get_or_create = ("area",)

    area = Pilot.UseArea.FINANCIAL
    review_required = True
    rule = "Get human review before using AI-generated analysis in financial decisions."


class CompanyLaneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompanyLane
        django_get_or_create = ("kind",)

    kind = PilotRole.Kind.LANE_SECURITY
    primary = factory.SubFactory(UserFactory)
    response_minutes = 60


class EscalationPathFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EscalationPath
        django_get_or_create = ("category",)

    category = "data_handling"
    route_to = PilotRole.Kind.LANE_SECURITY
    target_minutes = 60


class DataSourceClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DataSourceClass

    pilot = factory.SubFactory(PilotFactory)
    source = "Help center"
    data_class = factory.SubFactory(DataClassFactory)


def company_guardrails():
    """Public, internal, personal and client-confidential data; two approved tools."""
    public = DataClassFactory(name="Public", level=1, aliases=["help center"])
    internal = DataClassFactory(name="Internal", level=2, aliases=["wiki"])
    personal = DataClassFactory(
        name="Personal",
        level=4,
        aliases=["order history", "customer"],
        needs_security_approval=True,
    )
    confidential = DataClassFactory(
        name="Client confidential",
        level=5,
        aliases=["crm", "contract"],
        rule="Do not paste client confidential data into unapproved public tools.",
        needs_security_approval=True,
    )
    lookup = ApprovedToolFactory(name="Order lookup", data_classes=[public, internal])
    search = ApprovedToolFactory(
        name="Help-center search", data_classes=[public, internal, personal]
    )
    return {
        "public": public,
        "internal": internal,
        "personal": personal,
        "confidential": confidential,
        "lookup": lookup,
        "search": search,
    }
