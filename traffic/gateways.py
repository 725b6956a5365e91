"""What LiteLLM and OpenTelemetry send, mapped to task-record fields (traffic/services/rows.py).

The pilot comes from the traffic itself — LiteLLM request metadata `pilotdeck_pilot` or a tag
`pilot:<id>`, an OpenTelemetry resource or span attribute `pilotdeck.pilot` — or else from a name
mapped to the pilot in Pilotdeck (a LiteLLM key alias or team, an OpenTelemetry `service.name`).
"""

import base64
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import msgspec
from google.protobuf import json_format
from google.protobuf.message import DecodeError
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

from .models import Outcome, SourceLink
from .services.rows import MAX_TEXT

Kind = SourceLink.Kind
ERROR_STATUS = 2  # opentelemetry.proto.trace.v1.Status.STATUS_CODE_ERROR


class PayloadError(ValueError):
    """The body cannot be read at all (not JSON, not OTLP): a 400 with this reason."""


def _links(kind_values: Iterable[tuple[str, str]]) -> dict[tuple[str, str], int]:
    wanted = {(kind, value) for kind, value in kind_values if value}
    if not wanted:
        return {}
    kinds = {kind for kind, _ in wanted}
    values = {value for _, value in wanted}
    return {
        (link.kind, link.value): link.pilot_id
        for link in SourceLink.objects.filter(kind__in=kinds, value__in=values)
    }


def _tag(tags, prefix: str) -> str:
    for tag in tags or []:
        if isinstance(tag, str) and tag.startswith(prefix):
            return tag[len(prefix) :]
    return ""


def _text(value) -> str:
    """Message content as text: a string, or the text parts of a content list."""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "\n".join(
            part.get("text", "") for part in value if isinstance(part, dict) and part.get("text")
        )
    return ""


def _asked(messages) -> str:
    """What the AI was asked: the last user message (the prompt itself when it is a string)."""
    if isinstance(messages, str):
        return messages
    if not isinstance(messages, list):
        return ""
    users = [m for m in messages if isinstance(m, dict) and m.get("role") == "user"]
    return _text(users[-1].get("content")) if users else ""


