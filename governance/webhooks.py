"""How a receiver checks a Pilotdeck webhook delivery (this is also the code the tests run).

The `X-Pilotdeck-Signature` header is `t=<unix seconds>,v1=<hex HMAC-SHA256>`, the HMAC taken
with the shared secret over `<t>.` followed by the raw body. A receiver recomputes it, compares in
constant time, and refuses a delivery whose `t` is more than `tolerance` seconds from its clock
(five minutes by default), so a captured delivery cannot be replayed later.
"""

import hashlib
import hmac
import time

DEFAULT_TOLERANCE_SECONDS = 300


def verify(
    header: str,
    body: bytes,
    secret: str,
    *,
    tolerance: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    parts = dict(part.split("=", 1) for part in header.split(",") if "=" in part)
    stamp, given = parts.get("t", ""), parts.get("v1", "")
    if not stamp.isdigit() or not given:
        return False
    if abs((time.time() if now is None else now) - int(stamp)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{stamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, given)
