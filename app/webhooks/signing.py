"""Delivery signatures: HMAC-SHA256 over the timestamp and the body, with the endpoint's secret.

    X-Omnigraph-Signature: t=1767225600,v1=<hex HMAC-SHA256(secret, "1767225600." + body)>

Receivers recompute it, compare in constant time and refuse old timestamps (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

SIGNATURE_HEADER = "x-omnigraph-signature"
SECRET_PREFIX = "whsec_"


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes) -> bool:
    parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    return hmac.compare_digest(signature(secret, timestamp, body), header)
