import pytest
from django.urls import reverse

from governance.services import change_propose, decision_right_assign
from pilots.models import Pilot, PilotRole
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, TeamFactory

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_pilots(people, count: int) -> list[Pilot]:
    pilots = []
    for _ in range(count):
        pilot = PilotFactory()
        staff_pilot(pilot, people)
        PilotRole.objects.get(pilot=pilot, kind=PilotRole.Kind.REVIEWER).members.add(
            people["stranger"]
        )
        decision_right_assign(
            pilot=pilot, kind="prompt_changes", by=people["owner"], owner=people["tech"]
        )
        change_propose(pilot=pilot, by=people["owner"], kind="prompt", title="t", hypothesis="h")
        pilots.append(pilot)
    return pilots


# The portfolio: session, user, finance-group check, count, a page of pilots, their roles, teams,
# the owners to filter by; then the page's health: the rule engine's facts and the open alerts.
PORTFOLIO_QUERIES = 22


@pytest.mark.parametrize("count", [1, 60])
def test_portfolio_runs_a_fixed_number_of_queries(
    people, client_for, django_assert_num_queries, count
):
    make_pilots(people, count)
    client = client_for(people["owner"])
    with django_assert_num_queries(PORTFOLIO_QUERIES):
        response = client.get(reverse("pilots:portfolio"))
    assert response.status_code == 200
    assert len(response.context["pilots"]) == min(count, 50)


def test_portfolio_filters_by_status_and_team_and_htmx_gets_only_the_table(people, client_for):
    support, sales = TeamFactory(name="Support"), TeamFactory(name="Sales")
    for name, team, status in [
        ("A", support, "piloting"),
        ("B", support, "paused"),
        ("C", sales, "piloting"),
    ]:
        staff_pilot(PilotFactory(name=name, team=team, status=status), people)
    client = client_for(people["owner"])
    response = client.get(
        reverse("pilots:portfolio"), {"status": "piloting", "team": support.pk}, **HTMX
    )
    rows = response.content.decode().split("<tbody>")[1]
    assert ">A</a>" in rows and ">B</a>" not in rows and ">C</a>" not in rows
    assert b"<html" not in response.content
    assert b'id="pilot-table"' in response.content


def test_portfolio_shows_only_pilots_the_user_has_a_role_on(people, client_for):
    mine = PilotFactory(name="Mine")
    staff_pilot(mine, people)
    PilotFactory(name="Someone else's")
    response = client_for(people["reviewer"]).get(reverse("pilots:portfolio"))
    assert [pilot.name for pilot in response.context["pilots"]] == ["Mine"]
    finance = client_for(people["finance"]).get(reverse("pilots:portfolio"))
    assert len(finance.context["pilots"]) == 2


# The one page: session, user, finance check, pilot, roles, members, status changes; one query per
# history source (8, + support's data-source classes); the panels: alerts, decision rights, changes,
# stop-now errors, review weeks, errors, costs (4), alerts (2), support (5: data classes, tools,
# data-source classes, review requirements, company lanes), readiness facts (11, + support's 3 for
# the tools-and-data check), and whether a viewer outside the business owner's role holds the
# final sign-off (who may retire). Fixed whatever the number of pilots, changes or entries.
ONE_PAGE_QUERIES = 49


@pytest.mark.parametrize("count", [1, 25])
def test_one_page_runs_a_fixed_number_of_queries(
    people, client_for, django_assert_num_queries, count
):
    pilot = make_pilots(people, count)[0]
    for _ in range(count):  # history and changes grow with the pilot's own edits too
        change_propose(pilot=pilot, by=people["owner"], kind="policy", title="p", hypothesis="h")
    client = client_for(people["reviewer"])
    with django_assert_num_queries(ONE_PAGE_QUERIES):
        response = client.get(reverse("pilots:detail", args=[pilot.pk]))
    assert response.status_code == 200


