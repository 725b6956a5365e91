"""Every write to the company guardrails, the pilots' data-source classes and the use-case requests.

Each service checks who may make it (support.access, pilots.access) and raises
common.errors.PermissionDenied or ApplicationError with field errors.
"""

from .common import MAY_NOT_MANAGE
from .data_sources import data_source_classify
from .lanes import company_lane_assign, escalation_path_set
from .register import (
    approved_tool_delete,
    approved_tool_save,
    data_class_save,
    review_requirement_set,
)
from .use_cases import (
    BUSINESS_REASON,
    approval_path,
    use_case_decide,
    use_case_request_create,
)

__all__ = [
    "BUSINESS_REASON",
    "MAY_NOT_MANAGE",
    "approval_path",
    "approved_tool_delete",
    "approved_tool_save",
    "company_lane_assign",
    "data_class_save",
    "data_source_classify",
    "escalation_path_set",
    "review_requirement_set",
    "use_case_decide",
    "use_case_request_create",
]
