"""Browser views: the finance dashboard and its CSV downloads, a pilot's ledger, the CSV import.

Every write goes through costs.services; every figure comes from costs.selectors.
"""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.errors import ApplicationError, PermissionDenied, StaleEdit
from common.htmx import render_page_or_partial
from common.stale import VERSION, pop_version, stale_form
from pilots import access
from pilots import selectors as pilot_selectors
from pilots.views import add_service_errors
from traffic import figures as traffic_figures

from . import exports, selectors, services
from .charts import chart_data
from .forms import CostEntryForm, CostImportForm, DashboardFilterForm, TaskVolumeForm
from .models import CostEntry, Source
from .services.common import MAY_NOT_RECORD

LEDGER_PAGE_SIZE = 50
LEDGER_DAYS = 30


# --- The finance dashboard ---------------------------------------------------------------------


def _dashboard_data(request):
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    data = selectors.dashboard(user=request.user, **filters)
    return form, filters, data


@login_required
@require_GET
def dashboard(request):
    form, filters, data = _dashboard_data(request)
    query = request.GET.urlencode()
    context = {
        "form": form,
        "data": data,
        "filters": filters,
        "query": query,
        "chart_data": chart_data(data),
        "is_finance": access.is_finance(request.user) or access.is_admin(request.user),
        "csv_tables": exports.TABLES,
        "traffic_lines": traffic_figures.spend_lines(
            pilots=[row.pilot for row in data.rows], start=data.month.start, end=data.month.end
        ),
    }
    return render_page_or_partial(request, "costs/dashboard.html", context, partial="finance-body")


