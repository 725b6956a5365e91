"""Names, notes and error descriptions that contain HTML or script are shown as text everywhere.

Pages escape them (no tag of ours is ever built from them, no link runs script), alert e-mails are
plain text, and every CSV cell that a spreadsheet would run as a formula (= + - @, tab, carriage
return) is neutralised with a leading quote.
"""

import csv
import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from costs.exports import TABLES as COST_TABLES
from governance.models import Alert, AlertDelivery, Change
from governance.services.alerts import alert_deliver
from leadership.exports import TABLES as LEADERSHIP_TABLES
from reviews.models import ErrorEntry
from reviews.weeks import week_label
from support import services as support_services
from support.models import ApprovedTool, DataClass
from tests.costs.factories import record_cost, record_tasks
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, TeamFactory
from tests.reviews.factories import (
    ErrorEntryFactory,
    FailureModeFactory,
    ReviewWeekFactory,
    SampleFactory,
)

SCRIPT = '<script>alert("pwned")</script>'
IMG = "<img src=x onerror=alert(1)>"
SHOWN_SCRIPT = escape(SCRIPT)  # &lt;script&gt;alert(&quot;pwned&quot;)&lt;/script&gt;
SHOWN_IMG = escape(IMG)
FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+SUM(1,2)",
    "-2+3+cmd|'/C calc'!A0",
    "@SUM(A1)",
]
SCRIPT_LINK = "javascript://%0Aalert(document.cookie)"


@pytest.fixture
def hostile(people):
    """A pilot whose every free-text field people fill in carries HTML or script."""
    people["reviewer"].first_name = IMG
    people["reviewer"].save(update_fields=["first_name"])
    pilot = PilotFactory(
        name=f"Refund drafts {SCRIPT}",
        team=TeamFactory(name=f"Support {IMG}"),
        summary=f"Drafts replies {IMG}",
        trigger=SCRIPT,
        never_do=[SCRIPT, "Approve refunds"],
        skip_ai_cases=[IMG],
        data_sources=[f"Orders {SCRIPT}"],
        tools=[IMG],
    )
    staff_pilot(pilot, people)
    today = timezone.localdate()
    week = ReviewWeekFactory(pilot=pilot, notes=SCRIPT)
    mode = FailureModeFactory(pilot=pilot, label=f"Invented {IMG}", slug="invented")
    error = ErrorEntryFactory(
        pilot=pilot,
        what_went_wrong=SCRIPT,
        why_wrong=IMG,
        output=SCRIPT,
        task_asked=IMG,
        reference=SCRIPT_LINK,
        failure_mode=mode,
        severity=ErrorEntry.Severity.MEDIUM,
        reported_by=people["reviewer"],
    )
    SampleFactory(week=week, reference=SCRIPT_LINK, produced_by=IMG, note=SCRIPT, error=error)
    Change.objects.create(
        pilot=pilot, kind="policy", title=SCRIPT, hypothesis=IMG, requested_by=people["owner"]
    )
    record_cost(pilot, people["owner"], amount="12.00", note=SCRIPT, task_type=IMG)
    record_tasks(pilot, people["owner"], completed=30, day=today - timedelta(days=1))
    Alert.objects.create(
        pilot=pilot,
        rule="review_overdue",
        period=str(today),
        dedupe_key=f"{pilot.pk}:review_overdue:{today}",
        message=f"The review of {pilot.name} is overdue.",
        next_step=SCRIPT,
        figures={"note": IMG},
    )
    data_class = DataClass.objects.create(name=f"Client {IMG}", rule=SCRIPT, aliases=[SCRIPT])
    tool = ApprovedTool.objects.create(name=f"Chat {IMG}", approved_for=SCRIPT)
    tool.data_classes.add(data_class)
    use_case = support_services.use_case_request_create(
        by=people["owner"],
        name=f"Renewals {SCRIPT}",
        task=IMG,
        team_name="Sales",
        data_classes=[data_class],
        tool=f"Notetaker {SCRIPT}",
    )
    return {"pilot": pilot, "week": week, "error": error, "use_case": use_case}


def pages(h) -> dict[str, str]:
    pilot = h["pilot"]
    return {
        "portfolio": "/",
        "one page": f"/pilots/{pilot.pk}/",
        "week page": f"/pilots/{pilot.pk}/reviews/{week_label(h['week'].week_start)}/",
        "error log": f"/pilots/{pilot.pk}/errors/",
        "error entry": f"/errors/{h['error'].pk}/",
        "finance dashboard": "/finance/",
        "ledger": f"/pilots/{pilot.pk}/costs/",
        "audit trail": "/audit/",
        "leadership": "/leadership/",
        "guardrails": "/guardrails/",
        "use cases": "/use-cases/",
        "use case": f"/use-cases/{h['use_case'].pk}/",
    }


