"""Every write to the cost ledger and task volumes; the rollup moves in the same transaction."""

from .common import (
    MAX_ROWS_PER_CALL,
    PushResult,
    RowErrors,
    may_record_costs,
    require_may_record,
)
from .csv_import import ImportPreview, LineError, cost_csv_import, cost_csv_preview
from .entries import cost_entries_push, cost_entry_create, cost_entry_delete, cost_entry_update
from .rollup import rollup_apply, rollup_rebuild
from .volumes import task_volume_delete, task_volume_set, task_volumes_push

__all__ = [
    "MAX_ROWS_PER_CALL",
    "ImportPreview",
    "LineError",
    "PushResult",
    "RowErrors",
    "cost_csv_import",
    "cost_csv_preview",
    "cost_entries_push",
    "cost_entry_create",
    "cost_entry_delete",
    "cost_entry_update",
    "may_record_costs",
    "require_may_record",
    "rollup_apply",
    "rollup_rebuild",
    "task_volume_delete",
    "task_volume_set",
    "task_volumes_push",
]
