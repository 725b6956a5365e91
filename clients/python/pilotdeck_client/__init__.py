"""Pilotdeck's kill switch for tools and gateways: ask before every model call, obey the answer."""

from .client import PilotdeckClient, Status, default_client, may_call_model

__all__ = ["PilotdeckClient", "Status", "default_client", "may_call_model"]