def test_one_page_reads_as_sentences_with_the_people_on_file(people, client_for, pilot):
    people["owner"].first_name, people["owner"].last_name = "Maria", "Lopez"
    people["owner"].save()
    page = (
        client_for(people["reviewer"])
        .get(reverse("pilots:detail", args=[pilot.pk]))
        .content.decode()
    )
    assert "<strong>Maria Lopez</strong> owns the outcome" in page
    assert "The AI stops and hands the task to tier-2 support when the order lookup fails." in page
    assert "They respond within 1 hour." in page


def test_one_page_shows_missing_parts_as_gaps(people, client_for):
    pilot = PilotFactory(
        handoff_conditions="", fallback_action="", override_cases=[], monthly_cap=None
    )
    PilotRole.objects.create(
        pilot=pilot, kind=PilotRole.Kind.BUSINESS_OWNER, primary=people["owner"]
    )
    page = (
        client_for(people["owner"]).get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    )
    assert "No handoff rule yet" in page
    assert "No fallback path written" in page
    assert "No override cases named" in page
    assert "No monthly cap set." in page
    assert "Nobody reviews the outputs yet." in page


def test_section_edit_opens_in_place_and_saving_returns_the_sentences(people, client_for, pilot):
    client = client_for(people["tech"])
    url = reverse("pilots:section", args=[pilot.pk, "handoff"])
    form = client.get(url, {"edit": 1}, **HTMX)
    assert b'<form method="post"' in form.content and b"<html" not in form.content
    saved = client.post(
        url,
        {
            "handoff_conditions": "a refund is mentioned.",
            "handoff_receiver": "the billing desk",
            "handoff_response_minutes": "30",
        },
        **HTMX,
    )
    assert saved.status_code == 200
    assert b"hands the task to the billing desk when a refund is mentioned." in saved.content
    pilot.refresh_from_db()
    assert pilot.handoff_response_minutes == 30


