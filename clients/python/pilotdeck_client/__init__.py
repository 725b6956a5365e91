"""Pilotdeck's kill switch for tools and gateways: ask before every model call, obey the answer."""

from .client import PilotdeckClient, Status, default_client, may_call_model
from .recorder import TrafficRecorder, default_recorder

__all__ = [
    "PilotdeckClient",
    "Status",
    "TrafficRecorder",
    "default_client",
    "default_recorder",
    "may_call_model",
]
