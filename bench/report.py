"""The table (figure, ours, baseline, ratio, target, pass/fail) and the JSON file behind it.

Figure 6 (growth) is made here from figures 1–4 measured at two scales: the same query count at
both, and ours growing no faster than its hand-written baseline (1.5× slack for noise); pages
without a baseline (3a, 3b) may at most double while the data grows tenfold.
"""

import json
import os
import platform
import re
from pathlib import Path

GROWTH_FIGURES = ("1", "2", "3a", "3b", "4")
PAGE_GROWTH_LIMIT = 2.0
BASELINE_GROWTH_SLACK = 1.5
HEADERS = ("figure", "ours", "baseline", "ratio", "target", "pass/fail")


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 0.01:
        return f"{seconds * 1000:.0f} ms"
    return f"{seconds * 1000:.2f} ms"


def _ms(timing: dict | None, key: str = "median_ms") -> float | None:
    return None if not timing else timing[key] / 1000


def _queries(timing: dict | None) -> str:
    return "" if not timing or timing.get("queries") is None else f", {timing['queries']} q"


def _ours(figure: dict) -> str:
    ours = figure["ours"]
    if figure["figure"] in ("3a", "3b"):
        return f"median {duration(_ms(ours))}, p95 {duration(_ms(ours, 'p95_ms'))}{_queries(ours)}"
    if figure["figure"] == "5":
        return (
            f"{figure['rows_per_second']:,} rows/s ({duration(_ms(ours))} a call{_queries(ours)})"
        )
    return f"{duration(_ms(ours))}{_queries(ours)}"


def figure_row(figure: dict) -> dict:
    """Figures measured over HTTP (7, 8) carry their own texts: rates and percentiles, not one
    median against one baseline."""
    baseline = figure.get("baseline")
    baseline_text = f"{duration(_ms(baseline))}{_queries(baseline)}" if baseline else "—"
    ratio = f"{figure['ratio']:.2f}×" if figure.get("ratio") is not None else "—"
    return {
        "figure": f"{figure['figure']} {figure['title']}",
        "ours": figure.get("ours_text") or _ours(figure),
        "baseline": figure.get("baseline_text") or baseline_text,
        "ratio": figure.get("ratio_text") or ratio,
        "target": figure["target"],
        "pass/fail": "pass" if figure["passed"] else "FAIL",
    }


def growth(small: list[dict], large: list[dict], scales: tuple[float, float]) -> list[dict]:
    """Figure 6: each of figures 1–4 at the two scales."""
    by_small = {figure["figure"]: figure for figure in small}
    rows = []
    for figure in large:
        name = figure["figure"]
        if name not in GROWTH_FIGURES or name not in by_small:
            continue
        before = by_small[name]
        ours_growth = figure["ours"]["median_ms"] / before["ours"]["median_ms"]
        same_queries = figure["ours"]["queries"] == before["ours"]["queries"]
        entry = {
            "figure": f"6·{name}",
            "title": re.split(r"[,(]", figure["title"])[0].strip(),
            "scales": list(scales),
            "ours_ms": [before["ours"]["median_ms"], figure["ours"]["median_ms"]],
            "queries": [before["ours"]["queries"], figure["ours"]["queries"]],
            "ours_growth": round(ours_growth, 2),
        }
        if figure.get("baseline") and before.get("baseline"):
            baseline_growth = figure["baseline"]["median_ms"] / before["baseline"]["median_ms"]
            entry["baseline_ms"] = [
                before["baseline"]["median_ms"],
                figure["baseline"]["median_ms"],
            ]
            entry["baseline_growth"] = round(baseline_growth, 2)
            entry["target"] = "same queries; grows no faster than its baseline"
            entry["passed"] = (
                same_queries and ours_growth <= baseline_growth * BASELINE_GROWTH_SLACK
            )
        else:
            entry["target"] = f"same queries; at most ×{PAGE_GROWTH_LIMIT:g}"
            entry["passed"] = same_queries and ours_growth <= PAGE_GROWTH_LIMIT
        rows.append(entry)
    return rows


def growth_row(entry: dict) -> dict:
    small, large = entry["scales"]
    ours = " → ".join(duration(ms / 1000) for ms in entry["ours_ms"])
    queries = entry["queries"]
    query_text = f"{queries[0]} q" if queries[0] == queries[1] else f"{queries[0]} → {queries[1]} q"
    baseline = "—"
    ratio = f"×{entry['ours_growth']:.2f}"
    if "baseline_ms" in entry:
        baseline = " → ".join(duration(ms / 1000) for ms in entry["baseline_ms"])
        ratio = f"×{entry['ours_growth']:.2f} vs ×{entry['baseline_growth']:.2f}"
    return {
        "figure": f"{entry['figure']} {entry['title']}: scale {small:g} → {large:g}",
        "ours": f"{ours}, {query_text}",
        "baseline": baseline,
        "ratio": ratio,
        "target": entry["target"],
        "pass/fail": "pass" if entry["passed"] else "FAIL",
    }


def render(rows: list[dict]) -> str:
    """A Markdown table: readable in a terminal and pasted as is into the README."""
    widths = [max(len(header), *(len(row[header]) for row in rows)) for header in HEADERS]

    def line(cells) -> str:
        return (
            "| "
            + " | ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    out = [line(HEADERS), "|" + "|".join("-" * (width + 2) for width in widths) + "|"]
    out += [line([row[header] for header in HEADERS]) for row in rows]
    return "\n".join(out)


def machine(database_version: str = "") -> dict:
    cpu = ""
    memory = ""
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text()
        cpu = next(
            (
                line.split(":", 1)[1].strip()
                for line in cpuinfo.splitlines()
                if "model name" in line
            ),
            "",
        )
        meminfo = Path("/proc/meminfo").read_text().split()
        memory = f"{int(meminfo[meminfo.index('MemTotal:') + 1]) / 1024 / 1024:.0f} GB"
    except (OSError, ValueError, IndexError):
        pass
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu or platform.processor(),
        "memory": memory,
        "system": platform.platform(),
        "python": platform.python_version(),
        "database": database_version,
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def write_json(path: Path, payload: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(payload, indent=2, default=str) + "\n")
