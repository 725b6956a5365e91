"""Agreement between two reviewers: percent agreement and Cohen's kappa, checked by hand."""

from datetime import timedelta
from decimal import Decimal

import pytest

from reviews.agreement import agreement, cohen_kappa, week_agreement
from reviews.selectors.queue import agreement_of
from reviews.services.draw import review_week_draw
from reviews.services.queue import queue_item_score, queue_next
from tests.reviews.factories import ReviewWeekFactory
from tests.reviews.queue_helpers import candidate
from tests.reviews.test_queue_services import CLEAN


def test_kappa_on_two_labels_matches_the_hand_computation():
    # 6 both pass, 2 both fail, 1 each way: p_o = 0.8; each reviewer 7 pass, 3 fail:
    # p_e = (7·7 + 3·3) / 100 = 0.58; kappa = (0.8 − 0.58) / (1 − 0.58) = 0.5238…
    pairs = [(True, True)] * 6 + [(False, False)] * 2 + [(True, False), (False, True)]
    figures = agreement("Accuracy", pairs)
    assert (figures.pairs, figures.agreed, figures.percent) == (10, 8, Decimal("80.0"))
    assert figures.kappa == Decimal("0.52")
    assert cohen_kappa(pairs) == pytest.approx(0.22 / 0.42)


def test_kappa_on_the_outcome_matches_the_hand_computation():
    # p_o = 7/10; first reviewer 6 s, 3 e, 1 r; second 4 s, 4 e, 2 r:
    # p_e = (6·4 + 3·4 + 1·2) / 100 = 0.38; kappa = (0.7 − 0.38) / 0.62 = 0.516…
    pairs = [("s", "s")] * 4 + [("e", "e")] * 2 + [("r", "r")] + [("s", "e")] * 2 + [("e", "r")]
    figures = agreement("Outcome", pairs)
    assert figures.percent == Decimal("70.0") and figures.kappa == Decimal("0.52")
    assert cohen_kappa(pairs) == pytest.approx(0.32 / 0.62)


def test_kappa_is_undefined_when_both_always_give_the_same_label():
    assert agreement("Tone", [(True, True)] * 5).kappa is None
    assert week_agreement([])[0].percent is None


@pytest.mark.django_db
def test_the_week_lists_where_two_reviewers_disagreed(pilot, people, settings):
    settings.PILOTDECK_AGREEMENT_PERCENT = 100
    week = ReviewWeekFactory(pilot=pilot, target_size=2)
    for n in range(2):
        candidate(pilot, n, day=week.week_start - timedelta(days=1 + n), user=f"u{n}")
    review_week_draw(week=week, by=people["reviewer"])
    harsh = {**CLEAN, "tone_ok": False, "tone_note": "Curt"}
    for reviewer, scores in (("reviewer", CLEAN), ("reviewer_backup", harsh)):
        for _ in range(2):
            item = queue_next(week=week, by=people[reviewer])
            queue_item_score(item=item, by=people[reviewer], scores=scores)
    result = agreement_of(week=week)
    assert result.pairs == 2
    tone = next(row for row in result.figures if row.label == "Tone")
    accuracy = next(row for row in result.figures if row.label == "Accuracy")
    assert (tone.agreed, accuracy.agreed) == (0, 2)
    assert [row["on"] for row in result.disagreed] == [["Tone"], ["Tone"]]
