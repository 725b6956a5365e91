"""Measure the figures against a generated data set; see bench/measure/figures.py (1–5, in
process), bench/measure/killswitch.py (7) and bench/measure/traffic.py (8), the last two over HTTP
to a gunicorn server the bench starts (so they cannot run inside a test's transaction)."""

from bench.generate import Dataset

from .figures import FIGURES as IN_PROCESS
from .figures import Options
from .killswitch import kill_switch
from .reviews import draw_every_week, score_items
from .traffic import traffic_ingest

__all__ = ["FIGURES", "ORDER", "SERVED", "Options", "run"]

FIGURES = {
    **IN_PROCESS,
    "9a": draw_every_week,
    "9b": score_items,
    "7": kill_switch,
    "8": traffic_ingest,
}
# The order matters: the one page and the portfolio are read before the sweep raises its alerts
# (the same state at every scale), and the bulk ingest, which adds rows, comes last.
ORDER = ("1", "2", "3a", "3b", "4", "5", "9a", "9b")
# Served by gunicorn, after the in-process figures: 7 pauses a few pilots, 8 adds records.
SERVED = ("7", "8")


def run(dataset: Dataset, options: Options, figures: tuple[str, ...] = ORDER) -> list[dict]:
    """Each figure's result; figures 7 and 8 answer several rows (one per level or path)."""
    results = []
    for name in ORDER + SERVED:
        if name in figures:
            answer = FIGURES[name](dataset, options)
            for figure in answer if isinstance(answer, list) else [answer]:
                figure["scale"] = dataset.scale
                results.append(figure)
    return results
