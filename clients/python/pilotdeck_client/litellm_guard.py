"""A LiteLLM guard: refuses a model call for a pilot Pilotdeck says must not call a model.

    litellm.callbacks = [PilotdeckGuard(PilotdeckClient(url, token))]
    await litellm.acompletion(..., metadata={"pilot_id": 12})

Works in the SDK (the deployment hook runs before every call) and in the LiteLLM proxy
(`async_pre_call_hook`; the pilot id from the request's metadata). A call with no pilot id is
refused unless `require_pilot=False`.
"""

from __future__ import annotations

import asyncio

from litellm.integrations.custom_logger import CustomLogger

from .client import PilotdeckClient, default_client


class PilotPausedError(Exception):
    """Pilotdeck says this pilot must not call a model now (paused, retired, draft, unknown)."""

    def __init__(self, pilot_id, status: str, reason: str):
        self.pilot_id, self.status, self.reason = pilot_id, status, reason
        why = f": {reason}" if reason else ""
        super().__init__(f"Pilotdeck refuses this model call: pilot {pilot_id} is {status}{why}")


def pilot_id_from(data: dict):
    for key in ("metadata", "litellm_metadata"):
        metadata = data.get(key) or {}
        for source in (metadata, metadata.get("requester_metadata") or {}):
            if source.get("pilot_id") is not None:
                return source["pilot_id"]
    return None


class PilotdeckGuard(CustomLogger):
    def __init__(self, client: PilotdeckClient | None = None, *, require_pilot: bool = True):
        super().__init__()
        self.client = client
        self.require_pilot = require_pilot

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
