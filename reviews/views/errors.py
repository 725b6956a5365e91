"""The error log in the browser: report bad output in seconds, complete entries, record fixes."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from common.errors import ApplicationError, PermissionDenied, StaleEdit
from common.htmx import render_page_or_partial
from common.stale import pop_version, stale_form
from pilots import access
from pilots.selectors import pilot_get
from pilots.views import add_service_errors

from .. import selectors, services
from ..forms import ErrorDetailsForm, ErrorFilterForm, ErrorFixForm, ReportForm, ResolveForm
from ..models import ErrorEntry
from ..panels import reviews_panel_context
from ..services.report_task import recent_tasks
from .weeks import fragments

PAGE_SIZE = 50
PANEL_TEMPLATE = "reviews/panels/reviews.html"


@login_required
@require_GET
def error_log(request, pk: int):
    """The pilot's error log, filtered by severity, status, category, failure mode or repeats."""
    pilot = pilot_get(user=request.user, pk=pk)
    modes = selectors.failure_modes(pilot=pilot)
    filters = ErrorFilterForm(request.GET or None, modes=modes)
    values = filters.cleaned_data if filters.is_bound and filters.is_valid() else {}
    entries = selectors.error_list(
        user=request.user,
        pilot=pilot,
        severity=values.get("severity", ""),
        status=values.get("status", ""),
        category=values.get("category", ""),
        failure_mode=values.get("failure_mode"),
        repeats_only=bool(values.get("repeats")),
    )
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "pilot": pilot,
        "filters": filters,
        "page": page,
        "entries": page.object_list,
        "query": query.urlencode(),
        "can_log": services.may_edit_error(request.user, pilot),
        "can_report": access.can_report(request.user, pilot),
    }
    return render_page_or_partial(request, "reviews/error_log.html", context, partial="error-table")


@login_required
@require_http_methods(["GET", "POST"])
def error_new(request, pk: int):
    """A full entry, for reviewers who log what they found in the weekly sample."""
    pilot = pilot_get(user=request.user, pk=pk)
    if not services.may_edit_error(request.user, pilot):
        raise HttpForbidden("Only the pilot's reviewers, owners and stop authority log errors.")
    form = ErrorDetailsForm(request.POST or None, initial={"occurred_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.error_log(pilot=pilot, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reviews:error", entry_id=entry.pk)
    context = {"pilot": pilot, "form": form, "modes": selectors.failure_modes(pilot=pilot)}
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/error_new.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def error_report(request, pk: int):
    """Report bad output: one required field. A stop-now report pauses the pilot at once."""
    pilot = pilot_get(user=request.user, pk=pk)
    if not access.can_report(request.user, pilot):
        raise HttpForbidden("Only people who can see this pilot report bad output on it.")
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            entry = services.error_report(pilot=pilot, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            pilot_url = reverse("pilots:detail", args=[pilot.pk])
            if entry.severity == ErrorEntry.Severity.STOP_NOW:
                # The whole page changes: the pilot is paused and the entry goes on top.
                return (
                    HttpResponseClientRedirect(pilot_url) if request.htmx else redirect(pilot_url)
                )
            if not request.htmx:
                return redirect("reviews:error", entry_id=entry.pk)
            pilot = pilot_get(user=request.user, pk=pk)
            context = {
                **reviews_panel_context(pilot, request.user),
                "pilot": pilot,
                "reported": entry,
            }
            return fragments(request, PANEL_TEMPLATE, ["report-done", "panel-errors"], context)
    context = {"pilot": pilot, "reviews_report_form": form}
    if not request.htmx:  # the report page offers the recent tasks to pick from
        context["recent_tasks"] = recent_tasks(pilot=pilot)
    if request.htmx:
        return render(request, f"{PANEL_TEMPLATE}#report-form", context)
    status = 400 if request.method == "POST" else 200
    return render(request, "reviews/report.html", context, status=status)


def _entry_context(request, entry: ErrorEntry, **forms) -> dict:
    user, pilot = request.user, entry.pilot
    can_edit = services.may_edit_error(user, pilot)
    can_fix = services.may_record_fix(user, pilot)
    is_open = entry.status == ErrorEntry.Status.OPEN
    context = {
        "pilot": pilot,
        "entry": entry,
        "can_edit": can_edit,
        "can_fix": can_fix,
        "can_resolve": is_open and services.may_resolve(user, entry),
        "repeats": list(entry.repeats.order_by("-created_at", "-id")),
    }
    if can_edit:
        context["details_form"] = forms.get("details") or ErrorDetailsForm.for_entry(entry)
        context["modes"] = selectors.failure_modes(pilot=pilot)
    if can_fix:
        context["fix_form"] = forms.get("fix") or ErrorFixForm.for_entry(entry)
    if context["can_resolve"]:
        context["resolve_form"] = forms.get("resolve") or ResolveForm()
    return context


@login_required
@require_GET
def error_detail(request, entry_id: int):
    entry = selectors.error_get(user=request.user, pk=entry_id)
    return render(request, "reviews/error_detail.html", _entry_context(request, entry))


@login_required
@require_POST
def error_edit(request, entry_id: int, part: str):
    """Save one part of an entry: its details, its fix, or its resolution."""
    entry = selectors.error_get(user=request.user, pk=entry_id)
    pilot = entry.pilot
    if part == "details":
        if not services.may_edit_error(request.user, pilot):
            raise HttpForbidden(
                "Only the pilot's reviewers, owners and stop authority edit entries."
            )
        form = ErrorDetailsForm.for_entry(entry, data=request.POST)
    elif part == "fix":
        if not services.may_record_fix(request.user, pilot):
            raise HttpForbidden("Only the pilot's owners and stop authority record fixes.")
        form = ErrorFixForm.for_entry(entry, data=request.POST)
    elif part == "resolve":
        if not services.may_resolve(request.user, entry):
            raise HttpForbidden("You may not resolve this entry.")
        form = ResolveForm(request.POST)
    else:
        raise Http404("No such part of an entry.")
    conflict = None
    if form.is_valid():
        try:
            if part == "resolve":
                services.error_resolve(entry=entry, by=request.user, note=form.cleaned_data["note"])
            else:
                expected = pop_version(form)  # the details and fix forms carry the version
                services.error_update(
                    entry=entry,
                    by=request.user,
                    data=dict(form.cleaned_data),
                    expected_version=expected,
                )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except StaleEdit as stale:
            # Someone saved since the form opened: nothing was saved; keep what was typed.
            build = ErrorDetailsForm.for_entry if part == "details" else ErrorFixForm.for_entry
            form, conflict = stale_form(build, request.POST, stale)
            entry = stale.current
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("reviews:error", args=[entry.pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = _entry_context(request, entry, **{part: form})
    context[f"{part}_conflict"] = conflict
    if request.htmx:
        return render(request, f"reviews/error_detail.html#entry-{part}", context)
    # A stale edit answers 200 like the one page's sections; a refused one 400.
    return render(
        request, "reviews/error_detail.html", context, status=400 if conflict is None else 200
    )
