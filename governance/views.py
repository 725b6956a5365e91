"""Browser views for decision rights and the change log; every write goes through services."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django_htmx.http import retarget

from common.errors import ApplicationError, PermissionDenied
from common.htmx import render_page_or_partial
from pilots import access, selectors
from pilots.access import scope_by_pilot
from pilots.onepage import onepage_context
from pilots.views import add_service_errors, announce_change

from . import services
from .forms import (
    ChangeDecisionForm,
    ChangeOutcomeForm,
    ChangeProposeForm,
    DecisionRightForm,
    RuleSettingsForm,
)
from .models import Change, DecisionRight, RuleSettings


def _panel(request, pilot_pk: int, template: str, *, status: int = 200, **extra):
    """Re-render a panel (htmx) or the whole one page (no JavaScript) with fresh data."""
    pilot = selectors.pilot_get_full(user=request.user, pk=pilot_pk)
    context = {**onepage_context(pilot, request.user), **extra}
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def decision_right_edit(request, pk: int, kind: str):
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    if kind not in DecisionRight.Kind.values:
        raise Http404("No such decision right.")
    if not access.can_edit(request.user, pilot):
        raise HttpForbidden("Only the pilot's owners assign decision rights.")
    right = DecisionRight.objects.filter(pilot=pilot, kind=kind).first()
    if request.method == "POST":
        form = DecisionRightForm(request.POST)
        if form.is_valid():
            try:
                services.decision_right_assign(
                    pilot=pilot, kind=kind, by=request.user, **form.cleaned_data
                )
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                if request.htmx:
                    return announce_change(
                        retarget(
                            _panel(
                                request,
                                pk,
                                "governance/panels/decision_rights.html#decision-rights",
                            ),
                            "#decision-rights",
                        )
                    )
                return redirect(f"{reverse('pilots:detail', args=[pk])}#decision-rights")
    else:
        form = DecisionRightForm(
            initial={"owner": right and right.owner_id, "backup": right and right.backup_id}
        )
    context = {"pilot": pilot, "form": form, "kind": kind, "label": DecisionRight.Kind(kind).label}
    return render_page_or_partial(
        request, "governance/decision_right_edit.html", context, partial="right-form"
    )


@login_required
@require_POST
def change_propose(request, pk: int):
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    form = ChangeProposeForm(request.POST)
    if form.is_valid():
        try:
            services.change_propose(pilot=pilot, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _panel(request, pk, "governance/panels/changes.html#change-log")
            return redirect(f"{reverse('pilots:detail', args=[pk])}#change-log")
    if request.htmx:
        return _panel(request, pk, "governance/panels/changes.html#change-log", change_form=form)
    return _panel(request, pk, "pilots/pilot_detail.html", status=400, change_form=form)


CHANGE_ACTIONS = {
    "decide": (
        ChangeDecisionForm,
        lambda change, by, data: services.change_decide(
            change=change, by=by, approve=data["decision"] == "approve", note=data["note"]
        ),
    ),
    "live": (None, lambda change, by, data: services.change_mark_live(change=change, by=by)),
    "outcome": (
        ChangeOutcomeForm,
        lambda change, by, data: services.change_record_outcome(
            change=change, by=by, verdict=data["verdict"], outcome=data["outcome"]
        ),
    ),
}


@login_required
@require_POST
def change_action(request, change_id: int, action: str):
    change = get_object_or_404(scope_by_pilot(request.user, Change.objects.all()), pk=change_id)
    if action not in CHANGE_ACTIONS:
        raise Http404("No such action.")
    form_class, perform = CHANGE_ACTIONS[action]
    form = form_class(request.POST) if form_class else None
    error_message = ""
    if form is None or form.is_valid():
        try:
            perform(change, request.user, form.cleaned_data if form else {})
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            error_message = error.message
    else:
        error_message = "; ".join(
            message for messages in form.errors.values() for message in messages
        )
    if request.htmx:
        return _panel(
            request,
            change.pilot_id,
            "governance/panels/changes.html#change-log",
            change_error=error_message,
            change_error_id=change.pk,
        )
    if error_message:
        return _panel(
            request,
            change.pilot_id,
            "pilots/pilot_detail.html",
            status=400,
            change_error=error_message,
            change_error_id=change.pk,
        )
    return redirect(f"{reverse('pilots:detail', args=[change.pilot_id])}#change-log")


@login_required
@require_http_methods(["GET", "POST"])
def rule_settings_edit(request, pk: int):
    pilot = selectors.pilot_get(user=request.user, pk=pk)
    if not access.can_edit(request.user, pilot):
        raise HttpForbidden("Only the pilot's owners change its stop rules.")
    instance = RuleSettings.objects.filter(pilot=pilot).first()
    form = RuleSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            services.rule_settings_update(pilot=pilot, by=request.user, data=data)
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            if request.htmx:
                return _panel(request, pk, "governance/panels/rules.html#rules-panel")
            return redirect(f"{reverse('pilots:detail', args=[pk])}#rules")
    context = {"pilot": pilot, "form": form}
    return render_page_or_partial(
        request, "governance/rule_settings_edit.html", context, partial="rules-form"
    )
