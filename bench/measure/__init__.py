"""Measure the figures against a generated data set; see bench/measure/figures.py."""

from bench.generate import Dataset

from .figures import FIGURES, Options

__all__ = ["FIGURES", "Options", "run"]

# The order matters: the one page and the portfolio are read before the sweep raises its alerts
# (the same state at every scale), and the bulk ingest, which adds rows, comes last.
ORDER = ("1", "2", "3a", "3b", "4", "5")


def run(dataset: Dataset, options: Options, figures: tuple[str, ...] = ORDER) -> list[dict]:
    results = []
    for name in ORDER:
        if name in figures:
            figure = FIGURES[name](dataset, options)
            figure["scale"] = dataset.scale
            results.append(figure)
    return results
