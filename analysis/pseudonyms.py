"""Stable pseudonyms for evaluators: `P-…` for people, `O-…` for organisations.

A keyed HMAC-SHA256 of the id with the application's secret: the same id always gives the same
pseudonym (two exports can be joined), and without the secret nobody can tell which id it was,
not even by trying every id. 48 bits: no collision to expect below millions of people.
"""

from __future__ import annotations

import hashlib
import hmac

DIGITS = 12


class Pseudonyms:
    def __init__(self, secret: str | bytes):
        if not secret:
            raise ValueError("A secret key is required for pseudonyms.")
        self._key = secret.encode() if isinstance(secret, str) else secret
        self._cache: dict[tuple[str, str], str] = {}

    def _make(self, prefix: str, kind: str, identifier: str) -> str:
        key = (kind, identifier)
        found = self._cache.get(key)
        if found is None:
            digest = hmac.new(self._key, f"{kind}:{identifier}".encode(), hashlib.sha256).hexdigest()
            found = self._cache[key] = f"{prefix}-{digest[:DIGITS]}"
        return found

    def person(self, person_id: str) -> str:
        return self._make("P", "person", person_id)

    def organisation(self, organisation_id: str) -> str:
        return self._make("O", "organisation", organisation_id)