def test_a_validation_error_keeps_what_was_typed_next_to_the_field(people, client_for, pilot):
    client = client_for(people["owner"])
    response = client.post(
        reverse("pilots:section", args=[pilot.pk, "cost"]),
        {
            "monthly_cap": "-10",
            "alert_thresholds": "80, 50",
            "cost_per_task_limit": "0.75",
            "one_more_team_multiplier": "2",
            "busy_month_multiplier": "1.5",
            "savings_stop_minutes": "15",
        },
        **HTMX,
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="field-monthly_cap"' in page and "has-error" in page
    assert 'value="-10"' in page
    assert 'value="0.75"' in page
    pilot.refresh_from_db()
    assert str(pilot.cost_per_task_limit) == "0.5000"


def test_service_errors_land_next_to_their_field(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:section", args=[pilot.pk, "cost"]),
        {
            "monthly_cap": "100",
            "alert_thresholds": "80, 50",
            "one_more_team_multiplier": "2",
            "busy_month_multiplier": "1.5",
        },
        **HTMX,
    )
    assert "List each threshold once, from lowest to highest." in response.content.decode()
    assert 'value="80, 50"' in response.content.decode()


def test_list_fields_save_every_row_and_drop_empty_ones(people, client_for, pilot):
    client_for(people["owner"]).post(
        reverse("pilots:section", args=[pilot.pk, "cases"]),
        {
            "never_do": ["Approve refunds", "", "  Change account data "],
            "skip_ai_cases": [""],
            "override_cases": ["x"],
        },
        **HTMX,
    )
    pilot.refresh_from_db()
    assert pilot.never_do == ["Approve refunds", "Change account data"]
    assert pilot.skip_ai_cases == []


def test_without_javascript_a_saved_section_redirects_to_the_page(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:section", args=[pilot.pk, "fallback"]), {"fallback_action": "stop_workflow"}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"/pilots/{pilot.pk}/#section-fallback")


def test_guided_flow_creates_a_draft_and_walks_the_sections(people, client_for):
    client = client_for(people["stranger"])
    response = client.post(
        reverse("pilots:create"), {"name": "Invoice summaries", "new_team": "Finance", "next": ""}
    )
    pilot = Pilot.objects.get(name="Invoice summaries")
    assert pilot.status == Pilot.Status.DRAFT and pilot.team.name == "Finance"
    assert response["Location"] == reverse("pilots:wizard", args=[pilot.pk, "ownership"])
    response = client.post(
        reverse("pilots:wizard", args=[pilot.pk, "job"]),
        {"trigger": "month-end starts.", "next": ""},
    )
    assert response["Location"] == reverse("pilots:wizard", args=[pilot.pk, "cases"])
    response = client.post(
        reverse("pilots:wizard", args=[pilot.pk, "cases"]),
        {"never_do": ["Post entries"], "draft": ""},
    )
    assert response["Location"] == reverse("pilots:detail", args=[pilot.pk])
    pilot.refresh_from_db()
    assert (pilot.trigger, pilot.never_do) == ("month-end starts.", ["Post entries"])


def test_guided_flow_keeps_typed_text_when_a_step_is_invalid(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:wizard", args=[pilot.pk, "review"]),
        {
            "review_cadence": "weekly",
            "review_weekday": "0",
            "review_sample_size": "2",
            "next_review_date": "2026-12-07",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "has-error" in page and 'value="2026-12-07"' in page


def test_the_creator_must_name_the_pilot(people, client_for):
    response = client_for(people["owner"]).post(
        reverse("pilots:create"), {"name": "", "summary": "Kept text"}
    )
    assert "This field is required." in response.content.decode()
    assert 'value="Kept text"' in response.content.decode()


def test_role_edit_refuses_backup_equal_to_primary_in_place(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:role", args=[pilot.pk, "reviewer"]),
        {
            "primary": people["reviewer"].pk,
            "backup": people["reviewer"].pk,
            "response_minutes": "60",
        },
        **HTMX,
    )
    assert "The backup must be a different person from the primary." in response.content.decode()
    assert PilotRole.objects.get(pilot=pilot, kind="reviewer").backup == people["reviewer_backup"]


def test_role_edit_success_swaps_the_whole_ownership_section(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:role", args=[pilot.pk, "stop_authority"]),
        {
            "primary": people["stopper_backup"].pk,
            "backup": people["stopper"].pk,
            "response_minutes": "15",
        },
        **HTMX,
    )
    assert response["HX-Retarget"] == "#section-ownership"
    assert b'id="section-ownership"' in response.content


def test_the_stop_authority_pauses_from_the_page_and_the_history_shows_it(
    people, client_for, pilot
):
    client = client_for(people["stopper"])
    response = client.post(
        reverse("pilots:transition", args=[pilot.pk]),
        {"status": "paused", "reason": "Wrong refunds."},
        **HTMX,
    )
    assert response["HX-Redirect"] == reverse("pilots:detail", args=[pilot.pk])
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    assert "Piloting → <strong>Paused</strong>" in page and "Wrong refunds." in page


def test_a_transition_without_a_reason_shows_the_error_in_the_status_panel(
    people, client_for, pilot
):
    response = client_for(people["stopper"]).post(
        reverse("pilots:transition", args=[pilot.pk]), {"status": "paused", "reason": ""}, **HTMX
    )
    assert response.status_code == 200
    assert (
        b'id="status-panel"' in response.content and b"This field is required." in response.content
    )


def test_history_panel_names_who_changed_what(people, client_for, pilot):
    client = client_for(people["tech"])
    client.post(
        reverse("pilots:section", args=[pilot.pk, "setup"]),
        {"model_name": "GPT-5", "prompt_version": "v2", "data_sources": ["Help center"]},
        **HTMX,
    )
    page = client.get(reverse("pilots:detail", args=[pilot.pk])).content.decode()
    history = page[page.index('id="section-history"') :]
    assert "changed the one page" in history
    assert "<del>GPT-4.1 mini</del> → <ins>GPT-5</ins>" in history
