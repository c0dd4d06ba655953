"""Signed, dated link tokens (itsdangerous), dated and judged at a given moment, so that a
link's age is measured on the app's clock (and tests can move it)."""

from __future__ import annotations

import hashlib
import hmac
import time
from datetime import UTC, datetime

from itsdangerous import TimestampSigner, URLSafeTimedSerializer

from parley.models import User


def as_aware_utc(moment: datetime) -> datetime:
    """utcnow()'s naive UTC time as an aware one, so that .timestamp() is right."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def timed_serializer(secret: str, salt: str, now: datetime | None) -> URLSafeTimedSerializer:
    """A serializer with its own salt (a token for one purpose is none for another), dating
    and judging tokens at now (naive UTC or aware; the system clock if None)."""
    stamp = as_aware_utc(now).timestamp() if now is not None else None

    class Signer(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time() if stamp is None else stamp)

    return URLSafeTimedSerializer(secret, salt=salt, signer=Signer)


def account_fingerprint(secret: str, user: User) -> str:
    """A keyed digest of the account's address and password hash: it changes when either
    does, so a token carrying it is void after either change, and it tells nothing about them
    to whoever reads the (signed, not encrypted) token."""
    material = f"{user.email}\n{user.password_hash}".encode()
    return hmac.new(secret.encode(), material, hashlib.sha256).hexdigest()[:24]
