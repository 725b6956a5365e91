"""Browser views for review weeks and the error log; every write goes through services."""

from .errors import error_detail, error_edit, error_log, error_new, error_report
from .queue import queue_draw, queue_page, queue_score, queue_skip
from .weeks import (
    sample_create,
    sample_delete,
    sample_edit,
    week_close,
    week_current,
    week_notes,
    week_page,
)

__all__ = [
    "error_detail",
    "error_edit",
    "error_log",
    "error_new",
    "error_report",
    "queue_draw",
    "queue_page",
    "queue_score",
    "queue_skip",
    "sample_create",
    "sample_delete",
    "sample_edit",
    "week_close",
    "week_current",
    "week_notes",
    "week_page",
]
