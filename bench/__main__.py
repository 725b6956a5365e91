"""`python -m bench`: what `make bench` runs once scripts/bench has started a throwaway PostgreSQL.

    python -m bench [--scale 0.2] [--skip-growth] [--repeat 20] [--out bench/results.json]
    python -m bench --scale 1        # the issues' full data set (5,000,000 task records)
    python -m bench --quick          # every figure, small: under a minute

Each scale gets a database of its own next to DATABASE_URL's (created, migrated, generated,
measured, dropped). Figures 1–5 are measured at --scale; figure 6 measures 1–4 again at a tenth
of it; figures 7 (kill switch) and 8 (traffic ingest) over HTTP to gunicorn at --scale. Prints
the table, writes the JSON; exits 0 when the run completed (add --strict to exit 1 when a target
is missed).
"""

import argparse
import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

DEFAULT_OUT = Path(__file__).resolve().parent / "results.json"
# gunicorn's output (figures 7 and 8), appended: var/ is git-ignored.
SERVER_LOG = Path(__file__).resolve().parent.parent / "var" / "bench-gunicorn.log"
DEFAULT_SCALE = 0.2
INGEST_PER_SCALE = 500_000  # records through each receiver at scale 1: a million in all


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n")[0])
    parser.add_argument(
        "--scale",
        type=float,
        default=DEFAULT_SCALE,
        help="1 = 10,000 pilots, 1,000,000 ledger entries, 200,000 samples, 20,000 errors, "
        f"5,000,000 task records (default {DEFAULT_SCALE:g}: a run of a few minutes)",
    )
    parser.add_argument(
        "--skip-growth", action="store_true", help="do not measure figure 6 (a tenth of --scale)"
    )
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each request")
    parser.add_argument(
        "--sweep-repeat", type=int, default=5, help="timed runs of the dashboard and the sweep"
    )
    parser.add_argument("--batches", type=int, default=10, help="timed bulk pushes of 1,000 rows")
    parser.add_argument("--seed", type=int, default=8)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where the JSON goes")
    parser.add_argument("--keep", action="store_true", help="keep the generated databases")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    served = parser.add_argument_group("figures 7 and 8, served by gunicorn")
    served.add_argument("--skip-served", action="store_true", help="do not measure 7 and 8")
    served.add_argument("--workers", type=int, default=2, help="gunicorn workers (processes)")
    served.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    served.add_argument(
        "--status-requests", type=int, default=4000, help="requests per concurrency level"
    )
    served.add_argument("--pause-trials", type=int, default=5, help="pauses timed (figure 7b)")
    served.add_argument(
        "--ingest-records",
        type=int,
        default=None,
        help=f"records through each receiver and copied raw (default {INGEST_PER_SCALE:,} × "
        "--scale, at least 20,000)",
    )
    served.add_argument("--ingest-concurrency", type=int, default=2, help="ingest connections")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="every figure, small (--scale 0.01 --skip-growth --repeat 5 --sweep-repeat 2 "
        "--status-requests 800 --pause-trials 3); explicit flags still win",
    )
    if "--quick" in (sys.argv[1:] if argv is None else argv):
        parser.set_defaults(
            scale=0.01,
            skip_growth=True,
            repeat=5,
            sweep_repeat=2,
            status_requests=800,
            pause_trials=3,
        )
    args = parser.parse_args(argv)
    if args.scale <= 0 or args.repeat < 1 or args.sweep_repeat < 1 or args.batches < 1:
        parser.error("--scale must be above 0; --repeat, --sweep-repeat, --batches at least 1")
    if min(args.workers, args.threads, args.status_requests, args.ingest_concurrency) < 1:
        parser.error("--workers, --threads, --status-requests, --ingest-concurrency at least 1")
    if args.ingest_records is None:
        args.ingest_records = max(20_000, round(INGEST_PER_SCALE * args.scale))
    return args


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from bench import report
    from bench.databases import database_version, scratch_database
    from bench.generate import generate
    from bench.measure import ORDER, SERVED, Options, run

    started = time.perf_counter()
    SERVER_LOG.parent.mkdir(exist_ok=True)
    options = Options(
        repeat=args.repeat,
        sweep_repeat=args.sweep_repeat,
        batches=args.batches,
        workers=args.workers,
        threads=args.threads,
        status_requests=args.status_requests,
        pause_trials=args.pause_trials,
        ingest_records=args.ingest_records,
        ingest_concurrency=args.ingest_concurrency,
        server_log=SERVER_LOG,
    )
    main_figures = ORDER if args.skip_served else ORDER + SERVED
    scales = [args.scale] if args.skip_growth else [round(args.scale / 10, 6), args.scale]
    version = database_version()
    log(f"PostgreSQL {version}; scales {', '.join(f'{scale:g}' for scale in scales)}")
    results: dict[float, list[dict]] = {}
    datasets: dict[str, dict] = {}
    for scale in scales:
        with scratch_database(f"scale_{scale:g}".replace(".", "_"), keep=args.keep):
            log(f"scale {scale:g}: generating …")
            dataset = generate(scale=scale, seed=args.seed)
            log(f"scale {scale:g}: generated in {dataset.seconds:.1f} s: {dataset.rows}")
            figures = main_figures if scale == args.scale else report.GROWTH_FIGURES
            results[scale] = run(dataset, options, figures)
            datasets[f"{scale:g}"] = {
                "rows": dataset.rows,
                "generation_seconds": round(dataset.seconds, 2),
                "generation_steps": dataset.steps,
                "planted": dataset.planted,
                "today": dataset.today,
            }
            log(f"scale {scale:g}: measured")
    main_results = results[args.scale]
    rows = [report.figure_row(figure) for figure in main_results]
    growth = []
    if not args.skip_growth:
        small, large = scales
        growth = report.growth(results[small], results[large], (small, large))
        rows += [report.growth_row(entry) for entry in growth]
    passed = all(figure["passed"] for figure in main_results) and all(
        entry["passed"] for entry in growth
    )
    seconds = time.perf_counter() - started
    payload = {
        "run": {
            "finished": datetime.now(UTC).isoformat(timespec="seconds"),
            "seconds": round(seconds, 1),
            "scale": args.scale,
            "scales": scales,
            "options": vars(options),
            "all_targets_met": passed,
        },
        "machine": report.machine(version),
        "datasets": datasets,
        "figures": main_results,
        "growth": growth,
        "table": rows,
    }
    report.write_json(args.out, payload)
    print(report.render(rows))
    print(
        f"\n{'All targets met' if passed else 'Some targets missed'}; run took {seconds:.0f} s "
        f"on {payload['machine']['cpus']} CPUs ({payload['machine']['cpu']}). JSON: {args.out}"
    )
    return 1 if args.strict and not passed else 0


if __name__ == "__main__":
    sys.exit(main())
