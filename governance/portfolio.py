"""The health the portfolio table shows of each pilot (pilots.portfolio), from the rule engine's
facts: readiness, open alerts, spend against the cap, the last closed review week's error rate.

An alert is open while the breach it reported still holds (its rule still finds it in the same
period); one that no longer holds is history on the pilot's page, not a figure here.
"""

from datetime import date

from pilots.portfolio import Health, register_health

from .facts import gather_facts
from .models import Alert
from .rules import evaluate, readiness_checks


def portfolio_health(pilot_ids: list[int], today: date) -> dict[int, Health]:
    """Health for the given pilots: the facts' queries and one for the alerts."""
    facts = gather_facts(pilot_ids=pilot_ids, today=today, active_only=False)
    verdicts = {fact.pilot_id: evaluate(fact) for fact in facts}
    keys = {
        f"{pilot_id}:{verdict.rule}:{verdict.period}"
        for pilot_id, found in verdicts.items()
        for verdict in found
    }
    open_alerts: dict[int, int] = {}
    if keys:
        for pilot_id in Alert.objects.filter(dedupe_key__in=keys).values_list(
            "pilot_id", flat=True
        ):
            open_alerts[pilot_id] = open_alerts.get(pilot_id, 0) + 1
    health = {}
    for fact in facts:
        checks = readiness_checks(fact)
        failing = sum(not check.passed for check in checks)
        blocked = any(verdict.blocks_expansion for verdict in verdicts[fact.pilot_id])
        latest = next((week for week in reversed(fact.weeks) if week.samples), None)
        health[fact.pilot_id] = Health(
            open_alerts=open_alerts.get(fact.pilot_id, 0),
            ready=not failing and not blocked,
            failing_checks=failing,
            blocked_by_rule=blocked,
            month_to_date=fact.month_to_date,
            monthly_cap=fact.monthly_cap,
            error_rate=latest.error_rate if latest else None,
            error_rate_week=latest.iso_week if latest else "",
        )
    return health


register_health(portfolio_health)
