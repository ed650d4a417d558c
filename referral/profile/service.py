"""One's own profile as a person of the network: reading it, correcting it, erasing it (right to erasure:
the account goes too). The account's password and API tokens are referral/auth/service.py's.

No Flask, no Cypher: repositories come from `repository(cls)`. An account that is no person has no
profile (NotFound)."""

from __future__ import annotations

from collections.abc import Callable

from graph.repositories.needs import NeedRepository
from graph.repositories.people import PersonRepository
from referral import policy
from referral.service_errors import NotFound


class Profile:
    def __init__(self, principal: policy.Principal, repository: Callable):
        self.principal = principal
        self.repository = repository

    def _me(self) -> str:
        if not self.principal.person:
            raise NotFound
        return self.principal.person

    def person(self) -> dict:
        found = self.repository(PersonRepository).get(self._me())
        if not found:
            raise NotFound(self.principal.person)
        return found

    def needs(self) -> list[dict]:
        """The needs one may have an expertise in."""
        return self.repository(NeedRepository).list()

    def update(self, values: dict, expertise: list[str]) -> None:
        """Contact details, languages, consents and availability; `expertise` replaces the current list.
        EmailTaken (nothing written) when someone else already has the e-mail."""
        self.repository(PersonRepository).update_profile(self._me(), values, expertise=expertise)

    def erase(self) -> None:
        """The person's details and account; an anonymous node keeps their ties for the published counts."""
        self.repository(PersonRepository).erase(self._me())
