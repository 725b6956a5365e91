"""A JSON renderer on orjson, for the API answers with the most rows (the ledger's pages)."""

from decimal import Decimal

import orjson
from django.utils.functional import Promise
from rest_framework.renderers import JSONRenderer


def _default(value):
    # What orjson leaves to us: decimals and lazy translations. (Subclasses of str, dict and list,
    # such as DRF's ErrorDetail and ReturnDict, it writes as their base type.)
    if isinstance(value, (Decimal, Promise)):
        return str(value)
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


class FastJSONRenderer(JSONRenderer):
    """Same media type and output as DRF's JSONRenderer for the values our serializers produce
    (strings, numbers, booleans, lists, dicts), written several times faster."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        return orjson.dumps(data, default=_default)
