"""The review queue in the browser: one drawn item at a time, scored from the keyboard."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from common.errors import ApplicationError, PermissionDenied
from pilots import access
from pilots.selectors import pilot_get
from pilots.views import add_service_errors

from .. import selectors
from ..models import QueueItem
from ..queue_forms import QueueScoreForm, SkipForm
from ..selectors import queue as queue_selectors
from ..services import draw as draw_services
from ..services import queue as queue_services
from .weeks import _week_or_404

TEMPLATE = "reviews/queue.html"


def _context(request, week, *, item=None, form=None, skip_form=None, problem="") -> dict:
    pilot = week.pilot
    return {
        "pilot": pilot,
        "week": week,
        "item": item,
        "candidate": item.candidate if item else None,
        "form": form,
        "skip_form": skip_form or SkipForm(),
        "problem": problem,
        "draw": queue_selectors.week_draw(week=week),
        "has_pool": queue_selectors.week_has_pool(week=week),
        "progress": queue_selectors.queue_progress(week=week),
        "agreement": queue_selectors.agreement_of(week=week),
        "figures": selectors.week_figures(week=week),
        "can_review": access.can_review(request.user, pilot) and week.is_open,
    }


@login_required
@require_GET
def queue_page(request, pk: int, week: str):
    """The next item for this reviewer (held for them while they score it), or the week's queue
    when there is nothing left: progress, agreement, who reviewed what."""
    pilot = pilot_get(user=request.user, pk=pk)
    review_week = _week_or_404(pilot, week)
    item = form = None
    if access.can_review(request.user, pilot) and review_week.is_open:
        item = queue_services.queue_next(week=review_week, by=request.user)
        if item is not None:
            last = queue_selectors.pilot_last_sample(pilot_id=pilot.pk)
            form = QueueScoreForm.for_item(item, week=review_week, last=last)
    return render(request, TEMPLATE, _context(request, review_week, item=item, form=form))


@login_required
@require_POST
def queue_draw(request, pk: int, week: str):
    pilot = pilot_get(user=request.user, pk=pk)
    review_week = _week_or_404(pilot, week)
    try:
        draw_services.review_week_draw(week=review_week, by=request.user)
    except PermissionDenied as error:
        raise HttpForbidden(error.message) from error
    except ApplicationError as error:
        context = _context(request, review_week, problem=error.message)
        return render(request, TEMPLATE, context, status=400)
    return redirect("reviews:queue", pk=pilot.pk, week=week)


def _item_or_404(request, item_id: int) -> QueueItem:
    item = get_object_or_404(
        QueueItem.objects.select_related("week__pilot", "candidate").filter(
            week_id__in=selectors.week_list(user=request.user).values("id")
        ),
        pk=item_id,
    )
    return item


@login_required
@require_POST
def queue_score(request, item_id: int):
    item = _item_or_404(request, item_id)
    week = item.week
    if not access.can_review(request.user, week.pilot):
        raise HttpForbidden("Only the pilot's reviewers work through its queue.")
    form = QueueScoreForm(request.POST, week=week)
    if form.is_valid():
        try:
            queue_services.queue_item_score(
                item=item, by=request.user, scores=form.scores(), error=form.error()
            )
        except PermissionDenied as error:
            raise HttpForbidden(error.message) from error
        except ApplicationError as error:
            add_service_errors(form, error)
        else:
            return redirect("reviews:queue", pk=week.pilot_id, week=week.iso_week)
    context = _context(request, week, item=item, form=form)
    return render(request, TEMPLATE, context, status=400)


@login_required
@require_POST
def queue_skip(request, item_id: int):
    item = _item_or_404(request, item_id)
    week = item.week
    if not access.can_review(request.user, week.pilot):
        raise HttpForbidden("Only the pilot's reviewers work through its queue.")
    skip_form = SkipForm(request.POST)
    if skip_form.is_valid():
        try:
            queue_services.queue_item_skip(
                item=item, by=request.user, reason=skip_form.cleaned_data["skip_reason"]
            )
        except ApplicationError as error:
            add_service_errors(skip_form, error)
        else:
            return redirect("reviews:queue", pk=week.pilot_id, week=week.iso_week)
    last = queue_selectors.pilot_last_sample(pilot_id=week.pilot_id)
    form = QueueScoreForm.for_item(item, week=week, last=last)
    context = _context(request, week, item=item, form=form, skip_form=skip_form)
    return render(request, TEMPLATE, context, status=400)
