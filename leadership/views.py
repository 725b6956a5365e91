"""The leadership dashboard and its CSV downloads."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as HttpForbidden
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from pilots import access as pilot_access
from traffic import figures as traffic_figures

from . import access, exports, selectors
from .charts import chart_data


def _data(request) -> selectors.Dashboard:
    if not access.may_view(request.user):
        raise HttpForbidden(access.MAY_NOT_VIEW)
    return selectors.dashboard(user=request.user)


@login_required
@require_GET
def dashboard(request):
    data = _data(request)
    context = {
        "data": data,
        "chart_data": chart_data(data),
        "csv_tables": exports.TABLES,
        "sees_all": pilot_access.is_admin(request.user) or pilot_access.is_finance(request.user),
        "window_days": selectors.WINDOW_DAYS,
    }
    context["traffic_adoption_weeks"], context["traffic_adoption"] = (
        traffic_figures.adoption_by_team(pilots=[row.pilot for row in data.rows], today=data.today)
    )
    context["traffic_barely_percent"] = int(traffic_figures.BARELY_SHARE * 100)
    return render(request, "leadership/dashboard.html", context)


@login_required
@require_GET
def dashboard_csv(request, table: str):
    if table not in exports.TABLES:
        raise Http404("No such table.")
    data = _data(request)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="pilotdeck-leadership-{table}-{data.today:%Y-%m-%d}.csv"'
    )
    exports.write(table, data, response)
    return response
