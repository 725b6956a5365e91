"""Browser views for the portfolio, the one page, in-place section edits and the guided create flow."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget, trigger_client_event

from common.errors import ApplicationError, PermissionDenied, StaleEdit
from common.htmx import render_page_or_partial
from common.stale import pop_version, stale_form

from . import access, selectors, services
from .forms import (
    BasicsForm,
    RoleForm,
    SectionForm,
    TransitionForm,
    add_service_errors,
    section_by_name,
)
from .models import Pilot, PilotRole
from .onepage import PILOT_CHANGED, onepage_context, panel_template
from .ownership_step import STEP as OWNERSHIP
from .ownership_step import OwnershipStep
from .portfolio import PAGE_SIZE, portfolio_page  # noqa: F401  (the bench reads PAGE_SIZE here)
from .sections import OWNERSHIP_STEP, WIZARD_STEPS

# Sections of the one page shown by these views but edited elsewhere (row by row).
DISPLAY_ONLY_SECTIONS = {"ownership", "status-panel"}


@login_required
@require_GET
def portfolio(request):
    """The portfolio health table, sorted and filtered on the server (pilots.portfolio)."""
    context = portfolio_page(user=request.user, query=request.GET)
    return render_page_or_partial(request, "pilots/portfolio.html", context, partial="pilot-table")


@login_required
@require_GET
def pilot_detail(request, pk: int):
    pilot = selectors.pilot_get_full(user=request.user, pk=pk)
    return render(request, "pilots/pilot_detail.html", onepage_context(pilot, request.user))


def _section_response(request, pilot: Pilot, section_name: str):
    pilot = selectors.pilot_get_full(user=request.user, pk=pilot.pk)
    context = onepage_context(pilot, request.user)
    return render(request, f"pilots/pilot_detail.html#section-{section_name}", context)


def announce_change(response):
    """Tell the page an in-place save changed the pilot: every panel that reads it refreshes."""
    return trigger_client_event(response, PILOT_CHANGED)


# Parts of the one page, besides its sections and the registered panels, that refresh themselves.
OWN_PANELS = {"status": "pilots/pilot_detail.html#status-panel"}


@login_required
@require_GET
def pilot_panel(request, pk: int, name: str):
    """One panel of the one page with fresh data, for the panels that refresh on a change."""
    template = OWN_PANELS.get(name) or panel_template(name)
    if template is None:
        raise Http404("No such panel.")
    pilot = selectors.pilot_get_full(user=request.user, pk=pk)
    return render(request, template, onepage_context(pilot, request.user))


@login_required
@require_http_methods(["GET", "POST"])
def pilot_section(request, pk: int, section: str):
    """GET ?edit=1 opens a section's form, GET shows it, POST saves it; htmx swaps the fragment."""
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    section_def = section_by_name(section)
    editing = request.method == "POST" or request.GET.get("edit")
    if section_def is None and (editing or section not in DISPLAY_ONLY_SECTIONS):
        raise Http404("No such section.")
    if editing and not access.can_edit(request.user, pilot):
        raise HttpForbidden("Only the pilot's owners edit its one page.")
    if not editing:
        if request.htmx:
            return _section_response(request, pilot, section)
        return redirect(f"{reverse('pilots:detail', args=[pk])}#section-{section}")

    conflict = None
    if request.method == "POST":
        form = SectionForm.bound_to(section_def, pilot, data=request.POST)
        if form.is_valid():
            expected = pop_version(form)
            try:
                services.pilot_update(
                    pilot=pilot,
                    by=request.user,
                    data=dict(form.cleaned_data),
                    expected_version=expected,
                )
            except PermissionDenied as error:
                raise HttpForbidden(error.message) from error
            except StaleEdit as stale:
                build = partial(SectionForm.bound_to, section_def)
                form, conflict = stale_form(build, request.POST, stale)
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                if request.htmx:
                    return announce_change(_section_response(request, pilot, section))
                return redirect(f"{reverse('pilots:detail', args=[pk])}#section-{section}")
    else:
        form = SectionForm.bound_to(section_def, pilot)
    context = {"pilot": pilot, "section": section_def, "form": form, "conflict": conflict}
    return render_page_or_partial(
        request, "pilots/section_edit.html", context, partial="section-form"
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_create(request):
    """Step one of the guided flow: the pilot exists (as a draft) from the first save."""
    form = BasicsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        if form.cleaned_data["new_team"]:
            team = services.team_get_or_create(name=form.cleaned_data["new_team"])
        try:
            pilot = services.pilot_create(
                by=request.user,
                name=form.cleaned_data["name"],
                team=team,
                summary=form.cleaned_data["summary"],
            )
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            if "draft" in request.POST:
                return redirect("pilots:detail", pk=pilot.pk)
            return redirect("pilots:wizard", pk=pilot.pk, step=WIZARD_STEPS[0])
    return render(
        request, "pilots/wizard.html", {"form": form, "steps": WIZARD_STEPS, "step": "basics"}
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_wizard(request, pk: int, step: str):
    """One section per step; 'save as draft' leaves the flow at any point with what is saved."""
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    if not access.can_edit(request.user, pilot):
        raise HttpForbidden("Only the pilot's owners edit its one page.")
    if step not in WIZARD_STEPS:
        raise Http404("No such step.")
    index = WIZARD_STEPS.index(step)
    if step == OWNERSHIP_STEP:
        return _ownership_step(request, pilot, index)
    section = section_by_name(step)
    if request.method == "POST":
        form = SectionForm.bound_to(section, pilot, data=request.POST)
        if form.is_valid():
            expected = pop_version(form)  # before the data is read: the version is not a field
            try:
                services.pilot_update(
                    pilot=pilot,
                    by=request.user,
                    data=dict(form.cleaned_data),
                    expected_version=expected,
                )
            except ApplicationError as error:  # a StaleEdit too: its message says who saved when
                add_service_errors(form, error)
            else:
                return _next_step(request, pilot, index)
    else:
        form = SectionForm.bound_to(section, pilot)
    return render(request, "pilots/wizard.html", _step_context(pilot, index, section, form=form))


def _next_step(request, pilot: Pilot, index: int):
    """Where a saved step goes: the page (draft, or the last step), back one, or on one."""
    if "draft" in request.POST or index == len(WIZARD_STEPS) - 1:
        return redirect("pilots:detail", pk=pilot.pk)
    if "back" in request.POST and index > 0:
        return redirect("pilots:wizard", pk=pilot.pk, step=WIZARD_STEPS[index - 1])
    return redirect("pilots:wizard", pk=pilot.pk, step=WIZARD_STEPS[index + 1])


def _step_context(pilot: Pilot, index: int, section, **extra) -> dict:
    return {
        "pilot": pilot,
        "section": section,
        "steps": WIZARD_STEPS,
        "step": WIZARD_STEPS[index],
        "step_number": index + 2,
        "step_count": len(WIZARD_STEPS) + 1,
        "is_last": index == len(WIZARD_STEPS) - 1,
        **extra,
    }


def _ownership_step(request, pilot: Pilot, index: int):
    """The owners with backups and response times, and the decision rights, saved as one."""
    step = OwnershipStep(pilot, request.POST if request.method == "POST" else None)
    if request.method == "POST" and step.is_valid() and step.save(by=request.user):
        return _next_step(request, pilot, index)
    context = _step_context(pilot, index, OWNERSHIP, ownership=step)
    return render(request, "pilots/wizard.html", context, status=200)


@login_required
@require_http_methods(["GET", "POST"])
def role_edit(request, pk: int, kind: str):
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    if kind not in PilotRole.Kind.values:
        raise Http404("No such role.")
    if not access.can_edit(request.user, pilot):
        raise HttpForbidden("Only the pilot's owners change its ownership matrix.")
    role = PilotRole.objects.filter(pilot=pilot, kind=kind).prefetch_related("members").first()
    if request.method == "POST":
        form = RoleForm(request.POST, kind=kind)
        if form.is_valid():
            try:
                services.role_assign(pilot=pilot, kind=kind, by=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                if request.htmx:
                    return announce_change(
                        retarget(
                            _section_response(request, pilot, "ownership"), "#section-ownership"
                        )
                    )
                return redirect(f"{reverse('pilots:detail', args=[pk])}#section-ownership")
    else:
        initial = {}
        if role:
            initial = {
                "primary": role.primary_id,
                "backup": role.backup_id,
                "response_minutes": role.response_minutes,
                "members": [member.pk for member in role.members.all()],
            }
        form = RoleForm(initial=initial, kind=kind)
    context = {"pilot": pilot, "form": form, "kind": kind, "label": PilotRole.Kind(kind).label}
    return render_page_or_partial(request, "pilots/role_edit.html", context, partial="role-form")


@login_required
@require_POST
def pilot_transition(request, pk: int):
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    if not (
        access.can_edit(request.user, pilot)
        or access.can_stop(request.user, pilot)
        or access.can_retire(request.user, pilot)
    ):
        raise HttpForbidden("Only the pilot's owners and its stop authority change its status.")
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            services.pilot_transition(
                pilot=pilot,
                to_status=form.cleaned_data["status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("pilots:detail", args=[pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = onepage_context(selectors.pilot_get_full(user=request.user, pk=pk), request.user)
    context["transition_form"] = form
    if request.htmx:
        return render(request, "pilots/pilot_detail.html#status-panel", context)
    return render(request, "pilots/pilot_detail.html", context, status=400)
