"""The browser side of the CSV import: preview, confirm, line-and-field errors, encodings."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from costs.models import CostEntry

pytestmark = pytest.mark.django_db


def upload(text: str, name: str = "costs.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_import_previews_then_adds_everything_on_confirm(pilot, people, client_for):
    day = timezone.localdate().isoformat()
    text = f"pilot,date,category,amount\n{pilot.pk},{day},model_api,12.40\n{pilot.pk},{day},tool_fees,49\n"
    client = client_for(people["finance"])
    preview = client.post(reverse("costs:import"), {"file": upload(text)})
    assert preview.status_code == 200
    assert b"2 new entries" in preview.content and b"$61.40" in preview.content
    assert not CostEntry.objects.exists()
    digest = preview.context["digest"]
    done = client.post(reverse("costs:import"), {"confirm": "1", "digest": digest})
    assert done.status_code == 302
    assert CostEntry.objects.count() == 2
    again = client.post(reverse("costs:import"), {"confirm": "1", "digest": digest})
    assert again.status_code == 302 and CostEntry.objects.count() == 2  # the preview is used up


def test_a_file_with_a_bad_line_lists_line_and_field_and_imports_nothing(pilot, people, client_for):
    day = timezone.localdate().isoformat()
    text = f"pilot,date,category,amount\n{pilot.pk},{day},model_api,12.40\n{pilot.pk},{day},model_api,ten\n"
    response = client_for(people["finance"]).post(reverse("costs:import"), {"file": upload(text)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Nothing was imported." in page
    assert "line 3" in page and "<code>amount</code>" in page
    assert 'name="confirm"' not in page
    assert not CostEntry.objects.exists()


def test_import_with_a_default_pilot_from_the_pilots_page(pilot, people, client_for):
    client = client_for(people["owner"])
    form = client.get(reverse("costs:import"), {"pilot": pilot.pk})
    assert form.context["form"].initial == {"pilot": str(pilot.pk)}
    text = f"date,category,amount\n{timezone.localdate().isoformat()},tool_fees,9\n"
    preview = client.post(reverse("costs:import"), {"file": upload(text), "pilot": pilot.pk})
    response = client.post(
        reverse("costs:import"), {"confirm": "1", "digest": preview.context["digest"]}
    )
    assert response.url.startswith(reverse("costs:ledger", args=[pilot.pk]))
    assert CostEntry.objects.get().pilot == pilot


def test_a_file_that_is_not_utf8_is_refused_with_a_hint(people, client_for):
    response = client_for(people["finance"]).post(
        reverse("costs:import"), {"file": upload("x", "a.csv")}
    )
    assert response.status_code == 400
    bad = SimpleUploadedFile("a.csv", "pilot;montant\nété".encode("latin-1"))
    response = client_for(people["finance"]).post(reverse("costs:import"), {"file": bad})
    assert b"UTF-8" in response.content
