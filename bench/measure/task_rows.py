"""The task records figure 8 sends: one generator, the same facts on every path (native rows,
LiteLLM StandardLoggingPayload objects, COPY lines), fresh source ids per path."""

import time
from datetime import timedelta
from decimal import Decimal

from django.db import connection

from bench.generate.copy import text
from traffic.partitions import ensure_partitions
from traffic.services.rows import RECORD_COLUMNS

COPY_COLUMNS = RECORD_COLUMNS  # the order copy_line writes them in


class Records:
    """Task number n, the same facts on every path; `prefix` keeps each path's ids apart."""

    def __init__(self, pilots: list[int], now):
        self.pilots, self.now = pilots, now

    def facts(self, n: int) -> dict:
        latency = 300 + (n * 37) % 4000
        started = self.now - timedelta(seconds=60 + n % 3000, microseconds=(n * 7919) % 999_999)
        return {
            "pilot": self.pilots[n % len(self.pilots)],
            "started": started,
            "ended": started + timedelta(milliseconds=latency),
            "user": f"user{n % 1499}@example.com",
            "team": f"team {n % 11}",
            "task_type": ("refund question", "shipping update", "password reset")[n % 3],
            "input_tokens": 200 + (n * 31) % 1800,
            "output_tokens": 50 + (n * 17) % 600,
            "cost": Decimal((n * 13) % 9000 + 100) / Decimal(1_000_000),
            "latency": latency,
            "outcome": "handed_off" if n % 9 == 0 else "completed",
            "reason": "low confidence" if n % 9 == 0 else "",
        }

    def native(self, n: int, prefix: str) -> dict:
        fact = self.facts(n)
        return {
            "pilot": fact["pilot"],
            "source_id": f"{prefix}-{n}",
            "started_at": fact["started"].isoformat(),
            "ended_at": fact["ended"].isoformat(),
            "user": fact["user"],
            "team": fact["team"],
            "task_type": fact["task_type"],
            "model_requested": "gpt-4o-mini",
            "model_served": "gpt-4o-mini-2024-07-18",
            "prompt_version": "v2",
            "input_tokens": fact["input_tokens"],
            "output_tokens": fact["output_tokens"],
            "api_cost": str(fact["cost"]),
            "latency_ms": fact["latency"],
            "outcome": fact["outcome"],
            "handoff_reason": fact["reason"],
        }

    def litellm(self, n: int, prefix: str) -> dict:
        """A StandardLoggingPayload as LiteLLM's generic API logger posts it (no messages)."""
        fact = self.facts(n)
        started, ended = fact["started"].timestamp(), fact["ended"].timestamp()
        return {
            "id": f"{prefix}-{n}",
            "trace_id": f"trace-{prefix}-{n}",
            "call_type": "acompletion",
            "stream": False,
            "response_cost": float(fact["cost"]),
            "status": "success",
            "total_tokens": fact["input_tokens"] + fact["output_tokens"],
            "prompt_tokens": fact["input_tokens"],
            "completion_tokens": fact["output_tokens"],
            "startTime": started,
            "endTime": ended,
            "completionStartTime": ended,
            "response_time": fact["latency"] / 1000,
            "model": "gpt-4o-mini-2024-07-18",
            "model_id": "bench-deployment",
            "model_group": "gpt-4o-mini",
            "custom_llm_provider": "openai",
            "api_base": "https://api.openai.com/v1",
            "cache_hit": False,
            "end_user": fact["user"],
            "request_tags": [f"task:{fact['task_type']}"],
            "metadata": {
                "user_api_key_alias": "bench-gateway",
                "user_api_key_team_alias": fact["team"],
                "user_api_key_user_email": None,
                "requester_metadata": {
                    "pilotdeck_pilot": fact["pilot"],
                    "prompt_version": "v2",
                    "outcome": fact["outcome"],
                    "handoff_reason": fact["reason"],
                },
            },
            "model_parameters": {},
            "hidden_params": {"model_id": "bench-deployment", "api_base": None},
            "messages": None,
            "response": None,
            "error_str": None,
        }

    def copy_line(self, n: int, prefix: str) -> str:
        fact = self.facts(n)
        values = (
            fact["pilot"],
            "native",
            f"{prefix}-{n}",
            fact["started"],
            fact["ended"],
            fact["user"],
            fact["team"],
            fact["task_type"],
            "gpt-4o-mini",
            "gpt-4o-mini-2024-07-18",
            "v2",
            fact["input_tokens"],
            fact["output_tokens"],
            fact["cost"],
            fact["latency"],
            fact["outcome"],
            fact["reason"],
            "",
            None,
            None,
        )
        return "\t".join([text(value) for value in values]) + "\n"


def raw_copy(records: Records, count: int, prefix: str) -> float:
    """Seconds to COPY `count` rows into the task records (formatting included)."""
    ensure_partitions([records.now - timedelta(hours=2), records.now])
    columns = ", ".join(COPY_COLUMNS)
    started = time.perf_counter()
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY traffic_taskrecord ({columns}) FROM STDIN") as copy,
    ):
        for start in range(0, count, 1000):
            copy.write("".join(records.copy_line(n, prefix) for n in range(start, start + 1000)))
    return time.perf_counter() - started
