"""Signing a delivery as the Standard Webhooks specification asks (standardwebhooks.com),
so that partners can check it with any of that specification's libraries.

Three headers: `webhook-id` (the same for every attempt at one message, to drop repeats),
`webhook-timestamp` (Unix seconds, to refuse old replays) and `webhook-signature`
(`v1,` and the base64 of HMAC-SHA256 over `id.timestamp.body` with the secret's key).
A secret is `whsec_` and the base64 of 32 random bytes: the key is those bytes.
"""

import base64
import hashlib
import hmac
import secrets
from collections.abc import Sequence

PREFIX = "whsec_"


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(32)).decode()


def key_of(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(PREFIX))


def signature(secret: str, message_id: str, timestamp: int, body: bytes) -> str:
    signed = f"{message_id}.{timestamp}.".encode() + body
    digest = hmac.new(key_of(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(
    signing_secrets: Sequence[str], message_id: str, timestamp: int, body: bytes
) -> dict[str, str]:
    """The three headers; one signature per secret, space-separated (while a rotated
    secret's grace period lasts, a partner's check passes with the old or the new one)."""
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": " ".join(
            signature(secret, message_id, timestamp, body) for secret in signing_secrets
        ),
    }


def verify(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (one of the signatures, space-separated, must match)."""
    expected = signature(secret, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    given = headers["webhook-signature"].split()
    return any(hmac.compare_digest(expected, candidate) for candidate in given)
