"""Browser views for the portfolio, the one page, in-place section edits and the guided create flow."""

from functools import partial

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, retarget

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
from .onepage import onepage_context
from .sections import WIZARD_STEPS

# Sections of the one page shown by these views but edited elsewhere (row by row).
DISPLAY_ONLY_SECTIONS = {"ownership", "status-panel"}


PAGE_SIZE = 50


@login_required
@require_GET
def portfolio(request):
    status = request.GET.get("status", "")
    team = request.GET.get("team", "")
    if status not in Pilot.Status.values:
        status = ""
    if not team.isdigit():
        team = ""
    page = Paginator(
        selectors.pilot_list(user=request.user, status=status, team=team or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    pilots = list(page.object_list)
    for pilot in pilots:
        by_kind = {role.kind: role for role in pilot.required_roles}
        pilot.owner_role = by_kind.get(PilotRole.Kind.BUSINESS_OWNER)
    context = {
        "pilots": pilots,
        "page": page,
        "teams": selectors.team_list(),
        "statuses": Pilot.Status.choices,
        "current_status": status,
        "current_team": team,
    }
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
                    return _section_response(request, pilot, section)
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
    section = section_by_name(step)
    if section is None or step not in WIZARD_STEPS:
        raise Http404("No such step.")
    index = WIZARD_STEPS.index(step)
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
                if "draft" in request.POST or index == len(WIZARD_STEPS) - 1:
                    return redirect("pilots:detail", pk=pilot.pk)
                if "back" in request.POST and index > 0:
                    return redirect("pilots:wizard", pk=pilot.pk, step=WIZARD_STEPS[index - 1])
                return redirect("pilots:wizard", pk=pilot.pk, step=WIZARD_STEPS[index + 1])
    else:
        form = SectionForm.bound_to(section, pilot)
    context = {
        "pilot": pilot,
        "form": form,
        "section": section,
        "steps": WIZARD_STEPS,
        "step": step,
        "step_number": index + 2,
        "step_count": len(WIZARD_STEPS) + 1,
        "is_last": index == len(WIZARD_STEPS) - 1,
    }
    return render(request, "pilots/wizard.html", context)


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
                    return retarget(
                        _section_response(request, pilot, "ownership"), "#section-ownership"
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
