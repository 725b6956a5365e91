"""Browser views: guardrails, "Can I use…?", the register form, use-case requests, the one page's
support panel and the setup form's suggestions."""

import pytest
from django.urls import reverse

from pilots.models import Pilot, PilotRole
from support.models import ApprovedTool, DataSourceClass, UseCaseRequest
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, UserFactory

from .factories import (
    ApprovedToolFactory,
    CompanyLaneFactory,
    DataClassFactory,
    ReviewRequirementFactory,
    company_guardrails,
)

Kind = PilotRole.Kind


@pytest.fixture
def guardrails(db):
    return company_guardrails()


@pytest.fixture
def lena(db):
    return CompanyLaneFactory(kind=Kind.LANE_SECURITY, primary=UserFactory(username="lena")).primary


# --- Guardrails and "Can I use…?" ----------------------------------------------------------------


def test_everyone_signed_in_reads_the_guardrails(people, client_for, guardrails):
    page = client_for(people["stranger"]).get(reverse("support:guardrails")).content.decode()
    assert "Order lookup" in page and "Client confidential" in page
    assert "Do not paste client confidential data into unapproved public tools." in page
    assert "Escalation paths" in page and "Security incident" in page
    assert reverse("support:tool-new") not in page  # only the register's keepers add tools


def test_the_security_lane_sees_where_to_add_a_tool(client_for, guardrails, lena):
    page = client_for(lena).get(reverse("support:guardrails")).content.decode()
    assert reverse("support:tool-new") in page


@pytest.mark.parametrize("count", [1, 25])
def test_the_guardrails_page_runs_a_fixed_number_of_queries(
    people, client_for, django_assert_num_queries, count
):
    classes = [DataClassFactory() for _ in range(3)]
    for _ in range(count):
        ApprovedToolFactory(data_classes=classes)
    client = client_for(people["stranger"])
    # session, user, paths, the register check (is the user a Security lane contact?), tools +
    # their classes, classes + their tools, review requirements, lanes
    with django_assert_num_queries(10):
        response = client.get(reverse("support:guardrails"))
    assert response.status_code == 200


def test_can_i_use_answers_with_the_rule(people, client_for, guardrails):
    response = client_for(people["stranger"]).get(
        reverse("support:can-i-use"),
        {"tool": "Order lookup", "data_class": guardrails["confidential"].pk},
    )
    page = response.content.decode()
    assert "No. Order lookup is not approved for Client confidential data." in page
    assert "Do not paste client confidential data into unapproved public tools." in page
    assert "Propose it as a new use case" in page


