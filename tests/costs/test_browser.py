"""Finance in Chromium: the dashboard draws its charts, filters by team, and downloads a CSV."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.costs.factories import record_cost, record_tasks
from tests.fixtures import staff_pilot
from tests.pilots.factories import PilotFactory, TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# True when the canvas has at least one drawn (non-transparent) pixel.
CANVAS_HAS_INK = """(id) => {
  const canvas = document.getElementById(id);
  if (!canvas || !canvas.width || !canvas.height) return false;
  const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
  for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
  return false;
}"""


def sign_in(page: Page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.press("#id_password", "Enter")
    page.wait_for_url(f"{base_url}/")


def test_finance_opens_the_dashboard_sees_charts_filters_by_team_and_downloads_csv(
    page: Page, live_server, people, tmp_path: Path
):
    support = PilotFactory(name="Support drafts", team=TeamFactory(name="Customer Support"))
    sales = PilotFactory(name="Sales summaries", team=TeamFactory(name="Sales"), monthly_cap=400)
    for pilot, model, hours, tasks in ((support, "5.40", "4.5", 180), (sales, "1.20", "0.3", 60)):
        staff_pilot(pilot, people)
        record_cost(pilot, people["owner"], amount=model)
        record_cost(pilot, people["owner"], category="reviewer_time", hours=hours, rate="40")
        record_tasks(pilot, people["owner"], completed=tasks)

    sign_in(page, live_server.url, people["finance"].username)
    page.get_by_role("link", name="Finance").click()
    expect(page.get_by_role("heading", name="Spend and cost per task")).to_be_visible()
    for chart in ("chart-caps", "chart-per-task", "chart-trend"):
        expect(page.locator(f"#{chart}")).to_be_visible()
        page.wait_for_function(CANVAS_HAS_INK, arg=chart)
    caps = page.locator("#table-caps tbody tr")
    expect(caps).to_have_count(2)

    page.select_option("#id_team", label="Sales")
    expect(caps).to_have_count(1)
    expect(caps.first).to_contain_text("Sales summaries")
    assert "team=" in page.url
    page.wait_for_function(CANVAS_HAS_INK, arg="chart-caps")  # redrawn after the swap

    with page.expect_download() as download_info:
        page.get_by_test_id("csv-caps").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    assert download.suggested_filename.startswith("pilotdeck-caps-")
    rows = list(csv.reader(io.StringIO(saved.read_text())))
    assert rows[0][:2] == ["Pilot", "Team"]
    assert [row[0] for row in rows[1:]] == ["Sales summaries"]
    assert rows[1][5] == "13.20"  # 1.20 of model calls + 0.3 h × 40
