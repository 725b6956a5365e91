"""Agreement between two reviewers who scored the same items independently: percent agreement
and Cohen's kappa per rubric dimension and for the outcome. Pure functions: pairs in, figures out.

kappa = (p_o − p_e) / (1 − p_e), p_o the share of items both gave the same label, p_e the share
expected by chance from each reviewer's own label frequencies. When chance agreement is total
(both always gave one and the same label) kappa is undefined: None, shown as "—".
"""

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

DIMENSIONS = (
    ("accuracy_ok", "Accuracy"),
    ("tone_ok", "Tone"),
    ("completeness_ok", "Completeness"),
    ("should_have_gone_to_human", "Should have gone to a human"),
    ("outcome", "Outcome"),
)


@dataclass(frozen=True)
class Agreement:
    label: str
    pairs: int
    agreed: int
    percent: Decimal | None
    kappa: Decimal | None


def _rounded(value: float, places: str) -> Decimal:
    return Decimal(str(value)).quantize(Decimal(places), rounding=ROUND_HALF_UP)


def cohen_kappa(pairs: list[tuple[object, object]]) -> float | None:
    if not pairs:
        return None
    n = len(pairs)
    observed = sum(a == b for a, b in pairs) / n
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[label] * second[label] for label in first.keys() | second.keys()) / n**2
    if expected == 1:
        return None
    return (observed - expected) / (1 - expected)


def agreement(label: str, pairs: list[tuple[object, object]]) -> Agreement:
    agreed = sum(a == b for a, b in pairs)
    kappa = cohen_kappa(pairs)
    return Agreement(
        label=label,
        pairs=len(pairs),
        agreed=agreed,
        percent=_rounded(100 * agreed / len(pairs), "0.1") if pairs else None,
        kappa=None if kappa is None else _rounded(kappa, "0.01"),
    )


def week_agreement(scored_pairs: list[tuple[dict, dict]]) -> list[Agreement]:
    """Per dimension, over items scored by two reviewers (each side a dict of the scores)."""
    return [
        agreement(label, [(one[name], two[name]) for one, two in scored_pairs])
        for name, label in DIMENSIONS
    ]


def disagreements(scored_pairs: list[tuple[dict, dict]]) -> list[list[str]]:
    """Per pair, the labels of the dimensions the two reviewers scored differently."""
    return [
        [label for name, label in DIMENSIONS if one[name] != two[name]] for one, two in scored_pairs
    ]
