"""The portfolio health table: every pilot a person may see, with its health at a glance.

Health (open alerts, readiness, spend against the cap, the last closed review week's error rate)
comes from the apps above pilots: one registered provider answers for a list of pilot ids in a
fixed number of queries (governance: governance/portfolio.py). The table is sorted and filtered on
the server; sorting by a health column, or asking for "needs attention", reads the health of every
pilot the filters leave, and otherwise only that of the page shown.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import F
from django.utils import timezone

from common.money import format_money

from . import selectors
from .access import scope_pilots
from .models import Pilot, PilotRole

PAGE_SIZE = 50
Kind = PilotRole.Kind


@dataclass
class Health:
    """What a provider says of one pilot; the defaults are what a pilot with no data shows."""

    open_alerts: int = 0
    ready: bool = False
    failing_checks: int = 0
    blocked_by_rule: bool = False
    month_to_date: Decimal = Decimal("0")
    monthly_cap: Decimal | None = None
    error_rate: Decimal | None = None
    error_rate_week: str = ""


_PROVIDER: list[Callable[[list[int], date], dict[int, Health]]] = []


def register_health(provider: Callable[[list[int], date], dict[int, Health]]) -> None:
    """`provider(pilot_ids, today)` → {pilot id: Health}; the last registered one answers."""
    _PROVIDER[:] = [provider]


def _health(pilot_ids: list[int], today: date) -> dict[int, Health]:
    if not _PROVIDER or not pilot_ids:
        return {}
    return _PROVIDER[0](pilot_ids, today)


@dataclass
class Row:
    pilot: Pilot
    health: Health
    today: date

    @property
    def owner(self):
        role = next((r for r in self.pilot.required_roles if r.kind == Kind.BUSINESS_OWNER), None)
        return role.primary if role else None

    @property
    def spend_share(self) -> Decimal | None:
        """Month-to-date spend as a share of the cap (None without a cap)."""
        cap = self.health.monthly_cap
        return self.health.month_to_date / cap if cap else None

    @property
    def spend_text(self) -> str:
        spent = format_money(self.health.month_to_date)
        cap = self.health.monthly_cap
        return f"{spent} / {format_money(cap)}" if cap else f"{spent} (no cap)"

    @property
    def over_cap(self) -> bool:
        share = self.spend_share
        return share is not None and share >= 1

    @property
    def review_overdue(self) -> bool:
        day = self.pilot.next_review_date
        return day is not None and day < self.today and self.pilot.is_active

    @property
    def needs_attention(self) -> bool:
        """Someone should look now: an open alert, a pause, spend at the cap, an overdue review."""
        return bool(
            self.health.open_alerts
            or self.pilot.status == Pilot.Status.PAUSED
            or self.over_cap
            or self.review_overdue
        )


# Sorts the database answers (no health needed), and those read from the health of every row.
DB_SORTS = {
    "name": ("name", "id"),
    "status": ("status", "name", "id"),
    "next_review": ("next_review_date", "name", "id"),
}
HEALTH_SORTS: dict[str, Callable[[Row], object]] = {
    "alerts": lambda row: row.health.open_alerts,
    "readiness": lambda row: (not row.health.ready, row.health.failing_checks),
    "spend": lambda row: row.spend_share,
    "error_rate": lambda row: row.health.error_rate,
}
COLUMNS = (
    ("name", "Pilot"),
    ("status", "Status"),
    ("alerts", "Open alerts"),
    ("readiness", "Ready to expand"),
    ("spend", "Spend this month / cap"),
    ("error_rate", "Error rate (last closed week)"),
    ("next_review", "Next review"),
)


@dataclass
class Filters:
    status: str = ""
    team: str = ""
    owner: str = ""
    attention: bool = False
    sort: str = "name"
    descending: bool = False

    @classmethod
    def from_query(cls, query) -> "Filters":
        status, team, owner = (query.get(name, "") for name in ("status", "team", "owner"))
        sort = query.get("sort", "name")
        descending = sort.startswith("-")
        sort = sort.lstrip("-")
        if sort not in DB_SORTS and sort not in HEALTH_SORTS:
            sort, descending = "name", False
        return cls(
            status=status if status in Pilot.Status.values else "",
            team=team if team.isdigit() else "",
            owner=owner if owner.isdigit() else "",
            attention=query.get("attention") == "1",
            sort=sort,
            descending=descending,
        )

    def query(self, **changes) -> str:
        values = {
            "status": self.status,
            "team": self.team,
            "owner": self.owner,
            "attention": "1" if self.attention else "",
            "sort": ("-" if self.descending else "") + self.sort,
        }
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value})

    def headers(self) -> list[tuple[str, str, str, str]]:
        """(key, label, link query, aria-sort) per column: a second click reverses the order."""
        found = []
        for key, label in COLUMNS:
            current = key == self.sort
            reverse = current and not self.descending
            state = ("descending" if self.descending else "ascending") if current else "none"
            found.append((key, label, self.query(sort=("-" if reverse else "") + key), state))
        return found


def portfolio_page(*, user, query, today: date | None = None) -> dict:
    """The portfolio's context: the page of rows, the filters and what they may choose from."""
    today = today or timezone.localdate()
    filters = Filters.from_query(query)
    queryset = selectors.pilot_list(
        user=user, status=filters.status, team=filters.team or None, owner=filters.owner or None
    )
    if filters.sort in DB_SORTS and not filters.attention:
        order = [
            F(name).desc(nulls_last=True) if filters.descending else F(name).asc(nulls_last=True)
            for name in DB_SORTS[filters.sort]
        ]
        page = Paginator(queryset.order_by(*order), PAGE_SIZE).get_page(query.get("page"))
        pilots = list(page.object_list)
        health = _health([pilot.pk for pilot in pilots], today)
        rows = [Row(pilot, health.get(pilot.pk, Health()), today) for pilot in pilots]
    else:
        pilots = list(queryset)
        health = _health([pilot.pk for pilot in pilots], today)
        rows = [Row(pilot, health.get(pilot.pk, Health()), today) for pilot in pilots]
        if filters.attention:
            rows = [row for row in rows if row.needs_attention]
        rows = _sorted(rows, filters)
        page = Paginator(rows, PAGE_SIZE).get_page(query.get("page"))
        rows = list(page.object_list)
    return {
        "rows": rows,
        "pilots": [row.pilot for row in rows],
        "page": page,
        "filters": filters,
        "headers": filters.headers(),
        "teams": selectors.team_list(),
        "owners": owner_choices(user=user),
        "statuses": Pilot.Status.choices,
    }


def _sorted(rows: list[Row], filters: Filters) -> list[Row]:
    """Rows by the chosen column (then by name); a row without the value (no cap, no closed
    week) comes last whichever the direction."""
    rows = sorted(rows, key=lambda row: (row.pilot.name.lower(), row.pilot.pk))
    key = HEALTH_SORTS.get(filters.sort)
    if key is None:  # a database column, sorted here because "needs attention" read every row
        field = DB_SORTS[filters.sort][0]
        key = (lambda row: getattr(row.pilot, field)) if field != "name" else None
    if key is None:
        return rows[::-1] if filters.descending else rows
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    return sorted(present, key=key, reverse=filters.descending) + missing


def owner_choices(*, user) -> list:
    """The people who own a pilot `user` may see: one query."""
    return list(
        get_user_model()
        .objects.filter(
            primary_roles__kind=Kind.BUSINESS_OWNER,
            primary_roles__pilot__in=scope_pilots(user).values("pk"),
        )
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