def _answered(response) -> str:
    """What the AI produced: the first choice's message (or text) of a chat or text response."""
    if isinstance(response, str):
        return response
    choices = response.get("choices") if isinstance(response, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        return ""
    message = choices[0].get("message")
    return (
        _text(message.get("content"))
        if isinstance(message, dict)
        else _text(choices[0].get("text"))
    )


def _asked_metadata(meta: dict) -> dict:
    """What the calling application put in the request's metadata."""
    asked = meta.get("requester_metadata")
    return asked if isinstance(asked, dict) else {}


class LiteLLMPayload(msgspec.Struct):
    """The fields of a StandardLoggingPayload that the mapping reads, as sent (any JSON value:
    the row check judges them). The payload's other fields (hidden params, cache and provider
    details, …) are skipped while the body is read, never made into Python objects."""

    id: Any = None
    startTime: Any = None  # LiteLLM's names, as it sends them
    endTime: Any = None
    response_time: Any = None
    model: Any = None
    model_group: Any = None
    prompt_tokens: Any = None
    completion_tokens: Any = None
    response_cost: Any = None
    status: Any = None
    end_user: Any = None
    model_parameters: Any = None
    request_tags: Any = None
    metadata: Any = None
    messages: Any = None
    response: Any = None


_PAYLOADS = msgspec.json.Decoder(list[LiteLLMPayload] | LiteLLMPayload)
_PAYLOAD = msgspec.json.Decoder(LiteLLMPayload)


def litellm_payloads(body: bytes, ndjson: bool) -> list[LiteLLMPayload] | None:
    """The body read straight into payloads (a JSON list or one object, or NDJSON), or None
    when it is not that shape or not plain JSON (an item that is not an object, NaN, a number
    past a float's range): the receiver then reads it the general way, and the row check refuses
    what must be refused, row by row. LiteLLM's numbers are Python floats at their source, so
    reading them as floats is exact."""
    try:
        if ndjson:
            return [_PAYLOAD.decode(line) for line in body.splitlines() if line.strip()]
        payloads = _PAYLOADS.decode(body)
    except msgspec.DecodeError:  # ValidationError (a wrong shape) is one too
        return None
    return payloads if isinstance(payloads, list) else [payloads]


def _payload(item):
    """A payload read the general way (a dict) as one read by litellm_payloads; anything else
    as it is, for the row check to refuse."""
    if item.__class__ is LiteLLMPayload:
        return item
    if isinstance(item, dict):
        return msgspec.convert(item, LiteLLMPayload)  # keys are text: JSON's always are
    return item


def litellm_rows(payloads) -> list:
    """StandardLoggingPayload objects (json_array, ndjson or single) → task rows. `payloads`
    are those litellm_payloads read, or the JSON read the general way (dicts)."""
    if isinstance(payloads, dict):
        payloads = [payloads]
    if not isinstance(payloads, list):
        raise PayloadError("Send LiteLLM's StandardLoggingPayload objects (a JSON list).")
    # One look at each payload's metadata: (payload, its metadata, what the caller asked, the
    # pilot it names); a payload that is not an object is passed on for the row check to refuse.
    read = []
    for payload in map(_payload, payloads):
        if payload.__class__ is not LiteLLMPayload:
            read.append((payload, None, None, None))
            continue
        meta = payload.metadata
        meta = meta if isinstance(meta, dict) else {}
        asked = _asked_metadata(meta)
        named = asked.get("pilotdeck_pilot") or _tag(payload.request_tags, "pilot:")
        read.append((payload, meta, asked, named))
    # Names mapped to pilots are looked up only for the payloads that do not name their pilot.
    unnamed = [meta for _, meta, _, named in read if meta is not None and not named]
    links = _links(
        [(Kind.LITELLM_KEY, m.get("user_api_key_alias") or "") for m in unnamed]
        + [(Kind.LITELLM_TEAM, m.get("user_api_key_team_alias") or "") for m in unnamed]
    )
    rows = []
    for payload, meta, asked, pilot in read:
        if meta is None:
            rows.append(payload)  # refused by the row check, with its index
            continue
        team = meta.get("user_api_key_team_alias") or ""
        if not pilot:
            pilot = links.get((Kind.LITELLM_KEY, meta.get("user_api_key_alias") or "")) or (
                links.get((Kind.LITELLM_TEAM, team))
            )
        outcome = asked.get("outcome") or (
            Outcome.FAILED if payload.status == "failure" else Outcome.COMPLETED
        )
        response_time = payload.response_time
        messages, response, model = payload.messages, payload.response, payload.model
        parameters = payload.model_parameters
        rows.append(
            {
                "pilot": pilot,
                "source_id": payload.id or "",
                "started_at": payload.startTime,
                "ended_at": payload.endTime,
                "user": payload.end_user
                or (parameters.get("user") if isinstance(parameters, dict) else None)
                or meta.get("user_api_key_user_email")
                or "",
                "team": team,
                "task_type": asked.get("task_type") or _tag(payload.request_tags, "task:"),
                "model_requested": payload.model_group or model or "",
                "model_served": model or "",
                "prompt_version": asked.get("prompt_version") or "",
                "input_tokens": payload.prompt_tokens,
                "output_tokens": payload.completion_tokens,
                "api_cost": payload.response_cost,
                "latency_ms": (
                    round(float(response_time) * 1000)
                    # the general reading takes JSON numbers as Decimal (exact costs)
                    if isinstance(response_time, int | float | Decimal) and response_time >= 0
                    else None
                ),
                "outcome": outcome,
                "handoff_reason": asked.get("handoff_reason") or "",
                "trace_url": asked.get("trace_url") or "",
                # Logged only when LiteLLM keeps message text; cut to the record's limit, and
                # kept past ingest only for the review pool's bounded sample.
                # None when not logged, so the pool does not look at the task at all.
                "input_text": (_asked(messages)[:MAX_TEXT] or None) if messages else None,
                "output_text": (_answered(response)[:MAX_TEXT] or None) if response else None,
            }
        )
    return rows


def _value(any_value):
    kind = any_value.WhichOneof("value")
    return getattr(any_value, kind) if kind else None


def _attributes(attributes) -> dict:
    return {item.key: _value(item.value) for item in attributes}


def _hex_ids_to_base64(data):
    """OTLP/JSON writes trace and span ids in hex; protobuf's JSON reader expects base64."""
    if isinstance(data, dict):
        return {
            key: (
                base64.b64encode(bytes.fromhex(value)).decode()
                if key in {"traceId", "spanId", "parentSpanId"} and isinstance(value, str)
                else _hex_ids_to_base64(value)
            )
            for key, value in data.items()
        }
    if isinstance(data, list):
        return [_hex_ids_to_base64(item) for item in data]
    return data


def otlp_request(body: bytes, content_type: str) -> ExportTraceServiceRequest:
    request = ExportTraceServiceRequest()
    try:
        if "json" in content_type:
            json_format.ParseDict(_hex_ids_to_base64(json.loads(body)), request)
        else:
            request.ParseFromString(body)
    except (DecodeError, json_format.ParseError, ValueError, UnicodeDecodeError) as error:
        raise PayloadError(f"This is not an OTLP trace export: {error}") from None
    return request


def otlp_rows(request: ExportTraceServiceRequest) -> list:
    """GenAI semantic-convention spans → task rows; spans without gen_ai attributes are skipped."""
    found = []
    services = []
    for resource_spans in request.resource_spans:
        resource = _attributes(resource_spans.resource.attributes)
        services.append(str(resource.get("service.name") or ""))
        for scope_spans in resource_spans.scope_spans:
            for span in scope_spans.spans:
                attributes = {**resource, **_attributes(span.attributes)}
                if not any(key.startswith("gen_ai.") for key in attributes):
                    continue
                found.append((span, attributes))
    links = _links((Kind.OTEL_SERVICE, name) for name in services)
    rows = []
    for span, attributes in found:
        service = str(attributes.get("service.name") or "")
        failed = span.status.code == ERROR_STATUS
        rows.append(
            {
                "pilot": attributes.get("pilotdeck.pilot")
                or links.get((Kind.OTEL_SERVICE, service)),
                "source_id": span.trace_id.hex() + ":" + span.span_id.hex(),
                "started_at": span.start_time_unix_nano / 1e9,
                "ended_at": span.end_time_unix_nano / 1e9,
                "user": str(attributes.get("enduser.id") or attributes.get("user.id") or ""),
                "team": str(attributes.get("pilotdeck.team") or ""),
                "task_type": str(attributes.get("pilotdeck.task_type") or ""),
                "model_requested": str(attributes.get("gen_ai.request.model") or ""),
                "model_served": str(attributes.get("gen_ai.response.model") or ""),
                "prompt_version": str(attributes.get("pilotdeck.prompt_version") or ""),
                "input_tokens": attributes.get("gen_ai.usage.input_tokens"),
                "output_tokens": attributes.get("gen_ai.usage.output_tokens"),
                "api_cost": attributes.get("pilotdeck.api_cost"),
                "latency_ms": (span.end_time_unix_nano - span.start_time_unix_nano) // 1_000_000,
                "outcome": str(
                    attributes.get("pilotdeck.outcome")
                    or (Outcome.FAILED if failed else Outcome.COMPLETED)
                ),
                "handoff_reason": str(attributes.get("pilotdeck.handoff_reason") or ""),
            }
        )
    return rows