def test_html_and_script_in_what_people_typed_is_shown_as_text_on_every_page(
    hostile, people, client_for
):
    client = client_for(people["admin"])
    problems = []
    for name, url in pages(hostile).items():
        response = client.get(url)
        html = response.content.decode()
        if response.status_code != 200:
            problems.append(f"{name}: {response.status_code}")
            continue
        for raw in (SCRIPT, IMG, "<script>alert", "<img src=x"):
            if raw in html:
                problems.append(f"{name}: {raw!r} is in the page as markup")
        if SHOWN_SCRIPT not in html and SHOWN_IMG not in html:
            problems.append(f"{name}: the hostile text is not shown at all (nothing was tested)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        (lambda h: f"/pilots/{h['pilot'].pk}/", [SHOWN_SCRIPT, SHOWN_IMG]),
        (lambda h: f"/errors/{h['error'].pk}/", [SHOWN_SCRIPT, SHOWN_IMG]),
        (lambda h: "/audit/", [SHOWN_SCRIPT]),
    ],
    ids=["one page", "error entry", "audit trail"],
)
def test_the_text_itself_reaches_the_reader_escaped(hostile, people, client_for, url, shown):
    html = client_for(people["admin"]).get(url(hostile)).content.decode()
    for text in shown:
        assert text in html


def test_a_reference_that_is_a_script_url_is_never_a_link(hostile, people, client_for):
    """A ticket reference with "://" becomes a link only when it is a web address."""
    client = client_for(people["admin"])
    for url in (
        f"/pilots/{hostile['pilot'].pk}/reviews/{week_label(hostile['week'].week_start)}/",
        f"/errors/{hostile['error'].pk}/",
    ):
        html = client.get(url).content.decode()
        assert 'href="javascript:' not in html.lower()
        assert SCRIPT_LINK in html  # still shown, as text


def test_a_web_reference_is_still_a_link(people, client_for):
    pilot = PilotFactory()
    staff_pilot(pilot, people)
    entry = ErrorEntryFactory(pilot=pilot, reference="https://help.example.com/tickets/42")
    html = client_for(people["owner"]).get(f"/errors/{entry.pk}/").content.decode()
    assert 'href="https://help.example.com/tickets/42"' in html


def test_chart_data_in_a_page_cannot_close_its_script_element(hostile, people, client_for):
    html = client_for(people["admin"]).get("/finance/").content.decode()
    assert 'id="finance-chart-data"' in html
    assert "</script><" not in html.split('id="finance-chart-data"', 1)[1].split("</script>", 1)[0]


# --- E-mails ------------------------------------------------------------------------------------


def test_alert_emails_are_plain_text_with_the_name_as_written(hostile, people):
    alert = Alert.objects.get(pilot=hostile["pilot"])
    delivery = AlertDelivery.objects.create(
        alert=alert, channel=AlertDelivery.Channel.EMAIL, target="stopper@example.com"
    )

    alert_deliver(delivery_id=delivery.pk)

    [message] = mail.outbox
    assert message.content_subtype == "plain"
    assert not getattr(message, "alternatives", [])  # no HTML part a mail reader would render
    assert hostile["pilot"].name in message.subject
    assert SCRIPT in message.body  # as text: a plain-text body is never rendered as markup


def test_a_line_break_cannot_get_into_a_pilot_name_through_the_api(people, api_for):
    """A name goes into e-mail subjects: a line break there would break (or inject) a header."""
    api = api_for(people["owner"])
    for name in ("Refunds\nBcc: attacker@example.com", "Refunds\r\nX-Injected: 1"):
        response = api.post("/api/pilots", {"name": name}, format="json")
        assert response.status_code == 400, response.data
        assert "name" in response.data


# --- CSV ----------------------------------------------------------------------------------------


def cells(response) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(response.content.decode())) for cell in row]


def is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


@pytest.fixture
def formula_pilots(people):
    """Pilots, teams and error descriptions that a spreadsheet would run as formulas."""
    made = []
    for index, text in enumerate(FORMULAS):
        pilot = PilotFactory(name=text, team=TeamFactory(name=FORMULAS[-1 - index]))
        staff_pilot(pilot, people)
        record_cost(pilot, people["owner"], amount="5.00", note=text)
        record_tasks(pilot, people["owner"], completed=10)
        ErrorEntryFactory(pilot=pilot, what_went_wrong=text, category="data_handling")
        made.append(pilot)
    return made


@pytest.mark.parametrize(
    "url",
    [f"/finance/export/{table}.csv" for table in COST_TABLES]
    + [f"/leadership/export/{table}.csv" for table in LEADERSHIP_TABLES],
)
def test_no_csv_cell_can_run_as_a_formula(formula_pilots, people, client_for, url):
    response = client_for(people["admin"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    dangerous = [
        cell
        for cell in cells(response)
        if cell.startswith(("=", "+", "@", "\t", "\r"))
        or (cell.startswith("-") and not is_number(cell))
    ]
    assert not dangerous


def test_formula_text_is_kept_after_the_quote(formula_pilots, people, client_for):
    found = cells(client_for(people["admin"]).get("/finance/export/caps.csv"))
    for text in FORMULAS:
        assert f"'{text}" in found