def test_can_i_use_swaps_only_the_answer_for_htmx(people, client_for, guardrails):
    response = client_for(people["stranger"]).get(
        reverse("support:can-i-use"),
        {"tool": "Help-center search", "data_class": guardrails["personal"].pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<div id="answer">')
    assert "Yes. Help-center search is approved for Personal data." in page


def test_can_i_use_asks_again_for_a_missing_answer(people, client_for, guardrails):
    page = client_for(people["stranger"]).get(reverse("support:can-i-use"), {"tool": "x"})
    assert "Pick a tool and a kind of data." in page.content.decode()


@pytest.mark.parametrize("count", [1, 25])
def test_can_i_use_runs_a_fixed_number_of_queries(
    people, client_for, guardrails, django_assert_num_queries, count
):
    for _ in range(count):
        ApprovedToolFactory(data_classes=[guardrails["public"]])
    client = client_for(people["stranger"])
    params = {"tool": "Order lookup", "data_class": guardrails["public"].pk}
    # session, user, the form's data class, the answer (classes, tools, lanes), tool names,
    # the matrix (tools + classes, classes + tools), the form's choice of data classes
    with django_assert_num_queries(12):
        response = client.get(reverse("support:can-i-use"), params)
    assert response.status_code == 200


# --- The register form ---------------------------------------------------------------------------


def test_the_register_form_is_for_its_keepers(people, client_for, guardrails):
    assert client_for(people["owner"]).get(reverse("support:tool-new")).status_code == 403
    response = client_for(people["owner"]).post(
        reverse("support:tool-new"), {"name": "Chat", "approved_for": "x"}
    )
    assert response.status_code == 403 and not ApprovedTool.objects.filter(name="Chat").exists()


def test_the_security_lane_adds_a_tool_and_a_duplicate_keeps_what_was_typed(
    client_for, guardrails, lena
):
    client = client_for(lena)
    response = client.post(
        reverse("support:tool-new"),
        {
            "name": "Chat assistant",
            "approved_for": "First drafts",
            "data_classes": [guardrails["public"].pk],
        },
    )
    assert response.status_code == 302
    tool = ApprovedTool.objects.get(name="Chat assistant")
    assert tool.approved_by == lena and list(tool.data_classes.all()) == [guardrails["public"]]

    response = client.post(
        reverse("support:tool-new"), {"name": "chat ASSISTANT", "approved_for": "Kept text"}
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "This tool is already in the register." in page and "Kept text" in page


def test_the_security_lane_edits_and_removes_a_tool(client_for, guardrails, lena):
    tool = guardrails["lookup"]
    client = client_for(lena)
    assert client.get(reverse("support:tool-edit", args=[tool.pk])).status_code == 200
    response = client.post(
        reverse("support:tool-edit", args=[tool.pk]),
        {"name": "Order lookup", "approved_for": "Read-only order status"},
    )
    assert response.status_code == 302
    tool.refresh_from_db()
    assert tool.approved_for == "Read-only order status" and not tool.data_classes.exists()
    client.post(reverse("support:tool-delete", args=[tool.pk]))
    assert not ApprovedTool.objects.filter(pk=tool.pk).exists()


# --- Use-case requests ---------------------------------------------------------------------------


def request_data(guardrails, **extra):
    return {
        "name": "Renewal summaries",
        "task": "Draft renewal summaries.",
        "team_name": "Sales",
        "data_classes": [guardrails["internal"].pk],
        "tool": "Order lookup",
        "use_areas": ["client_facing"],
        **extra,
    }


def test_anyone_signed_in_proposes_a_use_case(people, client_for, guardrails):
    client = client_for(people["stranger"])
    form = client.get(reverse("support:use-case-new"), {"tool": "Order lookup"}).content.decode()
    assert 'value="Order lookup"' in form and '<option value="Order lookup">' in form
    response = client.post(reverse("support:use-case-new"), request_data(guardrails))
    item = UseCaseRequest.objects.get()
    assert response["Location"] == reverse("support:use-case", args=[item.pk])
    assert item.requested_by == people["stranger"] and item.use_areas == ["client_facing"]


def test_a_request_without_its_data_keeps_what_was_typed(people, client_for, guardrails):
    response = client_for(people["stranger"]).post(
        reverse("support:use-case-new"), request_data(guardrails, data_classes=[], name="Kept")
    )
    page = response.content.decode()
    assert response.status_code == 400
    assert "Pick the kinds of data it would touch." in page and 'value="Kept"' in page
    assert not UseCaseRequest.objects.exists()


def propose(client, guardrails, **extra):
    client.post(reverse("support:use-case-new"), request_data(guardrails, **extra))
    return UseCaseRequest.objects.latest("id")


def test_people_see_their_own_requests_and_lane_contacts_see_every_one(
    people, client_for, guardrails
):
    maria = CompanyLaneFactory(
        kind=Kind.LANE_BUSINESS, primary=UserFactory(username="maria")
    ).primary
    mine = propose(client_for(people["stranger"]), guardrails, name="Mine")
    propose(client_for(people["reviewer"]), guardrails, name="Someone else's")
    page = client_for(people["stranger"]).get(reverse("support:use-cases")).content.decode()
    assert "Mine" in page and "Someone else&#x27;s" not in page
    other = client_for(people["stranger"]).get(reverse("support:use-case", args=[mine.pk + 1]))
    assert other.status_code == 404
    page = client_for(maria).get(reverse("support:use-cases")).content.decode()
    assert "Mine" in page and "Someone else&#x27;s" in page and "waiting for you" in page


@pytest.mark.parametrize("count", [1, 25])
def test_the_request_list_runs_a_fixed_number_of_queries(
    people, client_for, guardrails, django_assert_num_queries, count
):
    client = client_for(people["stranger"])
    for index in range(count):
        propose(client, guardrails, name=f"Request {index}")
    # session, user, lanes of the user, admin/finance free: count, page, classes, approvals
    with django_assert_num_queries(7):
        response = client.get(reverse("support:use-cases"))
    assert response.status_code == 200


def test_a_lane_owner_approves_a_request_into_a_draft_pilot(people, client_for, guardrails):
    maria = CompanyLaneFactory(
        kind=Kind.LANE_BUSINESS, primary=UserFactory(username="maria")
    ).primary
    item = propose(client_for(people["stranger"]), guardrails)
    detail = client_for(maria).get(reverse("support:use-case", args=[item.pk])).content.decode()
    assert "Approve" in detail and "Business team lane" in detail
    response = client_for(maria).post(
        reverse("support:use-case-decide", args=[item.pk]), {"decision": "approve"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == UseCaseRequest.Status.APPROVED
    assert item.pilot.status == Pilot.Status.DRAFT
    page = client_for(people["stranger"]).get(reverse("support:use-case", args=[item.pk]))
    assert "it is now the draft pilot" in page.content.decode()


def test_a_rejection_without_a_reason_shows_the_error_in_place(people, client_for, guardrails):
    maria = CompanyLaneFactory(
        kind=Kind.LANE_BUSINESS, primary=UserFactory(username="maria")
    ).primary
    item = propose(client_for(people["stranger"]), guardrails)
    response = client_for(maria).post(
        reverse("support:use-case-decide", args=[item.pk]),
        {"decision": "reject", "note": ""},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="section" id="decision">')
    assert "Say why it is rejected" in page
    item.refresh_from_db()
    assert item.status == UseCaseRequest.Status.PENDING


def test_the_person_who_asked_cannot_approve(people, client_for, guardrails):
    item = propose(client_for(people["stranger"]), guardrails)
    page = client_for(people["stranger"]).get(reverse("support:use-case", args=[item.pk]))
    assert 'value="approve"' not in page.content.decode()
    response = client_for(people["stranger"]).post(
        reverse("support:use-case-decide", args=[item.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403


# --- The one page --------------------------------------------------------------------------------


def one_page(client, pilot) -> str:
    return client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()


def test_the_support_panel_shows_data_rules_review_tools_and_lane_defaults(
    people, client_for, guardrails, lena
):
    pilot = PilotFactory(
        tools=["Order lookup"],
        data_sources=["Help center articles", "Order history"],
        use_areas=["client_facing"],
    )
    staff_pilot(pilot, people)
    ReviewRequirementFactory(
        area="client_facing", rule="Get human review before AI output reaches a client."
    )
    page = one_page(client_for(people["reviewer"]), pilot)
    assert "“Order history”: <strong>Personal</strong>" in page
    assert "Human review required (client-facing):</strong> Get human review" in page
    assert "not approved for Personal data" in page
    assert f'Security — {lena.get_full_name()}<span class="no-print"> (1 hour)</span>' in page
    assert "Every tool is approved for the data it touches" in page
    assert "Order lookup is not approved for Personal data." in page  # the failing check's reason
    assert "Classify its data sources" not in page  # reviewers do not classify


def test_owners_classify_a_data_source_in_place(people, client_for, guardrails):
    pilot = PilotFactory(tools=["Order lookup"], data_sources=["Order history"])
    staff_pilot(pilot, people)
    client = client_for(people["owner"])
    assert "Classify its data sources" in one_page(client, pilot)
    response = client.post(
        reverse("support:data-source-classify", args=[pilot.pk]),
        {"source": "Order history", "data_class": guardrails["internal"].pk},
        HTTP_HX_REQUEST="true",
    )
    page = response.content.decode()
    assert page.lstrip().startswith('<section class="section" id="support-panel">')
    assert "“Order history”: <strong>Internal</strong>" in page
    assert DataSourceClass.objects.get(pilot=pilot).set_by == people["owner"]
    assert "✓</span> Order lookup" in page


def test_classifying_an_undeclared_source_is_refused_next_to_the_panel(
    people, client_for, guardrails, pilot
):
    response = client_for(people["owner"]).post(
        reverse("support:data-source-classify", args=[pilot.pk]),
        {"source": "Payroll", "data_class": guardrails["personal"].pk},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 400
    assert "Pick one of the data sources declared" in response.content.decode()


def test_reviewers_and_strangers_cannot_classify(people, client_for, guardrails, pilot):
    url = reverse("support:data-source-classify", args=[pilot.pk])
    data = {"source": "Help center", "data_class": guardrails["public"].pk}
    assert client_for(people["reviewer"]).post(url, data).status_code == 403
    assert client_for(people["stranger"]).post(url, data).status_code == 404


def test_the_setup_form_suggests_approved_tools_and_data_classes_and_saves_use_areas(
    people, client_for, guardrails, pilot
):
    client = client_for(people["owner"])
    url = reverse("pilots:section", args=[pilot.pk, "setup"])
    form = client.get(url, {"edit": 1}).content.decode()
    assert '<datalist id="tools-suggestions"><option value="Help-center search">' in form
    assert (
        'list="data_sources-suggestions"' in form and '<option value="Client confidential">' in form
    )
    assert 'name="use_areas" value="financial"' in form
    response = client.post(
        url,
        {
            "model_name": "GPT",
            "data_sources": ["Help center"],
            "tools": ["Order lookup"],
            "use_areas": ["financial", "client_facing"],
            "version": form.split('name="version" value="')[1].split('"')[0]
            if 'name="version"' in form
            else "",
        },
    )
    assert response.status_code == 302
    pilot.refresh_from_db()
    assert pilot.use_areas == ["financial", "client_facing"]
    page = one_page(client, pilot)
    assert "Its output is used in financial and client-facing work." in page


def test_the_nav_links_to_the_leadership_view(people, client_for):
    page = client_for(people["stranger"]).get(reverse("pilots:portfolio")).content.decode()
    assert f'href="{reverse("leadership:dashboard")}"' in page
