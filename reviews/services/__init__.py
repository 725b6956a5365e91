"""Every write to review weeks, samples and the error log goes through these functions."""

from .errors import (
    ERROR_DETAIL_FIELDS,
    ERROR_FIX_FIELDS,
    error_log,
    error_report,
    error_resolve,
    error_update,
    failure_mode_for,
    may_edit_error,
    may_record_fix,
    may_resolve,
)
from .samples import (
    SAMPLE_FIELDS,
    BulkRowErrors,
    sample_delete,
    sample_log,
    sample_log_bulk,
    sample_problems,
    sample_update,
)
from .weeks import (
    may_manage_week,
    review_week_close,
    review_week_open,
    review_week_update,
)

__all__ = [
    "ERROR_DETAIL_FIELDS",
    "ERROR_FIX_FIELDS",
    "SAMPLE_FIELDS",
    "BulkRowErrors",
    "error_log",
    "error_report",
    "error_resolve",
    "error_update",
    "failure_mode_for",
    "may_edit_error",
    "may_manage_week",
    "may_record_fix",
    "may_resolve",
    "review_week_close",
    "review_week_open",
    "review_week_update",
    "sample_delete",
    "sample_log",
    "sample_log_bulk",
    "sample_problems",
    "sample_update",
]