@login_required
@require_GET
def dashboard_csv(request, table: str):
    if table not in exports.TABLES:
        raise Http404("No such table.")
    _, filters, data = _dashboard_data(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"pilotdeck-{table}-{filters['month']:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    exports.write(table, data, response)
    return response


# --- A pilot's ledger --------------------------------------------------------------------------


def _ledger_context(request, pilot, *, entry_form=None, volume_form=None) -> dict:
    today = timezone.localdate()
    start = today - timedelta(days=LEDGER_DAYS - 1)
    may_record = services.may_record_costs(request.user, pilot)
    page = Paginator(selectors.pilot_entries(pilot=pilot), LEDGER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return {
        "pilot": pilot,
        "page": page,
        "days": selectors.daily_figures(pilot=pilot, start=start, end=today),
        "volumes": selectors.pilot_volumes(pilot=pilot, start=start, end=today),
        "may_record": may_record,
        "entry_form": entry_form or (CostEntryForm() if may_record else None),
        "volume_form": volume_form or (TaskVolumeForm() if may_record else None),
        "ledger_days": LEDGER_DAYS,
        "currency": settings.PILOTDECK_CURRENCY,
    }


def _ledger_url(pilot_pk: int, anchor: str = "") -> str:
    url = reverse("costs:ledger", args=[pilot_pk])
    return f"{url}#{anchor}" if anchor else url


@login_required
@require_GET
def ledger(request, pk: int):
    pilot = pilot_selectors.pilot_get_full(user=request.user, pk=pk)
    return render_page_or_partial(
        request, "costs/ledger.html", _ledger_context(request, pilot), partial="entries"
    )


@login_required
@require_POST
def entry_add(request, pk: int):
    pilot = pilot_selectors.pilot_get_full(user=request.user, pk=pk)
    form = CostEntryForm(request.POST)
    if form.is_valid():
        try:
            services.cost_entry_create(
                by=request.user, pilot=pilot, source=Source.MANUAL, **form.cleaned_data
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Cost recorded.")
            return redirect(_ledger_url(pk, "entries"))
    context = _ledger_context(request, pilot, entry_form=form)
    if request.htmx:
        return render(request, "costs/ledger.html#entry-form", context, status=400)
    return render(request, "costs/ledger.html", context, status=400)


@login_required
@require_POST
def volume_set(request, pk: int):
    pilot = pilot_selectors.pilot_get_full(user=request.user, pk=pk)
    form = TaskVolumeForm(request.POST)
    if form.is_valid():
        try:
            volume, status = services.task_volume_set(
                by=request.user, pilot=pilot, **form.cleaned_data
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            verb = {"created": "recorded", "replaced": "replaced", "unchanged": "unchanged"}[status]
            messages.success(
                request, f"{volume.completed} completed tasks on {volume.date:%-d %b %Y} {verb}."
            )
            return redirect(_ledger_url(pk, "volumes"))
    context = _ledger_context(request, pilot, volume_form=form)
    if request.htmx:
        return render(request, "costs/ledger.html#volume-form", context, status=400)
    return render(request, "costs/ledger.html", context, status=400)


def _visible_entry(request, entry_id: int) -> CostEntry:
    return get_object_or_404(selectors.entry_list(user=request.user), pk=entry_id)


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, entry_id: int):
    """Correct an entry. The form carries the version it was opened at: a save over someone
    else's newer correction is refused and shown beside what was typed (saving again replaces it)."""
    entry = _visible_entry(request, entry_id)
    if not services.may_record_costs(request.user, entry.pilot):
        raise HttpForbidden(MAY_NOT_RECORD)
    form = CostEntryForm.for_entry(entry, data=request.POST if request.method == "POST" else None)
    conflict = None
    if request.method == "POST" and form.is_valid():
        expected = pop_version(form)
        data = {name: form.cleaned_data[name] for name in form.changed_data if name != VERSION}
        try:
            services.cost_entry_update(
                entry=entry, by=request.user, data=data, expected_version=expected
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except StaleEdit as stale:
            form, conflict = stale_form(CostEntryForm.for_entry, request.POST, stale)
            entry = stale.current
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "Cost corrected.")
            return redirect(_ledger_url(entry.pilot_id, "entries"))
    context = {"entry": entry, "pilot": entry.pilot, "form": form, "conflict": conflict}
    if request.method == "POST" and conflict is None:
        return render(request, "costs/entry_edit.html", context, status=400)
    # A stale edit answers 200 like the one page's sections, so that htmx swaps the form in.
    return render_page_or_partial(request, "costs/entry_edit.html", context, partial="entry-form")


@login_required
@require_POST
def entry_delete(request, entry_id: int):
    entry = _visible_entry(request, entry_id)
    try:
        services.cost_entry_delete(entry=entry, by=request.user)
    except PermissionDenied as error:
        raise HttpForbidden(error.message) from error
    messages.success(request, "Cost deleted.")
    return redirect(_ledger_url(entry.pilot_id, "entries"))


# --- CSV import --------------------------------------------------------------------------------

SESSION_KEY = "costs_import"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


@login_required
@require_http_methods(["GET", "POST"])
def cost_import(request):
    """Upload → preview (what would be added, or every wrong line) → confirm. All lines or none.

    Between preview and confirm the file's text waits in the session, never on disk; the confirm
    form carries its digest so a stale preview cannot import a different file."""
    pilots = access.scope_pilots(request.user).order_by("name")
    if request.method == "GET":
        initial = (
            {"pilot": request.GET.get("pilot")} if request.GET.get("pilot", "").isdigit() else {}
        )
        form = CostImportForm(pilots=pilots, initial=initial)
        return render(request, "costs/import.html", {"form": form})

    if "confirm" in request.POST:
        return _import_confirm(request)
    form = CostImportForm(request.POST, request.FILES, pilots=pilots)
    if not form.is_valid():
        return render(request, "costs/import.html", {"form": form}, status=400)
    text, default_pilot = form.cleaned_data["file"], form.cleaned_data["pilot"]
    preview = services.cost_csv_preview(by=request.user, text=text, default_pilot=default_pilot)
    digest = _digest(text)
    if preview.ok:
        request.session[SESSION_KEY] = {
            "text": text,
            "digest": digest,
            "pilot": default_pilot.pk if default_pilot else None,
            "name": request.FILES["file"].name,
        }
    context = {
        "form": form,
        "preview": preview,
        "digest": digest,
        "filename": request.FILES["file"].name,
    }
    return render(request, "costs/import.html", context, status=200 if preview.ok else 400)


def _import_confirm(request):
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("digest") != request.POST.get("digest"):
        messages.error(request, "That preview has expired: upload the file again.")
        return redirect("costs:import")
    default_pilot = None
    if pending["pilot"]:
        default_pilot = access.scope_pilots(request.user).filter(pk=pending["pilot"]).first()
    try:
        result = services.cost_csv_import(
            by=request.user, text=pending["text"], default_pilot=default_pilot
        )
    except services.RowErrors:
        # Something changed since the preview (a pilot, a permission): show the lines again.
        preview = services.cost_csv_preview(
            by=request.user, text=pending["text"], default_pilot=default_pilot
        )
        form = CostImportForm(pilots=access.scope_pilots(request.user).order_by("name"))
        context = {"form": form, "preview": preview, "filename": pending.get("name", "")}
        return render(request, "costs/import.html", context, status=400)
    del request.session[SESSION_KEY]
    created, existing = result.count("created"), result.count("existing")
    note = f" ({existing} already imported, left alone)" if existing else ""
    messages.success(
        request, f"Imported {created} cost entr{'y' if created == 1 else 'ies'}{note}."
    )
    if default_pilot is not None:
        return redirect(_ledger_url(default_pilot.pk, "entries"))
    return redirect("costs:dashboard")
