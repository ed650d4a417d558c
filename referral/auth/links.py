"""Signed links that let someone choose a password: an invitation (7 days) or a reset (1 hour).

Nothing is stored: the link carries the account's id and a short fingerprint of its password hash as it
was when the link was made. Setting a password changes the hash, so a used link — or any older one — no
longer matches and is refused. Each purpose has its own salt: an invitation is never a reset link.
"""

from __future__ import annotations

import hashlib

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

INVITE, RESET = "invite", "reset"
MAX_AGE = {INVITE: 7 * 24 * 3600, RESET: 3600}
SALTS = {INVITE: "account-invitation", RESET: "password-reset"}


class LinkRefused(Exception):
    """`reason`: "invalid" (tampered, unknown account), "expired", "used" (the password changed since) or
    "replaced" (a newer invitation was sent)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def fingerprint(password_hash: str) -> str:
    # 64 bits are plenty to tell one hash from the next; the link shows nothing usable of the hash.
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def _serializer(secret_key: str, purpose: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret_key, salt=SALTS[purpose])


def make_link_token(secret_key: str, purpose: str, account: dict) -> str:
    return _serializer(secret_key, purpose).dumps({"u": account["id"], "p": fingerprint(account["password_hash"])})


def read_link_token(secret_key: str, purpose: str, token: str, max_age: int | None = None) -> tuple[str, str]:
    """(account id, fingerprint) of a genuine link younger than its purpose's MAX_AGE; LinkRefused otherwise."""
    try:
        payload = _serializer(secret_key, purpose).loads(token, max_age=max_age or MAX_AGE[purpose])
    except SignatureExpired as error:
        raise LinkRefused("expired") from error
    except BadSignature as error:
        raise LinkRefused("invalid") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("u"), str) or not isinstance(payload.get("p"), str):
        raise LinkRefused("invalid")
    return payload["u"], payload["p"]
