"""Forbidden fields of the costs endpoints: cost entries and task volumes."""

from costs.models import CostEntry, TaskVolume
from tests.mass_assignment.base import (
    Forbid,
    Write,
    audit_fields,
    created,
    elsewhere,
    stranger,
    the,
)
from tests.matrix import cost_row, volume_row

WRITES = [
    Write(
        "cost-entry-create",
        "owner",
        "post",
        lambda m: "/api/cost-entries",
        cost_row,
        created(CostEntry),
        (
            Forbid("source", "import"),
            Forbid("created_by", stranger),
            *audit_fields("id", "created_at", "updated_at"),
        ),
    ),
    Write(
        "cost-entry-patch",
        "owner",
        "patch",
        lambda m: f"/api/cost-entries/{m.cost.pk}",
        lambda m: {"note": "Corrected."},
        the("cost"),
        (
            Forbid("pilot", elsewhere),
            Forbid("source", "import"),
            Forbid("created_by", stranger),
            Forbid("idempotency_key", "forged-key"),
            *audit_fields("created_at"),
        ),
    ),
    Write(
        "cost-entry-bulk",
        "owner",
        "post",
        lambda m: "/api/cost-entries/bulk",
        lambda m: [cost_row(m)],
        lambda m, body: CostEntry.objects.get(pk=body["rows"][0]["id"]),
        (
            Forbid("source", "import"),
            Forbid("created_by", stranger),
            *audit_fields("id", "created_at"),
        ),
    ),
    Write(
        "task-volume-create",
        "owner",
        "post",
        lambda m: "/api/task-volumes",
        volume_row,
        created(TaskVolume),
        (
            Forbid("source", "import"),
            Forbid("recorded_by", stranger),
            *audit_fields("id", "updated_at"),
        ),
    ),
    Write(
        "task-volume-bulk",
        "owner",
        "post",
        lambda m: "/api/task-volumes/bulk",
        lambda m: [volume_row(m)],
        lambda m, body: TaskVolume.objects.get(pk=body["rows"][0]["id"]),
        (
            Forbid("source", "import"),
            Forbid("recorded_by", stranger),
            *audit_fields("id"),
        ),
    ),
]
