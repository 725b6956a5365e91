"""A LiteLLM guard: refuses a model call for a pilot Pilotdeck says must not call a model.

    litellm.callbacks = [PilotdeckGuard(PilotdeckClient(url, token))]
    await litellm.acompletion(..., metadata={"pilot_id": 12})

Works in the SDK (the deployment hook runs before every call) and in the LiteLLM proxy
(`async_pre_call_hook`; the pilot id from the request's metadata). A call with no pilot id is
refused unless `require_pilot=False`.

With a recorder (`PilotdeckGuard(client, recorder=TrafficRecorder(url, writing_token))`, or
PILOTDECK_TRAFFIC_TOKEN set) every call that ran — succeeded or failed — is also posted to
Pilotdeck's LiteLLM receiver as LiteLLM's StandardLoggingPayload, named for its pilot, in the
background. A call the guard refused never reached a model and is not posted. The messages and the
answer are left out unless `send_text=True`.
"""

from __future__ import annotations

import asyncio
import logging

from litellm.integrations.custom_logger import CustomLogger

from .client import PilotdeckClient, default_client
from .recorder import TrafficRecorder, default_recorder

logger = logging.getLogger("pilotdeck_client")


REFUSAL = "Pilotdeck refuses this model call"


class PilotPausedError(Exception):
    """Pilotdeck says this pilot must not call a model now (paused, retired, draft, unknown)."""

    def __init__(self, pilot_id, status: str, reason: str):
        self.pilot_id, self.status, self.reason = pilot_id, status, reason
        why = f": {reason}" if reason else ""
        super().__init__(f"{REFUSAL}: pilot {pilot_id} is {status}{why}")


def pilot_id_from(data: dict):
    for key in ("metadata", "litellm_metadata"):
        metadata = data.get(key) or {}
        for source in (metadata, metadata.get("requester_metadata") or {}):
            if source.get("pilot_id") is not None:
                return source["pilot_id"]
    return None


def _refused_by_guard(error) -> bool:
    """LiteLLM may wrap the guard's refusal in its own exception type: look through the chain."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, PilotPausedError) or REFUSAL in str(error):
            return True
        error = error.__cause__ or error.__context__ or getattr(error, "original_exception", None)
        seen += 1
    return False


class PilotdeckGuard(CustomLogger):
    def __init__(
        self,
        client: PilotdeckClient | None = None,
        *,
        require_pilot: bool = True,
        recorder: TrafficRecorder | None = None,
        send_text: bool = False,
    ):
        super().__init__()
        self.client = client
        self.require_pilot = require_pilot
        self.recorder = recorder if recorder is not None else default_recorder()
        self.send_text = send_text

    async def check(self, data: dict) -> None:
        pilot_id = pilot_id_from(data)
        if pilot_id is None:
            if self.require_pilot:
                raise PilotPausedError("(none)", "not named", "send metadata={'pilot_id': …}")
            return
        client = self.client or default_client()
        status = await asyncio.to_thread(client.status, pilot_id)
        if not status.may_call_model:
            raise PilotPausedError(pilot_id, status.status, status.reason)

    async def async_pre_call_deployment_hook(self, kwargs, call_type):
        await self.check(kwargs)
        return None

    async def async_pre_call_hook(self, user_api_key_dict, cache, data, call_type):
        await self.check(data)
        return data

    # --- the call's record, posted after it ran ------------------------------------------------

    def record(self, kwargs: dict, *, failed: bool = False) -> None:
        """Queue the call's StandardLoggingPayload for Pilotdeck; never raises into the call."""
        if self.recorder is None:
            return
        try:
            if failed and _refused_by_guard(kwargs.get("exception")):
                return  # refused by the guard: no model ran (posting it would alert the pilot)
            payload = kwargs.get("standard_logging_object")
            # After the call LiteLLM keeps the request's metadata under litellm_params.
            pilot_id = pilot_id_from(kwargs)
            if pilot_id is None:
                pilot_id = pilot_id_from(kwargs.get("litellm_params") or {})
            if not isinstance(payload, dict) or pilot_id is None:
                return
            payload = dict(payload)
            if not self.send_text:
                payload["messages"] = payload["response"] = None
            metadata = dict(payload.get("metadata") or {})
            asked = dict(metadata.get("requester_metadata") or {})
            asked.setdefault("pilotdeck_pilot", pilot_id)
            metadata["requester_metadata"] = asked
            payload["metadata"] = metadata
            self.recorder.add(payload)
        except Exception:  # a record lost is logged; the call itself is never harmed
            logger.exception("Pilotdeck guard could not queue the call's record")

    def log_success_event(self, kwargs, response_obj, start_time, end_time):
        self.record(kwargs)

    def log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self.record(kwargs, failed=True)

    async def async_log_success_event(self, kwargs, response_obj, start_time, end_time):
        self.record(kwargs)

    async def async_log_failure_event(self, kwargs, response_obj, start_time, end_time):
        self.record(kwargs, failed=True)
