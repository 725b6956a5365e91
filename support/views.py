"""Browser views: the company guardrails, "Can I use this tool with this data?", the use-case
requests and their approval, and the data-source classes on a pilot's one page."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from common.errors import ApplicationError, PermissionDenied
from common.htmx import render_page_or_partial
from pilots import selectors as pilot_selectors
from pilots.models import Team
from pilots.onepage import onepage_context
from pilots.views import add_service_errors

from . import access, selectors, services
from .forms import (
    ApprovedToolForm,
    CanIUseForm,
    DataSourceClassForm,
    DecisionForm,
    UseCaseRequestForm,
)
from .models import ApprovedTool, UseCaseRequest
from .panels import support_panel_context

PAGE_SIZE = 50


@login_required
@require_GET
def guardrails(request):
    """The company guardrails, for everyone signed in: the rules people work by, in one place."""
    context = {
        "tools": selectors.approved_tool_list(),
        "data_classes": selectors.data_class_list(),
        "requirements": selectors.review_requirement_list(),
        "lanes": selectors.company_lane_list(),
        "paths": selectors.escalation_paths().values(),
        "may_manage": access.may_manage_register(request.user),
    }
    return render(request, "support/guardrails.html", context)


@login_required
@require_GET
def can_i_use(request):
    """Front-line staff ask about one tool and one kind of data and get a clear answer."""
    form = CanIUseForm(request.GET or None)
    answer = None
    if form.is_bound and form.is_valid():
        answer = selectors.can_i_use(
            tool=form.cleaned_data["tool"], data_class_id=form.cleaned_data["data_class"].pk
        )
    context = {
        "form": form,
        "answer": answer,
        "tool_names": selectors.approved_tool_names(),
        "data_classes": selectors.data_class_list(),
        "tools": selectors.approved_tool_list(),
    }
    return render_page_or_partial(request, "support/can_i_use.html", context, partial="answer")


# --- The register --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def tool_edit(request, tool_id: int | None = None):
    if not access.may_manage_register(request.user):
        raise HttpForbidden(services.MAY_NOT_MANAGE)
    tool = get_object_or_404(ApprovedTool, pk=tool_id) if tool_id else None
    if request.method == "POST":
        form = ApprovedToolForm(request.POST)
        if form.is_valid():
            try:
                services.approved_tool_save(by=request.user, tool=tool, **form.cleaned_data)
            except PermissionDenied as error:
                raise HttpForbidden(error.message) from error
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                return redirect(f"{reverse('support:guardrails')}#tools")
    elif tool is not None:
        form = ApprovedToolForm(
            initial={
                "name": tool.name,
                "approved_for": tool.approved_for,
                "data_classes": list(tool.data_classes.values_list("pk", flat=True)),
                "review_date": tool.review_date,
            }
        )
    else:
        form = ApprovedToolForm()
    status = 400 if request.method == "POST" else 200
    return render(request, "support/tool_edit.html", {"form": form, "tool": tool}, status=status)


@login_required
@require_POST
def tool_delete(request, tool_id: int):
    tool = get_object_or_404(ApprovedTool, pk=tool_id)
    try:
        services.approved_tool_delete(by=request.user, tool=tool)
    except PermissionDenied as error:
        raise HttpForbidden(error.message) from error
    return redirect(f"{reverse('support:guardrails')}#tools")


# --- Use-case requests ---------------------------------------------------------------------------


@login_required
@require_GET
def use_case_list(request):
    status = request.GET.get("status", "")
    if status not in UseCaseRequest.Status.values:
        status = ""
    page = Paginator(selectors.use_case_list(user=request.user, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    for item in page.object_list:
        item.waiting_for_me = item.status == UseCaseRequest.Status.PENDING and any(
            step.decision == step.Decision.PENDING and access.may_decide_step(request.user, step)
            for step in item.approvals.all()
        )
    context = {
        "page": page,
        "requests": page.object_list,
        "status": status,
        "statuses": UseCaseRequest.Status.choices,
        "sees_all": selectors.may_see_all_requests(request.user),
    }
    return render_page_or_partial(
        request, "support/use_case_list.html", context, partial="requests"
    )


def _request_form_context(form) -> dict:
    return {
        "form": form,
        "tool_names": selectors.approved_tool_names(),
        "team_names": list(Team.objects.order_by("name").values_list("name", flat=True)),
    }


@login_required
@require_http_methods(["GET", "POST"])
def use_case_new(request):
    """Anyone signed in proposes a new AI use case: what task, which team, which data, which tool."""
    if request.method == "POST":
        form = UseCaseRequestForm(request.POST)
        if form.is_valid():
            try:
                item = services.use_case_request_create(by=request.user, **form.cleaned_data)
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                return redirect("support:use-case", pk=item.pk)
    else:
        initial = {key: request.GET[key] for key in ("tool",) if request.GET.get(key)}
        if request.GET.get("data_class", "").isdigit():
            initial["data_classes"] = [int(request.GET["data_class"])]
        form = UseCaseRequestForm(initial=initial)
    status = 400 if request.method == "POST" else 200
    return render(request, "support/use_case_new.html", _request_form_context(form), status=status)


def _use_case_context(request, item: UseCaseRequest, form=None) -> dict:
    steps = list(item.approvals.all())
    for step in steps:
        step.request = item
        step.user_may_decide = (
            item.status == UseCaseRequest.Status.PENDING
            and step.decision == step.Decision.PENDING
            and access.may_decide_step(request.user, step)
        )
    lanes = selectors.company_lanes()
    return {
        "item": item,
        "steps": [(step, lanes.get(step.lane)) for step in steps],
        "may_decide": any(step.user_may_decide for step in steps),
        "decision_form": form or DecisionForm(),
    }


@login_required
@require_GET
def use_case_detail(request, pk: int):
    item = selectors.use_case_get(user=request.user, pk=pk)
    return render(request, "support/use_case_detail.html", _use_case_context(request, item))


@login_required
@require_POST
def use_case_decide(request, pk: int):
    item = selectors.use_case_get(user=request.user, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        try:
            services.use_case_decide(
                request=item,
                by=request.user,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                lane=request.POST.get("lane") or None,
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("support:use-case", args=[pk])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    item = selectors.use_case_get(user=request.user, pk=pk)
    context = _use_case_context(request, item, form)
    if request.htmx:
        return render(request, "support/use_case_detail.html#decision", context)
    return render(request, "support/use_case_detail.html", context, status=400)


# --- A pilot's data sources ----------------------------------------------------------------------


@login_required
@require_POST
def data_source_classify(request, pk: int):
    """Set (or clear) the data class of one of the pilot's data sources, from its one page."""
    pilot = pilot_selectors.pilot_get_full(user=request.user, pk=pk)
    form = DataSourceClassForm(request.POST)
    error_message = ""
    if form.is_valid():
        try:
            services.data_source_classify(
                pilot=pilot,
                by=request.user,
                source=form.cleaned_data["source"],
                data_class=form.cleaned_data["data_class"],
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            error_message = error.message
    else:
        error_message = "Pick a data class from the list."
    status = 400 if error_message else 200
    pilot = pilot_selectors.pilot_get_full(user=request.user, pk=pk)
    if request.htmx:
        context = {
            "pilot": pilot,
            **support_panel_context(pilot, request.user),
            "support_error": error_message,
        }
        return render(request, "support/panels/support.html#support-panel", context, status=status)
    if not error_message:
        return redirect(f"{reverse('pilots:detail', args=[pk])}#support-panel")
    context = {**onepage_context(pilot, request.user), "support_error": error_message}
    return render(request, "pilots/pilot_detail.html", context, status=status)
