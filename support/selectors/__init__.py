"""Reads for the company guardrails: a fixed number of queries whatever the number of pilots.

Other apps call `tool_data_problems` (the rule engine's readiness check), `route_for`,
`escalation_paths` and `target_minutes_expression` (the error log's routing and response times),
`use_case_counts` and `approved_use_cases` (the leadership view); keep their signatures stable.
"""

from .guardrails import Answer, PilotGuardrails, ToolStatus, can_i_use, pilot_guardrails
from .register import (
    approved_tool_list,
    approved_tool_names,
    data_class_list,
    data_class_names,
    data_source_class_list,
    data_source_mappings,
    load_register,
    review_requirement_list,
    tool_data_problems,
)
from .routing import (
    Route,
    company_lane_list,
    company_lanes,
    escalation_path_list,
    escalation_paths,
    lane_contact_kinds,
    route_for,
    shortest_path,
    target_minutes_expression,
)
from .use_cases import (
    approved_use_cases,
    may_see_all_requests,
    use_case_counts,
    use_case_get,
    use_case_list,
)

__all__ = [
    "Answer",
    "PilotGuardrails",
    "Route",
    "ToolStatus",
    "approved_tool_list",
    "approved_tool_names",
    "approved_use_cases",
    "can_i_use",
    "company_lane_list",
    "company_lanes",
    "data_class_list",
    "data_class_names",
    "data_source_class_list",
    "data_source_mappings",
    "escalation_path_list",
    "escalation_paths",
    "lane_contact_kinds",
    "load_register",
    "may_see_all_requests",
    "pilot_guardrails",
    "review_requirement_list",
    "route_for",
    "shortest_path",
    "target_minutes_expression",
    "tool_data_problems",
    "use_case_counts",
    "use_case_get",
    "use_case_list",
]
