"""The week page: log samples in seconds, watch the figures move, write the notes, close the week."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from common.errors import ApplicationError, PermissionDenied
from pilots import access
from pilots.selectors import pilot_get
from pilots.views import add_service_errors

from .. import selectors, services
from ..forms import SampleForm, WeekCloseForm, WeekNotesForm
from ..models import ReviewWeek
from ..weeks import week_label

WEEK_TEMPLATE = "reviews/week.html"
SAMPLE_SAVED_EVENT = "reviews:sample-saved"
SCORE_FIELDS = ("accuracy_ok", "tone_ok", "completeness_ok")


def fragments(request, template: str, names: list[str], context: dict, *, status: int = 200):
    """Several named partials of one template in one response (the first swaps, the rest oob)."""
    html = "".join(
        render_to_string(f"{template}#{name}", {**context, "oob": index > 0}, request=request)
        for index, name in enumerate(names)
    )
    return HttpResponse(html, status=status)


def _week_or_404(pilot, label: str) -> ReviewWeek:
    week = selectors.week_by_label(pilot=pilot, iso_week=label)
    if week is None:
        raise Http404("This review week has not been opened.")
    week.pilot = pilot
    return week


def _week_context(request, week: ReviewWeek, **forms) -> dict:
    pilot = week.pilot
    user = request.user
    can_log = access.can_review(user, pilot)
    can_manage = services.may_manage_week(user, pilot)
    today = timezone.localdate()
    context = {
        "pilot": pilot,
        "week": week,
        "figures": selectors.week_figures(week=week),
        "samples": selectors.week_samples(week=week),
        "can_log": can_log and week.is_open,
        "can_manage": can_manage and week.is_open,
        "previous_week": week_label(week.week_start - timedelta(days=7)),
        "next_week": week_label(week.week_start + timedelta(days=7)),
        "this_week": week_label(today),
        "recent_weeks": selectors.week_neighbours(pilot=pilot),
    }
    if context["can_log"]:
        context["form"] = forms.get("form") or SampleForm.carrying(
            selectors.last_sample(week=week), week=week, today=today
        )
        context["editing"] = forms.get("editing")
        context["score_fields"] = SCORE_FIELDS
        context["known_producers"] = selectors.known_producers(pilot=pilot)
    if context["can_manage"]:
        context["notes_form"] = forms.get("notes_form") or WeekNotesForm(
            initial={"notes": week.notes, "target_size": week.target_size}
        )
        context["close_form"] = forms.get("close_form") or WeekCloseForm(
            week=week, initial={"next_change": week.next_change_id}
        )
    return context


@login_required
@require_GET
def week_current(request, pk: int):
    pilot = pilot_get(user=request.user, pk=pk)
    return redirect("reviews:week", pk=pilot.pk, week=week_label(timezone.localdate()))


@login_required
@require_GET
def week_page(request, pk: int, week: str):
    """The review week; a reviewer opening it for the first time creates it."""
    pilot = pilot_get(user=request.user, pk=pk)
    review_week = selectors.week_by_label(pilot=pilot, iso_week=week)
    if review_week is None:
        problem = ""
        if access.can_review(request.user, pilot):
            try:
                review_week = services.review_week_open(pilot=pilot, iso_week=week, by=request.user)
            except ApplicationError as error:
                problem = error.message
        if review_week is None:
            context = {
                "pilot": pilot,
                "iso_week": week,
                "problem": problem,
                "this_week": week_label(timezone.localdate()),
                "recent_weeks": selectors.week_neighbours(pilot=pilot),
            }
            return render(
                request, "reviews/week_missing.html", context, status=404 if problem else 200
            )
        review_week = selectors.week_by_label(pilot=pilot, iso_week=week)
    review_week.pilot = pilot
    return render(request, WEEK_TEMPLATE, _week_context(request, review_week))


@login_required
@require_POST
def sample_create(request, pk: int, week: str):
    """Save one row; htmx gets a fresh row (defaults carried) and the figures and table, out of band."""
    pilot = pilot_get(user=request.user, pk=pk)
    review_week = _week_or_404(pilot, week)
    if not access.can_review(request.user, pilot):
        raise HttpForbidden("Only the pilot's reviewers log samples.")
    form = SampleForm(request.POST, week=review_week)
    if form.is_valid():
        try:
            sample = services.sample_log(week=review_week, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                return redirect("reviews:week", pk=pilot.pk, week=week)
            fresh = SampleForm.carrying(sample, week=review_week, today=timezone.localdate())
            context = _week_context(request, review_week, form=fresh)
            context["saved"] = sample
            response = fragments(
                request, WEEK_TEMPLATE, ["sample-form", "figures", "samples"], context
            )
            return trigger_client_event(response, SAMPLE_SAVED_EVENT, {"id": sample.pk})
    context = _week_context(request, review_week, form=form)
    if request.htmx:
        return render(request, f"{WEEK_TEMPLATE}#sample-form", context)
    return render(request, WEEK_TEMPLATE, context, status=400)


@login_required
@require_POST
def sample_delete(request, sample_id: int):
    sample = get_object_or_404(
        selectors.sample_list(user=request.user).select_related("week", "pilot"), pk=sample_id
    )
    week = sample.week
    week.pilot = sample.pilot
    try:
        services.sample_delete(sample=sample, by=request.user)
    except PermissionDenied as error:
        raise HttpForbidden(error.message) from error
    except ApplicationError as error:
        context = {**_week_context(request, week), "sample_error": error.message}
        if not request.htmx:
            return render(request, WEEK_TEMPLATE, context, status=400)
        return fragments(request, WEEK_TEMPLATE, ["samples", "figures"], context)
    if not request.htmx:
        return redirect("reviews:week", pk=week.pilot_id, week=week.iso_week)
    context = _week_context(request, week)
    return fragments(request, WEEK_TEMPLATE, ["samples", "figures"], context)


def _sample_or_404(request, sample_id: int):
    sample = get_object_or_404(
        selectors.sample_list(user=request.user).select_related("week", "pilot"), pk=sample_id
    )
    sample.week.pilot = sample.pilot
    return sample


@login_required
@require_http_methods(["GET", "POST"])
def sample_edit(request, sample_id: int):
    """Correct a mis-logged sample in place: the row form turns into this sample's form (htmx), and
    saving puts the fresh log row, the figures and the table back."""
    sample = _sample_or_404(request, sample_id)
    week = sample.week
    if not access.can_review(request.user, sample.pilot):
        raise HttpForbidden("Only the pilot's reviewers correct samples.")
    if request.method == "GET":
        form = SampleForm.editing(sample, week=week)
    else:
        form = SampleForm(request.POST, week=week)
        if form.is_valid():
            try:
                services.sample_update(sample=sample, by=request.user, **form.cleaned_data)
            except PermissionDenied as error:
                raise HttpForbidden(error.message) from error
            except ApplicationError as error:
                add_service_errors(form, error)
            else:
                if not request.htmx:
                    return redirect("reviews:week", pk=week.pilot_id, week=week.iso_week)
                context = {**_week_context(request, week), "corrected": sample}
                return fragments(
                    request, WEEK_TEMPLATE, ["sample-form", "figures", "samples"], context
                )
    context = _week_context(request, week, form=form, editing=sample)
    if not context["can_log"]:
        context["sample_error"] = (
            f"Review week {week.iso_week} is closed: its samples stay as they are."
        )
    status = 400 if form.is_bound else 200
    if request.htmx and context["can_log"]:
        return render(request, f"{WEEK_TEMPLATE}#sample-form", context, status=status)
    if request.htmx:
        return fragments(request, WEEK_TEMPLATE, ["samples"], context, status=400)
    return render(request, WEEK_TEMPLATE, context, status=status)


@login_required
@require_POST
def week_notes(request, pk: int, week: str):
    pilot = pilot_get(user=request.user, pk=pk)
    review_week = _week_or_404(pilot, week)
    if not services.may_manage_week(request.user, pilot):
        raise HttpForbidden("Only the pilot's reviewers and owners keep its review weeks.")
    form = WeekNotesForm(request.POST)
    if form.is_valid():
        try:
            services.review_week_update(
                week=review_week, by=request.user, data=dict(form.cleaned_data)
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            if not request.htmx:
                return redirect("reviews:week", pk=pilot.pk, week=week)
            review_week = _week_or_404(pilot, week)
            context = {**_week_context(request, review_week), "notes_saved": True}
            return fragments(request, WEEK_TEMPLATE, ["notes", "figures"], context)
    context = _week_context(request, review_week, notes_form=form)
    if request.htmx:
        return render(request, f"{WEEK_TEMPLATE}#notes", context)
    return render(request, WEEK_TEMPLATE, context, status=400)


@login_required
@require_POST
def week_close(request, pk: int, week: str):
    pilot = pilot_get(user=request.user, pk=pk)
    review_week = _week_or_404(pilot, week)
    if not services.may_manage_week(request.user, pilot):
        raise HttpForbidden("Only the pilot's reviewers and owners close its review weeks.")
    form = WeekCloseForm(request.POST, week=review_week)
    if form.is_valid():
        try:
            services.review_week_close(week=review_week, by=request.user, **form.cleaned_data)
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            url = reverse("reviews:week", args=[pilot.pk, week])
            return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
    context = _week_context(request, review_week, close_form=form)
    if request.htmx:
        return render(request, f"{WEEK_TEMPLATE}#close", context)
    return render(request, WEEK_TEMPLATE, context, status=400)
