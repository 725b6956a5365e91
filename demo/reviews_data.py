"""Demo review weeks, samples and error-log entries, written through the reviews services.

Idempotent: a pilot that already has review weeks gets nothing more. The support pilot gets four
closed weeks whose error and correction rates fall after the delivery-window prompt change, this
week's open review, and an error log with fixes and one (low) repeat. The sales pilot gets a thin
first week, so the coverage warnings show. No stop-now entry and no serious repeat: those would
pause the demo pilot.
"""

import random
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from reviews import services
from reviews.models import ReviewWeek
from reviews.weeks import monday_of, week_label

SUPPORT = "Support ticket first replies"
SALES = "Sales call summaries"
AGENTS = ["Ana Ruiz", "Ben Cole", "Chen Wu", "Dana Ivers"]
FAILURES = {
    "accuracy": [
        "promised the wrong delivery date",
        "quoted an old order status",
        "wrong order number",
    ],
    "tone": ["stiff, reads like a form letter", "too casual for a complaint"],
    "completeness": [
        "left out the 30-day return rule",
        "no refund deadline",
        "missed the tracking link",
    ],
}
DECISIONS = [
    "Shipping drafts get the delivery date wrong: test quoting the window from order data next week.",
    "Delivery dates fixed by the prompt change; keep it. Next: add the returns policy page.",
    "Stable week. Keep the prompt; watch the return-rule misses.",
    "Errors under 10% for two weeks. Keep everything as it is for another week.",
]


def _rows(
    rng: random.Random, week: ReviewWeek, count: int, error_chance: float, last_day
) -> list[dict]:
    days = [week.week_start + timedelta(days=offset) for offset in range(5)]
    days = [day for day in days if day <= last_day] or [week.week_start]
    rows = []
    for index in range(count):
        fails = {
            score: rng.choice(reasons)
            for score, reasons in FAILURES.items()
            if rng.random() < error_chance / 2
        }
        outcome = rng.choices(
            ["sent_as_is", "minor_edit", "major_rewrite", "discarded"],
            weights=[2, 5, 2, 1] if fails else [12, 4, 1, 0],
        )[0]
        minutes_with_ai = Decimal(rng.choice(["1.5", "2", "2.5", "3", "4"]))
        if outcome == "major_rewrite":
            minutes_with_ai += Decimal("3")
        rows.append(
            {
                "week": week,
                "reference": f"SUP-{week.week_start:%y%m%d}-{index + 1:02d}",
                "produced_on": days[index % len(days)],
                "produced_by": AGENTS[(index + rng.randrange(4)) % len(AGENTS)],
                "case": "messy" if rng.random() < 0.25 else "easy",
                **{f"{score}_ok": False for score in fails},
                **{f"{score}_note": reason for score, reason in fails.items()},
                "should_have_gone_to_human": bool(fails) and rng.random() < 0.2,
                "outcome": outcome,
                "minutes_with_ai": minutes_with_ai,
                "manual_minutes": Decimal(rng.choice(["5", "6", "6", "7"])),
                "complaint": bool(fails) and rng.random() < 0.15,
            }
        )
    return rows


def _support(users, pilot) -> None:
    rita, maria, tomas = users["rita"], users["maria"], users["tomas"]
    today = timezone.localdate()
    this_monday = monday_of(today)
    change = pilot.changes.filter(title__startswith="Quote the delivery window").first()
    for weeks_ago, error_chance in ((4, 0.45), (3, 0.40), (2, 0.18), (1, 0.12)):
        label = week_label(this_monday - timedelta(weeks=weeks_ago))
        week = services.review_week_open(pilot=pilot, iso_week=label, by=rita)
        rng = random.Random(f"demo-support-{weeks_ago}")
        count = 18 if weeks_ago == 3 else 20 + rng.randrange(3)
        services.sample_log_bulk(by=rita, rows=_rows(rng, week, count, error_chance, today))
        services.review_week_update(
            week=week,
            by=rita,
            data={"notes": "Rita, Maria and Tomás; 15 minutes. Walked the failing samples."},
        )
        services.review_week_close(
            week=week,
            by=rita,
            decision=DECISIONS[4 - weeks_ago],
            next_change=change if weeks_ago == 4 else None,
            below_target_reason="Rita was out on Thursday and Friday."
            if count < week.target_size
            else "",
        )
    week = services.review_week_open(pilot=pilot, iso_week=week_label(today), by=rita)
    services.sample_log_bulk(
        by=rita, rows=_rows(random.Random("demo-support-now"), week, 6, 0.1, today)
    )

    first = services.error_log(
        pilot=pilot,
        by=rita,
        what_went_wrong="The draft promised delivery on Monday; the order shipped on Thursday.",
        reference="SUP-48213",
        task_asked="Draft a first reply to “where is my order?” for order 10482.",
        output="“Your order will arrive on Monday.”",
        why_wrong="The help center's standard window was quoted instead of the order's own dates.",
        occurred_on=this_monday - timedelta(weeks=4, days=-1),
        frequency="sometimes",
        severity="medium",
        failure_mode="Wrong delivery date",
        category="output_quality",
    )
    services.error_update(
        entry=first,
        by=tomas,
        data={
            "fix_kind": "prompt_change",
            "fix_description": "The prompt quotes the delivery window from the order data, never the help center.",
            "fix_date": this_monday - timedelta(weeks=3, days=-1),
            "fix_change": change,
        },
    )
    services.error_resolve(entry=first, by=maria, note="No wrong dates in the next week's sample.")
    services.error_log(
        pilot=pilot,
        by=rita,
        what_went_wrong="Said “delivered” for a parcel still with the courier.",
        reference="SUP-49877",
        why_wrong="The tracking status was a day old.",
        occurred_on=this_monday - timedelta(days=5),
        frequency="once",
        severity="low",
        failure_mode="Wrong delivery date",
        category="technical_issue",
    )
    returns = services.error_log(
        pilot=pilot,
        by=rita,
        what_went_wrong="Return question answered without the 30-day return rule.",
        reference="SUP-49102",
        why_wrong="The returns policy page is not a data source yet.",
        occurred_on=this_monday - timedelta(days=9),
        frequency="sometimes",
        severity="medium",
        failure_mode="Missed refund rule",
        category="output_quality",
    )
    services.error_update(
        entry=returns,
        by=maria,
        data={
            "fix_kind": "extra_review",
            "fix_description": "Agents check every return reply by hand.",
        },
    )
    services.error_report(
        pilot=pilot,
        by=users["dev"],
        what_went_wrong="Greeting sounded stiff on a thank-you ticket.",
    )


def _sales(users, pilot) -> None:
    dev = users["dev"]
    today = timezone.localdate()
    week = services.review_week_open(pilot=pilot, iso_week=week_label(today), by=dev)
    rows = [
        {
            "week": week,
            "reference": f"CALL-{index + 301}",
            "produced_on": today,
            "produced_by": "Sam Reyes",
            "case": "easy",
            "outcome": "minor_edit" if index else "sent_as_is",
            "minutes_with_ai": Decimal("3"),
            "manual_minutes": Decimal("12"),
        }
        for index in range(3)
    ]
    services.sample_log_bulk(by=dev, rows=rows)


def load(users, pilots_by_name) -> None:
    """Add the review demo rows to pilots that have no review week yet."""
    for name, build in ((SUPPORT, _support), (SALES, _sales)):
        pilot = pilots_by_name.get(name)
        if pilot is not None and not ReviewWeek.objects.filter(pilot=pilot).exists():
            build(users, pilot)
