"""A pilot's name and a new team's name stay on one line in the browser, as the API requires.

Names go into e-mail subjects, page titles and CSV cells (common.validators.single_line): a line
break typed or pasted into a browser form is a field error next to the field, with the text kept
for correcting, and nothing is saved.
"""

import pytest
from django.urls import reverse

from pilots.models import Pilot, Team

pytestmark = pytest.mark.django_db

TWO_LINES = "Support\ndrafts"
MESSAGE = "Use one line of plain text: no line breaks or control characters."


def field_error(page: str, name: str) -> bool:
    """The error is shown inside the field's own block (templates/includes/field.html)."""
    start = page.find(f'id="field-{name}"')
    return start != -1 and MESSAGE in page[start : page.find("</div>", start)]


@pytest.mark.parametrize("name", [TWO_LINES, "Support\rdrafts", "Support\u2028drafts"])
def test_a_new_pilot_named_on_two_lines_is_refused_and_the_text_kept(people, client_for, name):
    response = client_for(people["owner"]).post(
        reverse("pilots:create"), {"name": name, "summary": "Kept text", "next": ""}
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert field_error(page, "name")
    assert f'value="{name}"' in page and 'value="Kept text"' in page
    assert not Pilot.objects.exists()


def test_a_new_team_named_on_two_lines_is_refused(people, client_for):
    response = client_for(people["owner"]).post(
        reverse("pilots:create"), {"name": "Invoice summaries", "new_team": "Fin\nance"}
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert field_error(page, "new_team")
    assert 'value="Fin\nance"' in page
    assert not Pilot.objects.exists() and not Team.objects.filter(name__contains="Fin").exists()


def test_a_name_on_one_line_is_saved_with_surrounding_space_trimmed(people, client_for):
    response = client_for(people["owner"]).post(
        reverse("pilots:create"), {"name": "  Invoice summaries\n", "draft": ""}
    )
    assert response.status_code == 302
    assert Pilot.objects.get().name == "Invoice summaries"


def test_renaming_a_pilot_on_its_page_to_two_lines_is_refused(people, client_for, pilot):
    response = client_for(people["owner"]).post(
        reverse("pilots:section", args=[pilot.pk, "basics"]),
        {"name": TWO_LINES, "summary": "Kept text", "team": ""},
    )
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert field_error(page, "name")
    assert f'value="{TWO_LINES}"' in page
    pilot.refresh_from_db()
    assert pilot.name == "Support drafts"
